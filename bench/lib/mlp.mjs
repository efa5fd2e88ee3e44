// @ts-check
// The 784-128-10 digit classifier every system builds for the training and predict questions: sigmoid
// hidden layer, softmax output, categorical cross-entropy, SGD with learning rate 0.1; and its data,
// MNIST digits from the `mnist` package.

import { Network } from 'engram';
import { tf, tfl, brain, mnist } from './systems.mjs';

export const LEARNING_RATE = 0.1;
export const BATCH = 32;

/** Adam as the training question's second case sets it in both systems: TF.js's defaults (ε 1e-7). */
export const ADAM = { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

/** @param {'wasm' | 'js'} backend @param {'sgd' | 'adam'} [optimizer] */
export function engramMlp(backend, optimizer = 'sgd') {
  return Network.create({
    inputs: 784,
    layers: [{ units: 128, activation: 'sigmoid' }, { units: 10, activation: 'softmax' }],
    loss: 'categoricalCrossentropy',
    optimizer: optimizer === 'adam' ? { type: 'adam', ...ADAM } : { type: 'sgd', learningRate: LEARNING_RATE },
    seed: 1,
    backend,
  });
}

/**
 * A TF.js layers model on whatever backend is active when it is made (its weights live there).
 * @param {'sgd' | 'adam'} [optimizer]
 */
export function tfMlp(optimizer = 'sgd') {
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({ units: 128, activation: 'sigmoid', inputShape: [784] }),
      tfl.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  const trainer = optimizer === 'adam' ? tf.train.adam(ADAM.learningRate, ADAM.beta1, ADAM.beta2, ADAM.epsilon) : tf.train.sgd(LEARNING_RATE);
  model.compile({ optimizer: trainer, loss: 'categoricalCrossentropy' });
  return model;
}

/** brain.js's nearest equivalent: 784-128-10, sigmoid throughout (its output layer is always sigmoid). */
export function brainMlp() {
  return new brain.NeuralNetwork({ hiddenLayers: [128] });
}

/**
 * `count` MNIST training digits: inputs as Float32Array rows (pixels in [0, 1]) and one-hot targets,
 * and the package's own { input, output } pairs.
 * @param {number} count
 * @returns {{ inputs: Float32Array[], targets: Float32Array[], pairs: { input: number[], output: number[] }[] }}
 */
export function digits(count) {
  const { training } = mnist.set(count, 0);
  return {
    inputs: training.map((/** @type {{ input: number[] }} */ d) => Float32Array.from(d.input)),
    targets: training.map((/** @type {{ output: number[] }} */ d) => Float32Array.from(d.output)),
    pairs: /** @type {{ input: number[], output: number[] }[]} */ (training),
  };
}
