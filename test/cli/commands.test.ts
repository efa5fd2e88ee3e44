// The command line end to end, as a user runs it: train on the bundled iris data, then evaluate,
// predict and info on rows it did not train on; and a regression with categorical columns.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Network } from '../../src/index.js';
import { CLI, engram, folder, IRIS } from './run.js';

// Every fifth iris row is held out for testing: 10 of each species.
const [irisHeader, ...irisRows] = readFileSync(IRIS, 'utf8').trim().split('\n');
const trainRows = irisRows.filter((_, i) => i % 5 !== 4);
const testRows = irisRows.filter((_, i) => i % 5 === 4);
const csv = (rows: string[]) => [irisHeader, ...rows].join('\n') + '\n';

describe('engram on the bundled iris data', () => {
  const tmp = folder({ 'train.csv': csv(trainRows), 'test.csv': csv(testRows) });
  const trainArgs = ['train', 'train.csv', '--target', 'species', '--layers', '16,8', '--activation', 'relu', '--epochs', '200', '--out', 'model.json'];
  let trained: ReturnType<typeof engram>;
  beforeAll(() => {
    trained = engram(trainArgs, tmp.dir);
  });
  afterAll(() => tmp.remove());

  it('trains and writes a model file that wraps an engram network file', async () => {
    expect(trained.stderr).toBe('');
    expect(trained.status).toBe(0);
    const model = JSON.parse(readFileSync(join(tmp.dir, 'model.json'), 'utf8'));
    expect(model.format).toBe('engram-cli-model');
    expect(model.version).toBe(1);
    expect(model.preprocessing.target).toEqual({ name: 'species', task: 'classification', classes: ['setosa', 'versicolor', 'virginica'] });
    expect(model.preprocessing.features.map((f: { name: string; kind: string }) => `${f.name}:${f.kind}`)).toEqual([
      'sepal_length:numeric', 'sepal_width:numeric', 'petal_length:numeric', 'petal_width:numeric',
    ]);
    expect(model.training).toMatchObject({ file: 'train.csv', rows: 120, trainRows: 96, validationRows: 24, epochs: 200, stopReason: 'epochs' });
    expect(model.training.history).toHaveLength(200);
    const net = await Network.fromJSON(model.network);
    expect(net.layers).toEqual([
      { units: 16, activation: 'relu' }, { units: 8, activation: 'relu' }, { units: 3, activation: 'softmax' },
    ]);
    expect(net.loss).toBe('categoricalCrossentropy');
  });

  it('reports progress as plain lines when its output is not a terminal', () => {
    const out = trained.stdout;
    expect(out).not.toMatch(/[\r\x1b]/);
    const epochLines = out.split('\n').filter((line) => line.startsWith('epoch'));
    expect(epochLines).toHaveLength(10);
    for (const line of epochLines) {
      expect(line).toMatch(/^epoch +\d+\/200 {2}loss \S+ {2}val loss \S+ {2}val accuracy \d+\.\d%$/);
    }
    expect(epochLines.at(-1)).toMatch(/^epoch 200\/200/);
    expect(out).toMatch(/^trained 200 epochs in \S+ s: all epochs done$/m);
    expect(out).toMatch(/^ {2}validation +24 rows {2}loss \S+ {2}accuracy \d+\.\d% \(\d+\/24\)$/m);
    expect(out).toContain('training loss (log scale)');
    expect(out).toMatch(/^wrote model\.json$/m);
  });

  it('gives the same model file for the same seed', () => {
    const again = folder({ 'train.csv': csv(trainRows) });
    try {
      expect(engram(trainArgs, again.dir).status).toBe(0);
      expect(readFileSync(join(again.dir, 'model.json'), 'utf8')).toBe(readFileSync(join(tmp.dir, 'model.json'), 'utf8'));
    } finally {
      again.remove();
    }
  });

  it('finishes training and writes the model when its reader closes the pipe early', () => {
    const again = folder({ 'train.csv': csv(trainRows) });
    try {
      const run = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" ${trainArgs.join(' ')} | head -n 1`], { cwd: again.dir, encoding: 'utf8' });
      expect(run.stdout).toBe('train.csv: 120 rows, target "species"\n');
      expect(run.stderr).toBe('');
      expect(readFileSync(join(again.dir, 'model.json'), 'utf8')).toBe(readFileSync(join(tmp.dir, 'model.json'), 'utf8'));
    } finally {
      again.remove();
    }
  });

  it('evaluates held-out rows: accuracy and a confusion matrix that agree', () => {
    const run = engram(['evaluate', 'model.json', 'test.csv'], tmp.dir);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const [, pct, correct, total] = run.stdout.match(/^accuracy (\d+\.\d)% \((\d+)\/(\d+)\)/m) ?? [];
    expect(Number(total)).toBe(30);
    // Guessing gets a third; versicolor and virginica overlap, which costs a network a few rows.
    expect(Number(correct) / 30).toBeGreaterThanOrEqual(0.85);
    expect(Number(pct)).toBeCloseTo((100 * Number(correct)) / 30, 1);
    const matrix = ['setosa', 'versicolor', 'virginica'].map((name) => {
      const row = run.stdout.match(new RegExp(`^ +${name} +(\\d+) +(\\d+) +(\\d+)$`, 'm'));
      expect(row, `confusion matrix row ${name}`).not.toBeNull();
      return row!.slice(1).map(Number);
    });
    matrix.forEach((row, i) => expect(row.reduce((a, b) => a + b), `row ${i} holds its 10 rows`).toBe(10));
    expect(matrix[0][0] + matrix[1][1] + matrix[2][2]).toBe(Number(correct));
  });

  it('predicts one row per input row, with probabilities, to a file or to stdout', () => {
    const run = engram(['predict', 'model.json', 'test.csv', '--out', 'predictions.csv'], tmp.dir);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('wrote 30 predictions of "species" to predictions.csv\n');
    const text = readFileSync(join(tmp.dir, 'predictions.csv'), 'utf8');
    const [header, ...rows] = text.trim().split('\n');
    expect(header).toBe(`${irisHeader},predicted_species,probability_setosa,probability_versicolor,probability_virginica`);
    expect(rows).toHaveLength(testRows.length);
    const classes = ['setosa', 'versicolor', 'virginica'];
    rows.forEach((line, i) => {
      const cells = line.split(',');
      expect(cells.slice(0, 5).join(','), `row ${i} keeps its input`).toBe(testRows[i]);
      const p = cells.slice(6).map(Number);
      expect(p.reduce((a, b) => a + b), `row ${i} probabilities`).toBeCloseTo(1, 3);
      expect(cells[5], `row ${i} predicts its most probable class`).toBe(classes[p.indexOf(Math.max(...p))]);
    });
    expect(engram(['predict', 'model.json', 'test.csv'], tmp.dir).stdout).toBe(text);
  });

  it('points out an identifier column one-hot encoded into a category per row', () => {
    const withIds = folder({ 'ids.csv': [`id,${irisHeader}`, ...trainRows.map((row, i) => `flower${i},${row}`)].join('\n') + '\n' });
    try {
      const run = engram(['train', 'ids.csv', '--target', 'species', '--epochs', '2'], withIds.dir);
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('features: 4 numeric (standardized), 1 categorical (one-hot) → 124 inputs');
      expect(run.stdout).toContain('note: column "id" has 120 different values in 120 rows');
    } finally {
      withIds.remove();
    }
  });

  it('describes the model file: columns, architecture, training', () => {
    const run = engram(['info', 'model.json'], tmp.dir);
    expect(run.status).toBe(0);
    const out = run.stdout;
    expect(out).toContain('predicts "species": classification into 3 classes: setosa, versicolor, virginica');
    expect(out).toMatch(/^ {2}petal_width +numeric +mean \S+, std \S+$/m);
    // Parameters per layer: inputs × units + units.
    expect(out).toMatch(/^ {2}1 +16 {2}relu +80$/m);
    expect(out).toMatch(/^ {2}2 +8 {2}relu +136$/m);
    expect(out).toMatch(/^ {2}3 +3 {2}softmax +27$/m);
    expect(out).toContain('4 inputs, 243 parameters; loss categoricalCrossentropy; optimizer adam');
    expect(out).toContain('training: train.csv, 120 rows (96 training, 24 validation); 200 epochs\n');
    expect(out).not.toMatch(/[\r\x1b]/);
  });
});

