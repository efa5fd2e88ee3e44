// lossForward and lossBackward for every loss on both backends, against a reference written from the
// definitions in assembly/loss.ts's header: the mean over rows; within a row the mean over columns,
// except categorical cross-entropy, which sums over classes; p clipped to [ε, 1−ε] before a log, with a
// zero gradient where the clip holds; Huber's δ = 1. Gradients are also checked against central
// differences, in f64, of the reference's mean loss: over pred, and for the fused pairs over the logits z.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backends/backend.js';
import { LOSSES, LOSS_NAMES, type Loss } from '../../src/codes.js';
import { Arena, BACKENDS, bareBackend } from '../helpers/backends.js';
import { expectClose, type Random } from '../helpers/compare.js';
import { sameBits } from '../helpers/data.js';
import { activate, seeded } from '../helpers/reference.js';

const SHAPES: [number, number][] = [[1, 1], [1, 4], [2, 3], [3, 5], [4, 17], [2, 33]];
const EPSILON = 1e-7;
// The kernels clip in f32, where the bounds are these: 1 − 1e-7 rounds to 1 − 2⁻²³ (as in Keras's f32 clip).
const LOW = Math.fround(EPSILON);
const HIGH = Math.fround(1 - EPSILON);
const clip = (p: number) => Math.min(Math.max(p, LOW), HIGH);
const clipHolds = (p: number) => p <= LOW || p >= HIGH;
const CROSSENTROPY = (loss: Loss) => loss === 'binaryCrossentropy' || loss === 'categoricalCrossentropy';

function elementLoss(p: number, y: number, loss: Loss): number {
  const e = p - y;
  switch (loss) {
    case 'mse': return e * e;
    case 'mae': return Math.abs(e);
    case 'huber': return Math.abs(e) <= 1 ? 0.5 * e * e : Math.abs(e) - 0.5;
    case 'binaryCrossentropy': return -(y * Math.log(clip(p)) + (1 - y) * Math.log(1 - clip(p)));
    case 'categoricalCrossentropy': return y === 0 ? 0 : -y * Math.log(clip(p));
  }
}

/** Each row's loss (mean over columns, or the sum over classes), and the same of |terms| as a scale. */
function rowLosses(pred: ArrayLike<number>, target: ArrayLike<number>, rows: number, cols: number, loss: Loss) {
  const per = loss === 'categoricalCrossentropy' ? 1 : 1 / cols;
  let value = 0;
  let magnitude = 0;
  for (let i = 0; i < rows * cols; i++) {
    const l = elementLoss(pred[i], target[i], loss);
    value += l * per;
    magnitude += Math.abs(l) * per;
  }
  return { value, magnitude };
}

function meanLoss(pred: ArrayLike<number>, target: ArrayLike<number>, rows: number, cols: number, loss: Loss): number {
  return rowLosses(pred, target, rows, cols, loss).value / rows;
}

/** ∂(mean loss)/∂pred from the definitions; zero where the clip holds. */
function gradient(pred: ArrayLike<number>, target: ArrayLike<number>, rows: number, cols: number, loss: Loss): number[] {
  return Array.from(pred, (p, i) => {
    const y = target[i];
    const e = p - y;
    const count = rows * cols;
    switch (loss) {
      case 'mse': return (2 * e) / count;
      case 'mae': return Math.sign(e) / count;
      case 'huber': return Math.min(Math.max(e, -1), 1) / count;
      case 'binaryCrossentropy': return clipHolds(p) ? 0 : (-y / p + (1 - y) / (1 - p)) / count;
      case 'categoricalCrossentropy': return clipHolds(p) ? 0 : -y / p / rows;
    }
  });
}

/** Central differences of f at x, one coordinate at a time, in f64. */
function numericGradient(f: (x: number[]) => number, x: ArrayLike<number>, h: number): number[] {
  return Array.from(x, (_, i) => {
    const up = Array.from(x);
    const down = Array.from(x);
    up[i] += h;
    down[i] -= h;
    return (f(up) - f(down)) / (2 * h);
  });
}

/** Targets as each loss expects them: hard and soft labels for the cross-entropies, any value otherwise. */
function targets(rand: Random, loss: Loss, rows: number, cols: number): Float32Array {
  const y = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const hot = Math.floor(rand() * cols);
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      if (loss === 'categoricalCrossentropy') y[i] = r % 2 === 0 ? Number(c === hot) : rand();
      else if (loss === 'binaryCrossentropy') y[i] = i % 3 === 0 ? rand() : Number(rand() < 0.5);
      else y[i] = rand(-2, 2);
    }
  }
  return y;
}

