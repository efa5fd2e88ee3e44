// Products fewer than 4 columns wide: no vector tile fits, so each element is one scalar sum.

import { open, SUM_DEPTH } from './start';

/** out[m×n] for n < 4, one scalar sum per element. */
export function narrow(
  out: usize, a: usize, b: usize, bias: usize, m: i32, k: i32, n: i32, aRowStride: i32, aDepthStride: i32,
): void {
  const rowStep = (<usize>aRowStride) << 2;
  const depthStep = (<usize>aDepthStride) << 2;
  const bStep = (<usize>n) << 2;
  for (let i = 0; i < m; i++) {
    const pa = a + <usize>i * rowStep;
    const po = out + <usize>i * bStep;
    for (let j = 0; j < n; j++) {
      const at = po + ((<usize>j) << 2);
      store<f32>(at, column(pa, b, open(bias, true, j), j, k, depthStep, bStep));
    }
  }
}

/** One output element: sum plus Σ_p A(row, p)·b[p×n + j], in partial sums after the first SUM_DEPTH terms (start.ts). */
@inline
function column(pa: usize, b: usize, sum: f32, j: i32, k: i32, depthStep: usize, bStep: usize): f32 {
  let pb = b + ((<usize>j) << 2);
  let p = 0;
  let part = sum;
  do {
    for (const stop = min(p + SUM_DEPTH, k); p < stop; p++) {
      part += load<f32>(pa) * load<f32>(pb);
      pa += depthStep;
      pb += bStep;
    }
    // The first block's sum is the element's running sum; later ones are added to it.
    if (p > SUM_DEPTH) sum += part; else sum = part;
    part = 0;
  } while (p < k);
  return sum;
}
