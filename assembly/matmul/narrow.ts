// Products fewer than 4 columns wide: no vector tile fits, so each element is one scalar sum.

import { open, SUM_DEPTH } from './start';

/**
 * out[m×n] for n < 4, one scalar sum per element. Inlined into gemm: a small network's step is a handful
 * of these, a few terms deep, and a call more showed (4×2·2×2 ran 20% slower in a function of its own).
 */
@inline
export function narrow(
  out: usize, a: usize, b: usize, bias: usize, m: i32, k: i32, n: i32, aRowStride: i32, aDepthStride: i32,
): void {
  if (k > SUM_DEPTH) {
    deepNarrow(out, a, b, bias, m, k, n, aRowStride, aDepthStride);
    return;
  }
  const rowStep = (<usize>aRowStride) << 2;
  const depthStep = (<usize>aDepthStride) << 2;
  // One loop for each width, n a constant in each (narrowRows is inlined).
  if (n == 1) narrowRows(out, a, b, bias, true, m, k, 1, rowStep, depthStep);
  else if (n == 2) narrowRows(out, a, b, bias, true, m, k, 2, rowStep, depthStep);
  else if (n == 3) narrowRows(out, a, b, bias, true, m, k, 3, rowStep, depthStep);
}

/**
 * The same deeper than SUM_DEPTH, a block at a time (start.ts): the first onto the starts, each further
 * one summed apart and added to out. (Apart from narrow, so that gemm, where narrow is inlined, does
 * not grow: run within narrow, the block loop cost the worked example's step 170 to 190 instructions
 * more.)
 */
function deepNarrow(
  out: usize, a: usize, b: usize, bias: usize, m: i32, k: i32, n: i32, aRowStride: i32, aDepthStride: i32,
): void {
  const rowStep = (<usize>aRowStride) << 2;
  const depthStep = (<usize>aDepthStride) << 2;
  const bStep = (<usize>n) << 2;
  for (let p = 0; p < k; p += SUM_DEPTH) {
    const first = p == 0;
    const depth = min(SUM_DEPTH, k - p);
    const pa = a + <usize>p * depthStep;
    const pb = b + <usize>p * bStep;
    if (n == 1) narrowRows(out, pa, pb, bias, first, m, depth, 1, rowStep, depthStep);
    else if (n == 2) narrowRows(out, pa, pb, bias, first, m, depth, 2, rowStep, depthStep);
    else if (n == 3) narrowRows(out, pa, pb, bias, first, m, depth, 3, rowStep, depthStep);
  }
}

/**
 * One block of `depth` terms for a row's `width` columns (1 to 3, a constant where this is inlined), in
 * one pass, side by side: each term of A is loaded once for all of them, and the loop is paid once per
 * row, not once per element. Each element is its own scalar sum, from its start in the first block
 * (`first`), else from zero and added to out. Against one loop per element, interleaved, with the same
 * bits: 4×2·2×2 1.4× as fast, 4×2·2×1 1.1–1.2×, 64×50·50×3 2.0–2.2×, 6×784·784×3 2.6×. The worked
 * example's step ran 2–14% faster, most while the machine was slow, where the time follows the number
 * of instructions: callgrind counted 3,470 per step against 3,890–3,960 (the whole process over 100,000
 * steps).
 */
@inline
function narrowRows(
  out: usize, a: usize, b: usize, bias: usize, first: bool, m: i32, depth: i32, width: i32,
  rowStep: usize, depthStep: usize,
): void {
  const bStep = (<usize>width) << 2;
  const start0 = open(bias, first, 0);
  const start1 = width > 1 ? open(bias, first, 1) : 0;
  const start2 = width > 2 ? open(bias, first, 2) : 0;
  let pa = a;
  let po = out;
  for (let i = 0; i < m; i++) {
    let s0 = start0, s1 = start1, s2 = start2;
    let pd = pa;
    let pb = b;
    for (let p = 0; p < depth; p++) {
      const x = load<f32>(pd);
      s0 += x * load<f32>(pb);
      if (width > 1) s1 += x * load<f32>(pb, 4);
      if (width > 2) s2 += x * load<f32>(pb, 8);
      pd += depthStep;
      pb += bStep;
    }
    if (!first) {
      s0 = load<f32>(po) + s0;
      if (width > 1) s1 = load<f32>(po, 4) + s1;
      if (width > 2) s2 = load<f32>(po, 8) + s2;
    }
    store<f32>(po, s0);
    if (width > 1) store<f32>(po, s1, 4);
    if (width > 2) store<f32>(po, s2, 8);
    pa += rowStep;
    po += bStep;
  }
}
