// Every public call checks what it is given: a wrong kind of value is a TypeError, a size, length or
// value out of range a RangeError, each naming the problem (and for patterns, the pattern and value
// index); a memory the call was made on is exactly as it was before.
import { describe, expect, it } from 'vitest';
import { HopfieldMemory, type HopfieldJSON } from '../../src/index.js';
import { BACKENDS } from '../helpers/backends.js';
import { caught, caughtAsync, expectError } from '../helpers/errors.js';
import { randomPatterns } from '../helpers/patterns.js';
import { seeded } from '../helpers/reference.js';

type ErrorName = 'TypeError' | 'RangeError' | 'Error';

const OPTION_CASES: [string, unknown, ErrorName, RegExp[]][] = [
  ['options not an object', 'big', 'TypeError', [/HopfieldMemory options must be an object/]],
  ['no size', {}, 'TypeError', [/need `size`/]],
  ['size 0', { size: 0 }, 'RangeError', [/size must be 1 or more/]],
  ['size 2.5', { size: 2.5 }, 'RangeError', [/size must be a whole number/]],
  ['size NaN', { size: NaN }, 'RangeError', [/size must be a finite number, got NaN/]],
  ['size a string', { size: '10' }, 'TypeError', [/size must be a finite number/]],
  ['a classical memory too large', { size: 40_000 }, 'RangeError', [/size must be at most 30000/]],
  ['a typo in a key', { size: 4, rules: 'storkey' }, 'TypeError', [/unknown option 'rules'/, /did you mean 'rule'/]],
  ['a typo in kind', { size: 4, kind: 'moden' }, 'TypeError', [/unknown kind "moden"/, /did you mean 'modern'/]],
  ['an unknown rule', { size: 4, rule: 'oja' }, 'TypeError', [/unknown rule "oja"/, /'hebbian', 'storkey', 'pseudoinverse'/]],
  ['an unknown update', { size: 4, update: 'asyn' }, 'TypeError', [/did you mean 'async'/]],
  ['a rule on a modern memory', { size: 4, kind: 'modern', rule: 'storkey' }, 'TypeError', [/'rule' applies to classical memories only/]],
  ['beta on a classical memory', { size: 4, beta: 2 }, 'TypeError', [/'beta' applies to modern memories only/]],
  ['beta 0', { size: 4, kind: 'modern', beta: 0 }, 'RangeError', [/beta must be greater than 0/]],
  ['beta Infinity', { size: 4, kind: 'modern', beta: Infinity }, 'RangeError', [/beta must be a finite number, got Infinity/]],
  ['seed 1.5', { size: 4, seed: 1.5 }, 'RangeError', [/seed must be a whole number/]],
  ['an unknown backend', { size: 4, backend: 'gpu' }, 'TypeError', [/unknown backend "gpu"/]],
];

describe('HopfieldMemory.create', () => {
  it.each(OPTION_CASES)('refuses %s', async (_name, options, error, patterns) => {
    expectError(await caughtAsync(() => HopfieldMemory.create(options as never)), error, ...patterns);
  });

  it('fills in the defaults: classical, Hebbian, async, a random seed', async () => {
    const memory = await HopfieldMemory.create({ size: 4 });
    expect([memory.kind, memory.rule, memory.update, memory.beta, memory.count]).toEqual(['classical', 'hebbian', 'async', undefined, 0]);
    expect(Number.isInteger(memory.seed)).toBe(true);
    const modern = await HopfieldMemory.create({ size: 4, kind: 'modern' });
    expect([modern.rule, modern.update, modern.beta]).toEqual([undefined, undefined, 1]);
  });
});

/** A pattern list with list[i][j] = value. */
function withValue(list: number[][], i: number, j: number, value: unknown): unknown[][] {
  const copy: unknown[][] = list.map((p) => [...p]);
  copy[i][j] = value;
  return copy;
}

const SIZE = 6;
const PATTERNS = randomPatterns(seeded(1), 4, SIZE);
const CUE = [1, -1, 1, 1, -1, -1];

/** Everything a memory is: its file, what it holds, and what it recalls and scores for a fixed cue. */
function snapshot(memory: HopfieldMemory) {
  return { json: memory.toJSON() as HopfieldJSON, count: memory.count, recall: memory.recall(CUE), energy: memory.energy(CUE) };
}

