// The in-place tiles: four rows of out at a time, B read along its rows where it lies, A either where
// it lies or (Aᵀ·B) first packed into a 4-row strip. The packed panel (panel.ts) and Aᵀ·B's block copies
// (blocks.ts) run the same micro-kernels, kernel2x16 and kernel4x8, on copies of B.

import { madd } from '../madd';
import { PANEL } from './scratch';
import { close4, closeStrip, open4, openStrip, SUM_DEPTH } from './start';

// A 4×8 block of out lives in eight f32x4 accumulators across each 128-deep block of its sums
// (start.ts): per step, two loads of B and four broadcasts of A feed eight multiply-adds, so loads never
// outnumber arithmetic.
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
//
// The order of kernel2x16's multiply-adds in the plain build: V8 emits a step's sixteen multiplies and
// adds in the reverse of the order they are written, so written first to last, the step's first
// multiply waited on its last loads (B's fourth vector, A's second row). Written last to first, they
// come out first to last, each multiply behind the loads it needs. Interleaved on an AMD EPYC with the
// machine quiet: A·B and A·Bᵀ 256³ 83% → 91% of the peak loop (+9.5%), 64×784·784×128 +6%, Aᵀ·B
// +2%; slow, +1–3%. A bare loop of this tile measured 84% and 98% of the peak loop the two ways. The
// relaxed build keeps the written order: reversed, its fused multiply-adds ran 2–5% slower. Same sums,
// same bits either way.
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
 * the bias. The in-place tiles and the packed panel both run this loop. The sums are built SUM_DEPTH
 * terms at a time (start.ts): each block's eight accumulators go back to out, and the next block starts
 * from zero and adds to them (eight more would not fit in the registers beside the loop's).
 */
@inline
export function kernel4x8(
  o: usize, outRow: usize, pa: usize, rowStep: usize, depthStep: usize, pb: usize, bStep: usize, k: i32,
  bias: usize, accumulate: bool, column: usize,
): void {
  // The loop runs on B's pointer alone (no separate counter): one add and one compare fewer per step.
  const end = pb + <usize>k * bStep;
  const blockBytes = <usize>SUM_DEPTH * bStep;
  let p0 = pa;
  let first = !accumulate;
  do {
    const stop = min(pb + blockBytes, end);
    let c00 = open4(bias, first, column), c01 = open4(bias, first, column + 16);
    let c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01;
    for (; pb < stop; pb += bStep, p0 += depthStep) {
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
    close4(o, c00, first); close4(o + 16, c01, first);
    close4(o + outRow, c10, first); close4(o + outRow + 16, c11, first);
    close4(o + 2 * outRow, c20, first); close4(o + 2 * outRow + 16, c21, first);
    close4(o + 3 * outRow, c30, first); close4(o + 3 * outRow + 16, c31, first);
    first = false;
  } while (pb < end);
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
 * pa + r·rowStep + p·depthStep and B's row p at pb + p·bStep (see the note at the top), in SUM_DEPTH-deep
 * blocks as kernel4x8.
 */
@inline
export function kernel2x16(
  o: usize, outRow: usize, pa: usize, rowStep: usize, depthStep: usize, pb: usize, bStep: usize, k: i32,
  bias: usize, accumulate: bool, column: usize,
): void {
  const end = pb + <usize>k * bStep;
  const blockBytes = <usize>SUM_DEPTH * bStep;
  let p0 = pa;
  let first = !accumulate;
  do {
    const stop = min(pb + blockBytes, end);
    let c00 = open4(bias, first, column), c01 = open4(bias, first, column + 16);
    let c02 = open4(bias, first, column + 32), c03 = open4(bias, first, column + 48);
    let c10 = c00, c11 = c01, c12 = c02, c13 = c03;
    for (; pb < stop; pb += bStep, p0 += depthStep) {
      const b0 = v128.load(pb);
      const b1 = v128.load(pb, 16);
      const b2 = v128.load(pb, 32);
      const b3 = v128.load(pb, 48);
      const a0 = v128.load32_splat(p0);
      const a1 = v128.load32_splat(p0 + rowStep);
      if (ASC_FEATURE_RELAXED_SIMD) {
        c00 = madd(a0, b0, c00); c01 = madd(a0, b1, c01); c02 = madd(a0, b2, c02); c03 = madd(a0, b3, c03);
        c10 = madd(a1, b0, c10); c11 = madd(a1, b1, c11); c12 = madd(a1, b2, c12); c13 = madd(a1, b3, c13);
      } else {
        // Written last to first: V8 emits them first to last (see the note at the top).
        c13 = madd(a1, b3, c13); c12 = madd(a1, b2, c12); c11 = madd(a1, b1, c11); c10 = madd(a1, b0, c10);
        c03 = madd(a0, b3, c03); c02 = madd(a0, b2, c02); c01 = madd(a0, b1, c01); c00 = madd(a0, b0, c00);
      }
    }
    close4(o, c00, first); close4(o + 16, c01, first); close4(o + 32, c02, first); close4(o + 48, c03, first);
    const o1 = o + outRow;
    close4(o1, c10, first); close4(o1 + 16, c11, first); close4(o1 + 32, c12, first); close4(o1 + 48, c13, first);
    first = false;
  } while (pb < end);
}

@inline
export function tile4x4(
  po: usize, pa: usize, b: usize, bias: usize, accumulate: bool, j: i32, k: i32, n: i32,
  rowStep: usize, depthStep: usize, bStep: usize,
): void {
  const jb = (<usize>j) << 2;
  const rowBytes = (<usize>n) << 2;
  const o = po + jb;
  let pb = b + jb;
  const end = pb + <usize>k * bStep;
  const blockBytes = <usize>SUM_DEPTH * bStep;
  let p0 = pa;
  let first = !accumulate;
  do {
    const stop = min(pb + blockBytes, end);
    let c0 = open4(bias, first, jb);
    let c1 = c0, c2 = c0, c3 = c0;
    for (; pb < stop; pb += bStep, p0 += depthStep) {
      const b0 = v128.load(pb);
      c0 = madd(v128.load32_splat(p0), b0, c0);
      c1 = madd(v128.load32_splat(p0 + rowStep), b0, c1);
      c2 = madd(v128.load32_splat(p0 + 2 * rowStep), b0, c2);
      c3 = madd(v128.load32_splat(p0 + 3 * rowStep), b0, c3);
    }
    close4(o, c0, first);
    close4(o + rowBytes, c1, first);
    close4(o + 2 * rowBytes, c2, first);
    close4(o + 3 * rowBytes, c3, first);
    first = false;
  } while (pb < end);
}

/**
 * The last `width` columns (1 to 3) from j of a packed 4-row strip (PANEL, [depth][4]): rows in the
 * lanes, so each depth step is one multiply-add per column where the scalar sums would be four. Each
 * element is still its start plus its partial sums (start.ts), one `madd` per term, as a lone row's
 * last columns (lone-row.ts) compute it. All three columns run side by side, whatever the width, because
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
  const j1 = j + (width > 1 ? 1 : 0);
  const j2 = j + (width > 2 ? 2 : 0);
  let pb = b + ((<usize>j) << 2);
  const end = PANEL + ((<usize>k) << 4);
  let pa = PANEL;
  let first = !accumulate;
  do {
    const stop = min(pa + (<usize>SUM_DEPTH << 4), end);
    let c0 = openStrip(bias, first, j), c1 = openStrip(bias, first, j1), c2 = openStrip(bias, first, j2);
    for (; pa < stop; pa += 16, pb += bStep) {
      const a = v128.load(pa);
      c0 = madd(a, v128.load32_splat(pb), c0);
      c1 = madd(a, v128.load32_splat(pb + second), c1);
      c2 = madd(a, v128.load32_splat(pb + third), c2);
    }
    // A missing column's sums are computed and never stored.
    closeStrip(o, rowBytes, c0, first);
    if (width > 1) closeStrip(o + 4, rowBytes, c1, first);
    if (width > 2) closeStrip(o + 8, rowBytes, c2, first);
    first = false;
  } while (pa < end);
}

/**
 * to[p] = A's `rows` adjacent rows (4 or 8, a constant where this is inlined) at depth p
 * (pa + p·depthStep), for p < k: a strip [depth][rows].
 */
@inline
export function packStrip(to: usize, pa: usize, k: i32, depthStep: usize, rows: i32): void {
  const rowBytes = (<usize>rows) << 2;
  for (let p = 0; p < k; p++, to += rowBytes) {
    const from = pa + <usize>p * depthStep;
    v128.store(to, v128.load(from));
    if (rows == 8) v128.store(to, v128.load(from, 16), 16);
  }
}

/** [p[0], p[rowBytes], p[2·rowBytes], p[3·rowBytes]]: one element from each of four rows. */
@inline
export function column4(p: usize, rowBytes: usize): v128 {
  let v = f32x4.splat(load<f32>(p));
  v = f32x4.replace_lane(v, 1, load<f32>(p + rowBytes));
  v = f32x4.replace_lane(v, 2, load<f32>(p + 2 * rowBytes));
  return f32x4.replace_lane(v, 3, load<f32>(p + 3 * rowBytes));
}
