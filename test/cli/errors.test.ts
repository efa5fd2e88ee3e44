// Bad input: every case gives exactly one line on stderr naming the file, the row and the column
// where there is one, a non-zero exit status, no stack trace, and no output file (nor a temporary
// one) left behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { engram, folder, IRIS } from './run.js';

const GOOD = 'a,b,y\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n';

interface Case {
  name: string;
  files: Record<string, string>;
  args: string[];
  /** Fragments the one line must contain, in order. */
  says: string[];
  status?: number;
}

const cases: Case[] = [
  {
    name: 'a ragged row (too few values)',
    files: { 'data.csv': 'a,b,y\n1,2,x\n3,4\n5,6,y\n' },
    args: ['train', 'data.csv', '--target', 'y', '--out', 'model.json'],
    says: ['data.csv, row 2 (line 3), column "y"', 'missing', '2 values', '3 columns'],
  },
  {
    name: 'a ragged row (too many values)',
    files: { 'data.csv': 'a,b,y\n1,2,x\n3,4,y\n5,6,x,9\n' },
    args: ['train', 'data.csv', '--target', 'y', '--out', 'model.json'],
    says: ['data.csv, row 3 (line 4), column 4', 'extra value "9"'],
  },
  {
    name: 'a missing target column',
    files: { 'data.csv': GOOD },
    args: ['train', 'data.csv', '--target', 'species', '--out', 'model.json'],
    says: ['data.csv', 'no target column "species"', 'the columns are a, b, y'],
  },
  {
    name: 'a non-numeric value in a numeric column',
    files: { 'data.csv': 'a,b,y\n1,2,x\n3,oops,y\n5,6,x\n7,8,y\n' },
    args: ['train', 'data.csv', '--target', 'y', '--out', 'model.json'],
    says: ['data.csv, row 2 (line 3), column "b"', '"oops" is not a number'],
  },
  {
    name: 'an empty value',
    files: { 'data.csv': 'a,b,y\n1,2,x\n3,,y\n5,6,x\n7,8,y\n' },
    args: ['train', 'data.csv', '--target', 'y', '--out', 'model.json'],
    says: ['data.csv, row 2 (line 3), column "b"', 'empty'],
  },
  {
    name: 'an empty file',
    files: { 'data.csv': '' },
    args: ['train', 'data.csv', '--target', 'y', '--out', 'model.json'],
    says: ['data.csv', 'empty'],
  },
  {
    name: 'a header and no rows',
    files: { 'data.csv': 'a,b,y\n' },
    args: ['train', 'data.csv', '--target', 'y', '--out', 'model.json'],
    says: ['data.csv', 'no data rows'],
  },
  {
    name: 'a file that does not exist',
    files: {},
    args: ['train', 'nowhere.csv', '--target', 'y', '--out', 'model.json'],
    says: ['nowhere.csv', 'no such file'],
  },
  {
    name: 'a target with a single class',
    files: { 'data.csv': 'a,y\n1,x\n2,x\n' },
    args: ['train', 'data.csv', '--target', 'y', '--out', 'model.json'],
    says: ['data.csv', 'column "y"', 'at least 2 classes'],
  },
  {
    name: 'an unknown flag',
    files: { 'data.csv': GOOD },
    args: ['train', 'data.csv', '--target', 'y', '--epoch', '3', '--out', 'model.json'],
    says: ["Unknown option '--epoch'", 'engram --help'],
    status: 2,
  },
  {
    name: 'a flag with a bad value',
    files: { 'data.csv': GOOD },
    args: ['train', 'data.csv', '--target', 'y', '--layers', '16,x', '--out', 'model.json'],
    says: ['--layers', '"x"'],
    status: 2,
  },
  {
    name: 'a model file that is not JSON',
    files: { 'data.csv': GOOD, 'model.json': 'a,b\n1,2\n' },
    args: ['predict', 'model.json', 'data.csv', '--out', 'out.csv'],
    says: ['model.json', 'not a model file'],
  },
];

