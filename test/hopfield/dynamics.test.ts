// The classical memory's weights and dynamics, and the modern memory's update, against the definitions:
// zero diagonal and symmetry, energy −½ sᵀWs computed here from the weights, energy that never rises
// under asynchronous updates, stored patterns as fixed points, seeded determinism, and both backends
// recalling alike.
import { describe, expect, it } from 'vitest';
import { HopfieldMemory, type HopfieldRule } from '../../src/index.js';
import { BACKENDS } from '../helpers/backends.js';
import { flip, randomPatterns } from '../helpers/patterns.js';
import { seeded } from '../helpers/reference.js';

const RULES: HopfieldRule[] = ['hebbian', 'storkey', 'pseudoinverse'];

/** −½ sᵀWs in f64 from a weight matrix. */
function energyRef(w: ArrayLike<number>, s: ArrayLike<number>): number {
  const n = s.length;
  let sum = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) sum += s[i] * w[i * n + j] * s[j];
  return -0.5 * sum;
}

async function filled(backend: 'wasm' | 'js', rule: HopfieldRule, count: number, size = 50, update: 'async' | 'sync' = 'async') {
  const random = seeded(count * 31 + size);
  const patterns = randomPatterns(random, count, size);
  const memory = await HopfieldMemory.create({ size, rule, update, seed: 9, backend });
  memory.store(patterns);
  return { memory, patterns, random };
}

