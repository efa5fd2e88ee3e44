// Full-batch training trajectories against TensorFlow.js's optimizers: the same network, built in TF.js from
// plain ops and started from engram's initial weights, trained step for step by tf.train.*; every weight
// after training and the loss before every update must agree, on both backends.
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core leaves the gradient registry to its bundles (tfjs, tfjs-layers); optimizers need it.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { Network, type Activation, type LayerWeights, type Loss, type NetworkOptions } from '../../src/index.js';
import { BACKENDS } from '../helpers/backends.js';
import { WORKED_X, WORKED_Y } from '../helpers/data.js';
import { seeded } from '../helpers/reference.js';

const EPOCHS = 50;
/** Both sides compute in f32; what they may differ by after EPOCHS steps, relative to the value's scale. */
const RTOL = 1e-4;
/** Floor for values near zero, where a relative bound means nothing. */
const ATOL = 1e-6;
/** engram's (and Keras's) clip of probabilities before a log. */
const EPSILON = 1e-7;

interface Case {
  name: string;
  options: Omit<NetworkOptions, 'backend'>;
  x: number[][];
  y: number[][];
  /** The TF.js optimizer engram's optimizer options describe. */
  tfOptimizer: () => tf.Optimizer;
}

const workedExample = (optimizer: NetworkOptions['optimizer']): Omit<NetworkOptions, 'backend'> => ({
  inputs: 2,
  layers: [{ units: 2, activation: 'sigmoid' }, { units: 1, activation: 'linear' }],
  loss: 'mse',
  optimizer,
  seed: 42,
});
const WORKED = { x: WORKED_X, y: WORKED_Y.map((v) => [v]) };

// 4 features, 3 classes, 12 samples: a class is the argmax of a fixed linear map, so it can be learnt.
const CLASSES = (() => {
  const rand = seeded(2024);
  const x = Array.from({ length: 12 }, () => Array.from({ length: 4 }, () => rand(-1, 1)));
  const y = x.map(([a, b, c, d]) => {
    const scores = [a + b, c - a, d - b];
    const hot = scores.indexOf(Math.max(...scores));
    return [0, 1, 2].map((j) => (j === hot ? 1 : 0));
  });
  return { x, y };
})();
const classifier = (optimizer: NetworkOptions['optimizer']): Omit<NetworkOptions, 'backend'> => ({
  inputs: 4,
  layers: [{ units: 5, activation: 'tanh' }, { units: 3, activation: 'softmax' }],
  loss: 'categoricalCrossentropy',
  optimizer,
  seed: 9,
});

const CASES: Case[] = [
  {
    name: 'sgd',
    options: workedExample({ type: 'sgd', learningRate: 0.01 }),
    ...WORKED,
    tfOptimizer: () => tf.train.sgd(0.01),
  },
  {
    name: 'sgd with momentum',
    options: workedExample({ type: 'sgd', learningRate: 0.01, momentum: 0.9 }),
    ...WORKED,
    tfOptimizer: () => tf.train.momentum(0.01, 0.9, false),
  },
  {
    name: 'sgd with Nesterov momentum',
    options: workedExample({ type: 'sgd', learningRate: 0.01, momentum: 0.9, nesterov: true }),
    ...WORKED,
    tfOptimizer: () => tf.train.momentum(0.01, 0.9, true),
  },
  {
    // TF.js's default epsilon depends on the backend; both sides are given it explicitly.
    name: 'adam',
    options: workedExample({ type: 'adam', learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }),
    ...WORKED,
    tfOptimizer: () => tf.train.adam(0.01, 0.9, 0.999, 1e-8),
  },
  {
    name: 'rmsprop',
    options: workedExample({ type: 'rmsprop', learningRate: 0.01, rho: 0.9, epsilon: 1e-7 }),
    ...WORKED,
    tfOptimizer: () => tf.train.rmsprop(0.01, 0.9, 0, 1e-7),
  },
  {
    name: 'sgd with weightDecay',
    options: workedExample({ type: 'sgd', learningRate: 0.01, weightDecay: 0.05 }),
    ...WORKED,
    tfOptimizer: () => tf.train.sgd(0.01),
  },
  {
    name: 'adam, softmax classifier',
    options: classifier({ type: 'adam', learningRate: 0.02, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }),
    ...CLASSES,
    tfOptimizer: () => tf.train.adam(0.02, 0.9, 0.999, 1e-8),
  },
  {
    name: 'adam with weightDecay, softmax classifier',
    options: classifier({ type: 'adam', learningRate: 0.02, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01 }),
    ...CLASSES,
    tfOptimizer: () => tf.train.adam(0.02, 0.9, 0.999, 1e-8),
  },
];

function activate(z: tf.Tensor2D, activation: Activation): tf.Tensor2D {
  switch (activation) {
    case 'linear': return z;
    case 'sigmoid': return tf.sigmoid(z);
    case 'tanh': return tf.tanh(z);
    case 'softmax': return tf.softmax(z);
    default: throw new Error(`no TF.js mirror for ${activation} in this test`);
  }
}