describe('engram on a regression with categorical columns', () => {
  // y = 3a − 2b + a shift per colour + a shift per zone (a whole number forced categorical) + noise.
  let state = 12345;
  const uniform = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const colourShift: Record<string, number> = { red: 0, green: 6, blue: -6 };
  const rows = (n: number) =>
    Array.from({ length: n }, () => {
      const a = uniform() * 10;
      const b = uniform() * 10 - 5;
      const colour = ['red', 'green', 'blue'][Math.floor(uniform() * 3)];
      const zone = 1 + Math.floor(uniform() * 3);
      const y = 3 * a - 2 * b + colourShift[colour] + (zone === 2 ? 4 : 0) + (uniform() - 0.5);
      return `${a.toFixed(3)},${b.toFixed(3)},${colour},${zone},${y.toFixed(3)}`;
    });
  const header = 'a,b,colour,zone,y';
  const tmp = folder({
    'train.csv': [header, ...rows(400)].join('\n') + '\n',
    'test.csv': [header, ...rows(100)].join('\n') + '\n',
  });
  afterAll(() => tmp.remove());

  it('infers regression, one-hot encodes the categorical columns and fits held-out rows', () => {
    const trained = engram(['train', 'train.csv', '--target', 'y', '--categorical', 'zone', '--layers', '16', '--epochs', '150', '--out', 'model.json'], tmp.dir);
    expect(trained.stderr).toBe('');
    expect(trained.status).toBe(0);
    expect(trained.stdout).toContain('features: 2 numeric (standardized), 2 categorical (one-hot) → 8 inputs');
    const model = JSON.parse(readFileSync(join(tmp.dir, 'model.json'), 'utf8'));
    expect(model.preprocessing.target.task).toBe('regression');
    expect(model.preprocessing.features.slice(2)).toEqual([
      { name: 'colour', kind: 'categorical', categories: ['blue', 'green', 'red'] },
      { name: 'zone', kind: 'categorical', categories: ['1', '2', '3'] },
    ]);

    const run = engram(['evaluate', 'model.json', 'test.csv'], tmp.dir);
    expect(run.status).toBe(0);
    const [, mae, rmse, r2] = run.stdout.match(/^MAE (\S+) {3}RMSE (\S+) {3}R² (\S+)/m) ?? [];
    expect(Number(r2)).toBeGreaterThan(0.95);
    expect(Number(mae)).toBeLessThanOrEqual(Number(rmse));

    const predicted = engram(['predict', 'model.json', 'test.csv', '--out', 'out.csv'], tmp.dir);
    expect(predicted.status).toBe(0);
    const lines = readFileSync(join(tmp.dir, 'out.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe(`${header},predicted_y`);
    expect(lines).toHaveLength(101);
    expect(existsSync(join(tmp.dir, 'model.json'))).toBe(true);
  });
});
