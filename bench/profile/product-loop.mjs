// @ts-check
// The process bench/profile/gemm.mjs samples under perf: one matrix product of engram's wasm backend,
// called over and over, with the peak loop (bench/peak/peak.mjs) timed in alternation, so both rates come
// from the same seconds of the machine. Prints one JSON line: both rates, the peak loop's share of the
// timed seconds, and its wasm function index (V8 names jitted wasm code by index, which is how the
// parent tells the peak loop's samples from the product's).
//
//   node --perf-prof bench/profile/product-loop.mjs <variant> <m> <k> <n> <seconds>

import { WasmBackend } from '../../dist/backends/wasm.js';
import { placeProduct } from '../lib/product.mjs';
import { gemmFlops, gflops, median } from '../lib/format.mjs';
import { peakFunction, FLOPS_PER_ITERATION } from '../peak/peak.mjs';

const [variant, ...rest] = process.argv.slice(2);
const [m, k, n, seconds] = rest.map(Number);
const backend = await WasmBackend.create();
const kernel = /** @type {(o: number, a: number, b: number, m: number, k: number, n: number) => void} */ (
  /** @type {any} */ (backend.kernels)[variant]);
if (!kernel) throw new Error(`no kernel ${variant}`);
const peak = peakFunction(false);
if (!peak) throw new Error('this engine has no WebAssembly SIMD');

// The same layout and lent scratch as the GEMM bench gives the product.
const { pa, pb, po } = placeProduct(backend, m, k, n);
// Inputs in [−1, 1) (a Lehmer generator: the peer libraries bench/lib/systems.mjs loads would add their
// start-up to the samples).
let seed = 1;
for (const [at, count] of [[pa, m * k], [pb, k * n]]) {
  for (let i = 0; i < count; i++) {
    seed = (seed * 48271) % 2147483647;
    backend.f32[(at >> 2) + i] = (seed / 2147483647) * 2 - 1;
  }
}

const flops = gemmFlops(m, k, n);
// About 10 ms of work per timed batch, for products of every size.
const calls = Math.max(1, Math.round(4e8 / flops));
// As many as bench/gemm.mjs's peak task runs a call (that module loads the peer libraries).
const PEAK_ITERATIONS = 20_000;
/** @type {number[]} */
const product = [];
let productMs = 0;
let peakMs = 0;
/** @type {number[]} */
const peaks = [];
const end = performance.now() + seconds * 1000;
while (performance.now() < end) {
  let start = performance.now();
  for (let c = 0; c < calls; c++) kernel(po, pa, pb, m, k, n);
  const productBatch = performance.now() - start;
  product.push(productBatch / calls);
  productMs += productBatch;
  start = performance.now();
  peak(PEAK_ITERATIONS);
  const peakCall = performance.now() - start;
  peaks.push(peakCall);
  peakMs += peakCall;
}
console.log(JSON.stringify({
  productGflops: gflops(flops, median(product)),
  peakGflops: gflops(FLOPS_PER_ITERATION * PEAK_ITERATIONS, median(peaks)),
  batches: product.length,
  peakShare: peakMs / (peakMs + productMs),
  // The peak module has one function.
  peakFunction: 0,
}));
