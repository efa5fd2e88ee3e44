// JS twin of assembly/activation.ts. Same contract: element counts, in-place allowed, backward passes
// read the activation's output y.

import { ACTIVATIONS } from '../codes.js';

const LEAKY_SLOPE = 0.01;

/** out[count] = act(x[count]) for an element-wise activation. */
export function activationForward(mem: Float32Array, out: number, x: number, count: number, activation: number): void {
  for (let i = 0; i < count; i++) mem[out + i] = activate(mem[x + i], activation);
}

/** out[count] = grad[count] ⊙ act′, read from the activation's output y[count]. */
export function activationBackward(
  mem: Float32Array, out: number, grad: number, y: number, count: number, activation: number,
): void {
  for (let i = 0; i < count; i++) mem[out + i] = mem[grad + i] * derivative(mem[y + i], activation);
}

/** out[rows×cols] = softmax of each row of x[rows×cols]. */
export function softmaxForward(mem: Float32Array, out: number, x: number, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const px = x + r * cols;
    const po = out + r * cols;
    let peak = -Infinity;
    for (let c = 0; c < cols; c++) peak = Math.max(peak, mem[px + c]);
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      const e = Math.exp(mem[px + c] - peak);
      mem[po + c] = e;
      sum += e;
    }
    for (let c = 0; c < cols; c++) mem[po + c] /= sum;
  }
}

/** out[rows×cols] = y ⊙ (grad − Σ_c grad·y) per row. */
export function softmaxBackward(
  mem: Float32Array, out: number, grad: number, y: number, rows: number, cols: number,
): void {
  for (let r = 0; r < rows; r++) {
    const offset = r * cols;
    let inner = 0;
    for (let c = 0; c < cols; c++) inner += mem[grad + offset + c] * mem[y + offset + c];
    for (let c = 0; c < cols; c++) mem[out + offset + c] = mem[y + offset + c] * (mem[grad + offset + c] - inner);
  }
}

export function activate(x: number, activation: number): number {
  switch (activation) {
    case ACTIVATIONS.sigmoid: return sigmoid(x);
    case ACTIVATIONS.tanh: return Math.tanh(x);
    // x > 0 is false for NaN, which must pass through (as the wasm kernel's f32x4.max passes it).
    case ACTIVATIONS.relu: return x > 0 || x !== x ? x : 0;
    case ACTIVATIONS.leakyRelu: return x > 0 ? x : x * LEAKY_SLOPE;
    case ACTIVATIONS.elu: return x > 0 ? x : Math.expm1(x);
    default: return x;
  }
}

function derivative(y: number, activation: number): number {
  switch (activation) {
    case ACTIVATIONS.sigmoid: return y * (1 - y);
    case ACTIVATIONS.tanh: return 1 - y * y;
    case ACTIVATIONS.relu: return y > 0 ? 1 : 0;
    case ACTIVATIONS.leakyRelu: return y > 0 ? 1 : LEAKY_SLOPE;
    case ACTIVATIONS.elu: return y > 0 ? 1 : y + 1;
    default: return 1;
  }
}

// On −|x|, reflected: exp never overflows and the small side keeps its relative precision.
function sigmoid(x: number): number {
  const e = Math.exp(-Math.abs(x));
  return x >= 0 ? 1 / (1 + e) : e / (1 + e);
}
