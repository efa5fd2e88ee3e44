// Gradient clipping (clipValue, clipNorm train options): one step changes the weights by exactly the
// clipped gradient, and clipping keeps a training run finite that diverges without it.
import { describe, expect, it } from 'vitest';
import { Network } from '../../src/index.js';
import { BACKENDS } from '../helpers/backends.js';
import { WORKED_X, WORKED_Y } from '../helpers/data.js';

const make = (backend: 'wasm' | 'js', learningRate = 1) =>
  Network.create({
    inputs: 2,
    layers: [{ units: 3, activation: 'tanh' }, { units: 1 }],
    optimizer: { type: 'sgd', learningRate },
    seed: 8,
    backend,
  });

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

  it('keeps a run finite that explodes without it', async () => {
    // Linear regression on the worked example: the loss's largest curvature is about 43, so a learning rate
    // of 0.1 overshoots further every step.
    const linear = () =>
      Network.create({ inputs: 2, layers: [{ units: 1 }], optimizer: { type: 'sgd', learningRate: 0.1 }, seed: 8, backend });
    const plain = await linear();
    const exploded = plain.train(WORKED_X, WORKED_Y, { epochs: 200 });
    expect(exploded.stopReason).toBe('diverged');
    const clipped = await linear();
    const result = clipped.train(WORKED_X, WORKED_Y, { epochs: 200, clipNorm: 1 });
    expect(result.stopReason).toBe('epochs');
    expect(result.history.every(Number.isFinite)).toBe(true);
    expect(result.loss).toBeLessThan(result.history[0]);
  });

  it('refuses non-positive limits', async () => {
    const net = await make(backend);
    expect(() => net.train(WORKED_X, WORKED_Y, { clipNorm: 0 })).toThrow(RangeError);
    expect(() => net.train(WORKED_X, WORKED_Y, { clipValue: -1 })).toThrow(/clipValue/);
  });
});
