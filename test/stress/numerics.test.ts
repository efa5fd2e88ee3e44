// Numerical edge cases: inputs of 1e±30, saturated sigmoids, softmax over huge logits, log(0) in the
// cross-entropies, targets all alike. None of them may put a NaN anywhere; where the data itself makes
// the numbers overflow, training stops with stopReason 'diverged' and keeps the last finite weights.
import { describe, expect, it } from 'vitest';
import { Network, type Activation, type LayerWeights, type NetworkOptions, type TrainResult } from '../../src/index.js';
import { BACKENDS } from '../helpers/backends.js';
import { sameBits, WORKED_X, WORKED_Y } from '../helpers/data.js';

const HUGE_X = [[1e30, -1e30], [-1e30, 1e30], [1e30, 1e30], [-1e30, -1e30], [1e-30, -1e-30], [-1e-30, 1e-30]];
const HUGE_Y = [1, 0, 1, 0, 1, 0];

const hugeInputsNet = (activation: Activation): Omit<NetworkOptions, 'backend' | 'seed'> => ({
  inputs: 2,
  layers: [{ units: 6, activation }, { units: 1, activation: 'sigmoid' }],
  loss: 'binaryCrossentropy',
  optimizer: { type: 'adam', learningRate: 0.01 },
});

/** The first non-finite number among a network's weights, predictions and model file, described. */
function firstNonFinite(net: Network, probes: number[][]): string | undefined {
  for (const [l, layer] of net.getWeights().entries()) {
    for (const part of ['kernel', 'bias'] as const) {
      const i = layer[part].findIndex((v) => !Number.isFinite(v));
      if (i >= 0) return `layer ${l} ${part}[${i}] is ${layer[part][i]}`;
    }
  }
  for (const p of probes) {
    const out = net.predict(p);
    if (!out.every(Number.isFinite)) return `predict(${p}) is ${out}`;
  }
  // A NaN or ±∞ in the model file would come out of JSON.stringify as null.
  if (JSON.stringify(net.toJSON()).includes('null')) return 'the model file holds a non-finite number';
  return undefined;
}

function expectFiniteRun(result: TrainResult, net: Network, probes: number[][], what: string): void {
  expect(result.stopReason, `${what}: stopReason`).toBe('epochs');
  expect(result.history.every(Number.isFinite), `${what}: history ${result.history.slice(-3)}`).toBe(true);
  expect(firstNonFinite(net, probes), what).toBeUndefined();
}

function expectSameWeights(got: LayerWeights[], expected: LayerWeights[], what: string): void {
  got.forEach((layer, l) => {
    expect(sameBits(layer.kernel, expected[l].kernel), `${what}: layer ${l} kernel`).toBeUndefined();
    expect(sameBits(layer.bias, expected[l].bias), `${what}: layer ${l} bias`).toBeUndefined();
  });
}

