// The relaxed build's wide tile: three rows by twelve columns.
//
// A fused multiply-add waits for the one before it on the same accumulator (4 cycles on recent x64
// cores), and two can start per cycle, so a loop of fused chains needs at least eight in flight just
// to keep up; the 4×8 tile (tiles.ts) has exactly eight. Three rows by twelve columns give nine and
// still fit V8's fifteen allocatable vector registers: nine accumulators, three vectors of B and three
// broadcasts of A, which V8 issues all at the top of the step. (Six rows by eight, tried, needs six
// broadcasts at once: V8 spilled four accumulators to the stack, a load and a store on their chains.)
// The plain build keeps the 4×8 tile: its multiply needs a sixteenth register of its own, and 3×12
// measured 3% slower there.
//
// Measured against the 4×8 tile in the relaxed build (interleaved, call by call): A·B 256³ +2.4%, 512³
// +5.5%, 1024³ +3.6%; A·Bᵀ +2.8%, +5.4%, +3.3%; Aᵀ·B 256³ and 512³ +2.3% and +5.1%; the MLP's
// 64×784·784×128 −0.4% to +3.7%; 96³ and 128³ +1% to +9%; 64³ and smaller within ±1.1%. Against the
// relaxed peak loop in the same run, A·B 256³ went from 62% to 65% and 512³ from 71% to 74%: the chains
// were not all that held the fused build back.
//
// Each element is still its start plus one `madd` per term in depth order, so a row's bits are the
// same whichever tile, strip or lone-row path it takes.

import { madd } from '../madd';
import { PANEL } from './scratch';
import { start4 } from './start';

/** Whether this build runs the 3×12 tile where a product has at least 3 rows and 12 columns. */
export const WIDE: bool = ASC_FEATURE_RELAXED_SIMD;

/**
 * out's 3×12 block at o (rows outRow bytes apart) = its start + Σ_p A(r, p)·B(p, 0..12), with A(r, p) at
 * pa + r·rowStep + p·depthStep and B's row p at pb + p·bStep; `column` is the block's byte offset into
 * the bias.
 */
@inline
export function kernel3x12(
  o: usize, outRow: usize, pa: usize, rowStep: usize, depthStep: usize, pb: usize, bStep: usize, k: i32,
  bias: usize, accumulate: bool, column: usize,
): void {
  let c00 = start4(o, bias, accumulate, column);
  let c01 = start4(o + 16, bias, accumulate, column + 16);
  let c02 = start4(o + 32, bias, accumulate, column + 32);
  let c10 = c00, c11 = c01, c12 = c02, c20 = c00, c21 = c01, c22 = c02;
  if (accumulate) {
    c10 = v128.load(o + outRow); c11 = v128.load(o + outRow, 16); c12 = v128.load(o + outRow, 32);
    c20 = v128.load(o + 2 * outRow); c21 = v128.load(o + 2 * outRow, 16); c22 = v128.load(o + 2 * outRow, 32);
  }
  const end = pb + <usize>k * bStep;
  let p0 = pa;
  for (; pb < end; pb += bStep, p0 += depthStep) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    const b2 = v128.load(pb, 32);
    const a0 = v128.load32_splat(p0);
    const a1 = v128.load32_splat(p0 + rowStep);
    const a2 = v128.load32_splat(p0 + 2 * rowStep);
    c00 = madd(a0, b0, c00); c01 = madd(a0, b1, c01); c02 = madd(a0, b2, c02);
    c10 = madd(a1, b0, c10); c11 = madd(a1, b1, c11); c12 = madd(a1, b2, c12);
    c20 = madd(a2, b0, c20); c21 = madd(a2, b1, c21); c22 = madd(a2, b2, c22);
  }
  v128.store(o, c00); v128.store(o, c01, 16); v128.store(o, c02, 32);
  v128.store(o + outRow, c10); v128.store(o + outRow, c11, 16); v128.store(o + outRow, c12, 32);
  v128.store(o + 2 * outRow, c20); v128.store(o + 2 * outRow, c21, 16); v128.store(o + 2 * outRow, c22, 32);
}

