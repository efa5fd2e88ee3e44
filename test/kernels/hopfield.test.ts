// The associative-memory kernels on both backends against naive f64 references written from the
// definitions, over sizes that reach every tail (below, at and above one vector of four; primes).
import { describe, expect, it } from 'vitest';
import { Arena, BACKENDS, bareBackend } from '../helpers/backends.js';
import { seeded } from '../helpers/reference.js';

const SIZES = [1, 3, 4, 5, 8, 13, 32, 37];

function bipolar(random: () => number, n: number): number[] {
  return Array.from({ length: n }, () => (random() < 0.5 ? -1 : 1));
}

/** A symmetric matrix with zero diagonal, values in [−1, 1). */
function symmetric(random: (lo?: number, hi?: number) => number, n: number): number[] {
  const w = new Array<number>(n * n).fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) w[i * n + j] = w[j * n + i] = Math.fround(random(-1, 1));
  }
  return w;
}

function matVec(w: ArrayLike<number>, s: ArrayLike<number>, n: number): number[] {
  return Array.from({ length: n }, (_, i) => {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += w[i * n + j] * s[j];
    return sum;
  });
}

/** The first index where got and want differ by more than tol (relative to max(1, |want|)), as a message. */
function mismatch(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string): string | undefined {
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= tol * Math.max(1, Math.abs(want[i])))) return `${what} index ${i}: ${got[i]} vs ${want[i]}`;
  }
  return undefined;
}

