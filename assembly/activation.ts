// Activations, forward and backward, side by side.
//
// Memory contract: f32, `count` contiguous elements (or rows×cols row-major for softmax). `out` may be
// the same buffer as an input (the host runs them in place); every element is read before it is written.
// Backward passes take the activation's output y, not its input: every derivative here is a function
// of y (sigmoid y(1−y), tanh 1−y², relu/leakyRelu/elu from the sign of y), so the forward pass keeps
// only one buffer per layer.

import {
  ACTIVATION_LINEAR, ACTIVATION_SIGMOID, ACTIVATION_TANH, ACTIVATION_RELU,
  ACTIVATION_LEAKY_RELU, ACTIVATION_ELU, ACTIVATION_SOFTMAX,
} from './codes';
import { vexp, vsigmoid, vtanh } from './vexp';

const LEAKY_SLOPE: f32 = 0.01;

/** out[count] = act(x[count]) for an element-wise activation (softmax goes through softmaxForward). */
export function activationForward(out: usize, x: usize, count: i32, activation: i32): void {
  const end = x + ((<usize>count) << 2);
  switch (activation) {
    case ACTIVATION_LINEAR: {
      if (out != x) memory.copy(out, x, end - x);
      break;
    }
    case ACTIVATION_SIGMOID: {
      // Two vectors per step: each is a long chain of dependent operations (exp's polynomial, a divide),
      // and two independent chains keep the multipliers busy while one waits.
      for (; x + 32 <= end; x += 32, out += 32) {
        const a = vsigmoid(v128.load(x));
        const b = vsigmoid(v128.load(x, 16));
        v128.store(out, a);
        v128.store(out, b, 16);
      }
      for (; x + 16 <= end; x += 16, out += 16) v128.store(out, vsigmoid(v128.load(x)));
      // The tail runs the same four-lane code as the body, on a splat: an element's value must not
      // depend on where it falls in the buffer (predict and predictBatch place a row differently).
      for (; x < end; x += 4, out += 4) {
        store<f32>(out, f32x4.extract_lane(vsigmoid(f32x4.splat(load<f32>(x))), 0));
      }
      break;
    }
    case ACTIVATION_TANH: {
      for (; x + 32 <= end; x += 32, out += 32) {
        const a = vtanh(v128.load(x));
        const b = vtanh(v128.load(x, 16));
        v128.store(out, a);
        v128.store(out, b, 16);
      }
      for (; x + 16 <= end; x += 16, out += 16) v128.store(out, vtanh(v128.load(x)));
      // As for sigmoid: the tail goes through the same four-lane code, so body and tail agree to the bit.
      for (; x < end; x += 4, out += 4) {
        store<f32>(out, f32x4.extract_lane(vtanh(f32x4.splat(load<f32>(x))), 0));
      }
      break;
    }
    case ACTIVATION_RELU: {
      const zero = f32x4.splat(0);
      for (; x + 16 <= end; x += 16, out += 16) v128.store(out, f32x4.max(v128.load(x), zero));
      for (; x < end; x += 4, out += 4) store<f32>(out, max<f32>(load<f32>(x), 0));
      break;
    }
    case ACTIVATION_LEAKY_RELU: {
      // Both sides computed, one kept by the sign: a branch per element mispredicts on mixed signs.
      const zero = f32x4.splat(0);
      const slope = f32x4.splat(LEAKY_SLOPE);
      for (; x + 16 <= end; x += 16, out += 16) {
        const v = v128.load(x);
        v128.store(out, v128.bitselect(v, f32x4.mul(v, slope), f32x4.gt(v, zero)));
      }
      for (; x < end; x += 4, out += 4) {
        const v = load<f32>(x);
        store<f32>(out, v > 0 ? v : v * LEAKY_SLOPE);
      }
      break;
    }
    case ACTIVATION_ELU: {
      for (; x < end; x += 4, out += 4) {
        const v = load<f32>(x);
        store<f32>(out, v > 0 ? v : Mathf.expm1(v));
      }
      break;
    }
    default: break;
  }
}

