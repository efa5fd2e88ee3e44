// Reading CSV files: quoting and blank lines handled by csv-parse, structural problems named by row,
// line and column.
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readCsv } from '../../src/cli/csv.js';
import { toCsv } from '../../src/cli/csv-write.js';
import { folder } from './run.js';

describe('readCsv', () => {
  const tmp = folder({
    'quoted.csv': '\ufeffname,"note, with comma",n\n"Smith, J.","said ""hi""", 3 \n\nLee,"two\nlines",4\n',
    'ragged.csv': 'a,b\n1,2\n\n3\n',
    'dup.csv': 'a,b,a\n1,2,3\n',
  });
  afterAll(() => tmp.remove());
  const path = (name: string) => join(tmp.dir, name);

  it('reads quoted fields, a BOM and blank lines, and records each row\'s line', () => {
    const table = readCsv(path('quoted.csv'));
    expect(table.header).toEqual(['name', 'note, with comma', 'n']);
    expect(table.rows).toEqual([['Smith, J.', 'said "hi"', '3'], ['Lee', 'two\nlines', '4']]);
    expect(table.lines).toEqual([2, 5]);
  });

  it('names the row, its line and the first missing column of a ragged row', () => {
    expect(() => readCsv(path('ragged.csv'))).toThrow(`${path('ragged.csv')}, row 2 (line 4), column "b": missing; the row has 1 value but the header has 2 columns`);
  });

  it('refuses a repeated column name', () => {
    expect(() => readCsv(path('dup.csv'))).toThrow(`${path('dup.csv')}, line 1, column 3: "a" repeats the name of column 1`);
  });

  it('writes what it reads back', () => {
    const rows = [['name', 'note'], ['Smith, J.', 'said "hi"'], ['Lee', 'two\nlines'], [' padded', 'plain']];
    const tmp2 = folder({ 'round.csv': toCsv(rows) });
    try {
      const table = readCsv(join(tmp2.dir, 'round.csv'));
      // readCsv trims unquoted whitespace but keeps what a quoted field holds.
      expect([table.header, ...table.rows]).toEqual(rows);
    } finally {
      tmp2.remove();
    }
  });
});
