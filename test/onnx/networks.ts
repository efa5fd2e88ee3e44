// The networks the ONNX tests export: three architectures that between them use every activation,
// trained a little so that their biases are not zero.
import { Network, type NetworkOptions } from '../../src/index.js';
import { randomRows } from './runtime.js';

/** Three architectures that between them use every activation. */
export const ARCHITECTURES: Record<string, Omit<NetworkOptions, 'backend'>> = {
  'sigmoid-tanh-linear': {
    inputs: 4,
    layers: [{ units: 8, activation: 'sigmoid' }, { units: 6, activation: 'tanh' }, { units: 3, activation: 'linear' }],
    seed: 11,
  },
  'relu-leakyRelu-elu-linear': {
    inputs: 5,
    layers: [
      { units: 16, activation: 'relu' }, { units: 9, activation: 'leakyRelu' }, { units: 7, activation: 'elu' }, { units: 2 },
    ],
    loss: 'huber',
    seed: 12,
  },
  'tanh-softmax classifier': {
    inputs: 6,
    layers: [{ units: 12, activation: 'tanh' }, { units: 5, activation: 'softmax' }],
    loss: 'categoricalCrossentropy',
    seed: 13,
  },
};

/** A network of this architecture, trained a little on random data so that biases are not zero. */
export async function trainedNetwork(options: Omit<NetworkOptions, 'backend'>, backend: 'wasm' | 'js'): Promise<Network> {
  const net = await Network.create({ ...options, backend, optimizer: { type: 'adam', learningRate: 0.05 } });
  const x = randomRows(options.seed! + 100, 24, options.inputs);
  const outputs = options.layers[options.layers.length - 1].units;
  const y = x.map((row, r) =>
    options.loss === 'categoricalCrossentropy'
      ? Array.from({ length: outputs }, (_, c) => (c === r % outputs ? 1 : 0))
      : Array.from({ length: outputs }, (_, c) => Math.sin(row[0] + c) * 2 + row[row.length - 1]),
  );
  net.train(x, y, { epochs: 20, batchSize: 8 });
  return net;
}
