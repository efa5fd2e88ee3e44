// Model files: exact round trips, determinism, and resuming training where it stopped.
import { describe, expect, it } from 'vitest';
import { Network, type NetworkOptions } from '../../src/index.js';
import { BACKENDS } from '../helpers/backends.js';
import { WORKED_X, WORKED_Y, sameBits } from '../helpers/data.js';

const options = (backend: 'wasm' | 'js', optimizer: NetworkOptions['optimizer'] = 'adam'): NetworkOptions => ({
  inputs: 2,
  layers: [{ units: 5, activation: 'tanh' }, { units: 3, activation: 'elu' }, { units: 1 }],
  optimizer,
  seed: 1234,
  backend,
});

describe.each(BACKENDS)('model files on %s', (backend) => {
  it('round-trip through JSON text bit-identically', async () => {
    const net = await Network.create(options(backend));
    net.train(WORKED_X, WORKED_Y, { epochs: 30, batchSize: 2 });
    const text = JSON.stringify(net);
    const copy = await Network.fromJSON(text, { backend });
    const a = net.getWeights();
    const b = copy.getWeights();
    a.forEach((layer, l) => {
      expect(sameBits(layer.kernel, b[l].kernel), `layer ${l} kernel`).toBeUndefined();
      expect(sameBits(layer.bias, b[l].bias), `layer ${l} bias`).toBeUndefined();
    });
    for (const x of WORKED_X) expect(sameBits(net.predict(x), copy.predict(x))).toBeUndefined();
    expect(JSON.stringify(copy)).toBe(text);
  });

  it('are deterministic and do not record the backend', async () => {
    const net = await Network.create(options(backend));
    const first = JSON.stringify(net.toJSON());
    expect(JSON.stringify(net.toJSON())).toBe(first);
    expect(first).not.toContain(backend === 'wasm' ? '"wasm"' : '"js"');
    expect(net.toJSON()).toMatchObject({ format: 'engram-network', version: 1, inputs: 2, loss: 'mse', seed: 1234 });
  });

  for (const optimizer of ['sgd', { type: 'sgd', momentum: 0.9 }, 'adam', 'rmsprop'] as const) {
    const name = typeof optimizer === 'string' ? optimizer : 'sgd+momentum';
    it(`resume training exactly where it stopped (${name})`, async () => {
      const straight = await Network.create(options(backend, optimizer));
      straight.train(WORKED_X, WORKED_Y, { epochs: 20, batchSize: 3 });
      const resumedFrom = await Network.create(options(backend, optimizer));
      resumedFrom.train(WORKED_X, WORKED_Y, { epochs: 10, batchSize: 3 });
      const resumed = await Network.fromJSON(resumedFrom.toJSON(), { backend });
      resumed.train(WORKED_X, WORKED_Y, { epochs: 10, batchSize: 3 });
      expect(JSON.stringify(resumed)).toBe(JSON.stringify(straight));
    });
  }

  it('load on the other backend with the same weights', async () => {
    const net = await Network.create(options(backend));
    net.train(WORKED_X, WORKED_Y, { epochs: 5 });
    const other = backend === 'wasm' ? 'js' : 'wasm';
    const copy = await Network.fromJSON(net.toJSON(), { backend: other });
    expect(copy.backend).toBe(other);
    expect(JSON.stringify(copy)).toBe(JSON.stringify(net));
    for (const x of WORKED_X) expect(copy.predict(x)[0]).toBeCloseTo(net.predict(x)[0], 4);
  });
});

describe('seeds', () => {
  it('the same seed gives bit-identical weights and training on each backend', async () => {
    for (const backend of BACKENDS) {
      const [a, b] = await Promise.all([Network.create(options(backend)), Network.create(options(backend))]);
      expect(JSON.stringify(a)).toBe(JSON.stringify(b));
      const ra = a.train(WORKED_X, WORKED_Y, { epochs: 25, batchSize: 2 });
      const rb = b.train(WORKED_X, WORKED_Y, { epochs: 25, batchSize: 2 });
      expect(ra).toEqual(rb);
      expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    }
  });

  it('the initial weights do not depend on the backend', async () => {
    const [w, j] = await Promise.all(BACKENDS.map((b) => Network.create(options(b))));
    expect(JSON.stringify(w)).toBe(JSON.stringify(j));
  });

  it('different seeds give different weights; no seed draws one and reports it', async () => {
    const a = await Network.create({ ...options('js'), seed: 1 });
    const b = await Network.create({ ...options('js'), seed: 2 });
    expect(JSON.stringify(a.getWeights()[0].kernel)).not.toBe(JSON.stringify(b.getWeights()[0].kernel));
    const { seed: _, ...unseeded } = options('js');
    const c = await Network.create(unseeded);
    const again = await Network.create({ ...unseeded, seed: c.seed });
    expect(JSON.stringify(again)).toBe(JSON.stringify(c));
  });

  it('initializes Glorot-uniform (He-uniform for the relu family) with zero biases', async () => {
    const net = await Network.create({
      inputs: 300,
      layers: [{ units: 200, activation: 'relu' }, { units: 100, activation: 'tanh' }],
      seed: 9,
      backend: 'js',
    });
    const [relu, tanh] = net.getWeights();
    const bound = (values: Float32Array) => values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const he = Math.sqrt(6 / 300);
    const glorot = Math.sqrt(6 / (200 + 100));
    expect(bound(relu.kernel)).toBeLessThanOrEqual(he);
    expect(bound(relu.kernel)).toBeGreaterThan(0.99 * he);
    expect(bound(tanh.kernel)).toBeLessThanOrEqual(glorot);
    expect(bound(tanh.kernel)).toBeGreaterThan(0.99 * glorot);
    // Uniform: variance limit²/3.
    const variance = tanh.kernel.reduce((s, v) => s + v * v, 0) / tanh.kernel.length;
    expect(variance).toBeCloseTo(glorot ** 2 / 3, 3);
    expect(relu.bias.every((v) => v === 0) && tanh.bias.every((v) => v === 0)).toBe(true);
  });
});

describe('many networks at once', () => {
  it('trained interleaved, each ends bit-identical to the same network trained alone', async () => {
    const specs = BACKENDS.flatMap((backend) => [3, 7, 16].map((units) => ({ backend, units })));
    const make = ({ backend, units }: { backend: 'wasm' | 'js'; units: number }) =>
      Network.create({ inputs: 2, layers: [{ units, activation: 'sigmoid' }, { units: 1 }], seed: units, backend });
    const together = await Promise.all(specs.map(make));
    for (let round = 0; round < 5; round++) {
      for (const net of together) net.train(WORKED_X, WORKED_Y, { epochs: 7, batchSize: 3 });
      // Memory growth in one network in the middle of the others' training.
      together[round % together.length].predictBatch(Array.from({ length: 500 }, () => [1, 2]));
    }
    for (let i = 0; i < specs.length; i++) {
      const alone = await make(specs[i]);
      for (let round = 0; round < 5; round++) alone.train(WORKED_X, WORKED_Y, { epochs: 7, batchSize: 3 });
      expect(JSON.stringify(together[i]), `${specs[i].backend} ${specs[i].units}`).toBe(JSON.stringify(alone));
    }
  });
});