describe('bad input', () => {
  for (const c of cases) {
    it(`${c.name}: one line, exit ${c.status ?? 1}, nothing written`, () => {
      const tmp = folder(c.files);
      try {
        const before = tmp.files();
        const run = engram(c.args, tmp.dir);
        expect(run.status).toBe(c.status ?? 1);
        expect(run.stdout).toBe('');
        expectOneLine(run.stderr, c.says);
        expect(tmp.files(), 'files after the run').toEqual(before);
      } finally {
        tmp.remove();
      }
    });
  }
});

describe('bad input to a trained model', () => {
  const tmp = folder({ 'iris.csv': readFileSync(IRIS, 'utf8') });
  beforeAll(() => {
    const run = engram(['train', 'iris.csv', '--target', 'species', '--epochs', '5', '--out', 'model.json'], tmp.dir);
    expect(run.status).toBe(0);
  });
  afterAll(() => tmp.remove());

  const header = 'sepal_length,sepal_width,petal_length,petal_width,species';
  const bad: [string, string, string[], string[]][] = [
    ['a non-numeric value (predict)', `${header}\n5.1,3.5,1.4,0.2,setosa\n6.0,wide,4.5,1.5,versicolor\n`, ['predict'],
      ['new.csv, row 2 (line 3), column "sepal_width"', '"wide" is not a number']],
    ['a ragged row (predict)', `${header}\n5.1,3.5,1.4,0.2,setosa\n6.0,2.9\n`, ['predict'],
      ['new.csv, row 2 (line 3), column "petal_length"', 'missing']],
    ['a missing feature column (predict)', 'sepal_length,sepal_width,petal_length\n5.1,3.5,1.4\n', ['predict'],
      ['new.csv', 'no feature column "petal_width"']],
    ['a class not seen in training (evaluate)', `${header}\n5.1,3.5,1.4,0.2,setosa\n6.0,2.9,4.5,1.5,rose\n`, ['evaluate'],
      ['new.csv, row 2 (line 3), column "species"', '"rose" is not a class seen in training']],
    ['a missing target column (evaluate)', 'sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n', ['evaluate'],
      ['new.csv', 'no target column "species"']],
  ];
  for (const [name, text, [command], says] of bad) {
    it(`${name}: one line, exit 1, nothing written`, () => {
      const cases = folder({ 'new.csv': text });
      try {
        const out = `${cases.dir}/out.csv`;
        const args = command === 'predict' ? ['predict', 'model.json', `${cases.dir}/new.csv`, '--out', out] : ['evaluate', 'model.json', `${cases.dir}/new.csv`];
        const run = engram(args, tmp.dir);
        expect(run.status).toBe(1);
        expect(run.stdout).toBe('');
        expectOneLine(run.stderr, says);
        expect(cases.files()).toEqual(['new.csv']);
      } finally {
        cases.remove();
      }
    });
  }

  it('an output folder that does not exist: one line, exit 1, no file', () => {
    const run = engram(['predict', 'model.json', 'iris.csv', '--out', 'missing/out.csv'], tmp.dir);
    expect(run.status).toBe(1);
    expectOneLine(run.stderr, ['missing/out.csv', 'cannot write', 'no folder missing']);
    expect(tmp.files()).toEqual(['iris.csv', 'model.json']);
  });
});

function expectOneLine(stderr: string, says: string[]): void {
  expect(stderr.endsWith('\n'), JSON.stringify(stderr)).toBe(true);
  const lines = stderr.slice(0, -1).split('\n');
  expect(lines, 'stderr lines').toHaveLength(1);
  const [line] = lines;
  expect(line.startsWith('engram: '), line).toBe(true);
  expect(line).not.toMatch(/\bat .+:\d+:\d+|Error:|node:internal/);
  let from = 0;
  for (const fragment of says) {
    const at = line.indexOf(fragment, from);
    expect(at, `"${fragment}" in: ${line}`).toBeGreaterThanOrEqual(0);
    from = at + fragment.length;
  }
}
