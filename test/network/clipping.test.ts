// Gradient clipping (clipValue, clipNorm train options): one step changes the weights by exactly the
// clipped gradient, and clipping keeps a training run finite that diverges without it. The clipped
// gradient itself is read from SGD with momentum after one step from a zero velocity: v = μ·0 + g.
import { describe, expect, it } from 'vitest';
import { Network } from '../../src/index.js';
import { BACKENDS } from '../helpers/backends.js';
import { sameBits, WORKED_X, WORKED_Y } from '../helpers/data.js';
import { expectClose } from '../helpers/compare.js';

const make = (backend: 'wasm' | 'js', learningRate = 1) =>
  Network.create({
    inputs: 2,
    layers: [{ units: 3, activation: 'tanh' }, { units: 1 }],
    optimizer: { type: 'sgd', learningRate },
    seed: 8,
    backend,
  });

/** A wider network than `make`, so that the global norm spans many elements of both layers. */
const wide = (backend: 'wasm' | 'js') =>
  Network.create({
    inputs: 2,
    layers: [{ units: 9, activation: 'tanh' }, { units: 2 }],
    optimizer: { type: 'sgd', learningRate: 0.1, momentum: 0.9 },
    seed: 4,
    backend,
  });
const WIDE_Y = WORKED_Y.map((y) => [y, -y / 2]);

/** The gradient one full-batch step applied, clipping included: the velocity after a step from zero. */
function appliedGradient(net: Network, clip: { clipNorm?: number; clipValue?: number }): Float32Array {
  net.train(WORKED_X, WIDE_Y, { epochs: 1, batchSize: WORKED_X.length, ...clip });
  return Float32Array.from(net.toJSON().training.slots[0]);
}

/** computeGradients flattened as the model file stores optimizer state: layer by layer, kernel then bias. */
const flat = (layers: { kernel: Float32Array; bias: Float32Array }[]) =>
  Float32Array.from(layers.flatMap((l) => [...l.kernel, ...l.bias]));

/** The global L2 norm, in f64 over f32 values, in the order the clipping kernels sum. */
const norm = (g: ArrayLike<number>) => Math.sqrt(Array.from(g).reduce((s, v) => s + v * v, 0));

