// activationForward/activationBackward for every element-wise activation, softmaxForward/softmaxBackward,
// on both backends: against f64 definitions, out of place and in place, over counts that reach the SIMD
// body and the scalar tail, and at extreme inputs, where every value must stay finite and correct.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backends/backend.js';
import { ACTIVATIONS, ACTIVATION_NAMES, type Activation } from '../../src/codes.js';
import { Arena, BACKENDS, bareBackend } from '../helpers/backends.js';
import { expectClose, f32Ulp, randomArray } from '../helpers/compare.js';
import { sameBits } from '../helpers/data.js';
import { activate, seeded } from '../helpers/reference.js';

type ElementWise = Exclude<Activation, 'softmax'>;
const ELEMENT_WISE = ACTIVATION_NAMES.filter((a): a is ElementWise => a !== 'softmax');
const COUNTS = [1, 3, 4, 5, 17, 33];
const ROWS = [1, 2, 3];
const EXTREMES = [1e30, -1e30, 100, -100, 0];

/** d act / dx at x, from the definitions. */
function slope(x: number, activation: ElementWise): number {
  switch (activation) {
    case 'linear': return 1;
    case 'sigmoid': { const s = 1 / (1 + Math.exp(-x)); return s * (1 - s); }
    case 'tanh': return 1 - Math.tanh(x) ** 2;
    case 'relu': return x > 0 ? 1 : 0;
    case 'leakyRelu': return x > 0 ? 1 : 0.01;
    case 'elu': return x > 0 ? 1 : Math.exp(x);
  }
}

const forwardOf = (x: ArrayLike<number>, activation: Activation) => activate(Array.from(x), activation);
/** A few ulp of f32 at the value, and a floor far below f32's normal range. */
const ULPS = { rtol: 1e-6, atol: 1e-37 };

/** Row-wise softmax in f64, from the definition (shifted by the row's maximum, which changes nothing). */
function softmaxRows(z: ArrayLike<number>, rows: number, cols: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) out.push(...activate(Array.from(z).slice(r * cols, (r + 1) * cols), 'softmax'));
  return out;
}

