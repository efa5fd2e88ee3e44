// The in-place tiles: four rows of out at a time, B read along its rows where it lies, A either where
// it lies or (Aᵀ·B) first packed into a 4-row strip. The packed panel (panel.ts) and Aᵀ·B's block copies
// (blocks.ts) run the same micro-kernels, kernel2x16 and kernel4x8, on copies of B.

import { madd } from '../madd';
import { PANEL } from './scratch';
import { start4, startStrip, storeStrip } from './start';

// A 4×8 block of out lives in eight f32x4 accumulators across the whole depth loop: per step, two loads
// of B and four broadcasts of A feed eight multiply-adds, so loads never outnumber arithmetic.
//
// A 2×16 block (kernel2x16) keeps the same eight accumulators and six loads per step, but has one row
// address to compute per step instead of three: V8 computes each row's address with an instruction of
// its own, and on x64 those compete for the ports that do the arithmetic. It is the tile wherever 16
// columns remain (here, and against the packed panel, panel.ts). Measured against 4×8, interleaved:
// the loop alone in L1, plain +8%, relaxed +10%; whole products 2–14% faster in both builds while the
// machine is slow (most of the time here); in its fast spells, few rounds, from −6% to +4%. Wider
// tiles do not fit: V8 x64 allocates fifteen vector registers, and issues all of a step's loads before
// its arithmetic, so six rows by eight spilled four accumulators to the stack. (A 3×12 tile, nine
// chains for the relaxed build's fused multiply-adds, measured 0–8% slower than 2×16 there.)
@inline
export function tile4x8(
  po: usize, pa: usize, b: usize, bias: usize, accumulate: bool, j: i32, k: i32, n: i32,
  rowStep: usize, depthStep: usize, bStep: usize,
): void {
  const jb = (<usize>j) << 2;
  kernel4x8(po + jb, (<usize>n) << 2, pa, rowStep, depthStep, b + jb, bStep, k, bias, accumulate, jb);
}

/**
 * out's 4×8 block at o (rows outRow bytes apart) = its start + Σ_p A(r, p)·B(p, 0..8), with A(r, p) at
 * pa + r·rowStep + p·depthStep and B's row p at pb + p·bStep; `column` is the block's byte offset into
 * the bias. The in-place tiles and the packed panel both run this loop.
 */
@inline
export function kernel4x8(
  o: usize, outRow: usize, pa: usize, rowStep: usize, depthStep: usize, pb: usize, bStep: usize, k: i32,
  bias: usize, accumulate: bool, column: usize,
): void {
  let c00 = start4(o, bias, accumulate, column), c01 = start4(o + 16, bias, accumulate, column + 16);
  let c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01;
  if (accumulate) {
    c10 = v128.load(o + outRow); c11 = v128.load(o + outRow, 16);
    c20 = v128.load(o + 2 * outRow); c21 = v128.load(o + 2 * outRow, 16);
    c30 = v128.load(o + 3 * outRow); c31 = v128.load(o + 3 * outRow, 16);
  }
  // The loop runs on B's pointer alone (no separate counter): one add and one compare fewer per step.
  const end = pb + <usize>k * bStep;
  let p0 = pa;
  for (; pb < end; pb += bStep, p0 += depthStep) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    const a0 = v128.load32_splat(p0);
    const a1 = v128.load32_splat(p0 + rowStep);
    const a2 = v128.load32_splat(p0 + 2 * rowStep);
    const a3 = v128.load32_splat(p0 + 3 * rowStep);
    c00 = madd(a0, b0, c00); c01 = madd(a0, b1, c01);
    c10 = madd(a1, b0, c10); c11 = madd(a1, b1, c11);
    c20 = madd(a2, b0, c20); c21 = madd(a2, b1, c21);
    c30 = madd(a3, b0, c30); c31 = madd(a3, b1, c31);
  }
  v128.store(o, c00); v128.store(o, c01, 16);
  v128.store(o + outRow, c10); v128.store(o + outRow, c11, 16);
  v128.store(o + 2 * outRow, c20); v128.store(o + 2 * outRow, c21, 16);
  v128.store(o + 3 * outRow, c30); v128.store(o + 3 * outRow, c31, 16);
}

/** Out's four rows from row pa (A's rows rowStep apart) at columns j to j+15: two 2×16 tiles. */
@inline
export function tile2x16Pair(
  po: usize, pa: usize, b: usize, bias: usize, accumulate: bool, j: i32, k: i32, n: i32,
  rowStep: usize, depthStep: usize, bStep: usize,
): void {
  const jb = (<usize>j) << 2;
  const outRow = (<usize>n) << 2;
  kernel2x16(po + jb, outRow, pa, rowStep, depthStep, b + jb, bStep, k, bias, accumulate, jb);
  kernel2x16(po + 2 * outRow + jb, outRow, pa + 2 * rowStep, rowStep, depthStep, b + jb, bStep, k, bias, accumulate, jb);
}

/**
 * out's 2×16 block at o (rows outRow bytes apart) = its start + Σ_p A(r, p)·B(p, 0..16), with A(r, p) at
 * pa + r·rowStep + p·depthStep and B's row p at pb + p·bStep (see the note at the top).
 */
