// How an output element's sum is built, shared by every path of A·B and Aᵀ·B (and A·Bᵀ through the
// panel; its dot products, dots.ts, keep four sums of their own): from its start (the bias for `dense`,
// whose every row starts there, or zero), the terms of its first SUM_DEPTH depths one by one; then each
// further SUM_DEPTH terms summed apart, from zero, and added to it. Cache and panel blocks along the
// depth (KC, PANEL_DEPTH) are whole numbers of these, so a later cache block's first partial sum is
// added to what out already holds (`accumulate` in the paths' parameters).
//
// Why partial sums: added one by one onto a running total, every term is rounded to the total's
// precision, and at a depth of 1024 that error reached 2.4e-5 of the result in f32 (either build).
// Summed 128 at a time, no term is added to a sum of more than 128 terms; only the blocks' sums meet
// the total. Measured on 1024³ products of uniform [−1, 1) values (all three variants; 20,000 outputs
// each against an f64 sum): worst 1.5–2.4e-5 → 0.8–1.0e-5; the plain and relaxed builds' worst
// disagreement over all outputs 1.06–1.08e-5 → 7.9–8.6e-6. 64 at a time did better (5.2–7.3e-6 and
// 6.7–8.1e-6) and cost twice as much, against one long sum: a single MNIST digit through 784→128
// (predict's first layer) 7–13% slower against 4–7%, the relaxed build's large products up to 7%
// against up to 4%. Each block after the first costs the tile one load, one add and one store per
// accumulator, against 128 multiply-adds; a lone row's blocks of listed terms also cost a loop exit
// each (lone-row.ts). Up to 128 deep, nothing changes.

/** Terms per partial sum along the depth. A divisor of every cache and panel depth (KC, PANEL_DEPTH). */
export const SUM_DEPTH = 128;

/** A block's opening sum for one element: its start (bias or zero) in the sum's first block, else zero. */
@inline
export function open(bias: usize, first: bool, j: i32): f32 {
  return first && bias != 0 ? load<f32>(bias + ((<usize>j) << 2)) : 0;
}

/** The same for four lanes: bias[jb..jb+16 bytes) or zeros. */
@inline
export function open4(bias: usize, first: bool, jb: usize): v128 {
  return first && bias != 0 ? v128.load(bias + jb) : f32x4.splat(0);
}

/** Four lanes of a block's sums back to out at `at`: as they are after the first block, else added to what it holds. */
@inline
export function close4(at: usize, c: v128, first: bool): void {
  if (first) {
    v128.store(at, c);
  } else {
    v128.store(at, f32x4.add(v128.load(at), c));
  }
}

/** A column's four rows (rowBytes apart from o): their opening sums, one vector (see open). */
@inline
export function openStrip(bias: usize, first: bool, j: i32): v128 {
  return f32x4.splat(open(bias, first, j));
}

/** A column's four sums back to its four rows (rowBytes apart from o), as close4 does. */
@inline
export function closeStrip(o: usize, rowBytes: usize, c: v128, first: bool): void {
  if (!first) {
    let held = f32x4.splat(load<f32>(o));
    held = f32x4.replace_lane(held, 1, load<f32>(o + rowBytes));
    held = f32x4.replace_lane(held, 2, load<f32>(o + 2 * rowBytes));
    held = f32x4.replace_lane(held, 3, load<f32>(o + 3 * rowBytes));
    c = f32x4.add(held, c);
  }
  store<f32>(o, f32x4.extract_lane(c, 0));
  store<f32>(o + rowBytes, f32x4.extract_lane(c, 1));
  store<f32>(o + 2 * rowBytes, f32x4.extract_lane(c, 2));
  store<f32>(o + 3 * rowBytes, f32x4.extract_lane(c, 3));
}