/** out[count] = grad[count] ⊙ act′, where act′ is read from the activation's output y[count]. */
export function activationBackward(out: usize, grad: usize, y: usize, count: i32, activation: i32): void {
  const end = y + ((<usize>count) << 2);
  switch (activation) {
    case ACTIVATION_LINEAR: {
      if (out != grad) memory.copy(out, grad, end - y);
      break;
    }
    case ACTIVATION_SIGMOID: {
      const one = f32x4.splat(1);
      for (; y + 16 <= end; y += 16, grad += 16, out += 16) {
        const v = v128.load(y);
        v128.store(out, f32x4.mul(v128.load(grad), f32x4.mul(v, f32x4.sub(one, v))));
      }
      for (; y < end; y += 4, grad += 4, out += 4) {
        const v = load<f32>(y);
        store<f32>(out, load<f32>(grad) * (v * (1 - v)));
      }
      break;
    }
    case ACTIVATION_TANH: {
      const one = f32x4.splat(1);
      for (; y + 16 <= end; y += 16, grad += 16, out += 16) {
        const v = v128.load(y);
        v128.store(out, f32x4.mul(v128.load(grad), f32x4.sub(one, f32x4.mul(v, v))));
      }
      for (; y < end; y += 4, grad += 4, out += 4) {
        const v = load<f32>(y);
        store<f32>(out, load<f32>(grad) * (1 - v * v));
      }
      break;
    }
    // relu, leakyRelu and elu pick by the sign of y with a lane mask, not a branch per element, which
    // mispredicts on mixed signs; the tails compute the same per element.
    case ACTIVATION_RELU: {
      const zero = f32x4.splat(0);
      for (; y + 16 <= end; y += 16, grad += 16, out += 16) {
        v128.store(out, v128.and(v128.load(grad), f32x4.gt(v128.load(y), zero)));
      }
      for (; y < end; y += 4, grad += 4, out += 4) {
        store<f32>(out, load<f32>(y) > 0 ? load<f32>(grad) : 0);
      }
      break;
    }
    case ACTIVATION_LEAKY_RELU: {
      const zero = f32x4.splat(0);
      const slope = f32x4.splat(LEAKY_SLOPE);
      for (; y + 16 <= end; y += 16, grad += 16, out += 16) {
        const g = v128.load(grad);
        v128.store(out, v128.bitselect(g, f32x4.mul(g, slope), f32x4.gt(v128.load(y), zero)));
      }
      for (; y < end; y += 4, grad += 4, out += 4) {
        const g = load<f32>(grad);
        store<f32>(out, load<f32>(y) > 0 ? g : g * LEAKY_SLOPE);
      }
      break;
    }
    case ACTIVATION_ELU: {
      // y = e^x − 1 for x ≤ 0, so the derivative e^x is y + 1.
      const zero = f32x4.splat(0);
      const one = f32x4.splat(1);
      for (; y + 16 <= end; y += 16, grad += 16, out += 16) {
        const v = v128.load(y);
        const g = v128.load(grad);
        v128.store(out, v128.bitselect(g, f32x4.mul(g, f32x4.add(v, one)), f32x4.gt(v, zero)));
      }
      for (; y < end; y += 4, grad += 4, out += 4) {
        const v = load<f32>(y);
        const g = load<f32>(grad);
        store<f32>(out, v > 0 ? g : g * (v + 1));
      }
      break;
    }
    default: break;
  }
}

/** out[rows×cols] = softmax of each row of x[rows×cols]. */
export function softmaxForward(out: usize, x: usize, rows: i32, cols: i32): void {
  const rowBytes = (<usize>cols) << 2;
  for (let r = 0; r < rows; r++) {
    const px = x + <usize>r * rowBytes;
    const po = out + <usize>r * rowBytes;
    // Shift by the row's maximum so that exp never overflows; the result is unchanged.
    const peak = rowMax(px, cols);
    let c = 0;
    let sums = f32x4.splat(0);
    const peaks = f32x4.splat(peak);
    for (; c + 4 <= cols; c += 4) {
      const at = (<usize>c) << 2;
      const e = vexp(f32x4.sub(v128.load(px + at), peaks));
      v128.store(po + at, e);
      sums = f32x4.add(sums, e);
    }
    let sum: f32 = (f32x4.extract_lane(sums, 0) + f32x4.extract_lane(sums, 1)) +
      (f32x4.extract_lane(sums, 2) + f32x4.extract_lane(sums, 3));
    for (; c < cols; c++) {
      const e = Mathf.exp(load<f32>(px + ((<usize>c) << 2)) - peak);
      store<f32>(po + ((<usize>c) << 2), e);
      sum += e;
    }
    const scale: f32 = 1 / sum;
    const scales = f32x4.splat(scale);
    for (c = 0; c + 4 <= cols; c += 4) {
      const at = po + ((<usize>c) << 2);
      v128.store(at, f32x4.mul(v128.load(at), scales));
    }
    for (; c < cols; c++) {
      const at = po + ((<usize>c) << 2);
      store<f32>(at, load<f32>(at) * scale);
    }
  }
}

/**
 * The largest of x[0..count) (count ≥ 1), or NaN if any is NaN. Four lanes at a time with pmax, which V8
 * turns into one instruction where f32x4.max and f32.max take several to propagate NaN; pmax instead
 * drops a NaN, so NaNs are caught by a separate self-compare. Which zero wins a tie of −0 and +0 may
 * differ from f32.max, and no softmax output can tell: x − (±0) only differs in the sign of a zero, and
 * exp(±0) = 1.
 */
@inline
function rowMax(x: usize, count: i32): f32 {
  let c = 0;
  let peak = load<f32>(x);
  if (count >= 8) {
    let peaks = v128.load(x);
    let nan = f32x4.ne(peaks, peaks);
    for (c = 4; c + 4 <= count; c += 4) {
      const v = v128.load(x + ((<usize>c) << 2));
      peaks = f32x4.pmax(peaks, v);
      nan = v128.or(nan, f32x4.ne(v, v));
    }
    if (v128.any_true(nan)) return NaN;
    peak = max<f32>(max<f32>(f32x4.extract_lane(peaks, 0), f32x4.extract_lane(peaks, 1)),
      max<f32>(f32x4.extract_lane(peaks, 2), f32x4.extract_lane(peaks, 3)));
  }
  for (; c < count; c++) peak = max<f32>(peak, load<f32>(x + ((<usize>c) << 2)));
  return peak;
}

/** out[rows×cols] = y ⊙ (grad − Σ_c grad·y) per row: the softmax Jacobian applied to grad. */
export function softmaxBackward(out: usize, grad: usize, y: usize, rows: i32, cols: i32): void {
  const rowBytes = (<usize>cols) << 2;
  for (let r = 0; r < rows; r++) {
    const offset = <usize>r * rowBytes;
    let inner: f32 = 0;
    for (let c = 0; c < cols; c++) {
      const at = offset + ((<usize>c) << 2);
      inner += load<f32>(grad + at) * load<f32>(y + at);
    }
    for (let c = 0; c < cols; c++) {
      const at = offset + ((<usize>c) << 2);
      store<f32>(out + at, load<f32>(y + at) * (load<f32>(grad + at) - inner));
    }
  }
}
