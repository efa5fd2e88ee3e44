// Recall against theory, with random patterns and seeded noise: the classical memory at N = 100 well
// under its ~0.138·N load, Storkey and pseudo-inverse rules where Hebbian learning has broken down, and
// the modern memory holding far more patterns than units.
import { describe, expect, it } from 'vitest';
import { HopfieldMemory, type HopfieldOptions } from '../../src/index.js';
import { BACKENDS } from '../helpers/backends.js';
import { flip, randomPatterns, recallsExactly } from '../helpers/patterns.js';
import { seeded } from '../helpers/reference.js';

/** The fraction of `cuesPer` damaged cues per stored pattern that recall their pattern exactly. */
async function recallRate(
  options: HopfieldOptions, count: number, fraction: number, cuesPer: number, seed: number,
): Promise<number> {
  const random = seeded(seed);
  const patterns = randomPatterns(random, count, options.size);
  const memory = await HopfieldMemory.create(options);
  memory.store(patterns);
  let exact = 0;
  for (const pattern of patterns) {
    for (let c = 0; c < cuesPer; c++) if (recallsExactly(memory.recall(flip(random, pattern, fraction)).pattern, pattern)) exact++;
  }
  memory.dispose();
  return exact / (count * cuesPer);
}

describe.each(BACKENDS)('capacity on %s', (backend) => {
  it.each([5, 8])('Hebbian at N = 100 recalls ≥ 95%% of cues with 10%% flipped bits, %i patterns', async (count) => {
    for (const update of ['async', 'sync'] as const) {
      const rate = await recallRate({ size: 100, rule: 'hebbian', update, seed: 1, backend }, count, 0.1, 20, count);
      expect(rate, `${update}, ${count} patterns`).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('Storkey and pseudo-inverse rules hold 15 patterns at N = 100, where Hebbian learning fails', async () => {
    const rate = (rule: 'hebbian' | 'storkey' | 'pseudoinverse') =>
      recallRate({ size: 100, rule, seed: 2, backend }, 15, 0.1, 10, 15);
    expect(await rate('hebbian'), 'hebbian').toBeLessThan(0.8);
    expect(await rate('storkey'), 'storkey').toBeGreaterThanOrEqual(0.95);
    expect(await rate('pseudoinverse'), 'pseudoinverse').toBeGreaterThanOrEqual(0.95);
  });

  it('the pseudo-inverse rule holds more than Storkey: 40 patterns at N = 100', async () => {
    const rate = (rule: 'storkey' | 'pseudoinverse') => recallRate({ size: 100, rule, seed: 3, backend }, 40, 0.1, 2, 40);
    const storkey = await rate('storkey');
    const pseudoinverse = await rate('pseudoinverse');
    expect(pseudoinverse, 'pseudoinverse').toBeGreaterThanOrEqual(0.9);
    expect(storkey, 'storkey').toBeLessThan(pseudoinverse);
  });

  it('modern at N = 64 recalls ≥ 99% of 1,000 stored patterns from 20% flipped bits', async () => {
    const rate = await recallRate({ size: 64, kind: 'modern', seed: 4, backend }, 1000, 0.2, 1, 64);
    expect(rate).toBeGreaterThanOrEqual(0.99);
  });
});
