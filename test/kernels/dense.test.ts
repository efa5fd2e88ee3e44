// dense (product, bias and activation in one call) on both backends against an f64 reference written
// from the definitions, for all seven activations over odd and even shapes.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backends/backend.js';
import { ACTIVATIONS, ACTIVATION_NAMES, type Activation } from '../../src/codes.js';
import { Arena, BACKENDS, bareBackend } from '../helpers/backends.js';
import { expectClose, randomArray } from '../helpers/compare.js';
import { activate, seeded } from '../helpers/reference.js';

const SHAPES: [number, number, number][] = [
  [1, 1, 1], [1, 3, 4], [2, 4, 3], [3, 5, 7], [4, 8, 8], [5, 7, 9], [4, 16, 16], [7, 17, 17], [9, 12, 33],
  [8, 33, 5], [32, 128, 10],
];

/** act(x·w + bias) row by row in f64, and per element the scale of the pre-activation's rounding. */
function reference(x: Float32Array, w: Float32Array, bias: Float32Array, m: number, k: number, n: number, activation: Activation) {
  const value = new Float64Array(m * n);
  const magnitude = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const z: number[] = [];
    for (let j = 0; j < n; j++) {
      let sum = bias[j];
      let abs = Math.abs(bias[j]);
      for (let p = 0; p < k; p++) {
        sum += x[i * k + p] * w[p * n + j];
        abs += Math.abs(x[i * k + p] * w[p * n + j]);
      }
      z.push(sum);
      magnitude[i * n + j] = abs;
    }
    value.set(activate(z, activation), i * n);
    // A softmax output moves with every logit of its row: take the row's largest scale for each.
    if (activation === 'softmax') magnitude.fill(Math.max(...magnitude.subarray(i * n, (i + 1) * n)), i * n, (i + 1) * n);
  }
  return { value, magnitude };
}

describe.each(BACKENDS)('dense on %s', (backend) => {
  let bare: Backend;
  beforeAll(async () => {
    bare = await bareBackend(backend);
  });

  for (const activation of ACTIVATION_NAMES) {
    it(`${activation}: out = ${activation}(x·w + bias), shapes ${SHAPES.map((s) => s.join('×')).join(', ')}`, () => {
      for (const [m, k, n] of SHAPES) {
        const arena = new Arena(bare);
        const rand = seeded(m * 1009 + k * 31 + n + ACTIVATIONS[activation]);
        const x = randomArray(rand, m * k);
        const w = randomArray(rand, k * n);
        const bias = randomArray(rand, n);
        const out = arena.alloc(m * n);
        bare.kernels.dense(out, arena.put(x), arena.put(w), arena.put(bias), m, k, n, ACTIVATIONS[activation]);

        const what = `dense ${activation} on ${backend}, (m, k, n) = (${m}, ${k}, ${n})`;
        const { value, magnitude } = reference(x, w, bias, m, k, n, activation);
        // Every activation's slope is at most 1 (softmax's row sum of slopes at most ½), so the product's
        // rounding passes through no larger; the activation adds a few ulp of its own.
        const tolerance = (i: number) => 1e-5 * Math.sqrt(k + 1) * magnitude[i] + 1e-6 * Math.abs(value[i]) + 1e-7;
        expectClose(arena.read(out, m * n), value, tolerance, what, n);
        expect(arena.writtenGuard(), `${what}: outside out[m×n]`).toBeUndefined();
      }
    });
  }

  it('k = 0 gives act(bias) in every row', () => {
    for (const activation of ACTIVATION_NAMES) {
      const arena = new Arena(bare);
      const bias = randomArray(seeded(5), 6, -3, 3);
      const out = arena.alloc(2 * 6);
      bare.kernels.dense(out, arena.alloc(0), arena.alloc(0), arena.put(bias), 2, 0, 6, ACTIVATIONS[activation]);
      const row = activate(Array.from(bias), activation);
      const what = `dense ${activation} on ${backend}, (m, k, n) = (2, 0, 6)`;
      expectClose(arena.read(out, 12), [...row, ...row], { rtol: 1e-6, atol: 1e-7 }, what, 6);
      expect(arena.writtenGuard(), `${what}: outside out[m×n]`).toBeUndefined();
    }
  });
});
