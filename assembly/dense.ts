// A dense layer's forward pass in one call: product, bias and activation.
//
// Memory contract: as assembly/matmul.ts; out[m×n] must not alias x or w. The bias seeds the product's
// accumulators, so adding it costs no pass of its own; the activation then runs over out in place
// (softmax row by row, once each row is complete).

import { gemm } from './matmul';
import { activationForward, softmaxForward } from './activation';
import { ACTIVATION_LINEAR, ACTIVATION_SOFTMAX } from './codes';

/** out[m×n] = act(x[m×k] · w[k×n] + bias[n]) */
export function dense(out: usize, x: usize, w: usize, bias: usize, m: i32, k: i32, n: i32, activation: i32): void {
  gemm(out, x, w, bias, m, k, n, k, 1);
  if (activation == ACTIVATION_SOFTMAX) softmaxForward(out, out, m, n);
  else if (activation != ACTIVATION_LINEAR) activationForward(out, out, m * n, activation);
}
