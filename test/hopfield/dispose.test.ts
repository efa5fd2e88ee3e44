// memory.dispose(): the memory lets go of its backend (WebAssembly memory included), and every later
// call throws an Error saying the memory was disposed.
import { describe, expect, it } from 'vitest';
import { HopfieldMemory } from '../../src/index.js';
import { BACKENDS } from '../helpers/backends.js';
import { caught, expectError } from '../helpers/errors.js';
import { collectGarbage, createWatched } from '../helpers/watch.js';

const PATTERNS = [[1, -1, 1, -1], [1, 1, -1, -1]];

describe.each(BACKENDS)('dispose on %s', (backend) => {
  it('frees its backend and memory while the memory object itself is still held', async () => {
    const { value: memory, held } = await createWatched(backend, () => HopfieldMemory.create({ size: 4, backend }));
    expect(held.length, 'watched allocations').toBe(backend === 'wasm' ? 2 : 1);
    memory.store(PATTERNS);
    await collectGarbage();
    expect(held.map((ref) => ref.deref() !== undefined), 'alive before dispose').toEqual(held.map(() => true));
    memory.dispose();
    await collectGarbage();
    expect(held.map((ref) => ref.deref() === undefined), 'collected after dispose').toEqual(held.map(() => true));
    expect(memory).toBeInstanceOf(HopfieldMemory);
  });

  const calls: [string, (m: HopfieldMemory) => unknown][] = [
    ['store', (m) => m.store(PATTERNS)],
    ['recall', (m) => m.recall([1, 1, 1, 1])],
    ['energy', (m) => m.energy([1, 1, 1, 1])],
    ['getWeights', (m) => m.getWeights()],
    ['toJSON', (m) => m.toJSON()],
    ['JSON.stringify', (m) => JSON.stringify(m)],
    ['backend', (m) => m.backend],
    ['size', (m) => m.size],
    ['kind', (m) => m.kind],
    ['rule', (m) => m.rule],
    ['seed', (m) => m.seed],
    ['count', (m) => m.count],
    ['patterns', (m) => m.patterns],
    ['memoryBytes', (m) => m.memoryBytes],
    ['recall with a bad cue', (m) => m.recall([NaN] as never)],
  ];
  for (const [name, call] of calls) {
    it(`makes a later ${name} throw`, async () => {
      const memory = await HopfieldMemory.create({ size: 4, seed: 1, backend });
      memory.store(PATTERNS);
      expect(caught(() => call(memory)).name, 'works before dispose').toMatch(/no error|RangeError/);
      memory.dispose();
      expectError(caught(() => call(memory)), 'Error', /this memory has been disposed/);
    });
  }

  it('may be called twice, and leaves other memories as they were', async () => {
    const [a, b] = await Promise.all([1, 2].map(() => HopfieldMemory.create({ size: 4, seed: 1, backend })));
    a.store(PATTERNS);
    b.store(PATTERNS);
    const before = b.toJSON();
    const recalled = b.recall([1, -1, 1, 1]);
    a.dispose();
    a.dispose();
    expect(b.toJSON()).toEqual(before);
    expect(b.recall([1, -1, 1, 1])).toEqual(recalled);
  });
});
