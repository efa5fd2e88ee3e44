// A lone row (a single-sample predict, or the last m mod 4 rows) first lists its nonzero values, each with
// the byte offset of its row of B, in TERMS; the tiles then run over that list alone. Inputs are often
// mostly exact zeros (an MNIST digit's background is 81% of its pixels; one-hot codes; ReLU outputs),
// and a zero term cannot change a sum: s + 0·w is s for every finite w, except that a sum of exactly
// −0 would turn +0, which needs a bias of −0 (training never makes one). Weights are finite (every
// way in checks them). So each element is the same sum, in the same order, as the 4-row tiles compute,
// whatever the density. A row with fewer zeros than a quarter runs in place, after one vectorised count.
// The list (KC terms of 8 bytes) lives in PANEL, whose strips are done with by the time lone rows run:
// static memory is part of every network's footprint, which target 5 holds to 1.1× of the ideal.

import { madd } from '../madd';
import { PANEL } from './scratch';
import { start, start4 } from './start';

const TERMS = PANEL;

/**
 * Columns [jb, je) of one row of out (at po) = its start + Σ_p A(p)·B(p, j), A(p) at pa + p·depthStep
 * and B's row p at b + p·bStep.
 */
@inline
export function loneRow(
  po: usize, pa: usize, b: usize, bias: usize, accumulate: bool, jb: i32, je: i32, k: i32,
  depthStep: usize, bStep: usize,
): void {
  // Listing pays where at least a quarter of a contiguous row is zeros; a denser row runs in place.
  const list = depthStep == 4 && nonzeros(pa, k) * 4 <= k * 3 ? gatherTerms(pa, k, bStep) : 0;
  let j = jb;
  for (; j + 16 <= je; j += 16) tile1x16(po, pa, b, bias, accumulate, j, k, depthStep, bStep, list);
  for (; j + 4 <= je; j += 4) tile1x4(po, pa, b, bias, accumulate, j, k, depthStep, bStep, list);
  if (j < je) rowLastColumns(po, pa, b, bias, accumulate, j, je - j, k, depthStep, bStep, list);
}

/** How many of a[0..k) are nonzero: four at a time, each lane's compare mask (−1 or 0) subtracted. */
@inline
function nonzeros(pa: usize, k: i32): i32 {
  let count = i32x4.splat(0);
  const zero = f32x4.splat(0);
  const whole = pa + ((<usize>(k & ~3)) << 2);
  const end = pa + ((<usize>k) << 2);
  for (; pa < whole; pa += 16) count = i32x4.sub(count, f32x4.ne(v128.load(pa), zero));
  let total = i32x4.extract_lane(count, 0) + i32x4.extract_lane(count, 1) + i32x4.extract_lane(count, 2) + i32x4.extract_lane(count, 3);
  for (; pa < end; pa += 4) total += i32(load<f32>(pa) != 0);
  return total;
}

/** Lists a contiguous row's nonzero values (k ≤ KC of them), each with B(p)'s byte offset; returns the list's end. */
@inline
function gatherTerms(pa: usize, k: i32, bStep: usize): usize {
  let e = TERMS;
  let offset: u32 = 0;
  const step = <u32>bStep;
  const whole = pa + ((<usize>(k & ~3)) << 2);
  const end = pa + ((<usize>k) << 2);
  const zero = f32x4.splat(0);
  while (pa < end) {
    // Four zeros at once (a digit's background comes in long runs), then one at a time.
    if (pa < whole && !v128.any_true(f32x4.ne(v128.load(pa), zero))) {
      pa += 16;
      offset += step << 2;
      continue;
    }
    const stop = min(pa + 16, end);
    for (; pa < stop; pa += 4) {
      const v = load<f32>(pa);
      // Written always, kept only when nonzero: no branch to mispredict at the edges of a digit's strokes.
      store<f32>(e, v);
      store<u32>(e, offset, 4);
      e += select<usize>(8, 0, v != 0);
      offset += step;
    }
  }
  return e;
}

