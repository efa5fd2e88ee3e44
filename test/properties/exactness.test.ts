// What must hold bit for bit on random networks: a model file's JSON round trip (weights, optimizer
// state and the training that follows), and predictBatch against predict, row by row.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Network } from '../../src/index.js';
import { BACKENDS } from '../helpers/backends.js';
import { sameBits } from '../helpers/data.js';
import { dataFor, describeSpec, networkSpec, runs, timeout, trainOptions, trainOptionsFor } from '../helpers/properties.js';

const RUNS = 25;

describe.each(BACKENDS)('on %s', (backend) => {
  it('a JSON round trip is bit-identical, and so is the training that follows', async () => {
    await fc.assert(
      fc.asyncProperty(networkSpec(), trainOptions, async (spec, options) => {
        const { inputs, targets } = dataFor(spec);
        const what = describeSpec(spec);
        const net = await Network.create({ ...spec.options, backend });
        // Some training first, so that the optimizer's state and the shuffle stream are not at their start.
        const train = trainOptionsFor(options, spec.rows);
        net.train(inputs, targets, train);
        const text = JSON.stringify(net);
        const copy = await Network.fromJSON(text, { backend });
        expect(JSON.stringify(copy), what).toBe(text);
        const [a, b] = [net.getWeights(), copy.getWeights()];
        a.forEach((layer, l) => {
          expect(sameBits(layer.kernel, b[l].kernel), `${what}: layer ${l} kernel`).toBeUndefined();
          expect(sameBits(layer.bias, b[l].bias), `${what}: layer ${l} bias`).toBeUndefined();
        });
        const [pa, pb] = [net.predictBatch(inputs), copy.predictBatch(inputs)];
        pa.forEach((row, r) => expect(sameBits(row, pb[r]), `${what}: prediction ${r}`).toBeUndefined());
        // The other backend reads the same file to the same file.
        const other = await Network.fromJSON(text, { backend: backend === 'wasm' ? 'js' : 'wasm' });
        expect(JSON.stringify(other), `${what}: read on the other backend`).toBe(text);
        other.dispose();
        const ra = net.train(inputs, targets, train);
        const rb = copy.train(inputs, targets, train);
        expect(rb, what).toEqual(ra);
        expect(JSON.stringify(copy), `${what}: after training on`).toBe(JSON.stringify(net));
        net.dispose();
        copy.dispose();
      }),
      runs(RUNS),
    );
  }, timeout(RUNS, 2_000));

  it('any float32 weights (−0, subnormals, ±3.4e38) survive a JSON round trip bit for bit', async () => {
    const weight = fc.oneof(
      fc.float({ noNaN: true, noDefaultInfinity: true }),
      fc.constantFrom(-0, 0, 1.4e-45, -1.4e-45, 3.4028234663852886e38, -3.4028234663852886e38),
    );
    await fc.assert(
      fc.asyncProperty(networkSpec(4), fc.array(weight, { minLength: 1, maxLength: 64 }), async (spec, pool) => {
        const net = await Network.create({ ...spec.options, backend });
        // The pool's values, round and round, in every kernel and bias.
        let next = 0;
        const draw = (n: number) => Array.from({ length: n }, () => pool[next++ % pool.length]);
        net.setWeights(net.getWeights().map((l) => ({ kernel: draw(l.kernel.length), bias: draw(l.bias.length) })));
        const copy = await Network.fromJSON(JSON.stringify(net), { backend });
        const what = describeSpec(spec);
        const [a, b] = [net.getWeights(), copy.getWeights()];
        a.forEach((layer, l) => {
          expect(sameBits(layer.kernel, b[l].kernel), `${what}: layer ${l} kernel`).toBeUndefined();
          expect(sameBits(layer.bias, b[l].bias), `${what}: layer ${l} bias`).toBeUndefined();
        });
        const { inputs } = dataFor(spec);
        const [pa, pb] = [net.predictBatch(inputs), copy.predictBatch(inputs)];
        pa.forEach((row, r) => expect(sameBits(row, pb[r]), `${what}: prediction ${r}`).toBeUndefined());
        net.dispose();
        copy.dispose();
      }),
      runs(RUNS),
    );
  }, timeout(RUNS, 1_000));

  it('predictBatch gives, row by row, exactly what predict gives', async () => {
    await fc.assert(
      fc.asyncProperty(networkSpec(70), async (spec) => {
        const { inputs } = dataFor(spec);
        const net = await Network.create({ ...spec.options, backend });
        const batch = net.predictBatch(inputs);
        inputs.forEach((x, r) => {
          expect(sameBits(batch[r], net.predict(x)), `${describeSpec(spec)}: row ${r}`).toBeUndefined();
        });
        net.dispose();
      }),
      runs(RUNS),
    );
  }, timeout(RUNS, 1_000));
});
