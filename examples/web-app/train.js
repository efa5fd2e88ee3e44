// The two networks this page trains, written once so that a browser and Node train them the same way:
// XOR, and the worked example from the README. Everything that comes out is plain numbers (weights as
// arrays, the loss of every epoch), so results from anywhere can be compared bit for bit.
import { Network } from 'engram';

const XOR_X = [[0, 0], [0, 1], [1, 0], [1, 1]];
const XOR_Y = [0, 1, 1, 0];
const WORKED_X = [[1, 2], [2, 3], [3, 4], [4, 5]];
const WORKED_Y = WORKED_X.map(([a, b]) => a + 2 * b + 3);

/** XOR: 2-8-1, tanh then sigmoid, binary cross-entropy, Adam; 500 epochs of the four samples. */
export async function trainXor(backend) {
  const net = await Network.create({
    inputs: 2,
    layers: [{ units: 8, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
    loss: 'binaryCrossentropy',
    optimizer: { type: 'adam', learningRate: 0.05 },
    seed: 1,
    backend,
  });
  return outcome(net, net.train(XOR_X, XOR_Y, { epochs: 500, batchSize: 4 }), XOR_X);
}

/** The worked example: 2-2-1, sigmoid then linear, SGD at 0.01; 5000 full-batch epochs. */
export async function trainWorkedExample(backend) {
  const net = await Network.create({
    inputs: 2,
    layers: [{ units: 2, activation: 'sigmoid' }, { units: 1, activation: 'linear' }],
    optimizer: { type: 'sgd', learningRate: 0.01 },
    seed: 42,
    backend,
  });
  return outcome(net, net.train(WORKED_X, WORKED_Y, { epochs: 5000 }), WORKED_X);
}

function outcome(net, result, inputs) {
  const out = {
    backend: net.backend,
    history: result.history,
    weights: net.getWeights().map(({ kernel, bias }) => ({ kernel: [...kernel], bias: [...bias] })),
    predictions: inputs.map((x) => net.predict(x)[0]),
  };
  net.dispose();
  return out;
}
