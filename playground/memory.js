// The Memory panel's experiment, without the page: store bipolar patterns in a HopfieldMemory, damage
// copies of them by flipping a fraction of their pixels, and recall each from its damaged cue.

import { HopfieldMemory } from 'engram';

export const RULES = ['hebbian', 'storkey', 'pseudoinverse', 'modern'];

/** mulberry32: uniform in [0, 1), the same sequence for the same seed. */
export function seeded(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A copy of `pattern` with round(fraction·length) entries, chosen uniformly, negated. */
export function damage(random, pattern, fraction) {
  const order = Array.from(pattern, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const copy = Float32Array.from(pattern);
  for (const i of order.slice(0, Math.round(fraction * pattern.length))) copy[i] = -copy[i];
  return copy;
}

/** One damaged cue per pattern, all from one seed. */
export function damageAll(patterns, fraction, seed) {
  const random = seeded(seed);
  return patterns.map((pattern) => damage(random, pattern, fraction));
}

/** Entries of `a` with the same sign as in `b`. */
export function sameSigns(a, b) {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (Math.sign(a[i]) === Math.sign(b[i])) n++;
  return n;
}

/**
 * Stores `patterns` in a fresh memory (`rule`: a classical rule, or 'modern'), recalls each from its
 * cue, and returns per pattern { recalled, steps, converged, pixelsRight, exact }.
 * @param {Float32Array[]} patterns
 * @param {Float32Array[]} cues
 * @param {{ rule: string, backend?: 'wasm' | 'js', seed?: number }} options
 */
export async function recallAll(patterns, cues, { rule, backend, seed = 1 }) {
  const size = patterns[0].length;
  const options = rule === 'modern' ? { size, kind: 'modern', beta: 1 } : { size, rule };
  const memory = await HopfieldMemory.create({ ...options, seed, backend });
  try {
    memory.store(patterns);
    return cues.map((cue, n) => {
      const { pattern, steps, converged } = memory.recall(cue);
      const pixelsRight = sameSigns(pattern, patterns[n]);
      return { recalled: pattern, steps, converged, pixelsRight, exact: pixelsRight === size };
    });
  } finally {
    memory.dispose();
  }
}
