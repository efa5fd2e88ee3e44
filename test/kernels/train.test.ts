// inputGradient (assembly/train.ts and its twin): any seed on the outputs, carried back to the inputs,
// against central finite differences of an independent f64 forward pass; on shapes that reach every
// tail; and the parameters' gradients are left as they were. Both backends. Then forward past a row
// block of the packed panel, where it lends its products the gradient buffers (wasm).
import { describe, expect, it } from 'vitest';
import type { Activation } from '../../src/index.js';
import { normalizeOptions } from '../../src/config.js';
import { Model } from '../../src/model.js';
import { ACTIVATIONS } from '../../src/codes.js';
import { Arena, bareBackend, BACKENDS } from '../helpers/backends.js';
import { randomArray } from '../helpers/compare.js';
import { sameBits } from '../helpers/data.js';
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

describe('forward past 256 rows (wasm)', () => {
  it('copies B\'s strips into the gradient buffers, with the same bits as dense layer by layer without them', async () => {
    // 300 rows: two row blocks of the panel. 600 inputs: two depth blocks. 40 units: two 16-column
    // strips, then an 8-column one; 17: one strip and one column.
    const rows = 300;
    const inputs = 600;
    const layers: [number, Activation][] = [[40, 'tanh'], [17, 'linear']];
    const { backend: _, ...config } = normalizeOptions({
      inputs, layers: layers.map(([units, activation]) => ({ units, activation })), seed: 5,
    });
    const model = new Model(await bareBackend('wasm'), config);
    model.initialize();
    const rand = seeded(31);
    const weights = model.getWeights().map(({ kernel, bias }) => ({ kernel, bias: bias.map(() => rand(-1, 1)) }));
    model.setWeights(weights);
    model.ensureCapacity(rows);
    const { layout, kernels } = model;
    const x = randomArray(rand, rows * inputs);
    const f32 = model.backend.f32;
    f32.set(x, layout.input >> 2);
    const [scratch, spare] = layout.scratch;
    const scratchFloats = (2 * (spare - scratch)) >> 2;
    f32.fill(SENTINEL, scratch >> 2, (scratch >> 2) + scratchFloats);
    const out = kernels.forward(layout.descriptor, layout.input, rows) >> 2;
    const got = model.backend.f32.slice(out, out + rows * layers[1][0]);
    const written = model.backend.f32.subarray(scratch >> 2, (scratch >> 2) + scratchFloats).some((v) => v !== SENTINEL);
    expect(written, 'no strip was copied into the gradient buffers').toBe(true);

    // The same layers through dense on a bare backend: no panel, no scratch, the in-place tiles.
    const bare = await bareBackend('wasm');
    const arena = new Arena(bare);
    let input = arena.put(x);
    let width = inputs;
    for (const [i, [units, activation]] of layers.entries()) {
      const output = arena.alloc(rows * units);
      bare.kernels.dense(
        output, input, arena.put(weights[i].kernel), arena.put(weights[i].bias), rows, width, units, ACTIVATIONS[activation],
      );
      input = output;
      width = units;
    }
    expect(sameBits(got, arena.read(input, rows * width))).toBeUndefined();
  });
});
