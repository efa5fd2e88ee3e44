// matmul, matmulTN and matmulNT on both backends against a naive f64 product, over shapes that reach
// every tail of the WebAssembly tiling: rows by 4 then 1, columns by 8, 4 (16, 4 for lone rows) then 1,
// products under 4 columns wide as scalar sums (deeper than a cache block too),
// matmulNT's dot products by 4 along k (and its scalar path below k = 4), and GEMM's 256×256 blocks.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backends/backend.js';
import { Arena, BACKENDS, bareBackend } from '../helpers/backends.js';
import { expectClose, randomArray } from '../helpers/compare.js';
import { sameBits } from '../helpers/data.js';
import { seeded } from '../helpers/reference.js';

type Product = 'matmul' | 'matmulTN' | 'matmulNT';
const PRODUCTS: Product[] = ['matmul', 'matmulTN', 'matmulNT'];

/** Below, at and above 4 and 8, primes, and sizes that fill several tiles. */
const SIZES = [1, 2, 3, 4, 5, 7, 8, 9, 12, 16, 17, 33, 64];
/** A dense network's products (batch 64 of MNIST into 128 units; 128 units into 10 classes), and
 * shapes past GEMM's 256-deep, 256-wide cache blocks. */
const LARGE: [number, number, number][] = [[64, 784, 128], [32, 128, 10], [4, 256, 256], [5, 257, 263], [9, 520, 17], [6, 300, 3]];

/** Where A(i, p) and B(p, j) sit in the stored a and b of each product. */
function layout(product: Product, m: number, k: number, n: number) {
  return {
    a: product === 'matmulTN' ? (i: number, p: number) => p * m + i : (i: number, p: number) => i * k + p,
    b: product === 'matmulNT' ? (p: number, j: number) => j * k + p : (p: number, j: number) => p * n + j,
  };
}

/** The product in f64, and Σ|A(i,p)·B(p,j)| per element: the scale its rounding error is measured against. */
function reference(product: Product, a: Float32Array, b: Float32Array, m: number, k: number, n: number) {
  const at = layout(product, m, k, n);
  const value = new Float64Array(m * n);
  const magnitude = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      let abs = 0;
      for (let p = 0; p < k; p++) {
        const term = a[at.a(i, p)] * b[at.b(p, j)];
        sum += term;
        abs += Math.abs(term);
      }
      value[i * n + j] = sum;
      magnitude[i * n + j] = abs;
    }
  }
  return { value, magnitude };
}

/** Runs one product on fresh memory and checks the output, the inputs and every guard. */
function check(backend: Backend, product: Product, m: number, k: number, n: number): void {
  const arena = new Arena(backend);
  const rand = seeded(m * 10007 + k * 101 + n);
  const a = randomArray(rand, m * k);
  const b = randomArray(rand, k * n);
  const pa = arena.put(a);
  const pb = arena.put(b);
  const out = arena.alloc(m * n);
  backend.kernels[product](out, pa, pb, m, k, n);

  const what = `${product} on ${backend.name}, (m, k, n) = (${m}, ${k}, ${n})`;
  const { value, magnitude } = reference(product, a, b, m, k, n);
  // f32 sums of k terms: rounding grows like √k, relative to the terms' own size.
  const tolerance = (i: number) => 1e-5 * Math.sqrt(k) * magnitude[i];
  expectClose(arena.read(out, m * n), value, tolerance, what, n);
  expect(arena.writtenGuard(), `${what}: outside out[m×n]`).toBeUndefined();
  expect(sameBits(arena.read(pa, m * k), a), `${what}: a changed`).toBeUndefined();
  expect(sameBits(arena.read(pb, k * n), b), `${what}: b changed`).toBeUndefined();
}

describe.each(BACKENDS)('matrix products on %s', (name) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await bareBackend(name);
  });

  for (const product of PRODUCTS) {
    for (const m of SIZES) {
      it(`${product}: m = ${m}, every k and n in [${SIZES.join(', ')}]`, () => {
        for (const k of SIZES) {
          for (const n of SIZES) check(backend, product, m, k, n);
        }
      });
    }

    it(`${product}: large shapes ${LARGE.map((s) => s.join('×')).join(', ')}`, () => {
      for (const [m, k, n] of LARGE) check(backend, product, m, k, n);
    });

    it(`${product}: k = 0 gives zeros`, () => {
      for (const [m, n] of [[1, 1], [3, 5], [4, 8], [5, 17]]) check(backend, product, m, 0, n);
    });
  }
});