// A lone row (m below 4, or the last rows of m): one accumulator would be a chain of dependent adds, so
// four run side by side over sixteen columns. With `list` (the end of its TERMS), the row's nonzero terms
// are read from there; otherwise (list = 0) all k, in place.
@inline
function tile1x16(
  po: usize, pa: usize, b: usize, bias: usize, accumulate: bool, j: i32, k: i32, depthStep: usize, bStep: usize,
  list: usize,
): void {
  const jb = (<usize>j) << 2;
  const o = po + jb;
  let c0 = start4(o, bias, accumulate, jb);
  let c1 = start4(o + 16, bias, accumulate, jb + 16);
  let c2 = start4(o + 32, bias, accumulate, jb + 32);
  let c3 = start4(o + 48, bias, accumulate, jb + 48);
  if (list != 0) {
    const bj = b + jb;
    for (let e = TERMS; e < list; e += 8) {
      const a0 = v128.load32_splat(e);
      const pb = bj + <usize>load<u32>(e, 4);
      c0 = madd(a0, v128.load(pb), c0);
      c1 = madd(a0, v128.load(pb, 16), c1);
      c2 = madd(a0, v128.load(pb, 32), c2);
      c3 = madd(a0, v128.load(pb, 48), c3);
    }
  } else {
    let pb = b + jb;
    let p0 = pa;
    for (let p = 0; p < k; p++) {
      const a0 = v128.load32_splat(p0);
      c0 = madd(a0, v128.load(pb), c0);
      c1 = madd(a0, v128.load(pb, 16), c1);
      c2 = madd(a0, v128.load(pb, 32), c2);
      c3 = madd(a0, v128.load(pb, 48), c3);
      pb += bStep;
      p0 += depthStep;
    }
  }
  v128.store(o, c0);
  v128.store(o, c1, 16);
  v128.store(o, c2, 32);
  v128.store(o, c3, 48);
}

@inline
function tile1x4(
  po: usize, pa: usize, b: usize, bias: usize, accumulate: bool, j: i32, k: i32, depthStep: usize, bStep: usize,
  list: usize,
): void {
  const jb = (<usize>j) << 2;
  let c0 = start4(po + jb, bias, accumulate, jb);
  if (list != 0) {
    const bj = b + jb;
    for (let e = TERMS; e < list; e += 8) c0 = madd(v128.load32_splat(e), v128.load(bj + <usize>load<u32>(e, 4)), c0);
  } else {
    let pb = b + jb;
    let p0 = pa;
    for (let p = 0; p < k; p++) {
      c0 = madd(v128.load32_splat(p0), v128.load(pb), c0);
      pb += bStep;
      p0 += depthStep;
    }
  }
  v128.store(po + jb, c0);
}

/**
 * A lone row's last `width` columns (1 to 3) from j, side by side in the lanes of one vector (lane c is
 * column j + c; a missing column, and lane 3, reread column j and are never stored), so each element is
 * its start plus the terms in depth order, one `madd` each: the same operations as the 4-row strips'
 * last columns (lastColumns), fused in the relaxed build as they are. (Scalar sums would round the
 * product apart there, and the same row would come out differently alone and in a batch.) From TERMS
 * up to `list` when that is not 0.
 */
@inline
function rowLastColumns(
  po: usize, pa: usize, b: usize, bias: usize, accumulate: bool, j: i32, width: i32, k: i32,
  depthStep: usize, bStep: usize, list: usize,
): void {
  const o = po + ((<usize>j) << 2);
  const second: usize = width > 1 ? 4 : 0;
  const third: usize = width > 2 ? 8 : 0;
  let c = f32x4.splat(start(o, bias, accumulate, j));
  c = f32x4.replace_lane(c, 1, start(o + second, bias, accumulate, j + (width > 1 ? 1 : 0)));
  c = f32x4.replace_lane(c, 2, start(o + third, bias, accumulate, j + (width > 2 ? 2 : 0)));
  const bj = b + ((<usize>j) << 2);
  if (list != 0) {
    for (let e = TERMS; e < list; e += 8) {
      const pb = bj + <usize>load<u32>(e, 4);
      c = madd(v128.load32_splat(e), columns3(pb, second, third), c);
    }
  } else {
    let pb = bj;
    for (let p = 0; p < k; p++) {
      c = madd(v128.load32_splat(pa), columns3(pb, second, third), c);
      pa += depthStep;
      pb += bStep;
    }
  }
  store<f32>(o, f32x4.extract_lane(c, 0));
  if (width > 1) store<f32>(o + 4, f32x4.extract_lane(c, 1));
  if (width > 2) store<f32>(o + 8, f32x4.extract_lane(c, 2));
}

/** [p[0], p[second], p[third], p[0]]: up to three adjacent columns of one row of B. */
@inline
function columns3(p: usize, second: usize, third: usize): v128 {
  let v = v128.load32_splat(p);
  v = f32x4.replace_lane(v, 1, load<f32>(p + second));
  return f32x4.replace_lane(v, 2, load<f32>(p + third));
}
