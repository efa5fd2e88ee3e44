// Preprocessing on its own: task inference, one-hot encoding, standardization and its inverse, and
// the cell-naming errors, on tables built in the test.
import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/errors.js';
import type { Table } from '../../src/cli/csv.js';
import {
  decodeOutput, encodeFeatures, encodeTargets, fitPreprocessing, inferTask, inputWidth, looksNumeric, meanStd, parseNumber,
  targetAnswers,
} from '../../src/cli/preprocess.js';

function tableOf(header: string[], rows: string[][]): Table {
  return { file: 'data.csv', header, rows, lines: rows.map((_, r) => r + 2) };
}

describe('classification or regression', () => {
  it('is classification for text labels, even with numbers among them', () => {
    expect(inferTask(['setosa', 'virginica'])).toBe('classification');
    expect(inferTask(['1', '2', 'three'])).toBe('classification');
  });

  it('is classification for at most 10 distinct whole numbers, regression beyond', () => {
    expect(inferTask(['0', '1', '1', '0'])).toBe('classification');
    expect(inferTask(Array.from({ length: 50 }, (_, i) => String(i % 10)))).toBe('classification');
    expect(inferTask(Array.from({ length: 50 }, (_, i) => String(i % 11)))).toBe('regression');
  });

  it('is regression for fractional numbers, however few', () => {
    expect(inferTask(['0.5', '1.5', '0.5'])).toBe('regression');
  });
});

describe('numbers in cells', () => {
  it('reads plain decimal notation only', () => {
    expect(['1', '-2.5', '.5', '3.', '+4e2', '1E-3'].map(parseNumber)).toEqual([1, -2.5, 0.5, 3, 400, 0.001]);
    for (const text of ['', 'abc', '0x10', 'Infinity', 'NaN', '1,5', '1e999']) expect(parseNumber(text), text).toBeUndefined();
  });

  it('calls a column numeric when more than half of it is numbers', () => {
    expect(looksNumeric(['1', '2', 'oops'])).toBe(true);
    expect(looksNumeric(['1', 'red', 'blue'])).toBe(false);
    expect(looksNumeric(['1', 'red'])).toBe(false);
  });
});

describe('feature encoding', () => {
  const table = tableOf(
    ['size', 'colour', 'label'],
    [['1', 'red', 'a'], ['2', 'green', 'b'], ['3', 'red', 'a'], ['6', 'blue', 'b']],
  );

  it('one-hot encodes text columns over their sorted categories, and standardizes numbers', () => {
    const prep = fitPreprocessing(table, { target: 'label' });
    expect(prep.features).toEqual([
      { name: 'size', kind: 'numeric', mean: 3, std: Math.sqrt(3.5) },
      { name: 'colour', kind: 'categorical', categories: ['blue', 'green', 'red'] },
    ]);
    expect(inputWidth(prep.features)).toBe(4);
    const x = encodeFeatures(table, prep.features);
    const z = (v: number) => Math.fround((v - 3) / Math.sqrt(3.5));
    expect(x.map((row) => Array.from(row))).toEqual([
      [z(1), 0, 0, 1],
      [z(2), 0, 1, 0],
      [z(3), 0, 0, 1],
      [z(6), 1, 0, 0],
    ]);
  });

  it('finds columns by name, in whatever order a later file has them', () => {
    const prep = fitPreprocessing(table, { target: 'label' });
    const reordered = tableOf(['colour', 'extra', 'size'], [['green', 'x', '3']]);
    expect(Array.from(encodeFeatures(reordered, prep.features)[0])).toEqual([0, 0, 1, 0]);
  });

  it('treats a numeric column as categories when asked', () => {
    const prep = fitPreprocessing(table, { target: 'label', categorical: ['size'] });
    expect(prep.features[0]).toEqual({ name: 'size', kind: 'categorical', categories: ['1', '2', '3', '6'] });
  });

  it('learns means and standard deviations from the fitting rows only', () => {
    const prep = fitPreprocessing(table, { target: 'label', fitRows: [0, 1, 2] });
    expect(prep.features[0]).toMatchObject({ mean: 2, std: Math.sqrt(2 / 3) });
  });

  it('gives a constant column std 1, so it encodes as 0', () => {
    expect(meanStd([4, 4, 4])).toEqual({ mean: 4, std: 1 });
  });

  it('names the file, row, line and column of a bad cell', () => {
    const prep = fitPreprocessing(table, { target: 'label' });
    const bad = tableOf(['size', 'colour'], [['1', 'red'], ['two', 'red']]);
    expect(() => encodeFeatures(bad, prep.features)).toThrow(new CliError('data.csv, row 2 (line 3), column "size": "two" is not a number, and this column is numeric'));
    const unseen = tableOf(['size', 'colour'], [['1', 'purple']]);
    expect(() => encodeFeatures(unseen, prep.features)).toThrow(/^data\.csv, row 1 \(line 2\), column "colour": "purple" is not a category seen in training \(blue, green, red\)$/);
  });
});

describe('targets', () => {
  it('one-hot encodes classes and decodes the most probable one', () => {
    const table = tableOf(['x', 'y'], [['1', 'b'], ['2', 'a'], ['3', 'c']]);
    const { target } = fitPreprocessing(table, { target: 'y' });
    expect(target).toEqual({ name: 'y', task: 'classification', classes: ['a', 'b', 'c'] });
    expect(encodeTargets(table, target).map((row) => Array.from(row))).toEqual([[0, 1, 0], [1, 0, 0], [0, 0, 1]]);
    expect(targetAnswers(table, target)).toEqual([1, 0, 2]);
    expect(decodeOutput([0.2, 0.1, 0.7], target)).toBe(2);
  });

  it('orders numeric class labels as numbers', () => {
    const table = tableOf(['x', 'y'], [['1', '10'], ['2', '2'], ['3', '1']]);
    expect(fitPreprocessing(table, { target: 'y' }).target).toMatchObject({ classes: ['1', '2', '10'] });
  });

  it('standardizes a regression target and un-standardizes outputs back to the same numbers', () => {
    const values = ['12.5', '-3.25', '7', '100.125', '0.5'];
    const table = tableOf(['x', 'y'], values.map((v, i) => [String(i), v]));
    const { target } = fitPreprocessing(table, { target: 'y' });
    expect(target.task).toBe('regression');
    const encoded = encodeTargets(table, target);
    const mean = encoded.reduce((s, row) => s + row[0], 0) / encoded.length;
    expect(mean).toBeCloseTo(0, 6);
    encoded.forEach((row, i) => expect(decodeOutput(row, target), `row ${i}`).toBeCloseTo(Number(values[i]), 4));
  });

  it('refuses a target with one class, naming the file and column', () => {
    const table = tableOf(['x', 'y'], [['1', 'a'], ['2', 'a']]);
    expect(() => fitPreprocessing(table, { target: 'y' })).toThrow(/^data\.csv, column "y": every row has the same value "a"/);
  });
});