describe.each(BACKENDS)('numerics on %s', (backend) => {
  const create = (options: Omit<NetworkOptions, 'backend' | 'seed'>, seed = 1) => Network.create({ ...options, seed, backend });

  it.each(['tanh', 'sigmoid'] as const)('inputs of ±1e30 and ±1e-30 through %s (saturating) and a sigmoid output train without NaN', async (activation) => {
    const net = await create(hugeInputsNet(activation));
    const result = net.train(HUGE_X, HUGE_Y, { epochs: 30, batchSize: 2 });
    expectFiniteRun(result, net, HUGE_X, activation);
    for (const p of HUGE_X) {
      const [y] = net.predict(p);
      expect(y >= 0 && y <= 1, `predict(${p}) = ${y}`).toBe(true);
    }
    expect(net.evaluate(HUGE_X, HUGE_Y).loss).toBeLessThan(20);
  });

  it.each(['relu', 'leakyRelu', 'elu'] as const)(
    'inputs of ±1e30 through %s (unbounded) overflow the gradients: diverged at once, initial weights kept, no infinity in the model file',
    async (activation) => {
      const net = await create(hugeInputsNet(activation));
      const initial = net.getWeights();
      // Adam's v = g² overflowed where g ≈ 1e30 while the weights stayed finite; that is divergence too.
      const result = net.train(HUGE_X, HUGE_Y, { epochs: 30, batchSize: 2 });
      expect(result).toMatchObject({ stopReason: 'diverged', epochs: 0 });
      expectSameWeights(net.getWeights(), initial, activation);
      expect(firstNonFinite(net, HUGE_X), activation).toBeUndefined();
      // The same network trains on inputs of ±1e-30.
      expectFiniteRun(net.train(HUGE_X.slice(4), HUGE_Y.slice(4), { epochs: 30 }), net, HUGE_X, `${activation} on 1e-30`);
    },
  );

  it('saturated sigmoids (mean squared error) pass on a zero gradient, not a NaN', async () => {
    const net = await create({ inputs: 2, layers: [{ units: 4, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }] });
    const grads = net.computeGradients(HUGE_X.slice(0, 4), HUGE_Y.slice(0, 4));
    expect(grads[0].kernel.every((g) => g === 0), `first layer's kernel gradient ${grads[0].kernel}`).toBe(true);
    expectFiniteRun(net.train(HUGE_X, HUGE_Y, { epochs: 20 }), net, HUGE_X, 'saturated sigmoids');
  });

  it('softmax over logits of ±1e4 gives exact one-hot probabilities, a finite loss and the fused gradient', async () => {
    const net = await create({ inputs: 1, layers: [{ units: 3, activation: 'softmax' }], loss: 'categoricalCrossentropy' });
    net.setWeights([{ kernel: [1e4, -1e4, 0], bias: [0, 0, 0] }]);
    expect(Array.from(net.predict([1]))).toEqual([1, 0, 0]);
    expect(Array.from(net.predict([-1]))).toEqual([0, 1, 0]);
    // Confidently wrong: log(0) for the true class, clipped to log(ε).
    const x = [[1]];
    const y = [[0, 1, 0]];
    const { loss } = net.evaluate(x, y);
    expect(loss).toBeCloseTo(-Math.log(1e-7), 1);
    // ∂/∂z of softmax + cross-entropy is p − y, whatever the logits.
    const [grad] = net.computeGradients(x, y);
    expect(Array.from(grad.kernel)).toEqual([1, -1, 0]);
    expect(Array.from(grad.bias)).toEqual([1, -1, 0]);
    expectFiniteRun(net.train([[1], [-1]], [[0, 1, 0], [1, 0, 0]], { epochs: 20 }), net, [[1], [-1]], 'softmax at 1e4');
  });

  it('sigmoid + binary cross-entropy, confidently wrong on targets of exactly 0 and 1: finite loss, gradient p − y', async () => {
    const net = await create({ inputs: 1, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'binaryCrossentropy' });
    net.setWeights([{ kernel: [1e4], bias: [0] }]);
    const x = [[1], [-1]];
    const y = [0, 1];
    expect(Array.from(net.predictBatch(x), (p) => p[0])).toEqual([1, 0]);
    const { loss } = net.evaluate(x, y);
    expect(Number.isFinite(loss) && loss > 15, `loss ${loss}`).toBe(true);
    // Mean over the two samples of x·(p − y): (1·1 + (−1)·(−1)) / 2.
    expect(Array.from(net.computeGradients(x, y)[0].kernel)).toEqual([1]);
    expectFiniteRun(net.train(x, y, { epochs: 20 }), net, x, 'saturated sigmoid, wrong');
  });

  it.each([
    ['tanh', 'binaryCrossentropy'],
    ['linear', 'binaryCrossentropy'],
    ['sigmoid', 'categoricalCrossentropy'],
    ['linear', 'categoricalCrossentropy'],
  ] as const)('%s output with %s (not fused): predictions outside (0, 1) clip, no NaN', async (activation, loss) => {
    const units = loss === 'categoricalCrossentropy' ? 2 : 1;
    const net = await create({ inputs: 1, layers: [{ units, activation }], loss });
    net.setWeights([{ kernel: Array(units).fill(1e4), bias: Array(units).fill(0) }]);
    const x = [[1], [-1], [0]];
    const y = units === 2 ? [[0, 1], [1, 0], [1, 0]] : [[0], [1], [1]];
    expect(Number.isFinite(net.evaluate(x, y).loss)).toBe(true);
    const grads = net.computeGradients(x, y);
    expect(grads.every((g) => g.kernel.every(Number.isFinite) && g.bias.every(Number.isFinite))).toBe(true);
    expectFiniteRun(net.train(x, y, { epochs: 20 }), net, x, `${activation} + ${loss}`);
  });

  it.each([
    ['mse', 'linear', [0.5, 0.5]],
    ['binaryCrossentropy', 'sigmoid', [1, 1]],
    ['categoricalCrossentropy', 'softmax', [0, 1]],
  ] as const)('targets all alike (%s) train to them without NaN', async (loss, activation, target) => {
    const net = await create({
      inputs: 3,
      layers: [{ units: 5, activation: 'relu' }, { units: 2, activation }],
      loss,
      optimizer: { type: 'adam', learningRate: 0.05 },
    });
    // Inputs all alike too, half of the time: nothing to tell the samples apart.
    const x = Array.from({ length: 8 }, (_, i) => (i % 2 ? [1, 1, 1] : [i, -i, 0.5]));
    const y = x.map(() => [...target]);
    const result = net.train(x, y, { epochs: 300, batchSize: 3 });
    expectFiniteRun(result, net, x, `${loss}, targets all ${target}`);
    expect(result.loss).toBeLessThan(result.history[0]);
    for (const p of x) {
      net.predict(p).forEach((v, j) => expect(Math.abs(v - target[j]), `predict(${p})[${j}] = ${v}`).toBeLessThan(0.15));
    }
  });

  it('data that overflows float32 stops at once as diverged, keeping the initial weights', async () => {
    const net = await create({ inputs: 2, layers: [{ units: 1 }], optimizer: 'sgd' });
    const initial = net.getWeights();
    // Predictions near 1e30 square to 1e60 in the loss, and the gradient x·(p − y) to 1e60: beyond float32.
    const result = net.train([[1e30, 1], [2e30, 1]], [1, 2], { epochs: 5 });
    expect(result).toMatchObject({ stopReason: 'diverged', epochs: 0, history: [] });
    expectSameWeights(net.getWeights(), initial, 'after diverging');
    expect(firstNonFinite(net, WORKED_X)).toBeUndefined();
  });

  describe('divergence partway through', () => {
    // Linear regression on the worked example with a learning rate past stability (the loss's largest
    // curvature is about 43): the loss grows about ×30 an epoch, and the predictions overflow float32
    // after a few dozen epochs, in the middle of one (two batches each).
    const options: Omit<NetworkOptions, 'backend' | 'seed'> = {
      inputs: 2,
      layers: [{ units: 1 }],
      optimizer: { type: 'sgd', learningRate: 0.1 },
    };

    async function divergeWatched(train: (net: Network, onEpochEnd: () => void) => Promise<TrainResult>) {
      const net = await create(options);
      const snapshots: LayerWeights[][] = [net.getWeights()];
      const result = await train(net, () => void snapshots.push(net.getWeights()));
      return { net, result, snapshots };
    }

    it.each(['train', 'trainAsync'] as const)('%s: stops as diverged with the weights from the end of the last finite epoch', async (call) => {
      const { net, result, snapshots } = await divergeWatched(async (n, onEpochEnd) =>
        call === 'train'
          ? n.train(WORKED_X, WORKED_Y, { epochs: 1000, batchSize: 2, onEpochEnd })
          : n.trainAsync(WORKED_X, WORKED_Y, { epochs: 1000, batchSize: 2, onEpochEnd }));
      expect(result.stopReason).toBe('diverged');
      expect(result.epochs).toBeGreaterThan(10);
      expect(result.epochs).toBeLessThan(1000);
      expect(result.history).toHaveLength(result.epochs);
      expect(result.history.every(Number.isFinite), 'every recorded epoch loss is finite').toBe(true);
      expect(snapshots).toHaveLength(result.epochs + 1);
      expectSameWeights(net.getWeights(), snapshots[snapshots.length - 1], 'the weights kept');
      expect(firstNonFinite(net, WORKED_X)).toBeUndefined();
      // The network trains on, from there, with a learning rate that suits it.
      const after = net.train(WORKED_X, WORKED_Y, { epochs: 50, learningRate: 1e-4 });
      expect(after.stopReason).toBe('epochs');
      expect(after.history.every(Number.isFinite)).toBe(true);
    });

    it('without a callback (whole epochs per kernel call), keeps the very same weights', async () => {
      const watched = await divergeWatched(async (n, onEpochEnd) => n.train(WORKED_X, WORKED_Y, { epochs: 1000, batchSize: 2, onEpochEnd }));
      const net = await create(options);
      const result = net.train(WORKED_X, WORKED_Y, { epochs: 1000, batchSize: 2 });
      expect(result.stopReason).toBe('diverged');
      expect(sameBits(result.history, watched.result.history), 'history').toBeUndefined();
      expectSameWeights(net.getWeights(), watched.snapshots[watched.snapshots.length - 1], 'the weights kept');
    });
  });
});