describe.each(BACKENDS)('gradient clipping on %s', (backend) => {
  it('clipValue clamps every gradient element before the update', async () => {
    const net = await make(backend, 0.5);
    const before = net.getWeights();
    const grads = net.computeGradients(WORKED_X, WORKED_Y);
    const limit = 0.3;
    expect(grads.some((g) => g.kernel.some((v) => Math.abs(v) > limit))).toBe(true);
    net.train(WORKED_X, WORKED_Y, { epochs: 1, clipValue: limit });
    const after = net.getWeights();
    before.forEach((layer, l) => {
      for (const part of ['kernel', 'bias'] as const) {
        layer[part].forEach((w, i) => {
          const clipped = Math.max(-limit, Math.min(limit, grads[l][part][i]));
          expect(after[l][part][i], `layer ${l} ${part}[${i}]`).toBeCloseTo(w - 0.5 * clipped, 5);
        });
      }
    });
  });

  it('clipNorm rescales all gradients together to the given global norm', async () => {
    const net = await make(backend, 0.5);
    const before = net.getWeights();
    const grads = net.computeGradients(WORKED_X, WORKED_Y);
    const norm = Math.sqrt(grads.reduce((s, g) => s + [...g.kernel, ...g.bias].reduce((t, v) => t + v * v, 0), 0));
    const limit = norm / 4;
    net.train(WORKED_X, WORKED_Y, { epochs: 1, clipNorm: limit });
    const after = net.getWeights();
    before.forEach((layer, l) => {
      for (const part of ['kernel', 'bias'] as const) {
        layer[part].forEach((w, i) => {
          const expected = w - 0.5 * grads[l][part][i] * (limit / norm);
          expect(after[l][part][i], `layer ${l} ${part}[${i}]`).toBeCloseTo(expected, 5);
        });
      }
    });
  });

  it('clipNorm above the gradient norm changes nothing', async () => {
    const [a, b] = await Promise.all([make(backend, 0.01), make(backend, 0.01)]);
    a.train(WORKED_X, WORKED_Y, { epochs: 1 });
    b.train(WORKED_X, WORKED_Y, { epochs: 1, clipNorm: 1e6 });
    expect(JSON.stringify(b.getWeights())).toBe(JSON.stringify(a.getWeights()));
  });

  it.each([{ clipNorm: 1 }, { clipValue: 1 }])('keeps a run finite that explodes without it (%o)', async (clip) => {
    // Linear regression on the worked example: the loss's largest curvature is about 43, so a learning rate
    // of 0.1 overshoots further every step.
    const linear = () =>
      Network.create({ inputs: 2, layers: [{ units: 1 }], optimizer: { type: 'sgd', learningRate: 0.1 }, seed: 8, backend });
    const plain = await linear();
    const exploded = plain.train(WORKED_X, WORKED_Y, { epochs: 200 });
    expect(exploded.stopReason).toBe('diverged');
    const clipped = await linear();
    const result = clipped.train(WORKED_X, WORKED_Y, { epochs: 200, ...clip });
    expect(result.stopReason).toBe('epochs');
    expect(result.history.every(Number.isFinite)).toBe(true);
    expect(result.loss).toBeLessThan(result.history[0]);
  });

  it('clipNorm bounds the global norm exactly: the gradient scaled by clipNorm/‖g‖ in float32', async () => {
    const net = await wide(backend);
    const g = flat(net.computeGradients(WORKED_X, WIDE_Y));
    const full = norm(g);
    for (const fraction of [0.9, 0.5, 0.01]) {
      const limit = full * fraction;
      const probe = await wide(backend);
      const applied = appliedGradient(probe, { clipNorm: limit });
      const factor = Math.fround(limit / full);
      expect(sameBits(applied, g.map((v) => Math.fround(v * factor))), `clipNorm ${fraction}·‖g‖`).toBeUndefined();
      // Float32 rounding of the factor and of each product: the norm lands within a few ulps of the limit.
      expect(Math.abs(norm(applied) - limit) / limit, `‖clipped‖ vs ${limit}`).toBeLessThan(1e-6);
    }
    // At or above the norm: the gradient goes through untouched.
    expect(sameBits(appliedGradient(await wide(backend), { clipNorm: full * 1.0001 }), g)).toBeUndefined();
  });

  it('clipValue bounds every element and leaves the ones within the limit exactly as they were', async () => {
    const net = await wide(backend);
    const g = flat(net.computeGradients(WORKED_X, WIDE_Y));
    const sorted = Array.from(g, Math.abs).sort((a, b) => a - b);
    const limit = Math.fround(sorted[Math.floor(sorted.length / 2)]);
    const applied = appliedGradient(await wide(backend), { clipValue: limit });
    const clippedCount = g.filter((v) => Math.abs(v) > limit).length;
    expect(clippedCount, 'elements beyond the limit').toBeGreaterThan(5);
    g.forEach((v, i) => {
      expect(Math.abs(applied[i]), `element ${i}`).toBeLessThanOrEqual(limit);
      expect(applied[i], `element ${i} (gradient ${v})`).toBe(Math.abs(v) > limit ? Math.sign(v) * limit : v);
    });
  });

  it('clipValue then clipNorm: the norm bound holds over the value-clipped gradient', async () => {
    const net = await wide(backend);
    const g = flat(net.computeGradients(WORKED_X, WIDE_Y));
    const valueLimit = Math.fround(norm(g) / 20);
    const clipped = g.map((v) => Math.max(-valueLimit, Math.min(valueLimit, v)));
    const normLimit = norm(clipped) / 3;
    const applied = appliedGradient(await wide(backend), { clipValue: valueLimit, clipNorm: normLimit });
    const factor = Math.fround(normLimit / norm(clipped));
    expect(sameBits(applied, clipped.map((v) => Math.fround(v * factor)))).toBeUndefined();
  });

  it('refuses non-positive limits', async () => {
    const net = await make(backend);
    expect(() => net.train(WORKED_X, WORKED_Y, { clipNorm: 0 })).toThrow(RangeError);
    expect(() => net.train(WORKED_X, WORKED_Y, { clipValue: -1 })).toThrow(/clipValue/);
  });
});

describe('gradient clipping on both backends', () => {
  it.each([{ clipNorm: 0.5 }, { clipValue: 0.05 }, { clipValue: 0.2, clipNorm: 0.3 }])('agree, step by step and over a run (%o)', async (clip) => {
    const [w, j] = await Promise.all(BACKENDS.map((b) => wide(b)));
    const what = JSON.stringify(clip);
    expectClose(appliedGradient(w, clip), appliedGradient(j, clip), { rtol: 1e-5, atol: 1e-6 }, `${what}: first clipped gradient`);
    const [rw, rj] = [w, j].map((net) => net.train(WORKED_X, WIDE_Y, { epochs: 25, batchSize: 2, ...clip }));
    expectClose(rw.history, rj.history, { rtol: 1e-4, atol: 1e-5 }, `${what}: loss history`);
    const [ww, wj] = [w, j].map((net) => flat(net.getWeights()));
    expectClose(ww, wj, { rtol: 1e-4, atol: 1e-5 }, `${what}: weights after 25 epochs`);
  });
});