describe.each(BACKENDS)('classical dynamics on %s', (backend) => {
  it.each(RULES)('%s weights are symmetric with a zero diagonal', async (rule) => {
    const { memory } = await filled(backend, rule, 7, 37);
    // Stored in two calls: the incremental path must keep the diagonal too.
    memory.store(randomPatterns(seeded(1), 3, 37));
    const w = memory.getWeights();
    const n = memory.size;
    for (let i = 0; i < n; i++) {
      expect(w[i * n + i], `diagonal (${i}, ${i})`).toBe(0);
      for (let j = 0; j < i; j++) expect(w[i * n + j], `(${i}, ${j}) vs (${j}, ${i})`).toBe(w[j * n + i]);
    }
  });

  it('Hebbian weights are (1/N) Σ ξᵢξⱼ off the diagonal', async () => {
    const { memory, patterns } = await filled(backend, 'hebbian', 5, 13);
    const w = memory.getWeights();
    for (let i = 0; i < 13; i++) {
      for (let j = 0; j < 13; j++) {
        const want = i === j ? 0 : patterns.reduce((a, p) => a + p[i] * p[j], 0) / 13;
        expect(w[i * 13 + j], `(${i}, ${j})`).toBeCloseTo(want, 6);
      }
    }
  });

  it('pseudo-inverse weights project onto the patterns: W·ξ + diag·ξ = ξ for every stored pattern', async () => {
    const { memory, patterns } = await filled(backend, 'pseudoinverse', 20, 50);
    const w = memory.getWeights();
    // The projection's diagonal is what was removed; Pξ = ξ means (W·ξ)ᵢ = (1 − Pᵢᵢ)ξᵢ, same sign as ξᵢ.
    for (const [k, p] of patterns.entries()) {
      for (let i = 0; i < 50; i++) {
        let h = 0;
        for (let j = 0; j < 50; j++) h += w[i * 50 + j] * p[j];
        expect(Math.sign(h), `pattern ${k}, unit ${i}`).toBe(p[i]);
      }
    }
  });

  it.each(RULES)('%s: energy(state) is −½ sᵀWs of the weights', async (rule) => {
    const { memory, random } = await filled(backend, rule, 6, 40);
    const w = memory.getWeights();
    for (const s of randomPatterns(random, 5, 40)) {
      expect(memory.energy(s)).toBeCloseTo(energyRef(w, s), 4);
    }
  });

  it.each(RULES)('%s: energy never rises from one asynchronous sweep to the next', async (rule) => {
    // Overloaded, so that recall wanders through several sweeps before it settles.
    const { memory, patterns, random } = await filled(backend, rule, rule === 'hebbian' ? 12 : 45, 60);
    let longest = 0;
    for (let c = 0; c < 5; c++) {
      const cue = flip(random, patterns[c], 0.3);
      // Each recall replays the same seeded order, so maxSteps k is the first k sweeps of a longer recall.
      const full = memory.recall(cue, { maxSteps: 50 });
      longest = Math.max(longest, full.steps);
      let previous = memory.energy(cue);
      for (let k = 1; k <= full.steps; k++) {
        const { energy } = memory.recall(cue, { maxSteps: k });
        expect(energy, `cue ${c}, sweep ${k}`).toBeLessThanOrEqual(previous + 1e-4);
        previous = energy;
      }
      expect(full.energy, `cue ${c}: reported energy`).toBeCloseTo(memory.energy(full.pattern), 4);
    }
    expect(longest, 'sweeps in the longest recall (the check needs a few)').toBeGreaterThanOrEqual(3);
  });

  it.each(RULES)('%s: a stored pattern is a fixed point at low load (one sweep, no change)', async (rule) => {
    const { memory, patterns } = await filled(backend, rule, 3, 60);
    for (const [k, p] of patterns.entries()) {
      const result = memory.recall(p);
      expect(result, `pattern ${k}`).toEqual({ pattern: Float32Array.from(p), steps: 1, converged: true, energy: memory.energy(p) });
    }
  });

  it('recall is seeded: the same memory and cue recall the same way; another seed may take another path', async () => {
    const { memory, patterns, random } = await filled(backend, 'hebbian', 12, 60);
    const cues = patterns.map((p) => flip(random, p, 0.3));
    const again = cues.map((cue) => memory.recall(cue));
    expect(cues.map((cue) => memory.recall(cue)), 'same seed').toEqual(again);
    const other = await HopfieldMemory.create({ size: 60, seed: 10, backend });
    other.store(patterns);
    expect(cues.map((cue) => other.recall(cue)), 'another seed').not.toEqual(again);
  });

  it('synchronous updates stop at maxSteps without converging in a two-cycle', async () => {
    // Two units coupled negatively: from (1, 1), sync updates flip both, back and forth.
    const memory = await HopfieldMemory.create({ size: 2, update: 'sync', seed: 1, backend });
    memory.store([[1, -1]]);
    expect(memory.recall([1, 1], { maxSteps: 7 })).toMatchObject({ steps: 7, converged: false });
    const async = await HopfieldMemory.create({ size: 2, seed: 1, backend });
    async.store([[1, -1]]);
    expect(async.recall([1, 1], { maxSteps: 7 }), 'async settles').toMatchObject({ converged: true });
  });
});