/** One row (A(p) at pa + p·depthStep) against twelve columns of B (row p at pb + p·bStep). */
@inline
export function kernel1x12(
  o: usize, pa: usize, depthStep: usize, pb: usize, bStep: usize, k: i32, bias: usize, accumulate: bool,
  column: usize,
): void {
  let c0 = start4(o, bias, accumulate, column);
  let c1 = start4(o + 16, bias, accumulate, column + 16);
  let c2 = start4(o + 32, bias, accumulate, column + 32);
  const end = pb + <usize>k * bStep;
  for (; pb < end; pb += bStep, pa += depthStep) {
    const a = v128.load32_splat(pa);
    c0 = madd(a, v128.load(pb), c0);
    c1 = madd(a, v128.load(pb, 16), c1);
    c2 = madd(a, v128.load(pb, 32), c2);
  }
  v128.store(o, c0); v128.store(o, c1, 16); v128.store(o, c2, 32);
}

/**
 * PANEL[p] = A's three adjacent rows at depth p (pa + p·depthStep), for p < k, as a strip [depth][4]
 * whose fourth lane is never read. One vector load per depth where a fourth row follows (`more`);
 * the last rows of A go float by float, so nothing past A is read.
 */
@inline
export function packStrip3(pa: usize, k: i32, depthStep: usize, more: bool): void {
  if (more) {
    for (let p = 0; p < k; p++) v128.store(PANEL + (<usize>p << 4), v128.load(pa + <usize>p * depthStep));
    return;
  }
  for (let p = 0; p < k; p++) {
    const from = pa + <usize>p * depthStep;
    const to = PANEL + (<usize>p << 4);
    store<f32>(to, load<f32>(from));
    store<f32>(to, load<f32>(from, 4), 4);
    store<f32>(to, load<f32>(from, 8), 8);
  }
}

/**
 * How many of `columns` columns (from the first) the 3×12 tiles take in this build: whole tiles, fewer
 * by one where that leaves the rest a whole number of 8-column strips for the 4×8 tiles (256 columns:
 * 240 and 16, not 252 and a 4-column tail). 0 in the plain build.
 */
@inline
export function wideColumns(columns: i32): i32 {
  if (!WIDE) return 0;
  let wide = columns - columns % 12;
  if (wide >= 12 && ((columns - wide) & 7) != 0 && ((columns - wide + 12) & 7) == 0) wide -= 12;
  return wide;
}

/**
 * How many of `rows` rows (from the first) the 3-row tiles take: all but one or two 4-row tiles' worth
 * where rows mod 3 is 1 or 2 (a lone row runs three chains where a tile runs nine or eight), or all
 * but the last rows mod 3 where there are too few rows for that.
 */
@inline
export function wideRows(rows: i32): i32 {
  const rest = rows % 3;
  if (rest == 1 && rows >= 4) return rows - 4;
  if (rest == 2 && rows >= 8) return rows - 8;
  return rows - rest;
}

/**
 * Rows [0, rows) (a multiple of 3) and columns [jb, je) (whole tiles of 12) of out, for one depth
 * block of B read in place (row p at b + p·bStep), as gemmBlock lays them out: A's 3-row strip packed
 * into PANEL first when `packed` (Aᵀ·B, whose A has m rows).
 */
@inline
export function wideBlock(
  out: usize, a: usize, b: usize, bias: usize, accumulate: bool, rows: i32, m: i32, k: i32, n: i32, jb: i32,
  je: i32, rowStep: usize, depthStep: usize, bStep: usize, packed: bool,
): void {
  const outRow = (<usize>n) << 2;
  for (let i = 0; i < rows; i += 3) {
    let pa = a + <usize>i * rowStep;
    let stripRow = rowStep;
    let stripDepth = depthStep;
    if (packed) {
      packStrip3(pa, k, depthStep, i + 3 < m);
      pa = PANEL;
      stripRow = 4;
      stripDepth = 16;
    }
    const po = out + <usize>i * outRow;
    for (let j = jb; j < je; j += 12) {
      const column = (<usize>j) << 2;
      kernel3x12(po + column, outRow, pa, stripRow, stripDepth, b + column, bStep, k, bias, accumulate, column);
    }
  }
}
