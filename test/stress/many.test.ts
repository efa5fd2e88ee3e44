// Many networks alive at once, trained interleaved, each end exactly where the same network trained
// alone ends: every network owns its memory, so nothing one does (train, trainAsync, grow its memory)
// reaches another.
import { describe, expect, it } from 'vitest';
import { Network, type NetworkOptions, type TrainResult } from '../../src/index.js';
import type { BackendName } from '../../src/backends/backend.js';
import { BACKENDS } from '../helpers/backends.js';
import { sameBits } from '../helpers/data.js';
import { seeded } from '../helpers/reference.js';

const COUNT = 50;
const EPOCHS = 6;
const HIDDEN = [1, 3, 4, 7, 16, 17, 33, 64];
const OPTIMIZERS: NetworkOptions['optimizer'][] = [
  { type: 'sgd', learningRate: 0.05 },
  { type: 'sgd', learningRate: 0.005, momentum: 0.9, nesterov: true },
  { type: 'adam', learningRate: 0.01 },
  { type: 'rmsprop', learningRate: 0.005 },
];

interface Case {
  options: NetworkOptions;
  inputs: number[][];
  targets: number[][];
  batchSize: number;
}

/** Network i of the fifty: its own sizes, activations, loss, optimizer, data and batch size. */
function makeCase(i: number, backend: BackendName): Case {
  const rand = seeded(1000 + i);
  const inputs = 1 + (i % 5);
  const outputs = 1 + (i % 3);
  const hidden = HIDDEN[i % HIDDEN.length];
  const kind = i % 3;
  const layers: NetworkOptions['layers'] = [{ units: hidden, activation: (['tanh', 'relu', 'sigmoid', 'elu'] as const)[i % 4] }];
  if (i % 4 === 0) layers.push({ units: HIDDEN[(i + 3) % HIDDEN.length], activation: 'leakyRelu' });
  layers.push({ units: outputs, activation: kind === 0 ? 'linear' : kind === 1 ? 'sigmoid' : 'softmax' });
  const rows = 20 + ((i * 7) % 41);
  const x = Array.from({ length: rows }, () => Array.from({ length: inputs }, () => rand(-2, 2)));
  const y = x.map(() => {
    if (kind === 0) return Array.from({ length: outputs }, () => rand(-1, 1));
    if (kind === 1) return Array.from({ length: outputs }, () => (rand() < 0.5 ? 0 : 1));
    const hot = Math.floor(rand() * outputs);
    return Array.from({ length: outputs }, (_, j) => (j === hot ? 1 : 0));
  });
  return {
    options: {
      inputs,
      layers,
      loss: kind === 0 ? 'mse' : kind === 1 ? 'binaryCrossentropy' : 'categoricalCrossentropy',
      optimizer: OPTIMIZERS[i % OPTIMIZERS.length],
      seed: i,
      backend,
    },
    inputs: x,
    targets: y,
    batchSize: 1 + (i % 9),
  };
}

interface Outcome {
  history: number[];
  json: ReturnType<Network['toJSON']>;
  weights: ReturnType<Network['getWeights']>;
}

const outcome = (net: Network, history: number[]): Outcome => ({ history, json: net.toJSON(), weights: net.getWeights() });

/** Asserts two runs of one network ended bit for bit alike: history, weights, and the whole model file. */
function expectSame(got: Outcome, alone: Outcome, what: string): void {
  expect(sameBits(got.history, alone.history), `${what}: history`).toBeUndefined();
  got.weights.forEach((layer, l) => {
    expect(sameBits(layer.kernel, alone.weights[l].kernel), `${what}: layer ${l} kernel`).toBeUndefined();
    expect(sameBits(layer.bias, alone.weights[l].bias), `${what}: layer ${l} bias`).toBeUndefined();
  });
  expect(got.json, `${what}: model file (optimizer state, step, shuffle stream)`).toEqual(alone.json);
}

async function trainedAlone(c: Case, epochs = EPOCHS): Promise<Outcome> {
  const net = await Network.create(c.options);
  const result = net.train(c.inputs, c.targets, { epochs, batchSize: c.batchSize });
  expect(result.stopReason).toBe('epochs');
  const done = outcome(net, result.history);
  net.dispose();
  return done;
}