/** Mean over the batch of each sample's loss (Keras/TF.js definitions, as src/kernels/loss.ts). */
function meanLoss(pred: tf.Tensor2D, target: tf.Tensor2D, loss: Loss): tf.Scalar {
  switch (loss) {
    case 'mse': return tf.mean(tf.square(tf.sub(pred, target)));
    case 'categoricalCrossentropy':
      return tf.mean(tf.neg(tf.sum(tf.mul(target, tf.log(tf.clipByValue(pred, EPSILON, 1 - EPSILON))), 1)));
    default: throw new Error(`no TF.js mirror for ${loss} in this test`);
  }
}

interface Trajectory {
  weights: { kernel: Float32Array; bias: Float32Array }[];
  /** The data loss (no penalty) before each update. */
  history: number[];
}

/** The same network in TF.js from the given weights, trained full-batch by `optimizer.minimize`. */
function tfTrajectory(c: Case, initial: LayerWeights[]): Trajectory {
  const { inputs, layers, loss } = c.options;
  const optimizer = c.options.optimizer;
  const decay = typeof optimizer === 'object' ? optimizer.weightDecay ?? 0 : 0;
  let fanIn = inputs;
  const params = layers.map((layer, i) => {
    const kernel = tf.variable(tf.tensor2d(initial[i].kernel, [fanIn, layer.units]), true, `kernel${i}`);
    const bias = tf.variable(tf.tensor1d(initial[i].bias), true, `bias${i}`);
    fanIn = layer.units;
    return { kernel, bias };
  });
  const x = tf.tensor2d(c.x);
  const y = tf.tensor2d(c.y);
  const tfOptimizer = c.tfOptimizer();
  const history: number[] = [];
  try {
    for (let step = 0; step < EPOCHS; step++) {
      tfOptimizer.minimize(() => {
        let a = x;
        layers.forEach((layer, i) => {
          a = activate(tf.add(tf.matMul(a, params[i].kernel), params[i].bias), layer.activation ?? 'linear');
        });
        const data = meanLoss(a, y, loss ?? 'mse');
        history.push(data.dataSync()[0]);
        if (decay === 0) return data;
        // engram's weightDecay adds λ·W to each kernel's gradient: the gradient of ½λ·Σ‖W‖².
        const penalty = tf.addN(params.map((p) => tf.sum(tf.square(p.kernel))));
        return tf.add(data, tf.mul(penalty, 0.5 * decay)) as tf.Scalar;
      }, false, params.flatMap((p) => [p.kernel, p.bias]));
    }
    return {
      weights: params.map((p) => ({ kernel: p.kernel.dataSync() as Float32Array, bias: p.bias.dataSync() as Float32Array })),
      history,
    };
  } finally {
    tfOptimizer.dispose();
    params.forEach((p) => { p.kernel.dispose(); p.bias.dispose(); });
    x.dispose();
    y.dispose();
  }
}

/**
 * |a − b| relative to the value's scale: the larger of the two, or of where the weight started, since
 * rounding accumulates with the distance a weight travels and one that ends near zero has travelled
 * as far as one that did not. (TF.js's Adam is one source of such drift: it scales the moments by
 * 1−β computed in f64 but divides by 1−βᵗ from an f32 running product, about 6e-6 of each step apart
 * for β2 = 0.999; engram takes both from the same f32 β and lands closer to an f64 Adam.)
 */
const relativeDifference = (a: number, b: number, start = 0) =>
  Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), Math.abs(start), ATOL / RTOL);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe.each(BACKENDS)('full-batch trajectories against TensorFlow.js on %s', (backend) => {
  for (const c of CASES) {
    it(`${c.name}: ${EPOCHS} steps agree, weights and loss history`, async () => {
      const net = await Network.create({ ...c.options, backend });
      const initial = net.getWeights();
      const expected = tfTrajectory(c, initial);

      const label = `${c.name} on ${backend}`;
      const result = net.train(c.x, c.y, { epochs: EPOCHS, batchSize: c.x.length, shuffle: false });
      expect(result.stopReason, label).toBe('epochs');
      expect(result.history, label).toHaveLength(EPOCHS);
      // The trajectory goes somewhere: a comparison of networks that barely moved would prove little.
      expect(result.history[EPOCHS - 1], `${label}: final loss`).toBeLessThan(0.9 * result.history[0]);

      result.history.forEach((loss, e) => {
        const message = `${label}: loss before update ${e}: engram ${loss}, TF.js ${expected.history[e]}`;
        expect(relativeDifference(loss, expected.history[e]), message).toBeLessThanOrEqual(RTOL);
      });
      net.getWeights().forEach((layer, l) => {
        for (const part of ['kernel', 'bias'] as const) {
          const tfValues = expected.weights[l][part];
          expect(layer[part].length, `${label}: layer ${l} ${part} length`).toBe(tfValues.length);
          layer[part].forEach((value, i) => {
            const message = `${label}: layer ${l} ${part}[${i}]: engram ${value}, TF.js ${tfValues[i]} ` +
              `(started at ${initial[l][part][i]})`;
            expect(relativeDifference(value, tfValues[i], initial[l][part][i]), message).toBeLessThanOrEqual(RTOL);
          });
        }
      });
    });
  }
});
