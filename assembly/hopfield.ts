// Associative memory (src/hopfield/): the classical memory's fields, update sweeps and learning-rule
// updates, and the modern memory's attention step.
//
// Memory contract: f32, row-major, contiguous. `weights` is size×size, symmetric with a zero diagonal;
// the kernels that write it keep it so (the diagonal is set to zero, not computed, so that no rounding
// ever leaves a self-coupling behind). States, fields and patterns hold `size` values each, `patterns`
// `count` of them back to back; `order` holds `size` i32 unit indices. Vectors go four lanes at a time,
// then one by one, so every size from 1 up is exact and nothing past a buffer's end is read or written.
// Outputs never alias inputs.

import { madd } from './madd';
import { vexp } from './vexp';

/** Σ a[i]·b[i] over `size` values. */
@inline
function dot(a: usize, b: usize, size: i32): f32 {
  const end = a + ((<usize>size) << 2);
  let acc = f32x4.splat(0);
  for (; a + 16 <= end; a += 16, b += 16) acc = madd(v128.load(a), v128.load(b), acc);
  let sum: f32 = (f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1)) +
    (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
  for (; a < end; a += 4, b += 4) sum += load<f32>(a) * load<f32>(b);
  return sum;
}

/** out[size] += alpha · x[size] */
@inline
function axpy(out: usize, x: usize, size: i32, alpha: f32): void {
  const end = x + ((<usize>size) << 2);
  const a = f32x4.splat(alpha);
  for (; x + 16 <= end; x += 16, out += 16) v128.store(out, madd(a, v128.load(x), v128.load(out)));
  for (; x < end; x += 4, out += 4) store<f32>(out, alpha * load<f32>(x) + load<f32>(out));
}

@inline
function zeroDiagonal(weights: usize, size: i32): void {
  const step = ((<usize>size) + 1) << 2;
  for (let i = 0; i < size; i++) store<f32>(weights + <usize>i * step, 0);
}

/** out[size] = weights[size×size] · state[size]: every unit's local field. */
export function hopfieldField(out: usize, weights: usize, state: usize, size: i32): void {
  const rowBytes = (<usize>size) << 2;
  for (let i = 0; i < size; i++) {
    store<f32>(out + ((<usize>i) << 2), dot(weights + <usize>i * rowBytes, state, size));
  }
}

/**
 * One asynchronous sweep: units in `order` each take the sign of their field, a zero field keeping the
 * unit as it is (the tie rule under which the energy never rises). `field` must hold weights·state on
 * entry and still does on return: a flip of unit i changes every field by 2·sᵢ·wᵢⱼ (weights are
 * symmetric), one row's work, instead of a whole product per unit. Returns the number of flips.
 */
export function hopfieldSweep(state: usize, field: usize, weights: usize, order: usize, size: i32): i32 {
  const rowBytes = (<usize>size) << 2;
  let flips = 0;
  for (let t = 0; t < size; t++) {
    const i = <usize>load<i32>(order + ((<usize>t) << 2));
    const at = i << 2;
    const s = load<f32>(state + at);
    if (load<f32>(field + at) * s < 0) {
      store<f32>(state + at, -s);
      axpy(field, weights + i * rowBytes, size, -2 * s);
      flips++;
    }
  }
  return flips;
}

/**
 * One synchronous update: out[size] = sign(field), where a zero field keeps the unit's state. Returns the
 * number of units that changed.
 */
export function hopfieldSync(out: usize, field: usize, state: usize, size: i32): i32 {
  const end = field + ((<usize>size) << 2);
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  const minusOne = f32x4.splat(-1);
  // Changed lanes are all ones (−1 as i32): subtracting them counts them.
  let changed = i32x4.splat(0);
  for (; field + 16 <= end; field += 16, state += 16, out += 16) {
    const h = v128.load(field);
    const s = v128.load(state);
    const next = v128.bitselect(one, v128.bitselect(minusOne, s, f32x4.lt(h, zero)), f32x4.gt(h, zero));
    v128.store(out, next);
    changed = i32x4.sub(changed, f32x4.ne(next, s));
  }
  let count = i32x4.extract_lane(changed, 0) + i32x4.extract_lane(changed, 1) +
    i32x4.extract_lane(changed, 2) + i32x4.extract_lane(changed, 3);
  for (; field < end; field += 4, state += 4, out += 4) {
    const h = load<f32>(field);
    const s = load<f32>(state);
    const next: f32 = h > 0 ? 1 : h < 0 ? -1 : s;
    store<f32>(out, next);
    if (next != s) count++;
  }
  return count;
}

/**
 * weights[size×size] += scale · Σ vᵣ·vᵣᵀ over vectors[count×size], diagonal zero: the Hebbian rule
 * (vectors the patterns) and the projection rule (vectors an orthonormal basis of them). Row by row, so
 * that each row of weights stays in cache while every vector adds to it.
 */