describe.each(BACKENDS)('activations on %s', (backend) => {
  let bare: Backend;
  beforeAll(async () => {
    bare = await bareBackend(backend);
  });

  for (const activation of ELEMENT_WISE) {
    const code = ACTIVATIONS[activation];

    it(`${activation} forward: counts ${COUNTS.join(', ')}, out of place and in place`, () => {
      for (const count of COUNTS) {
        for (const inPlace of [false, true]) {
          const arena = new Arena(bare);
          const x = randomArray(seeded(count * 7 + code), count, -4, 4);
          const px = arena.put(x);
          const out = inPlace ? px : arena.alloc(count);
          bare.kernels.activationForward(out, px, count, code);
          const what = `activationForward ${activation} on ${backend}, count ${count}${inPlace ? ', in place' : ''}`;
          expectClose(arena.read(out, count), forwardOf(x, activation), ULPS, what);
          if (!inPlace) expect(sameBits(arena.read(px, count), x), `${what}: x changed`).toBeUndefined();
          expect(arena.writtenGuard(), `${what}: outside out[count]`).toBeUndefined();
        }
      }
    });

    it(`${activation} backward: grad ⊙ act′ read from y, out apart, on grad, and on y`, () => {
      for (const count of COUNTS) {
        for (const alias of ['none', 'grad', 'y'] as const) {
          const arena = new Arena(bare);
          const rand = seeded(count * 13 + code);
          const x = randomArray(rand, count, -4, 4);
          const grad = randomArray(rand, count);
          const y = Float32Array.from(forwardOf(x, activation));
          const pg = arena.put(grad);
          const py = arena.put(y);
          const out = alias === 'grad' ? pg : alias === 'y' ? py : arena.alloc(count);
          bare.kernels.activationBackward(out, pg, py, count, code);
          const what = `activationBackward ${activation} on ${backend}, count ${count}, out ${alias === 'none' ? 'apart' : `= ${alias}`}`;
          const expected = Array.from(x, (v, i) => grad[i] * slope(v, activation));
          // y holds act(x) rounded to f32, so act′ read from it carries an absolute error of about an ulp of 1.
          expectClose(arena.read(out, count), expected, (i) => 1e-6 * (Math.abs(grad[i]) + Math.abs(expected[i])), what);
          expect(arena.writtenGuard(), `${what}: outside out[count]`).toBeUndefined();
        }
      }
    });

    it(`${activation}: a value does not depend on where it sits in the buffer (body or tail), lengths 1–9`, () => {
      // predict runs one row, predictBatch many: the same element falls in the vector body in one and
      // in the scalar tail in the other, and the two must agree to the bit, forward and backward.
      for (let count = 1; count <= 9; count++) {
        const arena = new Arena(bare);
        const rand = seeded(code * 31 + count);
        const x = randomArray(rand, count, -6, 6);
        const grad = randomArray(rand, count);
        const y = arena.alloc(count);
        bare.kernels.activationForward(y, arena.put(x), count, code);
        const back = arena.alloc(count);
        bare.kernels.activationBackward(back, arena.put(grad), y, count, code);
        const whole = { y: arena.read(y, count), back: arena.read(back, count) };
        for (let i = 0; i < count; i++) {
          const what = `${activation} on ${backend}: element ${i} of ${count} vs alone`;
          const one = arena.alloc(1);
          bare.kernels.activationForward(one, arena.put(x.subarray(i, i + 1)), 1, code);
          expect(sameBits(arena.read(one, 1), whole.y.subarray(i, i + 1)), `activationForward ${what}`).toBeUndefined();
          const oneBack = arena.alloc(1);
          bare.kernels.activationBackward(oneBack, arena.put(grad.subarray(i, i + 1)), one, 1, code);
          expect(sameBits(arena.read(oneBack, 1), whole.back.subarray(i, i + 1)), `activationBackward ${what}`).toBeUndefined();
        }
      }
    });

    it(`${activation} at ±1e30, ±100 and 0: finite and correct, on the SIMD body and the tail`, () => {
      for (const v of EXTREMES) {
        const arena = new Arena(bare);
        // Five copies: lanes 0–3 go through the vector loop (where there is one), the fifth through the tail.
        const x = new Float32Array(5).fill(v);
        const px = arena.put(x);
        const y = arena.alloc(5);
        bare.kernels.activationForward(y, px, 5, code);
        const what = `activationForward ${activation} on ${backend} at ${v}`;
        const got = arena.read(y, 5);
        expect(got.every(Number.isFinite), `${what}: ${got.join(', ')}`).toBe(true);
        expectClose(got, forwardOf(x, activation), ULPS, what);
        if ((activation === 'sigmoid' || activation === 'tanh') && Math.abs(v) === 1e30) {
          const limit = v > 0 ? 1 : activation === 'sigmoid' ? 0 : -1;
          expect(Array.from(got), `${what}: saturates exactly`).toEqual(new Array(5).fill(limit));
        }

        const out = arena.alloc(5);
        bare.kernels.activationBackward(out, arena.put(new Float32Array(5).fill(1)), y, 5, code);
        const back = arena.read(out, 5);
        const whatBack = `activationBackward ${activation} on ${backend} at ${v}`;
        expect(back.every(Number.isFinite), `${whatBack}: ${back.join(', ')}`).toBe(true);
        expectClose(back, new Array(5).fill(slope(Math.fround(v), activation)), { rtol: 1e-6, atol: 1e-7 }, whatBack);
        expect(arena.writtenGuard(), `${what}: outside the outputs`).toBeUndefined();
      }
    });
  }

  describe('tanh over a sweep of f32', () => {
    const TANH = ACTIVATIONS.tanh;
    // Every 1021st f32 from +0 to 10 (a prime stride, so every mantissa bit varies): subnormals, the
    // small side where tanh(x) ≈ x, the region around the kernel's switch of formula, and saturation.
    const positive: number[] = [];
    const TEN = new Uint32Array(Float32Array.of(10).buffer)[0];
    const bits = new Uint32Array(1);
    const asFloat = new Float32Array(bits.buffer);
    for (let b = 0; b <= TEN; b += 1021) {
      bits[0] = b;
      positive.push(asFloat[0]);
    }
    const SUBNORMALS = [2 ** -149, 3 * 2 ** -149, 1e-40, 2 ** -126 - 2 ** -149];
    const SATURATED = [9.1, 10, 20, 44.2, 88.4, 1e4, 1e30, 3.4e38, Infinity];
    positive.push(2 ** -126, 1e-30, 1e-7, 0.625, Math.fround(0.625) - 2 ** -24, ...SUBNORMALS, ...SATURATED);
    const sweep = Float32Array.from([...positive, ...positive.map((v) => -v)]);

    /** tanh of every value, run on the backend in one call (body and tail both reached). */
    function tanhOf(x: Float32Array): Float32Array {
      const arena = new Arena(bare);
      const out = arena.alloc(x.length);
      bare.kernels.activationForward(out, arena.put(x), x.length, TANH);
      expect(arena.writtenGuard(), `activationForward tanh on ${backend}: outside out`).toBeUndefined();
      return arena.read(out, x.length);
    }

    it(`is within 2 ulp of f64 Math.tanh over ±[0, 10], subnormals, and out to ±∞ (${2 * positive.length} values)`, () => {
      // The wasm kernel measured 1.72 ulp at most over every f32; the existing tolerance, 1e-6 relative, is ~8 ulp.
      const expected = Array.from(sweep, Math.tanh);
      expectClose(tanhOf(sweep), expected, (i) => 2 * f32Ulp(expected[i]), `activationForward tanh on ${backend}, sweep`);
    });

    it('is odd to the bit: tanh(−x) = −tanh(x), ±0 kept', () => {
      const got = tanhOf(sweep);
      const half = positive.length;
      const negated = got.subarray(0, half).map((v) => -v);
      expect(sameBits(got.subarray(half), negated), `activationForward tanh on ${backend}: tanh(−x) vs −tanh(x)`).toBeUndefined();
      expect(sameBits(tanhOf(Float32Array.of(0, -0)), [0, -0]), `activationForward tanh on ${backend} at ±0`).toBeUndefined();
    });

    it('returns subnormals unchanged, ±1 exactly from |x| ≈ 9.01 to ±∞, and NaN for NaN', () => {
      const tiny = Float32Array.from([...SUBNORMALS, ...SUBNORMALS.map((v) => -v)]);
      expect(sameBits(tanhOf(tiny), tiny), `activationForward tanh on ${backend}, subnormals`).toBeUndefined();
      const big = Float32Array.from([...SATURATED, ...SATURATED.map((v) => -v)]);
      expect(Array.from(tanhOf(big)), `activationForward tanh on ${backend}, saturation`).toEqual(Array.from(big, Math.sign));
      expect(Array.from(tanhOf(Float32Array.of(NaN, -NaN, NaN, NaN, NaN))).every(Number.isNaN), `activationForward tanh on ${backend}, NaN`).toBe(true);
    });
  });

  it(`softmax forward: rows ${ROWS.join(', ')} × cols ${COUNTS.join(', ')}, out of place and in place`, () => {
    for (const rows of ROWS) {
      for (const cols of COUNTS) {
        for (const inPlace of [false, true]) {
          const arena = new Arena(bare);
          const x = randomArray(seeded(rows * 100 + cols), rows * cols, -5, 5);
          const px = arena.put(x);
          const out = inPlace ? px : arena.alloc(rows * cols);
          bare.kernels.softmaxForward(out, px, rows, cols);
          const what = `softmaxForward on ${backend}, rows ${rows}, cols ${cols}${inPlace ? ', in place' : ''}`;
          // exp to a few ulp, and a sum of cols terms.
          expectClose(arena.read(out, rows * cols), softmaxRows(x, rows, cols), { rtol: 5e-6, atol: 1e-37 }, what, cols);
          if (!inPlace) expect(sameBits(arena.read(px, rows * cols), x), `${what}: x changed`).toBeUndefined();
          expect(arena.writtenGuard(), `${what}: outside out[rows×cols]`).toBeUndefined();
        }
      }
    }
  });

  it('softmax forward of extreme logits ([1000, 0, −1000], ±1e30, all equal) is finite and correct', () => {
    const logits = [
      [1000, 0, -1000],
      [-1000, 0, 1000, 1000, 5],
      [1e30, -1e30, 0, 1e30],
      [-1e30, -1e30, -1e30],
      [1e30, 1e30, 1e30, 1e30, 1e30],
      [100, -100, 100, -100, 100, -100, 100, -100, 0],
    ];
    for (const row of logits) {
      const arena = new Arena(bare);
      const x = Float32Array.from(row);
      const out = arena.alloc(row.length);
      bare.kernels.softmaxForward(out, arena.put(x), 1, row.length);
      const what = `softmaxForward on ${backend} of [${row.join(', ')}]`;
      const got = arena.read(out, row.length);
      expect(got.every(Number.isFinite), `${what}: ${got.join(', ')}`).toBe(true);
      expectClose(got, softmaxRows(x, 1, row.length), { rtol: 5e-6, atol: 1e-37 }, what);
      expect(arena.writtenGuard(), `${what}: outside out`).toBeUndefined();
    }
  });

  // A NaN can only arise inside training (an overflowing sum, ∞ − ∞), and it must reach the loss so that
  // the epoch is seen to diverge: no activation may turn it into a number, in the body or in the tail.
  it('every element-wise activation gives NaN for NaN, in the four-lane body and in the tail', () => {
    for (const activation of ELEMENT_WISE) {
      const x = Float32Array.from([0.5, NaN, -2, 3, -NaN, 1, NaN]);
      const arena = new Arena(bare);
      const out = arena.alloc(x.length);
      bare.kernels.activationForward(out, arena.put(x), x.length, ACTIVATIONS[activation]);
      const got = arena.read(out, x.length);
      const nan = [1, 4, 6].map((i) => got[i]);
      expect(nan.every(Number.isNaN), `activationForward ${activation} on ${backend}: ${got.join(', ')}`).toBe(true);
      expect([0, 2, 3, 5].every((i) => Number.isFinite(got[i])), `activationForward ${activation} on ${backend}: ${got.join(', ')}`).toBe(true);
    }
  });

  // The row maximum is found four lanes at a time from 8 columns up, with a scalar tail: put the largest
  // logit at every position in turn, so each lane and each tail slot holds it once. Missing it would
  // shift by a smaller peak, about 3, and exp(100 − 3) would saturate at exp's largest finite result
  // (about e^88.7), so the other outputs would come out near e^−88.7·e^(x − 3), up to 1e−39, where
  // they are at most e^−95 ≈ 6e−42: hence the tighter floor here.
  it('softmax forward finds the row maximum at every position, and a NaN anywhere makes the row NaN', () => {
    for (const cols of [8, 9, 11, 12, 16, 19]) {
      for (let at = 0; at < cols; at++) {
        const x = randomArray(seeded(cols * 31 + at), cols, -5, 5);
        x[at] = 100;
        const arena = new Arena(bare);
        const out = arena.alloc(cols);
        bare.kernels.softmaxForward(out, arena.put(x), 1, cols);
        const what = `softmaxForward on ${backend}, cols ${cols}, maximum at ${at}`;
        expectClose(arena.read(out, cols), softmaxRows(x, 1, cols), { rtol: 5e-6, atol: 1e-40 }, what);

        const y = randomArray(seeded(cols * 37 + at), cols, -5, 5);
        y[at] = NaN;
        const nanOut = arena.alloc(cols);
        bare.kernels.softmaxForward(nanOut, arena.put(y), 1, cols);
        const got = arena.read(nanOut, cols);
        expect(got.every(Number.isNaN), `${what.replace('maximum', 'NaN')}: ${got.join(', ')}`).toBe(true);
      }
    }
  });

  it('softmax backward matches a central finite difference of softmax, out apart, on grad, and on y', () => {
    const h = 1e-5;
    for (const rows of ROWS) {
      for (const cols of COUNTS) {
        for (const alias of ['none', 'grad', 'y'] as const) {
          const arena = new Arena(bare);
          const rand = seeded(rows * 1000 + cols * 3);
          const z = Array.from(randomArray(rand, rows * cols, -3, 3));
          const grad = randomArray(rand, rows * cols);
          const y = Float32Array.from(softmaxRows(z, rows, cols));
          const pg = arena.put(grad);
          const py = arena.put(y);
          const out = alias === 'grad' ? pg : alias === 'y' ? py : arena.alloc(rows * cols);
          bare.kernels.softmaxBackward(out, pg, py, rows, cols);

          // ∂(Σ grad·softmax(z))/∂z_j, numerically, row by row.
          const expected: number[] = [];
          const scale: number[] = [];
          for (let r = 0; r < rows; r++) {
            const at = r * cols;
            const row = z.slice(at, at + cols);
            const g = Array.from(grad.subarray(at, at + cols));
            const weighted = (values: number[]) => activate(values, 'softmax').reduce((s, p, c) => s + p * g[c], 0);
            const inner = g.reduce((s, v, c) => s + Math.abs(v) * y[at + c], 0);
            for (let j = 0; j < cols; j++) {
              const up = row.slice();
              const down = row.slice();
              up[j] += h;
              down[j] -= h;
              expected.push((weighted(up) - weighted(down)) / (2 * h));
              scale.push(y[at + j] * (Math.abs(g[j]) + inner));
            }
          }
          const what = `softmaxBackward on ${backend}, rows ${rows}, cols ${cols}, out ${alias === 'none' ? 'apart' : `= ${alias}`}`;
          expectClose(arena.read(out, rows * cols), expected, (i) => 1e-5 * scale[i] + 1e-9, what, cols);
          expect(arena.writtenGuard(), `${what}: outside out[rows×cols]`).toBeUndefined();
        }
      }
    }
  });
});
