// computeGradients against f64 central differences of an independent implementation
// (test/helpers/reference.ts), on random networks whose weights are set through setWeights.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Network } from '../../src/index.js';
import { BACKENDS } from '../helpers/backends.js';
import { dataFor, describeSpec, networkSpec, runs, timeout } from '../helpers/properties.js';
import { numericGradient, seeded, type RefLayer } from '../helpers/reference.js';

const RUNS = 25;
/** Parameters checked per kernel and per bias: a sample, since each costs two passes of the reference. */
const PROBES = 6;

describe.each(BACKENDS)('gradients on %s', (backend) => {
  it('match f64 central differences', async () => {
    await fc.assert(
      fc.asyncProperty(networkSpec(8), fc.nat(), async (spec, weightSeed) => {
        const net = await Network.create({ ...spec.options, backend });
        const { inputs, targets } = dataFor(spec);
        const what = describeSpec(spec);
        // Weights of the Glorot scale, f32 so that the network and the reference hold the same ones.
        const rand = seeded(weightSeed);
        let fanIn = spec.options.inputs;
        const ref: RefLayer[] = spec.options.layers.map((l) => {
          const limit = Math.sqrt(6 / (fanIn + l.units));
          const draw = (n: number) => Float64Array.from({ length: n }, () => Math.fround(rand(-limit, limit)));
          const layer = { inputs: fanIn, units: l.units, activation: l.activation!, kernel: draw(fanIn * l.units), bias: draw(l.units) };
          fanIn = l.units;
          return layer;
        });
        net.setWeights(ref.map((l) => ({ kernel: l.kernel, bias: l.bias })));

        const grads = net.computeGradients(inputs, targets);
        net.dispose();
        const loss = spec.options.loss!;
        ref.forEach((layer, l) => {
          for (const part of ['kernel', 'bias'] as const) {
            const values = layer[part];
            const analytic = grads[l][part];
            const peak = analytic.reduce((m, g) => Math.max(m, Math.abs(g)), 0);
            const count = Math.min(PROBES, values.length);
            for (let p = 0; p < count; p++) {
              const i = count === values.length ? p : Math.floor(rand() * values.length);
              const numeric = numericGradient(ref, inputs, targets, loss, values, i);
              const tolerance = 2e-4 * Math.max(Math.abs(numeric), 1e-2 * peak, 1e-3);
              expect(
                Math.abs(analytic[i] - numeric),
                `${what}: layer ${l} ${part}[${i}]: analytic ${analytic[i]}, numeric ${numeric}`,
              ).toBeLessThanOrEqual(tolerance);
            }
          }
        });
      }),
      runs(RUNS),
    );
  }, timeout(RUNS, 3_000));
});
