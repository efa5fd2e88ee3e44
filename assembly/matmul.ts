// Matrix products, the three variants training needs.
//
// Memory contract: f32, row-major, dense (a row's stride is its column count). Pointers are byte
// offsets into this module's memory; nothing needs alignment (v128.load accepts any address), but the
// host hands out 16-byte-aligned buffers because aligned loads are faster. Outputs never alias inputs.
// Tails: output columns go 16 at a time (as two 2-row tiles), then 8, then 4, then the last 1 to 3 side
// by side; output rows 4 at a time, then one by one; so every size from 1 up is exact, and nothing
// outside out[m×n] is written.
// Every path of A·B and Aᵀ·B computes each element as the same sum in the same order (its start and
// depths 0 to 127, then each further 128 depths summed apart and added: start.ts), one `madd` per term
// (fused in the relaxed build, on every path alike), so which one a product takes never changes its
// bits: a row comes out the same in a 4-row tile, alone (a single predict), or through the panel.
// (Products under 4 columns have one path, narrow.ts, whose scalar sums multiply and add apart in both
// builds.) A·Bᵀ is the exception: its dot products (dots.ts, under 64 rows or without a panel) keep
// four partial sums along the depth, so its bits depend on which side of 64 rows the product falls.
//
// This file chooses the path; each path lives in assembly/matmul/:
// - `matmul` and `matmulTN` share one kernel, `gemm`: both walk B along contiguous rows and differ only
//   in how A is strided. Read in place, in cache blocks, four rows at a time (tiles.ts), then the last
//   m mod 4 rows one by one (lone-row.ts); fewer than 4 columns as scalar sums (narrow.ts).
// - `matmulNT` reads B's rows as dot products (dots.ts).
// - Products of 64 rows and more (A·B and A·Bᵀ) take the packed panel (panel.ts) when the host has laid
//   one out: B copied strip by strip into contiguous memory, read by one micro-kernel.
// - Aᵀ·B copies its B a whole block at a time into a scratch the host lends it (blocks.ts).

import { KC, NC, PANEL } from './matmul/scratch';
import { column4, lastColumns, packStrip, tile2x16Pair, tile4x4, tile4x8 } from './matmul/tiles';
import { loneRow } from './matmul/lone-row';
import { narrow } from './matmul/narrow';
import { dots } from './matmul/dots';
import { paneled, usePanel } from './matmul/panel';
import { blockFits, packedBlock } from './matmul/blocks';

export { panelBytes, setPanel } from './matmul/panel';
export { setBlockScratch } from './matmul/scratch';

/** out[m×n] = a[m×k] · b[k×n] */
export function matmul(out: usize, a: usize, b: usize, m: i32, k: i32, n: i32): void {
  gemm(out, a, b, 0, m, k, n, k, 1);
}

/** out[m×n] = aᵀ · b, with a stored [k×m] and b [k×n] */
export function matmulTN(out: usize, a: usize, b: usize, m: i32, k: i32, n: i32): void {
  gemm(out, a, b, 0, m, k, n, 1, m);
}

/** out[m×n] = a[m×k] · bᵀ, with b stored [n×k] */
export function matmulNT(out: usize, a: usize, b: usize, m: i32, k: i32, n: i32): void {
  // Shorter rows than one vector: plain scalar dot products beat setting up SIMD ones. One loop for
  // each k, a constant in each (shortDots is inlined).
  if (k < 4) {
    if (k == 1) shortDots(out, a, b, m, n, 1);
    else if (k == 2) shortDots(out, a, b, m, n, 2);
    else if (k == 3) shortDots(out, a, b, m, n, 3);
    else memory.fill(out, 0, (<usize>(m * n)) << 2);
    return;
  }
  if (usePanel(m, n)) {
    // Bᵀ's element (p, j) is b[j·k + p]: the panel packing transposes it.
    paneled(out, a, b, 0, m, k, n, k, 1, k);
    return;
  }
  dots(out, a, b, m, k, n);
}

/**
 * out[m×n] = a[m×k] · bᵀ for k (1 to 3) a constant where this is inlined: each row's k terms are held
 * across all of B's rows, and each dot product is spelled out, 0 + a₀b₀ + a₁b₁ + a₂b₂ in that order.
 */
@inline
function shortDots(out: usize, a: usize, b: usize, m: i32, n: i32, k: i32): void {
  const rowBytes = (<usize>k) << 2;
  let pa = a;
  let po = out;
  for (let i = 0; i < m; i++) {
    const a0 = load<f32>(pa);
    const a1 = k > 1 ? load<f32>(pa, 4) : 0;
    const a2 = k > 2 ? load<f32>(pa, 8) : 0;
    let pb = b;
    for (let j = 0; j < n; j++) {
      let sum: f32 = 0;
      sum += a0 * load<f32>(pb);
      if (k > 1) sum += a1 * load<f32>(pb, 4);
      if (k > 2) sum += a2 * load<f32>(pb, 8);
      store<f32>(po + ((<usize>j) << 2), sum);
      pb += rowBytes;
    }
    pa += rowBytes;
    po += (<usize>n) << 2;
  }
}

/**
 * out[m×n] = A · b[k×n] (+ bias[n] when bias ≠ 0), where A(i, p) is at a + 4·(i·aRowStride + p·aDepthStride).
 * Exported for `dense`, which starts every row from the bias instead of zero.
 */