describe.each(BACKENDS)('hopfield kernels on %s', (backend) => {
  it.each(SIZES)('hopfieldField: out = W·s at size %i', async (n) => {
    const random = seeded(n);
    const w = symmetric(random, n);
    const s = bipolar(random, n);
    const arena = new Arena(await bareBackend(backend));
    const out = arena.alloc(n);
    arena.backend.kernels.hopfieldField(out, arena.put(w), arena.put(s), n);
    expect(mismatch(arena.read(out, n), matVec(w, s, n), 1e-5, `size ${n}`)).toBeUndefined();
  });

  it.each(SIZES)('hopfieldSweep: flips units to the sign of their field, in order, at size %i', async (n) => {
    const random = seeded(100 + n);
    const w = symmetric(random, n);
    const s = bipolar(random, n);
    const order = Array.from({ length: n }, (_, i) => (i * 7 + 3) % n).filter((v, i, a) => a.indexOf(v) === i);
    for (let i = 0; i < n; i++) if (!order.includes(i)) order.push(i);
    // Reference: each unit in turn recomputes its field from the current state.
    const want = [...s];
    let wantFlips = 0;
    for (const i of order) {
      const h = matVec(w, want, n)[i];
      if (h * want[i] < 0) {
        want[i] = -want[i];
        wantFlips++;
      }
    }
    const arena = new Arena(await bareBackend(backend));
    const state = arena.put(s);
    const field = arena.put(matVec(w, s, n));
    const orderPtr = arena.alloc(n);
    new Int32Array(arena.backend.f32.buffer, orderPtr, n).set(order);
    const flips = arena.backend.kernels.hopfieldSweep(state, field, arena.put(w), orderPtr, n);
    expect(Array.from(arena.read(state, n)), `state at size ${n}`).toEqual(want);
    expect(flips, 'flips').toBe(wantFlips);
    expect(mismatch(arena.read(field, n), matVec(w, want, n), 1e-5, 'field kept current at')).toBeUndefined();
  });

  it.each(SIZES)('hopfieldSync: sign of the field, zero keeps the state, at size %i', async (n) => {
    const random = seeded(200 + n);
    const s = bipolar(random, n);
    const h = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 0 : random(-1, 1)));
    const want = h.map((v, i) => (v > 0 ? 1 : v < 0 ? -1 : s[i]));
    const arena = new Arena(await bareBackend(backend));
    const out = arena.alloc(n);
    const changed = arena.backend.kernels.hopfieldSync(out, arena.put(h), arena.put(s), n);
    expect(Array.from(arena.read(out, n)), `size ${n}`).toEqual(want);
    expect(changed, 'changed').toBe(want.filter((v, i) => v !== s[i]).length);
  });

  it.each(SIZES)('hopfieldOuter: W += scale·Σ vvᵀ with zero diagonal, at size %i', async (n) => {
    const random = seeded(300 + n);
    const count = 3;
    const w = symmetric(random, n);
    const vectors = Array.from({ length: count * n }, () => Math.fround(random(-1, 1)));
    const scale = 0.5;
    const want = w.map((v, at) => {
      const i = Math.floor(at / n);
      const j = at % n;
      if (i === j) return 0;
      let sum = 0;
      for (let r = 0; r < count; r++) sum += vectors[r * n + i] * vectors[r * n + j];
      return v + scale * sum;
    });
    const arena = new Arena(await bareBackend(backend));
    const weights = arena.put(w);
    arena.backend.kernels.hopfieldOuter(weights, arena.put(vectors), count, n, scale);
    expect(mismatch(arena.read(weights, n * n), want, 1e-5, `size ${n}`)).toBeUndefined();
  });

  it.each(SIZES)("hopfieldStorkey: Storkey's rule as written (hᵢⱼ summed over k ≠ i, j), at size %i", async (n) => {
    const random = seeded(400 + n);
    const w = symmetric(random, n).map((v) => v / n);
    const x = bipolar(random, n);
    const h = (i: number, j: number) => {
      let sum = 0;
      for (let k = 0; k < n; k++) if (k !== i && k !== j) sum += w[i * n + k] * x[k];
      return sum;
    };
    const want = w.map((v, at) => {
      const i = Math.floor(at / n);
      const j = at % n;
      return i === j ? 0 : v + (x[i] * x[j] - x[i] * h(j, i) - h(i, j) * x[j]) / n;
    });
    const arena = new Arena(await bareBackend(backend));
    const weights = arena.put(w);
    arena.backend.kernels.hopfieldStorkey(weights, arena.put(matVec(w, x, n)), arena.put(x), n);
    const got = arena.read(weights, n * n);
    expect(mismatch(got, want, 1e-5, `size ${n}`)).toBeUndefined();
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) expect(got[i * n + j], `symmetry at ${i},${j}`).toBe(got[j * n + i]);
    }
  });

  it.each([[1, 1], [3, 5], [4, 4], [7, 13], [33, 8], [100, 37]])(
    'hopfieldAttend: softmax(β·X·ξ), Xᵀ·p and log-sum-exp, %i patterns of size %i',
    async (count, n) => {
      const random = seeded(500 + count * n);
      const patterns = Array.from({ length: count * n }, () => Math.fround(random(-1, 1)));
      const state = Array.from({ length: n }, () => Math.fround(random(-1, 1)));
      const beta = 3;
      const scores = Array.from({ length: count }, (_, k) => {
        let sum = 0;
        for (let j = 0; j < n; j++) sum += patterns[k * n + j] * state[j];
        return beta * sum;
      });
      const peak = Math.max(...scores);
      const total = scores.reduce((a, v) => a + Math.exp(v - peak), 0);
      const probs = scores.map((v) => Math.exp(v - peak) / total);
      const out = Array.from({ length: n }, (_, j) => probs.reduce((a, p, k) => a + p * patterns[k * n + j], 0));
      const arena = new Arena(await bareBackend(backend));
      const outPtr = arena.alloc(n);
      const probsPtr = arena.alloc(count);
      const lse = arena.backend.kernels.hopfieldAttend(outPtr, probsPtr, arena.put(patterns), arena.put(state), count, n, beta);
      expect(mismatch(arena.read(probsPtr, count), probs, 1e-5, 'probs')).toBeUndefined();
      expect(mismatch(arena.read(outPtr, n), out, 1e-5, 'out')).toBeUndefined();
      expect(Math.abs(lse - (peak + Math.log(total))), 'log-sum-exp').toBeLessThan(1e-4 * Math.max(1, Math.abs(peak)));
    },
  );
});