export function hopfieldOuter(weights: usize, vectors: usize, count: i32, size: i32, scale: f32): void {
  const rowBytes = (<usize>size) << 2;
  for (let i = 0; i < size; i++) {
    const row = weights + <usize>i * rowBytes;
    for (let r = 0; r < count; r++) {
      const v = vectors + <usize>r * rowBytes;
      axpy(row, v, size, scale * load<f32>(v + ((<usize>i) << 2)));
    }
  }
  zeroDiagonal(weights, size);
}

/**
 * One pattern ξ learned by Storkey's rule (1997), with field[size] = weights·ξ computed beforehand:
 * wᵢⱼ += (ξᵢξⱼ − ξᵢhⱼᵢ − hᵢⱼξⱼ)/size, where hᵢⱼ = Σ_{k≠i,j} wᵢₖξₖ = hᵢ − wᵢⱼξⱼ (zero diagonal). Each
 * element needs only its own old value, so rows update in place; the upper triangle is then copied onto
 * the lower, because wᵢⱼ and wⱼᵢ round differently and the energy needs exact symmetry.
 */
export function hopfieldStorkey(weights: usize, field: usize, pattern: usize, size: i32): void {
  const rowBytes = (<usize>size) << 2;
  const end = (<usize>size) << 2;
  const n = <f32>size;
  const inverse = f32x4.splat(1 / n);
  for (let i = 0; i < size; i++) {
    const row = weights + <usize>i * rowBytes;
    const xi = load<f32>(pattern + ((<usize>i) << 2));
    const hi = load<f32>(field + ((<usize>i) << 2));
    const vxi = f32x4.splat(xi);
    const vhi = f32x4.splat(hi);
    const vxi2 = f32x4.splat(xi * xi);
    let j: usize = 0;
    for (; j + 16 <= end; j += 16) {
      const xj = v128.load(pattern + j);
      const w = v128.load(row + j);
      // ξᵢ(ξⱼ − hⱼ) − hᵢξⱼ + wᵢⱼ(ξᵢ² + ξⱼ²)
      let d = f32x4.mul(vxi, f32x4.sub(xj, v128.load(field + j)));
      d = f32x4.sub(d, f32x4.mul(vhi, xj));
      d = madd(w, f32x4.add(vxi2, f32x4.mul(xj, xj)), d);
      v128.store(row + j, madd(d, inverse, w));
    }
    for (; j < end; j += 4) {
      const xj = load<f32>(pattern + j);
      const w = load<f32>(row + j);
      const d = xi * (xj - load<f32>(field + j)) - hi * xj + w * (xi * xi + xj * xj);
      store<f32>(row + j, d * (1 / n) + w);
    }
  }
  for (let i = 0; i < size; i++) {
    for (let j = i + 1; j < size; j++) {
      store<f32>(weights + <usize>j * rowBytes + ((<usize>i) << 2), load<f32>(weights + <usize>i * rowBytes + ((<usize>j) << 2)));
    }
  }
  zeroDiagonal(weights, size);
}

/**
 * The modern memory's update (Ramsauer et al. 2020): probs[count] = softmax(β · patterns·state), then
 * out[size] = patternsᵀ · probs. Returns log Σₖ exp(β·xₖ·state), for the energy. The softmax is shifted
 * by its largest score so that exp never overflows, whatever β and the patterns' norms.
 */
export function hopfieldAttend(
  out: usize, probs: usize, patterns: usize, state: usize, count: i32, size: i32, beta: f32,
): f32 {
  const rowBytes = (<usize>size) << 2;
  let peak: f32 = -Infinity;
  for (let k = 0; k < count; k++) {
    const score = beta * dot(patterns + <usize>k * rowBytes, state, size);
    store<f32>(probs + ((<usize>k) << 2), score);
    peak = max<f32>(peak, score);
  }
  const end = probs + ((<usize>count) << 2);
  const peaks = f32x4.splat(peak);
  let sums = f32x4.splat(0);
  let p = probs;
  for (; p + 16 <= end; p += 16) {
    const e = vexp(f32x4.sub(v128.load(p), peaks));
    v128.store(p, e);
    sums = f32x4.add(sums, e);
  }
  let sum: f32 = (f32x4.extract_lane(sums, 0) + f32x4.extract_lane(sums, 1)) +
    (f32x4.extract_lane(sums, 2) + f32x4.extract_lane(sums, 3));
  for (; p < end; p += 4) {
    const e = Mathf.exp(load<f32>(p) - peak);
    store<f32>(p, e);
    sum += e;
  }
  const inverse: f32 = 1 / sum;
  memory.fill(out, 0, rowBytes);
  for (let k = 0; k < count; k++) {
    const at = probs + ((<usize>k) << 2);
    const weight = load<f32>(at) * inverse;
    store<f32>(at, weight);
    axpy(out, patterns + <usize>k * rowBytes, size, weight);
  }
  return peak + Mathf.log(sum);
}
