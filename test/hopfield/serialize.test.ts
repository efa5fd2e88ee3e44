// The memory file: toJSON → fromJSON gives a memory that recalls exactly as the original, on the same
// backend and on the other one; JSON text works as well as the object; broken files are refused with a
// message naming the field.
import { describe, expect, it } from 'vitest';
import { HopfieldMemory, type HopfieldOptions } from '../../src/index.js';
import { BACKENDS } from '../helpers/backends.js';
import { caughtAsync, expectError } from '../helpers/errors.js';
import { flip, randomPatterns } from '../helpers/patterns.js';
import { seeded } from '../helpers/reference.js';

const KINDS: [string, Omit<HopfieldOptions, 'backend'>][] = [
  ['hebbian', { size: 30, rule: 'hebbian', seed: 1 }],
  ['storkey', { size: 30, rule: 'storkey', update: 'sync', seed: 2 }],
  ['pseudoinverse', { size: 30, rule: 'pseudoinverse', seed: 3 }],
  ['modern', { size: 30, kind: 'modern', beta: 0.5, seed: 4 }],
];

async function memoryOf(options: Omit<HopfieldOptions, 'backend'>, backend: 'wasm' | 'js'): Promise<HopfieldMemory> {
  const memory = await HopfieldMemory.create({ ...options, backend });
  // Two stores, so that the file holds the result of incremental learning.
  memory.store(randomPatterns(seeded(options.seed!), 4, options.size));
  memory.store(randomPatterns(seeded(options.seed! + 100), 3, options.size));
  return memory;
}

describe.each(BACKENDS)('memory file on %s', (backend) => {
  describe.each(KINDS)('%s', (_name, options) => {
    it('round-trips: same file, same settings, same weights, same recalls', async () => {
      const memory = await memoryOf(options, backend);
      const json = memory.toJSON();
      for (const target of BACKENDS) {
        for (const input of [json, JSON.stringify(json)]) {
          const copy = await HopfieldMemory.fromJSON(input, { backend: target });
          const where = `loaded on ${target} from ${typeof input === 'string' ? 'text' : 'object'}`;
          expect(copy.backend, where).toBe(target);
          expect(copy.toJSON(), where).toEqual(json);
          expect([copy.kind, copy.rule, copy.update, copy.beta, copy.seed, copy.count], where)
            .toEqual([memory.kind, memory.rule, memory.update, memory.beta, memory.seed, memory.count]);
          if (memory.kind === 'classical' && target === backend) expect(copy.getWeights(), where).toEqual(memory.getWeights());
          const random = seeded(11);
          for (const p of memory.patterns) {
            const cue = flip(random, Array.from(p), 0.2);
            const a = memory.recall(cue);
            const b = copy.recall(cue);
            if (target === backend) expect(b, where).toEqual(a);
            else expect(Array.from(b.pattern).map(Math.sign), where).toEqual(Array.from(a.pattern).map(Math.sign));
          }
        }
      }
    });
  });

  it('an empty memory round-trips and still learns', async () => {
    const memory = await HopfieldMemory.create({ size: 8, rule: 'storkey', seed: 5, backend });
    const copy = await HopfieldMemory.fromJSON(memory.toJSON(), { backend });
    expect(copy.count).toBe(0);
    copy.store([[1, -1, 1, -1, 1, -1, 1, -1]]);
    expect(copy.recall([1, 1, 1, -1, 1, -1, 1, -1]).pattern).toEqual(Float32Array.from([1, -1, 1, -1, 1, -1, 1, -1]));
  });

  type Loose = Record<string, any>;
  const base = async (): Promise<Loose> => (await memoryOf(KINDS[1][1], backend)).toJSON() as Loose;
  const broken: [string, (f: Loose) => void, 'TypeError' | 'RangeError', RegExp[]][] = [
    ['another format', (f) => { f.format = 'engram-network'; }, 'TypeError', [/not an engram memory file/]],
    ['a later version', (f) => { f.version = 2; }, 'RangeError', [/version 2/]],
    ['an unknown key', (f) => { f.weigths = []; }, 'TypeError', [/weigths/, /did you mean 'weights'/]],
    ['no rule', (f) => { delete f.rule; }, 'TypeError', [/memory file rule/]],
    ['a pattern too short', (f) => { f.patterns[2].pop(); }, 'RangeError', [/memory file patterns\[2\]/, /size 30/]],
    ['a non-bipolar value', (f) => { f.patterns[1][4] = 0.5; }, 'RangeError', [/patterns\[1\]\[4\]/, /-1 or 1/]],
    ['weights missing', (f) => { delete f.weights; }, 'TypeError', [/weights/]],
    ['weights of the wrong length', (f) => { f.weights.pop(); }, 'RangeError', [/weights has 899/, /900/]],
    ['a NaN weight', (f) => { f.weights[7] = NaN; }, 'RangeError', [/weights\[7\] is NaN/]],
    ['a weight beyond float32 range', (f) => { f.weights[7] = 1e39; f.weights[210] = 1e39; }, 'RangeError', [/weights\[7\] is 1e\+39/, /float32/]],
    ['a self-coupling', (f) => { f.weights[31] = 0.5; }, 'RangeError', [/diagonal entry \(1, 1\)/]],
    ['asymmetric weights', (f) => { f.weights[1] += 1; }, 'RangeError', [/not symmetric/, /\(0, 1\)/]],
  ];
  it.each(broken)('refuses a file with %s', async (_name, edit, error, patterns) => {
    const file = await base();
    edit(file);
    expectError(await caughtAsync(() => HopfieldMemory.fromJSON(file, { backend })), error, ...patterns);
  });

  it('refuses text that is not JSON, and weights on a Hebbian memory', async () => {
    expectError(await caughtAsync(() => HopfieldMemory.fromJSON('{', { backend })), 'TypeError', /not valid JSON/);
    const file = (await memoryOf(KINDS[0][1], backend)).toJSON() as Loose;
    file.weights = new Array(900).fill(0);
    expectError(await caughtAsync(() => HopfieldMemory.fromJSON(file, { backend })), 'TypeError', /not expected for a Hebbian memory/);
  });
});
