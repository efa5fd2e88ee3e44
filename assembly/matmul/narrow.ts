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
  const bStep = (<usize>n) << 2;
  for (let i = 0; i < m; i++) {
    const pa = a + <usize>i * rowStep;
    const po = out + <usize>i * bStep;
    for (let j = 0; j < n; j++) {
      const at = po + ((<usize>j) << 2);
      store<f32>(at, terms(pa, b + ((<usize>j) << 2), open(bias, true, j), k, depthStep, bStep));
    }
  }
}

/** The same deeper than SUM_DEPTH: the first SUM_DEPTH terms onto the start, then each further SUM_DEPTH summed apart and added (start.ts). */
function deepNarrow(
  out: usize, a: usize, b: usize, bias: usize, m: i32, k: i32, n: i32, aRowStride: i32, aDepthStride: i32,
): void {
  const rowStep = (<usize>aRowStride) << 2;
  const depthStep = (<usize>aDepthStride) << 2;
  const bStep = (<usize>n) << 2;
  const blockA = <usize>SUM_DEPTH * depthStep;
  const blockB = <usize>SUM_DEPTH * bStep;
  for (let i = 0; i < m; i++) {
    const pa = a + <usize>i * rowStep;
    const po = out + <usize>i * bStep;
    for (let j = 0; j < n; j++) {
      let qa = pa;
      let qb = b + ((<usize>j) << 2);
      let sum = terms(qa, qb, open(bias, true, j), SUM_DEPTH, depthStep, bStep);
      for (let p = SUM_DEPTH; p < k; p += SUM_DEPTH) {
        qa += blockA;
        qb += blockB;
        sum += terms(qa, qb, 0, min(SUM_DEPTH, k - p), depthStep, bStep);
      }
      store<f32>(po + ((<usize>j) << 2), sum);
    }
  }
}

/** sum + Σ_{p < count} A(row, p)·B(p, j), A's terms from pa (depthStep apart) and B's from pb (bStep apart). */
@inline
function terms(pa: usize, pb: usize, sum: f32, count: i32, depthStep: usize, bStep: usize): f32 {
  for (let p = 0; p < count; p++) {
    sum += load<f32>(pa) * load<f32>(pb);
    pa += depthStep;
    pb += bStep;
  }
  return sum;
}