describe.each(BACKENDS)('modern dynamics on %s', (backend) => {
  it('one update from a near cue lands on the pattern; energy falls and is lowest there', async () => {
    const random = seeded(77);
    const patterns = randomPatterns(random, 50, 32);
    const memory = await HopfieldMemory.create({ size: 32, kind: 'modern', beta: 1, seed: 1, backend });
    memory.store(patterns);
    const cue = flip(random, patterns[3], 0.2);
    const result = memory.recall(cue);
    expect(result.converged).toBe(true);
    for (let j = 0; j < 32; j++) expect(result.pattern[j], `value ${j}`).toBeCloseTo(patterns[3][j], 4);
    expect(result.energy, 'energy fell').toBeLessThan(memory.energy(cue));
    expect(result.energy, 'energy at the pattern').toBeCloseTo(memory.energy(patterns[3]), 4);
  });

  it('continuous patterns: a small β averages the patterns, a large one picks the nearest', async () => {
    const patterns = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
    const soft = await HopfieldMemory.create({ size: 3, kind: 'modern', beta: 1e-3, backend });
    soft.store(patterns);
    const averaged = soft.recall([0.9, 0.2, 0], { maxSteps: 1 }).pattern;
    for (let j = 0; j < 3; j++) expect(averaged[j], `soft ${j}`).toBeCloseTo(1 / 3, 2);
    const sharp = await HopfieldMemory.create({ size: 3, kind: 'modern', beta: 100, backend });
    sharp.store(patterns);
    expect(Array.from(sharp.recall([0.9, 0.2, 0]).pattern).map((v) => Math.round(v * 1e4) / 1e4)).toEqual([1, 0, 0]);
  });

  it('energy matches Ramsauer et al.: −lse(β, Xξ) + ½ξᵀξ + β⁻¹log P + ½M², ≥ 0', async () => {
    const random = seeded(5);
    const patterns = Array.from({ length: 6 }, () => Array.from({ length: 9 }, () => random(-2, 2)));
    const beta = 0.7;
    const memory = await HopfieldMemory.create({ size: 9, kind: 'modern', beta, backend });
    memory.store(patterns);
    const stored = memory.patterns;
    const xi = Array.from({ length: 9 }, () => random(-1, 1));
    const scores = stored.map((x) => beta * x.reduce((a, v, j) => a + v * xi[j], 0));
    const peak = Math.max(...scores);
    const lse = (peak + Math.log(scores.reduce((a, v) => a + Math.exp(v - peak), 0))) / beta;
    const maxNorm2 = Math.max(...stored.map((x) => x.reduce((a, v) => a + v * v, 0)));
    const want = -lse + 0.5 * xi.reduce((a, v) => a + v * v, 0) + Math.log(6) / beta + 0.5 * maxNorm2;
    expect(memory.energy(xi)).toBeCloseTo(want, 4);
    expect(memory.energy(xi)).toBeGreaterThanOrEqual(0);
  });
});

describe('wasm and js agree', () => {
  it.each(RULES)('%s: same weights (to f32 rounding) and the same recalls, async and sync', async (rule) => {
    for (const update of ['async', 'sync'] as const) {
      const [a, b] = await Promise.all(BACKENDS.map((backend) => filled(backend, rule, 10, 64, update)));
      const wa = a.memory.getWeights();
      const wb = b.memory.getWeights();
      for (let i = 0; i < wa.length; i++) expect(Math.abs(wa[i] - wb[i]), `weight ${i}`).toBeLessThan(1e-5);
      const random = seeded(3);
      for (const [k, p] of a.patterns.entries()) {
        const cue = flip(random, p, 0.2);
        const ra = a.memory.recall(cue);
        const rb = b.memory.recall(cue);
        expect(Array.from(ra.pattern), `${update}, cue ${k}`).toEqual(Array.from(rb.pattern));
        expect(ra.steps, `${update}, cue ${k} steps`).toBe(rb.steps);
        expect(ra.energy, `${update}, cue ${k} energy`).toBeCloseTo(rb.energy, 4);
      }
    }
  });

  it('modern: the same recall to 1e-5', async () => {
    const random = seeded(8);
    const patterns = randomPatterns(random, 200, 48);
    const cues = patterns.slice(0, 20).map((p) => flip(random, p, 0.25));
    const results = await Promise.all(BACKENDS.map(async (backend) => {
      const memory = await HopfieldMemory.create({ size: 48, kind: 'modern', beta: 0.5, backend });
      memory.store(patterns);
      return cues.map((cue) => memory.recall(cue));
    }));
    results[0].forEach((ra, k) => {
      const rb = results[1][k];
      for (let j = 0; j < 48; j++) expect(Math.abs(ra.pattern[j] - rb.pattern[j]), `cue ${k}, value ${j}`).toBeLessThan(1e-5);
      expect(ra.energy, `cue ${k} energy`).toBeCloseTo(rb.energy, 4);
    });
  });
});
