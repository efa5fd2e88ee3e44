// An independent f64 implementation of a dense network's forward pass and loss, written from the
// definitions (not from src/): what the gradient checks differentiate numerically.
import type { Activation, Loss } from '../../src/index.js';

export interface RefLayer {
  inputs: number;
  units: number;
  activation: Activation;
  kernel: Float64Array;
  bias: Float64Array;
}

export function activate(z: number[], activation: Activation): number[] {
  switch (activation) {
    case 'linear': return z;
    case 'sigmoid': return z.map((v) => 1 / (1 + Math.exp(-v)));
    case 'tanh': return z.map(Math.tanh);
    case 'relu': return z.map((v) => (v > 0 ? v : 0));
    case 'leakyRelu': return z.map((v) => (v > 0 ? v : 0.01 * v));
    case 'elu': return z.map((v) => (v > 0 ? v : Math.exp(v) - 1));
    case 'softmax': {
      const peak = Math.max(...z);
      const e = z.map((v) => Math.exp(v - peak));
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / s);
    }
  }
}

export function forwardRef(layers: RefLayer[], x: ArrayLike<number>): number[] {
  let a = Array.from(x);
  for (const l of layers) {
    const z = new Array<number>(l.units).fill(0).map((_, j) => {
      let s = l.bias[j];
      for (let i = 0; i < l.inputs; i++) s += a[i] * l.kernel[i * l.units + j];
      return s;
    });
    a = activate(z, l.activation);
  }
  return a;
}

const EPS = 1e-7;
const clip = (p: number) => Math.min(Math.max(p, EPS), 1 - EPS);

/** One sample's loss (Keras/TF.js definitions). */
export function sampleLoss(p: number[], y: ArrayLike<number>, loss: Loss): number {
  const n = p.length;
  let s = 0;
  for (let j = 0; j < n; j++) {
    const e = p[j] - y[j];
    switch (loss) {
      case 'mse': s += e * e / n; break;
      case 'mae': s += Math.abs(e) / n; break;
      case 'huber': s += (Math.abs(e) <= 1 ? 0.5 * e * e : Math.abs(e) - 0.5) / n; break;
      case 'binaryCrossentropy': s += -(y[j] * Math.log(clip(p[j])) + (1 - y[j]) * Math.log(1 - clip(p[j]))) / n; break;
      case 'categoricalCrossentropy': s += -y[j] * Math.log(clip(p[j])); break;
    }
  }
  return s;
}

export function meanLossRef(layers: RefLayer[], xs: ArrayLike<number>[], ys: ArrayLike<number>[], loss: Loss): number {
  let total = 0;
  for (let i = 0; i < xs.length; i++) total += sampleLoss(forwardRef(layers, xs[i]), ys[i], loss);
  return total / xs.length;
}

/** ∂(mean loss)/∂values[i] by f64 central differences of step h, where values is a kernel or bias of one of the layers. */
export function numericGradient(
  layers: RefLayer[], xs: ArrayLike<number>[], ys: ArrayLike<number>[], loss: Loss, values: Float64Array, i: number, h = 1e-6,
): number {
  const keep = values[i];
  values[i] = keep + h;
  const up = meanLossRef(layers, xs, ys, loss);
  values[i] = keep - h;
  const down = meanLossRef(layers, xs, ys, loss);
  values[i] = keep;
  return (up - down) / (2 * h);
}

/** Seeded uniform numbers in [lo, hi). */
export function seeded(seed: number): (lo?: number, hi?: number) => number {
  let s = seed >>> 0;
  return (lo = 0, hi = 1) => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return lo + (((t ^ (t >>> 14)) >>> 0) / 4294967296) * (hi - lo);
  };
}
