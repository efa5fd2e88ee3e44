// Training behaviour through the public API: convergence, the train options and what they return.
import { describe, expect, it } from 'vitest';
import { Network, type EpochInfo } from '../../src/index.js';
import { BACKENDS } from '../helpers/backends.js';
import { sameBits, WORKED_X, WORKED_Y, XOR_X, XOR_Y } from '../helpers/data.js';

const workedExample = (backend: 'wasm' | 'js', seed = 42) =>
  Network.create({
    inputs: 2,
    layers: [{ units: 2, activation: 'sigmoid' }, { units: 1, activation: 'linear' }],
    optimizer: { type: 'sgd', learningRate: 0.01 },
    seed,
    backend,
  });

describe.each(BACKENDS)('training on %s', (backend) => {
  it('fits the worked example by full-batch gradient descent', async () => {
    const net = await workedExample(backend);
    expect(net.backend).toBe(backend);
    const result = net.train(WORKED_X, WORKED_Y, { epochs: 5000 });
    expect(result.stopReason).toBe('epochs');
    expect(result.epochs).toBe(5000);
    expect(result.history).toHaveLength(5000);
    expect(result.loss).toBe(result.history[4999]);
    expect(result.history[0]).toBeGreaterThan(100);
    expect(result.loss).toBeLessThan(0.05);
    // The loss falls, not necessarily every step but overall and at the end.
    expect(result.history[100]).toBeLessThan(result.history[0]);
    expect(result.history[4999]).toBeLessThan(result.history[1000]);
    WORKED_X.forEach((x, i) => expect(Math.abs(net.predict(x)[0] - WORKED_Y[i])).toBeLessThan(0.3));
  });

  it('learns XOR', async () => {
    const net = await Network.create({
      inputs: 2,
      layers: [{ units: 8, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
      loss: 'binaryCrossentropy',
      optimizer: { type: 'adam', learningRate: 0.05 },
      seed: 1,
      backend,
    });
    const result = net.train(XOR_X, XOR_Y, { epochs: 500, batchSize: 4 });
    expect(result.loss).toBeLessThan(0.05);
    XOR_X.forEach((x, i) => expect(Math.round(net.predict(x)[0]), `XOR(${x})`).toBe(XOR_Y[i]));
    expect(net.evaluate(XOR_X, XOR_Y).accuracy).toBe(1);
  });

  it('accepts brain.js-style { input, output } pairs', async () => {
    const a = await workedExample(backend);
    const b = await workedExample(backend);
    const pairs = WORKED_X.map((input, i) => ({ input, output: [WORKED_Y[i]] }));
    const ra = a.train(pairs, { epochs: 20 });
    const rb = b.train(WORKED_X, WORKED_Y, { epochs: 20 });
    expect(ra.history).toEqual(rb.history);
  });

  it('records history as the mean loss before each update, per epoch', async () => {
    const net = await workedExample(backend);
    const before = net.evaluate(WORKED_X, WORKED_Y).loss;
    const result = net.train(WORKED_X, WORKED_Y, { epochs: 1 });
    // Full batch: the one epoch's loss is the loss of the initial weights.
    expect(result.history[0]).toBeCloseTo(before, 5);
  });

  it('stops when the loss reaches errorThreshold', async () => {
    const net = await workedExample(backend);
    const result = net.train(WORKED_X, WORKED_Y, { epochs: 100_000, errorThreshold: 1 });
    expect(result.stopReason).toBe('errorThreshold');
    expect(result.loss).toBeLessThanOrEqual(1);
    expect(result.history[result.history.length - 2]).toBeGreaterThan(1);
  });

  it('stops when onEpochEnd returns false, and reports every epoch to it', async () => {
    const net = await workedExample(backend);
    const seen: EpochInfo[] = [];
    const result = net.train(WORKED_X, WORKED_Y, {
      epochs: 50,
      onEpochEnd: (info) => {
        seen.push(info);
        return info.epoch < 9;
      },
    });
    expect(result.stopReason).toBe('callback');
    expect(result.epochs).toBe(10);
    expect(seen.map((s) => s.epoch)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(seen.map((s) => s.loss)).toEqual(result.history);
  });

  it('holds out the last fraction of samples for validation', async () => {
    const xs = Array.from({ length: 40 }, (_, i) => [i / 40, (i % 7) / 7]);
    const ys = xs.map(([a, b]) => [a - b]);
    const net = await Network.create({ inputs: 2, layers: [{ units: 4, activation: 'tanh' }, { units: 1 }], seed: 3, backend });
    const result = net.train(xs, ys, { epochs: 5, validationSplit: 0.25, batchSize: 8 });
    expect(result.valHistory).toHaveLength(5);
    expect(result.valLoss).toBe(result.valHistory![4]);
    // The validation loss is the loss on exactly the last 10 samples.
    expect(result.valLoss).toBeCloseTo(net.evaluate(xs.slice(30), ys.slice(30)).loss, 6);
  });

  it('uses the learningRate train option for that call only', async () => {
    const a = await workedExample(backend);
    const b = await Network.create({
      inputs: 2,
      layers: [{ units: 2, activation: 'sigmoid' }, { units: 1, activation: 'linear' }],
      optimizer: { type: 'sgd', learningRate: 0.002 },
      seed: 42,
      backend,
    });
    const ra = a.train(WORKED_X, WORKED_Y, { epochs: 10, learningRate: 0.002 });
    const rb = b.train(WORKED_X, WORKED_Y, { epochs: 10 });
    expect(ra.history).toEqual(rb.history);
    expect(a.optimizer.learningRate).toBe(0.01);
  });

  it('mini-batches with shuffling still converge, and batchSize is capped at the sample count', async () => {
    const xs = Array.from({ length: 64 }, (_, i) => [Math.sin(i), Math.cos(i * 1.3)]);
    const ys = xs.map(([a, b]) => [0.5 * a - b + 0.25]);
    const net = await Network.create({ inputs: 2, layers: [{ units: 1 }], optimizer: { type: 'sgd', learningRate: 0.1 }, seed: 5, backend });
    const result = net.train(xs, ys, { epochs: 200, batchSize: 10 });
    expect(result.loss).toBeLessThan(1e-6);
    const [{ kernel, bias }] = net.getWeights();
    expect(kernel[0]).toBeCloseTo(0.5, 3);
    expect(kernel[1]).toBeCloseTo(-1, 3);
    expect(bias[0]).toBeCloseTo(0.25, 3);
    const big = await workedExample(backend);
    expect(big.train(WORKED_X, WORKED_Y, { epochs: 3, batchSize: 1000 }).epochs).toBe(3);
  });

  it('classifies with softmax and categorical cross-entropy, reporting accuracy', async () => {
    // Three separable clusters.
    const centers = [[0, 0], [3, 0], [0, 3]];
    const xs: number[][] = [];
    const ys: number[][] = [];
    for (let i = 0; i < 60; i++) {
      const c = i % 3;
      xs.push([centers[c][0] + Math.sin(i * 12.9898) * 0.5, centers[c][1] + Math.cos(i * 78.233) * 0.5]);
      ys.push([0, 1, 2].map((j) => (j === c ? 1 : 0)));
    }
    const net = await Network.create({
      inputs: 2,
      layers: [{ units: 8, activation: 'relu' }, { units: 3, activation: 'softmax' }],
      loss: 'categoricalCrossentropy',
      optimizer: { type: 'adam', learningRate: 0.05 },
      seed: 11,
      backend,
    });
    net.train(xs, ys, { epochs: 100, batchSize: 16 });
    const { loss, accuracy } = net.evaluate(xs, ys);
    expect(accuracy).toBe(1);
    expect(loss).toBeLessThan(0.1);
    const p = net.predict(xs[0]);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('trains every optimizer and activation without error', async () => {
    for (const optimizer of ['sgd', 'adam', 'rmsprop'] as const) {
      for (const activation of ['linear', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'elu'] as const) {
        const net = await Network.create({ inputs: 2, layers: [{ units: 3, activation }, { units: 1 }], optimizer, seed: 2, backend });
        const result = net.train(WORKED_X, WORKED_Y, { epochs: 20 });
        expect(result.history.every(Number.isFinite), `${optimizer}/${activation}`).toBe(true);
        expect(result.loss, `${optimizer}/${activation}`).toBeLessThan(result.history[0]);
      }
    }
  });

  it('trainAsync gives the same result as train and hands the event loop turns', async () => {
    const a = await workedExample(backend);
    const b = await workedExample(backend);
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    const asyncResult = await a.trainAsync(WORKED_X, WORKED_Y, { epochs: 300 });
    clearInterval(ticker);
    const syncResult = b.train(WORKED_X, WORKED_Y, { epochs: 300 });
    expect(asyncResult).toEqual(syncResult);
    expect(turns).toBeGreaterThan(0);
  });

  it('trainAsync awaits an async onEpochEnd', async () => {
    const net = await workedExample(backend);
    const order: string[] = [];
    const result = await net.trainAsync(WORKED_X, WORKED_Y, {
      epochs: 5,
      onEpochEnd: async ({ epoch }) => {
        await new Promise((r) => setTimeout(r, 1));
        order.push(`end ${epoch}`);
        return epoch < 2;
      },
    });
    expect(order).toEqual(['end 0', 'end 1', 'end 2']);
    expect(result.stopReason).toBe('callback');
  });
});

describe('the backends agree', () => {
  // 3 → 7 tanh → 3 tanh on 13 rows: 91 and 39 activations per batch, so the wasm kernels' vector body and
  // tail both run, forward and backward; the targets lie inside (−1, 1), where tanh can reach them.
  const tanhNetwork = (backend: 'wasm' | 'js') =>
    Network.create({
      inputs: 3,
      layers: [{ units: 7, activation: 'tanh' }, { units: 3, activation: 'tanh' }],
      optimizer: { type: 'sgd', learningRate: 0.05 },
      seed: 5,
      backend,
    });
  const TANH_X = Array.from({ length: 13 }, (_, i) => [Math.sin(i), Math.cos(2.3 * i), (i % 5) - 2]);
  const TANH_Y = TANH_X.map(([a, b, c]) => [0.8 * Math.tanh(a - b), 0.5 * a * b, 0.3 * Math.sin(c)]);
  const cases = [
    { name: 'the worked example', make: workedExample, x: WORKED_X, y: WORKED_Y, epochs: 2000 },
    { name: 'a tanh network', make: tanhNetwork, x: TANH_X, y: TANH_Y, epochs: 1000 },
  ];

  it.each(cases)('wasm and js train $name to within 1e-4', async ({ make, x, y, epochs }) => {
    const [w, j] = await Promise.all(BACKENDS.map((b) => make(b)));
    const rw = w.train(x, y, { epochs });
    const rj = j.train(x, y, { epochs });
    rw.history.forEach((v, i) => expect(Math.abs(v - rj.history[i]) / Math.max(1, v), `epoch ${i}`).toBeLessThan(1e-4));
    const ww = w.getWeights();
    const wj = j.getWeights();
    ww.forEach((layer, l) =>
      layer.kernel.forEach((v, i) => expect(Math.abs(v - wj[l].kernel[i]), `layer ${l} kernel[${i}]`).toBeLessThan(1e-4)),
    );
  });
});

describe('trainEpochs paced in slices', () => {
  it('trainAsync pausing mid-epoch ends exactly where train does, on each backend', async () => {
    const xs = Array.from({ length: 300 }, (_, i) => [Math.sin(i * 0.7), Math.cos(i * 1.9), (i % 11) / 11]);
    const ys = xs.map(([a, b, c]) => [a * b - c, a + c]);
    for (const backend of BACKENDS) {
      const make = () =>
        Network.create({
          inputs: 3,
          layers: [{ units: 16, activation: 'tanh' }, { units: 2 }],
          optimizer: { type: 'adam', learningRate: 0.01 },
          seed: 21,
          backend,
        });
      const [a, b] = await Promise.all([make(), make()]);
      const syncResult = a.train(xs, ys, { epochs: 6, batchSize: 4 });
      // Each epoch is 75 batches; the async driver's first calls run one batch each, so it pauses mid-epoch.
      const asyncResult = await b.trainAsync(xs, ys, { epochs: 6, batchSize: 4 });
      expect(asyncResult, backend).toEqual(syncResult);
      expect(JSON.stringify(b), backend).toBe(JSON.stringify(a));
    }
  });
});

// From 64 rows a batch's products go through the WebAssembly kernels' packed panel (assembly/matmul/panel.ts),
// which the network lays out when its batch buffers first grow that far. Nothing a user sees may change.
describe('batches of 64 rows and more', () => {
  const rows = 150;
  const rand = (() => {
    let s = 7;
    return () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  })();
  const inputs = Array.from({ length: rows }, () => Array.from({ length: 20 }, rand));
  const targets = inputs.map((x) => {
    const label = x.slice(0, 10).reduce((best, v, i, all) => (v > all[best] ? i : best), 0);
    return Array.from({ length: 10 }, (_, i) => (i === label ? 1 : 0));
  });
  const make = (backend: 'wasm' | 'js') =>
    Network.create({
      inputs: 20,
      layers: [{ units: 48, activation: 'tanh' }, { units: 13, activation: 'relu' }, { units: 10, activation: 'softmax' }],
      loss: 'categoricalCrossentropy',
      optimizer: { type: 'adam', learningRate: 0.01 },
      seed: 3,
      backend,
    });

  it('predictBatch gives, row by row, exactly what predict gives', async () => {
    const net = await make('wasm');
    // predictBatch runs as many rows at a time as the batch buffers hold: training at 100 grows them.
    net.train(inputs, targets, { epochs: 1, batchSize: 100 });
    const batch = net.predictBatch(inputs);
    inputs.forEach((x, r) => expect(sameBits(batch[r], net.predict(x)), `row ${r}`).toBeUndefined());
    net.dispose();
  });

  it('weight gradients of a layer of 1024 units (δ copied through the spare gradient buffer) match js', async () => {
    // 70 inputs into 1024 units: the weight gradient is xᵀ·δ with m = 70 and δ's rows 4 KiB apart.
    const wide = (backend: 'wasm' | 'js') =>
      Network.create({ inputs: 70, layers: [{ units: 1024, activation: 'tanh' }, { units: 4, activation: 'softmax' }], loss: 'categoricalCrossentropy', seed: 5, backend });
    const x = Array.from({ length: 40 }, () => Array.from({ length: 70 }, rand));
    const y = x.map((row) => Array.from({ length: 4 }, (_, i) => (row[i] > row[(i + 1) % 4] ? 1 : 0)));
    const [wasm, js] = [await wide('wasm'), await wide('js')];
    const [ga, gb] = [wasm.computeGradients(x, y), js.computeGradients(x, y)];
    ga.forEach((layer, l) => {
      const scale = Math.max(...gb[l].kernel.map(Math.abs));
      layer.kernel.forEach((g, i) => expect(Math.abs(g - gb[l].kernel[i]), `layer ${l} kernel ${i}`).toBeLessThan(1e-5 * scale));
    });
    wasm.dispose();
    js.dispose();
  });

  it('training on wasm follows training on js', async () => {
    const [wasm, js] = [await make('wasm'), await make('js')];
    const options = { epochs: 20, batchSize: 100, shuffle: false };
    const [a, b] = [wasm.train(inputs, targets, options), js.train(inputs, targets, options)];
    expect(a.loss).toBeLessThan(a.history[0]);
    a.history.forEach((loss, e) => expect(Math.abs(loss - b.history[e]), `epoch ${e}`).toBeLessThan(1e-4 * b.history[e]));
    const [wa, wb] = [wasm.getWeights(), js.getWeights()];
    wa.forEach((layer, l) => layer.kernel.forEach((w, i) => expect(Math.abs(w - wb[l].kernel[i])).toBeLessThan(1e-4)));
    wasm.dispose();
    js.dispose();
  });
});