@inline
export function kernel2x16(
  o: usize, outRow: usize, pa: usize, rowStep: usize, depthStep: usize, pb: usize, bStep: usize, k: i32,
  bias: usize, accumulate: bool, column: usize,
): void {
  let c00 = start4(o, bias, accumulate, column);
  let c01 = start4(o + 16, bias, accumulate, column + 16);
  let c02 = start4(o + 32, bias, accumulate, column + 32);
  let c03 = start4(o + 48, bias, accumulate, column + 48);
  let c10 = c00, c11 = c01, c12 = c02, c13 = c03;
  if (accumulate) {
    c10 = v128.load(o + outRow); c11 = v128.load(o + outRow, 16);
    c12 = v128.load(o + outRow, 32); c13 = v128.load(o + outRow, 48);
  }
  const end = pb + <usize>k * bStep;
  let p0 = pa;
  for (; pb < end; pb += bStep, p0 += depthStep) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    const b2 = v128.load(pb, 32);
    const b3 = v128.load(pb, 48);
    const a0 = v128.load32_splat(p0);
    const a1 = v128.load32_splat(p0 + rowStep);
    c00 = madd(a0, b0, c00); c01 = madd(a0, b1, c01); c02 = madd(a0, b2, c02); c03 = madd(a0, b3, c03);
    c10 = madd(a1, b0, c10); c11 = madd(a1, b1, c11); c12 = madd(a1, b2, c12); c13 = madd(a1, b3, c13);
  }
  v128.store(o, c00); v128.store(o, c01, 16); v128.store(o, c02, 32); v128.store(o, c03, 48);
  v128.store(o + outRow, c10); v128.store(o + outRow, c11, 16);
  v128.store(o + outRow, c12, 32); v128.store(o + outRow, c13, 48);
}

@inline
export function tile4x4(
  po: usize, pa: usize, b: usize, bias: usize, accumulate: bool, j: i32, k: i32, n: i32,
  rowStep: usize, depthStep: usize, bStep: usize,
): void {
  const jb = (<usize>j) << 2;
  const rowBytes = (<usize>n) << 2;
  const o = po + jb;
  let c0 = start4(o, bias, accumulate, jb);
  let c1 = c0, c2 = c0, c3 = c0;
  if (accumulate) {
    c1 = v128.load(o + rowBytes);
    c2 = v128.load(o + 2 * rowBytes);
    c3 = v128.load(o + 3 * rowBytes);
  }
  let pb = b + jb;
  let p0 = pa;
  for (let p = 0; p < k; p++) {
    const b0 = v128.load(pb);
    c0 = madd(v128.load32_splat(p0), b0, c0);
    c1 = madd(v128.load32_splat(p0 + rowStep), b0, c1);
    c2 = madd(v128.load32_splat(p0 + 2 * rowStep), b0, c2);
    c3 = madd(v128.load32_splat(p0 + 3 * rowStep), b0, c3);
    pb += bStep;
    p0 += depthStep;
  }
  v128.store(o, c0);
  v128.store(o + rowBytes, c1);
  v128.store(o + 2 * rowBytes, c2);
  v128.store(o + 3 * rowBytes, c3);
}

/**
 * The last `width` columns (1 to 3) from j of a packed 4-row strip (PANEL, [depth][4]): rows in the
 * lanes, so each depth step is one multiply-add per column where the scalar sums would be four. Each
 * element is still its start plus the terms in depth order, one `madd` each, as a lone row's last
 * columns (lone-row.ts) compute it. All three columns run side by side, whatever the width, because
 * each is one chain of dependent adds: three chains take the time of one. A missing column reads
 * column j again and is never stored, so nothing outside b is read.
 */
@inline
export function lastColumns(
  po: usize, b: usize, bias: usize, accumulate: bool, j: i32, width: i32, k: i32, n: i32, bStep: usize,
): void {
  const rowBytes = (<usize>n) << 2;
  const o = po + ((<usize>j) << 2);
  const second: usize = width > 1 ? 4 : 0;
  const third: usize = width > 2 ? 8 : 0;
  let c0 = startStrip(o, rowBytes, bias, accumulate, j);
  let c1 = startStrip(o + second, rowBytes, bias, accumulate, j + (width > 1 ? 1 : 0));
  let c2 = startStrip(o + third, rowBytes, bias, accumulate, j + (width > 2 ? 2 : 0));
  let pb = b + ((<usize>j) << 2);
  const end = PANEL + ((<usize>k) << 4);
  let pa = PANEL;
  for (; pa < end; pa += 16, pb += bStep) {
    const a = v128.load(pa);
    c0 = madd(a, v128.load32_splat(pb), c0);
    c1 = madd(a, v128.load32_splat(pb + second), c1);
    c2 = madd(a, v128.load32_splat(pb + third), c2);
  }
  storeStrip(o, rowBytes, c0);
  if (width > 1) storeStrip(o + 4, rowBytes, c1);
  if (width > 2) storeStrip(o + 8, rowBytes, c2);
}

/** PANEL[p] = A's four adjacent rows at depth p (pa + p·depthStep), for p < k: a strip [depth][4]. */
@inline
export function packStrip(pa: usize, k: i32, depthStep: usize): void {
  for (let p = 0; p < k; p++) v128.store(PANEL + (<usize>p << 4), v128.load(pa + <usize>p * depthStep));
}

/** [p[0], p[rowBytes], p[2·rowBytes], p[3·rowBytes]]: one element from each of four rows. */
@inline
export function column4(p: usize, rowBytes: usize): v128 {
  let v = f32x4.splat(load<f32>(p));
  v = f32x4.replace_lane(v, 1, load<f32>(p + rowBytes));
  v = f32x4.replace_lane(v, 2, load<f32>(p + 2 * rowBytes));
  return f32x4.replace_lane(v, 3, load<f32>(p + 3 * rowBytes));
}
