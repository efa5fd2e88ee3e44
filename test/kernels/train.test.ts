// inputGradient (assembly/train.ts and its twin): any seed on the outputs, carried back to the inputs,
// against central finite differences of an independent f64 forward pass; on shapes that reach every
// tail; and the parameters' gradients are left as they were. Both backends.
import { describe, expect, it } from 'vitest';
import type { Activation } from '../../src/index.js';
import { normalizeOptions } from '../../src/config.js';
import { Model } from '../../src/model.js';
import { bareBackend, BACKENDS } from '../helpers/backends.js';
import { forwardRef, seeded, type RefLayer } from '../helpers/reference.js';

interface Shape {
  inputs: number;
  layers: [number, Activation][];
  rows: number;
}

const SHAPES: Shape[] = [
  { inputs: 1, layers: [[1, 'linear']], rows: 1 },
  { inputs: 3, layers: [[4, 'tanh'], [2, 'sigmoid']], rows: 3 },
  { inputs: 4, layers: [[5, 'elu'], [3, 'softmax']], rows: 4 },
  { inputs: 9, layers: [[8, 'leakyRelu'], [17, 'relu'], [5, 'linear']], rows: 5 },
  { inputs: 17, layers: [[3, 'sigmoid'], [4, 'tanh']], rows: 9 },
];
const SENTINEL = 7.25;

describe.each(BACKENDS)('inputGradient on %s', (backend) => {
  for (const shape of SHAPES) {
    const name = `${shape.inputs} → ${shape.layers.map(([u, a]) => `${u} ${a}`).join(' → ')}, ${shape.rows} rows`;
    it(`carries any seed back to the inputs: ${name}`, async () => {
      const { backend: _, ...config } = normalizeOptions({
        inputs: shape.inputs, layers: shape.layers.map(([units, activation]) => ({ units, activation })), seed: 11,
      });
      const model = new Model(await bareBackend(backend), config);
      model.initialize();
      const rand = seeded(shape.inputs * 100 + shape.rows);
      // Random biases too: zero ones would leave every relu unit on the same side for rows near 0.
      model.setWeights(model.getWeights().map(({ kernel, bias }) => ({ kernel, bias: bias.map(() => rand(-1, 1)) })));
      model.ensureCapacity(shape.rows);
      const { layout, kernels } = model;
      const outputs = layout.outputs;
      const x = Array.from({ length: shape.rows }, () => Array.from({ length: shape.inputs }, () => rand(-2, 2)));
      const seed = Array.from({ length: shape.rows }, () => Array.from({ length: outputs }, () => rand(-1, 1)));

      const f32 = model.backend.f32;
      x.forEach((row, r) => f32.set(row, (layout.input >> 2) + r * shape.inputs));
      seed.forEach((row, r) => f32.set(row, (layout.target >> 2) + r * outputs));
      const grads = (layout.params + layout.gradOffset) >> 2;
      f32.fill(SENTINEL, grads, grads + (layout.paramBytes >> 2));
      kernels.forward(layout.descriptor, layout.input, shape.rows);
      const at = kernels.inputGradient(layout.descriptor, layout.target, shape.rows) >> 2;
      const got = model.backend.f32.slice(at, at + shape.rows * shape.inputs);

      const weights = model.getWeights();
      const ref: RefLayer[] = shape.layers.map(([units, activation], i) => ({
        inputs: i === 0 ? shape.inputs : shape.layers[i - 1][0], units, activation,
        kernel: Float64Array.from(weights[i].kernel), bias: Float64Array.from(weights[i].bias),
      }));
      /** Σ seed·outputs for row r at input p: what the kernel differentiates. */
      const weighted = (r: number, p: number[]) => forwardRef(ref, p).reduce((s, y, j) => s + seed[r][j] * y, 0);
      const h = 1e-6;
      for (let r = 0; r < shape.rows; r++) {
        for (let i = 0; i < shape.inputs; i++) {
          const up = [...x[r]];
          const down = [...x[r]];
          up[i] += h;
          down[i] -= h;
          const numeric = (weighted(r, up) - weighted(r, down)) / (2 * h);
          const analytic = got[r * shape.inputs + i];
          expect(
            Math.abs(analytic - numeric), `row ${r}, input ${i}: analytic ${analytic}, numeric ${numeric} (${name})`,
          ).toBeLessThan(2e-4 * Math.max(1, Math.abs(numeric)));
        }
      }
      const after = model.backend.f32.subarray(grads, grads + (layout.paramBytes >> 2));
      const touched = after.findIndex((v) => v !== SENTINEL);
      expect(touched, `parameters' gradient ${touched} was written`).toBe(-1);
    });
  }
});
