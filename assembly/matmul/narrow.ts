// Products fewer than 4 columns wide: no vector tile fits, so each element is one scalar sum.

import { start } from './start';

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
      store<f32>(at, column(pa, b, start(at, bias, false, j), j, k, depthStep, bStep));
    }
  }
}

/** One output element: sum + Σ_p A(row, p)·b[p×n + j]. */
@inline
function column(pa: usize, b: usize, sum: f32, j: i32, k: i32, depthStep: usize, bStep: usize): f32 {
  let pb = b + ((<usize>j) << 2);
  for (let p = 0; p < k; p++) {
    sum += load<f32>(pa) * load<f32>(pb);
    pa += depthStep;
    pb += bStep;
  }
  return sum;
}