describe.each(BACKENDS)('calls on %s', (backend) => {
  type Case = [string, (m: HopfieldMemory) => unknown, ErrorName, RegExp[]];
  const cases = (kind: 'classical' | 'modern'): Case[] => [
    ['store: not an array', (m) => m.store('abc' as never), 'TypeError', [/patterns must be an array of patterns/, /"abc"/]],
    ['store: empty', (m) => m.store([]), 'RangeError', [/patterns is empty/]],
    ['store: one flat pattern', (m) => m.store(CUE as never), 'TypeError', [/wrap it: \[pattern\]/]],
    ['store: a pattern not an array', (m) => m.store([CUE, 5] as never), 'TypeError', [/patterns\[1\] must be an array/]],
    ['store: a short pattern', (m) => m.store([CUE, CUE, [1, -1]]), 'RangeError', [/patterns\[2\] has 2 values, but the memory has size 6/]],
    ['store: NaN', (m) => m.store(withValue(PATTERNS, 3, 2, NaN) as never), 'RangeError', [/patterns\[3\]\[2\] is NaN/, /finite/]],
    ['store: Infinity', (m) => m.store(withValue(PATTERNS, 0, 5, -Infinity) as never), 'RangeError', [/patterns\[0\]\[5\] is -Infinity/]],
    ['store: a string value', (m) => m.store(withValue(PATTERNS, 1, 0, '1') as never), 'TypeError', [/patterns\[1\]\[0\] is "1"/]],
    ['store: a value past f32', (m) => m.store(withValue(PATTERNS, 1, 3, 1e39) as never), 'RangeError', [/patterns\[1\]\[3\] is 1e\+39/, /32-bit float/]],
    ['recall: a long cue', (m) => m.recall([...CUE, 1]), 'RangeError', [/cue has 7 values, but the memory has size 6/]],
    ['recall: a NaN cue', (m) => m.recall([1, NaN, 1, 1, 1, 1]), 'RangeError', [/cue\[1\] is NaN/]],
    ['recall: no cue', (m) => m.recall(undefined as never), 'TypeError', [/cue must be an array/, /undefined/]],
    ['recall: maxSteps 0', (m) => m.recall(CUE, { maxSteps: 0 }), 'RangeError', [/maxSteps must be 1 or more/]],
    ['recall: maxSteps 2.5', (m) => m.recall(CUE, { maxSteps: 2.5 }), 'RangeError', [/maxSteps must be a whole number/]],
    ['recall: an unknown option', (m) => m.recall(CUE, { maxStep: 3 } as never), 'TypeError', [/did you mean 'maxSteps'/]],
    ['energy: a short state', (m) => m.energy([1]), 'RangeError', [/state has 1 value, but the memory has size 6/]],
    ...(kind === 'classical'
      ? [
        ['store: a non-bipolar value', (m) => m.store(withValue(PATTERNS, 2, 4, 0) as never), 'RangeError', [/patterns\[2\]\[4\] is 0/, /bipolar/, /-1 or 1/]],
        ['recall: a non-bipolar cue', (m) => m.recall([1, -1, 0.5, 1, 1, 1]), 'RangeError', [/cue\[2\] is 0.5/, /bipolar/]],
        ['energy: a 0/1 state', (m) => m.energy([1, 0, 1, 0, 1, 0]), 'RangeError', [/state\[1\] is 0/, /bipolar/]],
      ] satisfies Case[]
      : [['getWeights', (m) => m.getWeights(), 'Error', [/a modern memory has no weight matrix/]]] satisfies Case[]),
  ];

  describe.each(['classical', 'modern'] as const)('%s', (kind) => {
    it.each(cases(kind))('refuses %s and leaves the memory as it was', async (_name, call, error, patterns) => {
      const memory = await HopfieldMemory.create({ size: SIZE, kind, seed: 3, backend });
      memory.store(PATTERNS);
      const before = snapshot(memory);
      expectError(caught(() => call(memory)), error, ...patterns);
      expect(snapshot(memory)).toEqual(before);
    });

    it('refuses recall and energy on an empty memory', async () => {
      const memory = await HopfieldMemory.create({ size: SIZE, kind, backend });
      expectError(caught(() => memory.recall(CUE)), 'Error', /recall needs stored patterns/, /store\(patterns\) first/);
      expectError(caught(() => memory.energy(CUE)), 'Error', /energy needs stored patterns/);
    });

    it('takes Float32Array patterns and cues', async () => {
      const memory = await HopfieldMemory.create({ size: SIZE, kind, seed: 3, backend });
      memory.store(PATTERNS.map((p) => Float32Array.from(p)));
      expect(memory.recall(Float32Array.from(CUE))).toEqual(memory.recall(CUE));
    });
  });

  it('a modern memory takes continuous values', async () => {
    const memory = await HopfieldMemory.create({ size: 3, kind: 'modern', backend });
    expect(memory.store([[0.25, -3, 1e-3]])).toBe(1);
    expect(memory.recall([0, 0, 0]).converged).toBe(true);
  });
});