export function gemm(
  out: usize, a: usize, b: usize, bias: usize,
  m: i32, k: i32, n: i32, aRowStride: i32, aDepthStride: i32,
): void {
  // Fewer than four columns: no vector tile fits, and the blocks and strips below would be all overhead
  // (a small network's whole step is a handful of such products). Each element is the same scalar sum,
  // in the same order, as the blocked path would compute.
  if (n < 4) {
    narrow(out, a, b, bias, m, k, n, aRowStride, aDepthStride);
    return;
  }
  // A·B (A's rows contiguous) on enough rows: through the packed panel. Aᵀ·B stays below: its A strips
  // are packed instead, and its B rows are read in place.
  if (aDepthStride == 1 && usePanel(m, n)) {
    paneled(out, a, b, bias, m, k, n, aRowStride, n, 1);
    return;
  }
  blocked(out, a, b, bias, m, k, n, aRowStride, aDepthStride);
}

/** out, B read in place, in KC × NC cache blocks (Aᵀ·B's copied blocks as wide as out where they fit). */
function blocked(
  out: usize, a: usize, b: usize, bias: usize,
  m: i32, k: i32, n: i32, aRowStride: i32, aDepthStride: i32,
): void {
  const depthStep = (<usize>aDepthStride) << 2;
  const bStep = (<usize>n) << 2;
  // Aᵀ·B packs A's strips once per depth block and column block (packedBlock). Where the block
  // scratch holds a depth block of all of B's columns, one column block spans them, and each strip is
  // packed once per depth block instead of once per NC columns: A is read down its columns, a cache
  // line from each of kc rows m·4 bytes apart, from L3 once A outgrows L2. The strips of B then come
  // from L3 too, but in order, one after another. Interleaved on the AMD EPYC, quiet rounds, two runs:
  // 1024³ plain +3.7% and +5.3%, relaxed +5.7% and +5.0%; 512³ 0 to +1%; n ≤ NC is unchanged. A
  // network's weight gradient always fits: the scratch it lends holds the whole of δ, k × n.
  const nc = aRowStride == 1 && blockFits(m, n, min(KC, k), n) ? n : NC;
  for (let jb = 0; jb < n; jb += nc) {
    const je = min(jb + nc, n);
    // k = 0 still runs one (empty) block, so that out gets the bias or zeros.
    let kb = 0;
    do {
      const kc = min(KC, k - kb);
      const blockA = a + <usize>kb * depthStep;
      const blockB = b + <usize>kb * bStep;
      // Aᵀ·B with B's rows 512 bytes apart or more (n ≥ 128, a multiple of 16): its block through the
      // block scratch (packedBlock).
      if (aRowStride == 1 && blockFits(m, n, kc, je - jb)) {
        packedBlock(out, blockA, blockB, bias, kb > 0, m, kc, n, jb, je, aDepthStride);
      } else {
        gemmBlock(out, blockA, blockB, bias, kb > 0, m, kc, n, jb, je, aRowStride, aDepthStride);
      }
      kb += KC;
    } while (kb < k);
  }
}

/** Columns [jb, je) of out, over one depth block of kc; starting from out itself when `accumulate`. */
@inline
function gemmBlock(
  out: usize, a: usize, b: usize, bias: usize, accumulate: bool,
  m: i32, k: i32, n: i32, jb: i32, je: i32, aRowStride: i32, aDepthStride: i32,
): void {
  const rowStep = (<usize>aRowStride) << 2;
  const depthStep = (<usize>aDepthStride) << 2;
  const bStep = (<usize>n) << 2;
  let i = 0;
  const packed = aRowStride == 1;
  const stripRow: usize = packed ? 4 : rowStep;
  const stripDepth: usize = packed ? 16 : depthStep;
  for (; i + 4 <= m; i += 4) {
    let pa = a + <usize>i * rowStep;
    if (packed) {
      packStrip(PANEL, pa, k, depthStep, 4);
      pa = PANEL;
    }
    const po = out + ((<usize>(i * n)) << 2);
    let j = jb;
    // Two 2×16 tiles per 16 columns (tiles.ts). Spelled out for each case, so that a packed strip's
    // rows, 4 bytes apart, become constant offsets in the loads.
    if (packed) {
      for (; j + 16 <= je; j += 16) tile2x16Pair(po, pa, b, bias, accumulate, j, k, n, 4, 16, bStep);
    } else {
      for (; j + 16 <= je; j += 16) tile2x16Pair(po, pa, b, bias, accumulate, j, k, n, rowStep, depthStep, bStep);
    }
    for (; j + 8 <= je; j += 8) tile4x8(po, pa, b, bias, accumulate, j, k, n, stripRow, stripDepth, bStep);
    for (; j + 4 <= je; j += 4) tile4x4(po, pa, b, bias, accumulate, j, k, n, stripRow, stripDepth, bStep);
    // The last columns (fewer than 4) run with the strip's four rows in one vector per depth, from the
    // packed strip; A's rows in place are packed for them first (twelve scalar chains otherwise).
    if (j < je) {
      if (!packed) {
        for (let p = 0; p < k; p++) v128.store(PANEL + (<usize>p << 4), column4(pa + <usize>p * depthStep, rowStep));
      }
      lastColumns(po, b, bias, accumulate, j, je - j, k, n, bStep);
    }
  }
  for (; i < m; i++) {
    const pa = a + <usize>i * rowStep;
    loneRow(out + ((<usize>(i * n)) << 2), pa, b, bias, accumulate, jb, je, k, depthStep, bStep);
  }
}
