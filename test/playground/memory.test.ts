// The Memory panel's experiment in Node: damage flips exactly the asked-for share of pixels, and the
// pseudo-inverse and modern memories recall the ten stored digits exactly from 20% damage.
import { describe, expect, it } from 'vitest';
import { binarize, decodeSet } from '../../playground/digits.js';
import { damage, damageAll, recallAll, sameSigns, seeded } from '../../playground/memory.js';
import { OUTPUT, writeDigits } from '../../scripts/playground-digits.mjs';

writeDigits(OUTPUT);
const { PROTOTYPES } = await import('../../playground/digits.generated.js');
const digits = decodeSet(PROTOTYPES).images.map((image) => binarize(image));

describe('damage', () => {
  it.each([0, 0.1, 0.2, 0.5])('flips round(%s·N) entries and leaves the pattern alone', (fraction) => {
    const pattern = Float32Array.from({ length: 101 }, (_, i) => (i % 3 === 0 ? 1 : -1));
    const before = Float32Array.from(pattern);
    const cue = damage(seeded(5), pattern, fraction);
    expect(pattern).toEqual(before);
    expect(pattern.length - sameSigns(cue, pattern)).toBe(Math.round(fraction * 101));
  });

  it('is the same for the same seed', () => {
    expect(damageAll(digits, 0.2, 3)).toEqual(damageAll(digits, 0.2, 3));
    expect(damageAll(digits, 0.2, 3)).not.toEqual(damageAll(digits, 0.2, 4));
  });
});

describe('recallAll on the ten digit prototypes', () => {
  it('decodes ten 28×28 bipolar digits, all different', () => {
    expect(digits).toHaveLength(10);
    for (const d of digits) {
      expect(d).toHaveLength(784);
      expect(d.every((v) => v === 1 || v === -1)).toBe(true);
    }
    expect(new Set(digits.map((d) => d.join())).size).toBe(10);
  });

  it.each([
    ['pseudoinverse', 'wasm'],
    ['pseudoinverse', 'js'],
    ['modern', 'wasm'],
    ['modern', 'js'],
  ] as const)('%s on %s recalls every digit exactly from 20%% flipped pixels', async (rule, backend) => {
    const cues = damageAll(digits, 0.2, 1);
    const results = await recallAll(digits, cues, { rule, backend });
    results.forEach((result, d) => {
      expect(result.pixelsRight, `digit ${d}`).toBe(784);
      expect(result.exact).toBe(true);
      expect(result.converged).toBe(true);
      expect(result.steps).toBeGreaterThan(0);
    });
  });
});
