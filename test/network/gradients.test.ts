// computeGradients against central finite differences of an independent f64 implementation, for every
// activation × loss pair, on both backends.
import { describe, expect, it } from 'vitest';
import { Network, type Activation, type Loss } from '../../src/index.js';
import { BACKENDS } from '../helpers/backends.js';
import { forwardRef, numericGradient, seeded, type RefLayer } from '../helpers/reference.js';

const ACTIVATIONS: Activation[] = ['linear', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'elu', 'softmax'];
const LOSSES: Loss[] = ['mse', 'mae', 'huber', 'binaryCrossentropy', 'categoricalCrossentropy'];

function targetsFor(loss: Loss, rand: (lo?: number, hi?: number) => number, rows: number, units: number): number[][] {
  return Array.from({ length: rows }, () => {
    if (loss === 'categoricalCrossentropy') {
      const hot = Math.floor(rand() * units);
      return Array.from({ length: units }, (_, j) => (j === hot ? 1 : 0));
    }
    if (loss === 'binaryCrossentropy') return Array.from({ length: units }, () => (rand() < 0.5 ? 0 : 1));
    return Array.from({ length: units }, () => rand(-1.5, 1.5));
  });
}

describe.each(BACKENDS)('computeGradients on %s', (backend) => {
  for (const activation of ACTIVATIONS) {
    for (const loss of LOSSES) {
      it(`matches finite differences: ${activation} output, ${loss}`, async () => {
        const hidden: Activation = activation === 'softmax' ? 'tanh' : activation;
        const net = await Network.create({
          inputs: 3,
          layers: [{ units: 5, activation: hidden }, { units: 3, activation }],
          loss,
          seed: 7,
          backend,
        });
        const rand = seeded(ACTIVATIONS.indexOf(activation) * 31 + LOSSES.indexOf(loss));
        const xs = Array.from({ length: 6 }, () => [rand(-1, 1), rand(-1, 1), rand(-1, 1)]);
        const ys = targetsFor(loss, rand, 6, 3);

        const weights = net.getWeights();
        const ref: RefLayer[] = net.layers.map((l, i) => ({
          inputs: i === 0 ? 3 : net.layers[i - 1].units,
          units: l.units,
          activation: l.activation,
          kernel: Float64Array.from(weights[i].kernel),
          bias: Float64Array.from(weights[i].bias),
        }));

        // The forward pass itself agrees with the reference.
        const predicted = net.predictBatch(xs);
        xs.forEach((x, r) => {
          const expected = forwardRef(ref, x);
          expected.forEach((v, j) => expect(predicted[r][j], `prediction [${r}][${j}]`).toBeCloseTo(v, 5));
        });

        const grads = net.computeGradients(xs, ys);
        ref.forEach((layer, li) => {
          for (const part of ['kernel', 'bias'] as const) {
            const values = layer[part];
            for (let i = 0; i < values.length; i++) {
              const numeric = numericGradient(ref, xs, ys, loss, values, i);
              const analytic = grads[li][part][i];
              const tolerance = 2e-4 * Math.max(1, Math.abs(numeric));
              expect(
                Math.abs(analytic - numeric),
                `layer ${li} ${part}[${i}]: analytic ${analytic}, numeric ${numeric}`,
              ).toBeLessThan(tolerance);
            }
          }
        });
        net.dispose();
      });
    }
  }
});