describe.each(BACKENDS)(`${COUNT} networks at once on %s`, (backend) => {
  const cases = Array.from({ length: COUNT }, (_, i) => makeCase(i, backend));
  let alone: Outcome[];

  it('each trained alone, as the reference', async () => {
    alone = [];
    for (const c of cases) alone.push(await trainedAlone(c));
    expect(new Set(alone.map((a) => a.history[EPOCHS - 1])).size, 'fifty different runs').toBe(COUNT);
  });

  it('trained with train() in round-robin slices of one epoch, end bit-identical', async () => {
    const nets = await Promise.all(cases.map((c) => Network.create(c.options)));
    const histories: number[][] = nets.map(() => []);
    for (let epoch = 0; epoch < EPOCHS; epoch++) {
      nets.forEach((net, i) => {
        histories[i].push(...net.train(cases[i].inputs, cases[i].targets, { epochs: 1, batchSize: cases[i].batchSize }).history);
      });
    }
    nets.forEach((net, i) => expectSame(outcome(net, histories[i]), alone[i], `network ${i}`));
    nets.forEach((net) => net.dispose());
  });

  it('trained with trainAsync() all at once (Promise.all), end bit-identical', async () => {
    const nets = await Promise.all(cases.map((c) => Network.create(c.options)));
    // Each pauses mid-epoch as well as between epochs, so the fifty interleave batch by batch.
    const results: TrainResult[] = await Promise.all(
      nets.map((net, i) => net.trainAsync(cases[i].inputs, cases[i].targets, { epochs: EPOCHS, batchSize: cases[i].batchSize })),
    );
    nets.forEach((net, i) => expectSame(outcome(net, results[i].history), alone[i], `network ${i}`));
    nets.forEach((net) => net.dispose());
  });

  it('trained with trainAsync() while another task reads them at every pause, end bit-identical', async () => {
    const nets = await Promise.all(cases.map((c) => Network.create(c.options)));
    let training = true;
    let reads = 0;
    // predict and evaluate run forward passes through the very buffers training uses between batches.
    const reader = (async () => {
      while (training) {
        nets.forEach((net, i) => {
          net.predict(cases[i].inputs[0]);
          net.evaluate(cases[i].inputs.slice(0, 5), cases[i].targets.slice(0, 5));
          net.getWeights();
        });
        reads++;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const results = await Promise.all(
      nets.map((net, i) => net.trainAsync(cases[i].inputs, cases[i].targets, { epochs: EPOCHS, batchSize: cases[i].batchSize })),
    );
    training = false;
    await reader;
    expect(reads, 'reads between batches').toBeGreaterThan(EPOCHS);
    nets.forEach((net, i) => expectSame(outcome(net, results[i].history), alone[i], `network ${i}`));
    nets.forEach((net) => net.dispose());
  });

  it('trained alongside networks that grow their memory in its onEpochEnd, end bit-identical', async () => {
    const c = cases[13];
    const reference = await trainedAlone(c, 12);
    const rand = seeded(7);
    const bigX = Array.from({ length: 3000 }, () => Array.from({ length: 40 }, () => rand(-1, 1)));
    const bigY = bigX.map((row) => [row[0] * row[1]]);
    const other = await Network.create({ inputs: 40, layers: [{ units: 64, activation: 'relu' }, { units: 1 }], seed: 3, backend });
    const grown: number[] = [];
    const created: Network[] = [];

    // train(): the callback cannot wait, so it grows a network that exists already: training it on far
    // more data than it has seen stages that data in its memory, and so does a gradient over 3,000 rows.
    const net = await Network.create(c.options);
    const before = other.memoryBytes;
    const syncResult = net.train(c.inputs, c.targets, {
      epochs: 6,
      batchSize: c.batchSize,
      onEpochEnd: ({ epoch }) => {
        if (epoch === 1) other.train(bigX.slice(0, 1000), bigY.slice(0, 1000), { epochs: 1 });
        if (epoch === 3) other.computeGradients(bigX, bigY);
        // Reading the network itself between epochs must not disturb it either.
        net.predictBatch(c.inputs);
        net.evaluate(c.inputs, c.targets);
        grown.push(other.memoryBytes);
      },
    });
    expect(grown[grown.length - 1], "the other network's memory grew").toBeGreaterThan(before);

    // trainAsync(): the callback waits for new networks, each with a memory of its own, grown by training.
    const asyncResult = await net.trainAsync(c.inputs, c.targets, {
      epochs: 6,
      batchSize: c.batchSize,
      onEpochEnd: async ({ epoch }) => {
        if (epoch % 2 === 1) {
          const big = await Network.create({ inputs: 40, layers: [{ units: 128 * (epoch + 1), activation: 'tanh' }, { units: 1 }], seed: epoch, backend });
          big.train(bigX.slice(0, 1000), bigY.slice(0, 1000), { epochs: 1, batchSize: 256 });
          created.push(big);
        }
      },
    });
    expect(created.map((b) => b.memoryBytes).every((bytes) => bytes >= 2 ** 20), 'new networks of 1 MiB and more').toBe(true);
    expectSame(outcome(net, [...syncResult.history, ...asyncResult.history]), reference, 'the network trained alongside');
    for (const n of [net, other, ...created]) n.dispose();
  });
});
