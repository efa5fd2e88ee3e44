// JS twin of assembly/dense.ts: product, bias and activation of one dense layer.

import { ACTIVATIONS } from '../codes.js';
import { gemm } from './matmul.js';
import { activationForward, softmaxForward } from './activation.js';

/** out[m×n] = act(x[m×k] · w[k×n] + bias[n]) */
export function dense(
  mem: Float32Array, out: number, x: number, w: number, bias: number,
  m: number, k: number, n: number, activation: number,
): void {
  gemm(mem, out, x, w, bias, m, k, n, k, 1);
  if (activation === ACTIVATIONS.softmax) softmaxForward(mem, out, out, m, n);
  else if (activation !== ACTIVATIONS.linear) activationForward(mem, out, out, m * n, activation);
}