/** Predictions inside the clip for the cross-entropies, and away from MAE's and Huber's kinks (|e| = 0, 1). */
function predictions(rand: Random, loss: Loss, target: Float32Array): Float32Array {
  return target.map((y) => {
    if (CROSSENTROPY(loss)) return rand(0.02, 0.98);
    let p: number;
    do p = Math.fround(rand(-2, 2)); while (Math.abs(p - y) < 1e-3 || Math.abs(Math.abs(p - y) - 1) < 1e-3);
    return p;
  });
}

describe.each(BACKENDS)('losses on %s', (backend) => {
  let bare: Backend;
  beforeAll(async () => {
    bare = await bareBackend(backend);
  });

  for (const loss of LOSS_NAMES) {
    const code = LOSSES[loss];

    it(`${loss} forward: Σ over rows of each row's loss, shapes ${SHAPES.map((s) => s.join('×')).join(', ')}`, () => {
      for (const [rows, cols] of SHAPES) {
        const arena = new Arena(bare);
        const rand = seeded(rows * 100 + cols + code * 7);
        const target = targets(rand, loss, rows, cols);
        const pred = predictions(rand, loss, target);
        const pp = arena.put(pred);
        const pt = arena.put(target);
        const got = bare.kernels.lossForward(pp, pt, rows, cols, code);
        const what = `lossForward ${loss} on ${backend}, rows ${rows}, cols ${cols}`;
        const { value, magnitude } = rowLosses(pred, target, rows, cols, loss);
        expectClose([got], [value], () => 1e-5 * magnitude + 1e-12, what);
        expect(sameBits(arena.read(pp, pred.length), pred), `${what}: pred changed`).toBeUndefined();
        expect(sameBits(arena.read(pt, target.length), target), `${what}: target changed`).toBeUndefined();
        expect(arena.writtenGuard(), `${what}: wrote to memory`).toBeUndefined();
      }
    });

    if (!CROSSENTROPY(loss)) {
      it(`${loss} forward on errors of 1e20: the value is computed in f64, finite and exact`, () => {
        // (2e20)² overflows f32; the f64 sum must still hold it, as the JS twin does.
        const arena = new Arena(bare);
        const pred = Float32Array.of(1e20, -3e19, 7, 1e20);
        const target = Float32Array.of(-1e20, 3e19, 7, 0);
        const got = bare.kernels.lossForward(arena.put(pred), arena.put(target), 2, 2, code);
        const { value } = rowLosses(pred, target, 2, 2, loss);
        expect(Number.isFinite(got), `lossForward ${loss} on ${backend}: ${got}`).toBe(true);
        expectClose([got], [value], () => 1e-12 * Math.abs(value), `lossForward ${loss} on ${backend} at 1e20`);
      });
    }

    it(`${loss} backward: ∂(mean loss)/∂pred, by definition and by central differences, out apart and on pred`, () => {
      for (const [rows, cols] of SHAPES) {
        for (const inPlace of [false, true]) {
          const arena = new Arena(bare);
          const rand = seeded(rows * 100 + cols + code * 11);
          const target = targets(rand, loss, rows, cols);
          const pred = predictions(rand, loss, target);
          const pp = arena.put(pred);
          const out = inPlace ? pp : arena.alloc(rows * cols);
          bare.kernels.lossBackward(out, pp, arena.put(target), rows, cols, code, 0);
          const what = `lossBackward ${loss} on ${backend}, rows ${rows}, cols ${cols}${inPlace ? ', in place' : ''}`;
          const got = arena.read(out, rows * cols);
          expectClose(got, gradient(pred, target, rows, cols, loss), { rtol: 1e-6, atol: 1e-30 }, what, cols);
          const numeric = numericGradient((p) => meanLoss(p, target, rows, cols, loss), pred, 1e-6);
          const unit = loss === 'categoricalCrossentropy' ? 1 / rows : 1 / (rows * cols);
          expectClose(got, numeric, (i) => 1e-5 * Math.abs(numeric[i]) + 1e-6 * unit, `${what}, central differences`, cols);
          expect(arena.writtenGuard(), `${what}: outside out[rows×cols]`).toBeUndefined();
        }
      }
    });
  }

  for (const loss of ['binaryCrossentropy', 'categoricalCrossentropy'] as const) {
    it(`${loss} at p = 0, 1 and beyond: a finite, clipped loss and a zero gradient where the clip holds`, () => {
      const arena = new Arena(bare);
      const pred = Float32Array.from([0, 1, 1e-9, 1 - 1e-9, 1.5, -0.5, 0.5, 1e-3]);
      const target = Float32Array.from([1, 0, 1, 0, 1, 1, 0.25, 1]);
      const [rows, cols] = [2, 4];
      const pp = arena.put(pred);
      const pt = arena.put(target);
      const what = `${loss} on ${backend} of p = [${Array.from(pred).join(', ')}]`;
      const value = bare.kernels.lossForward(pp, pt, rows, cols, LOSSES[loss]);
      expect(Number.isFinite(value), `lossForward ${what}: ${value}`).toBe(true);
      const expected = rowLosses(pred, target, rows, cols, loss);
      expectClose([value], [expected.value], () => 1e-5 * expected.magnitude, `lossForward ${what}`);

      const out = arena.alloc(rows * cols);
      bare.kernels.lossBackward(out, pp, pt, rows, cols, LOSSES[loss], 0);
      const got = arena.read(out, rows * cols);
      expectClose(got, gradient(pred, target, rows, cols, loss), { rtol: 1e-6, atol: 1e-30 }, `lossBackward ${what}`, cols);
      const clipped = Array.from(pred, (p, i) => (clipHolds(p) ? got[i] : 0));
      expect(clipped, `lossBackward ${what}: where the clip holds`).toEqual(new Array(rows * cols).fill(0));
      expect(arena.writtenGuard(), `${what}: outside out[rows×cols]`).toBeUndefined();
    });
  }

  it('binaryCrossentropy fused with sigmoid: ∂(mean loss)/∂z = (p − y)/count, also by central differences in z', () => {
    const sigmoid = (z: number[]) => activate(z, 'sigmoid');
    for (const [rows, cols] of SHAPES) {
      for (const inPlace of [false, true]) {
        const arena = new Arena(bare);
        const rand = seeded(rows * 100 + cols + 501);
        const target = targets(rand, 'binaryCrossentropy', rows, cols);
        const z = Array.from(target, () => rand(-4, 4));
        const pred = Float32Array.from(sigmoid(z));
        const pp = arena.put(pred);
        const out = inPlace ? pp : arena.alloc(rows * cols);
        bare.kernels.lossBackward(out, pp, arena.put(target), rows, cols, LOSSES.binaryCrossentropy, 1);
        const what = `lossBackward binaryCrossentropy fused on ${backend}, rows ${rows}, cols ${cols}${inPlace ? ', in place' : ''}`;
        const got = arena.read(out, rows * cols);
        const count = rows * cols;
        expectClose(got, Array.from(pred, (p, i) => (p - target[i]) / count), { rtol: 1e-6, atol: 1e-30 }, what, cols);
        const numeric = numericGradient((v) => meanLoss(sigmoid(v), target, rows, cols, 'binaryCrossentropy'), z, 1e-6);
        // p is sigmoid(z) rounded to f32: an absolute error of an ulp or so in p − y.
        expectClose(got, numeric, (i) => 1e-5 * Math.abs(numeric[i]) + 1e-6 / count, `${what}, central differences`, cols);
        expect(arena.writtenGuard(), `${what}: outside out[rows×cols]`).toBeUndefined();
      }
    }
  });

  it('categoricalCrossentropy fused with softmax: ∂(mean loss)/∂z = (p·Σy − y)/rows, also by central differences in z', () => {
    for (const [rows, cols] of SHAPES) {
      for (const inPlace of [false, true]) {
        const arena = new Arena(bare);
        const rand = seeded(rows * 100 + cols + 701);
        // Even rows one-hot; odd rows soft targets whose mass is not 1.
        const target = targets(rand, 'categoricalCrossentropy', rows, cols);
        const z = Array.from(target, () => rand(-2, 2));
        const softmax = (v: number[]) => {
          const p: number[] = [];
          for (let r = 0; r < rows; r++) p.push(...activate(v.slice(r * cols, (r + 1) * cols), 'softmax'));
          return p;
        };
        const pred = Float32Array.from(softmax(z));
        const pp = arena.put(pred);
        const out = inPlace ? pp : arena.alloc(rows * cols);
        bare.kernels.lossBackward(out, pp, arena.put(target), rows, cols, LOSSES.categoricalCrossentropy, 1);
        const what = `lossBackward categoricalCrossentropy fused on ${backend}, rows ${rows}, cols ${cols}${inPlace ? ', in place' : ''}`;
        const got = arena.read(out, rows * cols);
        const mass = (i: number) => target.subarray(i - (i % cols), i - (i % cols) + cols).reduce((s, v) => s + v, 0);
        const expected = Array.from(pred, (p, i) => (p * mass(i) - target[i]) / rows);
        expectClose(got, expected, (i) => 1e-6 * (Math.abs(expected[i]) + mass(i) / rows), what, cols);
        const numeric = numericGradient((v) => meanLoss(softmax(v), target, rows, cols, 'categoricalCrossentropy'), z, 1e-6);
        expectClose(got, numeric, (i) => 1e-5 * Math.abs(numeric[i]) + (1e-6 * mass(i)) / rows, `${what}, central differences`, cols);
        expect(arena.writtenGuard(), `${what}: outside out[rows×cols]`).toBeUndefined();
      }
    }
  });
});
