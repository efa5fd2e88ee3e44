// The packed panel: A·B and A·Bᵀ with many rows.
//
// Read in place, a tile's B is eight floats from each of up to 256 rows that lie a whole row of B apart
// (4 KiB at n = 1024): every row a new page, all of them in the same few L1 sets, so they evict each
// other and come from L2 for every 4 rows of A. Transposed (A·Bᵀ), the dot products instead stream
// all of B once per two rows of A. So for products with at least PANEL_ROWS rows, 16-column strips of B
// (PANEL_DEPTH deep) are first copied into a contiguous panel ([depth][16], 32 KiB), where they stay in
// L1 while every row of A, read in place along its contiguous rows, runs past them two at a time
// (kernel2x16, tiles.ts). For A·B, a strip's 16 columns are one 64-byte line of each row of B. Copying
// B this way also transposes it for A·Bᵀ, so both products share one micro-kernel. The last n mod 16
// columns go through an 8-column strip and 4-row tiles (kernel4x8), then a zero-padded last strip.
// (Against two 8-column strips run by 4×8 tiles, interleaved in one process: A·B and A·Bᵀ 3–9% faster
// at 64³ to 1024³ and on 64×784·784×128 in both builds while the machine is slow; in its fast spells,
// few rounds, from −6% to +4%.) Each output element is the same sum, in the same order (start.ts), as
// the in-place tiles (tiles.ts) compute; the zero-padded lanes of a last, narrower strip only ever add
// 0·a to sums that are never stored.
//
// The panel is memory the host lays out (setPanel); without one, every product takes the in-place paths.
//
// Past one row block (m > PANEL_ROW_BLOCK), every row block packs every strip again: at n = 1024 each
// strip is 64 bytes from each of PANEL_DEPTH rows of B, 4 KiB apart, a page each, from L3. So A·B packs
// its depth block's strips once into the block scratch (scratch.ts), when the host has lent one that
// holds them, and each row block copies a strip from there into the panel: 32 KiB read in order rather
// than 512 lines a page apart. Interleaved on the AMD EPYC, quiet rounds: 1024³ plain +1.4% to +5.2%
// (three runs), relaxed +3.4% and +7.4% (two); 512³ within ±1% (two row blocks). (Running the kernel on
// the strips where they lie in the scratch, without the copy, measured −2% to 0% plain.) A network
// lends its forward pass its gradient buffers, free then and large enough once the batch passes a row
// block (train.ts). Nothing is free during its A·Bᵀ (the backward pass writes one buffer from the
// other), so A·Bᵀ packs per row block still.

import { madd } from '../madd';
import { close4, open, open4, SUM_DEPTH } from './start';
import { blockScratchAt, blockScratchBytes } from './scratch';
import { kernel2x16, kernel4x8 } from './tiles';

/** Products with fewer rows than this keep the in-place paths: a panel copy is paid back by ≥ 64 rows. (At
 * n < 8 there is no whole strip, and those stay in place too.) */
export const PANEL_ROWS = 64;
/** Depth of B one panel strip holds; deeper products run in blocks of this depth, adding to out. */
const PANEL_DEPTH = 512;
/** Bytes of the panel's strip at full depth: PANEL_DEPTH rows of 16 floats. */
const STRIP_BYTES = PANEL_DEPTH * 64;
/** Rows of A per pass over a panel, so that block of A (≤ 512 KiB) stays in L2 across the strips of B. */
const PANEL_ROW_BLOCK = 256;

let panel: usize = 0;

/** The bytes of panel that products of up to `rows` rows use: a strip of PANEL_DEPTH rows of 16 floats, or 0 below PANEL_ROWS. */
export function panelBytes(rows: i32): i32 {
  return rows >= PANEL_ROWS ? STRIP_BYTES : 0;
}

/** Where the host's panel is, or 0 for none. */
@inline
export function panelAt(): usize {
  return panel;
}

/** Where the panel is (16-byte aligned, panelBytes() long), or 0 for none. */
export function setPanel(at: usize): void {
  panel = at;
}

@inline
export function usePanel(m: i32, n: i32): bool {
  return panel != 0 && m >= PANEL_ROWS && n >= 8;
}

/**
 * out[m×n] = A · B (+ bias), A(i, p) at a + 4·(i·aRowStride + p), B(p, j) at b + 4·(p·bDepthStride + j·bColumnStride),
 * a 16-column strip at a time through the panel.
 */
export function paneled(
  out: usize, a: usize, b: usize, bias: usize,
  m: i32, k: i32, n: i32, aRowStride: i32, bDepthStride: i32, bColumnStride: i32,
): void {
  const rowStep = (<usize>aRowStride) << 2;
  const outRow = (<usize>n) << 2;
  const sixteens = n & ~15;
  const strips = n & ~7;
  // k = 0 still runs one (empty) block, so that out gets the bias or zeros.
  let kb = 0;
  do {
    const kc = min(PANEL_DEPTH, k - kb);
    const accumulate = kb > 0;
    // A·B past one row block: the depth block's strips packed once into the block scratch (see above).
    const stripBytes = (<usize>kc) << 6;
    const copied = bColumnStride == 1 && m > PANEL_ROW_BLOCK && blockScratchAt() != 0
      && <u64>blockScratchBytes() >= <u64>stripBytes * <u64>(sixteens >> 4);
    if (copied) packStrips(blockScratchAt(), b, kb, kc, 0, sixteens, bDepthStride, bColumnStride);
    for (let ib = 0; ib < m; ib += PANEL_ROW_BLOCK) {
      const ie = min(ib + PANEL_ROW_BLOCK, m);
      let j = 0;
      let strip = blockScratchAt();
      for (; j < sixteens; j += 16, strip += stripBytes) {
        if (copied) memory.copy(panel, strip, stripBytes);
        else pack(panel, b, kb, kc, j, 16, bDepthStride, bColumnStride);
        runStrip16(out, a, bias, accumulate, ib, ie, kb, kc, j, rowStep, outRow);
      }
      if (j < strips) {
        pack(panel, b, kb, kc, j, 8, bDepthStride, bColumnStride);
        runStrip8(out, a, bias, accumulate, ib, ie, kb, kc, j, rowStep, outRow);
      }
      if (strips < n) lastStrip(out, a, b, bias, accumulate, ib, ie, kb, kc, n, strips, rowStep, bDepthStride, bColumnStride);
    }
    kb += PANEL_DEPTH;
  } while (kb < k);
}

/** Rows [ib, ie) of out's columns j to j+15 against the 16-column strip packed at the panel's start. */
@inline
function runStrip16(
  out: usize, a: usize, bias: usize, accumulate: bool, ib: i32, ie: i32, kb: i32, kc: i32, j: i32,
  rowStep: usize, outRow: usize,
): void {
  const column = (<usize>j) << 2;
  let i = ib;
  for (; i + 2 <= ie; i += 2) {
    const pa = a + <usize>i * rowStep + ((<usize>kb) << 2);
    kernel2x16(out + <usize>i * outRow + column, outRow, pa, rowStep, 4, panel, 64, kc, bias, accumulate, column);
  }
  if (i < ie) {
    const pa = a + <usize>i * rowStep + ((<usize>kb) << 2);
    stripRow(out + <usize>i * outRow + column, pa, 4, panel, panel + ((<usize>kc) << 6), 16, bias, accumulate, column);
  }
}

/** Rows [ib, ie) of out's columns j to j+7 against the 8-column strip packed at the panel's start. */
@inline
function runStrip8(
  out: usize, a: usize, bias: usize, accumulate: bool, ib: i32, ie: i32, kb: i32, kc: i32, j: i32,
  rowStep: usize, outRow: usize,
): void {
  const end = panel + ((<usize>kc) << 5);
  const column = (<usize>j) << 2;
  let i = ib;
  for (; i + 4 <= ie; i += 4) {
    const pa = a + <usize>i * rowStep + ((<usize>kb) << 2);
    kernel4x8(out + <usize>i * outRow + column, outRow, pa, rowStep, 4, panel, 32, kc, bias, accumulate, column);
  }
  for (; i < ie; i++) {
    const pa = a + <usize>i * rowStep + ((<usize>kb) << 2);
    stripRow(out + <usize>i * outRow + column, pa, 4, panel, end, 8, bias, accumulate, column);
  }
}

// The last n mod 8 columns (1 to 7) go through the same kernels as a whole strip: the panel is padded
// with zero columns, and each tile runs on a copy in TILE (4 rows of 8) and is copied back column by
// column. A later depth block's tile starts from out's real columns, its other lanes zero; a first one
// from TILE_BIAS, the bias's real columns and zeros past them. No byte outside out[m×n], b or bias is
// read or written.
const TILE = memory.data(128, 16);
const TILE_BIAS = memory.data(32, 16);

function lastStrip(
  out: usize, a: usize, b: usize, bias: usize, accumulate: bool, ib: i32, ie: i32, kb: i32, kc: i32, n: i32,
  j: i32, rowStep: usize, bDepthStride: i32, bColumnStride: i32,
): void {
  const width = n - j;
  const end = panel + ((<usize>kc) << 5);
  // panel[p][c] = B(kb + p, j + c) for c < width, else 0.
  const depthStep = (<usize>bDepthStride) << 2;
  const columnStep = (<usize>bColumnStride) << 2;
  let from = b + ((<usize>kb * <usize>bDepthStride + <usize>j * <usize>bColumnStride) << 2);
  for (let to = panel; to < end; to += 32, from += depthStep) {
    v128.store(to, f32x4.splat(0));
    v128.store(to, f32x4.splat(0), 16);
    for (let c = 0; c < width; c++) store<f32>(to + ((<usize>c) << 2), load<f32>(from + <usize>c * columnStep));
  }
  let tileBias: usize = 0;
  if (bias != 0 && !accumulate) {
    for (let c = 0; c < 8; c++) store<f32>(TILE_BIAS + ((<usize>c) << 2), c < width ? open(bias, true, j + c) : 0);
    tileBias = TILE_BIAS;
  }
  const outRow = (<usize>n) << 2;
  const column = (<usize>j) << 2;
  let i = ib;
  for (; i < ie; i += 4) {
    const rows = min(4, ie - i);
    const o = out + <usize>i * outRow + column;
    if (accumulate) {
      for (let r = 0; r < rows; r++) {
        const t = TILE + ((<usize>r) << 5);
        v128.store(t, f32x4.splat(0));
        v128.store(t, f32x4.splat(0), 16);
        for (let c = 0; c < width; c++) store<f32>(t + ((<usize>c) << 2), load<f32>(o + <usize>r * outRow + ((<usize>c) << 2)));
      }
    }
    const pa = a + <usize>i * rowStep + ((<usize>kb) << 2);
    if (rows == 4) {
      panel4x8(TILE, 32, pa, rowStep, kc, tileBias, accumulate, 0);
    } else {
      for (let r = 0; r < rows; r++) panel1x8(TILE + ((<usize>r) << 5), pa + <usize>r * rowStep, end, tileBias, accumulate, 0);
    }
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < width; c++) {
        store<f32>(o + <usize>r * outRow + ((<usize>c) << 2), load<f32>(TILE + ((<usize>r) << 5) + ((<usize>c) << 2)));
      }
    }
  }
}

/**
 * to[p][c] = B(kb + p, j + c) for p < kc, c < width (8 or 16): one strip, [depth][width], at `to`
 * (the panel, or a block's strip).
 */
@inline
export function pack(to: usize, b: usize, kb: i32, kc: i32, j: i32, width: i32, bDepthStride: i32, bColumnStride: i32): void {
  const start = to;
  const depthBytes: usize = width == 16 ? 64 : 32;
  const end = to + <usize>kc * depthBytes;
  if (bColumnStride == 1) {
    // A·B: the strip's rows are 32 (or 64) contiguous bytes each.
    const step = (<usize>bDepthStride) << 2;
    let from = b + ((<usize>kb * <usize>bDepthStride + <usize>j) << 2);
    for (; to < end; to += depthBytes, from += step) {
      v128.store(to, v128.load(from));
      v128.store(to, v128.load(from, 16), 16);
      if (width == 16) {
        v128.store(to, v128.load(from, 32), 32);
        v128.store(to, v128.load(from, 48), 48);
      }
    }
    return;
  }
  // A·Bᵀ: the strip is eight (or sixteen) rows of the stored b, each contiguous along the depth. Four
  // depths of four rows at a time are loaded and transposed in registers.
  const rowBytes = (<usize>bColumnStride) << 2;
  const rows = b + ((<usize>j * <usize>bColumnStride + <usize>kb) << 2);
  const whole = start + <usize>(kc & ~3) * depthBytes;
  for (let quarter: usize = 0; quarter < depthBytes; quarter += 16) {
    let from = rows + (quarter >> 2) * rowBytes;
    to = start + quarter;
    for (; to < whole; to += depthBytes << 2, from += 16) {
      const r0 = v128.load(from);
      const r1 = v128.load(from + rowBytes);
      const r2 = v128.load(from + 2 * rowBytes);
      const r3 = v128.load(from + 3 * rowBytes);
      const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
      const t1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
      const t2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
      const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
      // Four depths, a strip row apart (32 or 64 bytes: store offsets must be constants).
      v128.store(to, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
      if (width == 16) {
        v128.store(to, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7), 64);
        v128.store(to, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), 128);
        v128.store(to, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7), 192);
      } else {
        v128.store(to, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7), 32);
        v128.store(to, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), 64);
        v128.store(to, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7), 96);
      }
    }
    // The last kc mod 4 depths, one float at a time.
    for (; to < end; to += depthBytes, from += 4) {
      for (let c: usize = 0; c < 4; c++) store<f32>(to + (c << 2), load<f32>(from + c * rowBytes));
    }
  }
}

/**
 * B's 16-column strips from column jb to je (whole strips), kc deep from depth kb, one after another
 * from `to`: [strip][depth][16], kc·64 bytes a strip. The block scratch's layout, for A·B's copied strips
 * (above) and Aᵀ·B's blocks (blocks.ts).
 */
@inline
export function packStrips(
  to: usize, b: usize, kb: i32, kc: i32, jb: i32, je: i32, bDepthStride: i32, bColumnStride: i32,
): void {
  const stripBytes = (<usize>kc) << 6;
  for (let j = jb; j < je; j += 16, to += stripBytes) pack(to, b, kb, kc, j, 16, bDepthStride, bColumnStride);
}

/** kernel4x8 with B from the panel, which holds `depth` rows of 8, 32 bytes apart, in L1. */
@inline
function panel4x8(
  o: usize, outRow: usize, pa: usize, rowStep: usize, depth: i32, bias: usize, accumulate: bool, column: usize,
): void {
  kernel4x8(o, outRow, pa, rowStep, 4, panel, 32, depth, bias, accumulate, column);
}

/** The last m mod 4 rows of a row block: one row against the panel. */
@inline
function panel1x8(o: usize, pa: usize, end: usize, bias: usize, accumulate: bool, column: usize): void {
  stripRow(o, pa, 4, panel, end, 8, bias, accumulate, column);
}

/**
 * One row (A(p) at pa + p·depthStep) against a packed strip [depth][width] (width 8 or 16) from `strip`
 * to `end`.
 */
@inline
export function stripRow(
  o: usize, pa: usize, depthStep: usize, strip: usize, end: usize, width: i32, bias: usize, accumulate: bool,
  column: usize,
): void {
  const depthBytes: usize = width == 16 ? 64 : 32;
  let p0 = pa;
  let pb = strip;
  let first = !accumulate;
  do {
    const stop = min(pb + <usize>SUM_DEPTH * depthBytes, end);
    let c0 = open4(bias, first, column), c1 = open4(bias, first, column + 16);
    let c2 = c0, c3 = c1;
    if (width == 16) {
      c2 = open4(bias, first, column + 32);
      c3 = open4(bias, first, column + 48);
    }
    for (; pb < stop; pb += depthBytes, p0 += depthStep) {
      const a0 = v128.load32_splat(p0);
      c0 = madd(a0, v128.load(pb), c0);
      c1 = madd(a0, v128.load(pb, 16), c1);
      if (width == 16) {
        c2 = madd(a0, v128.load(pb, 32), c2);
        c3 = madd(a0, v128.load(pb, 48), c3);
      }
    }
    close4(o, c0, first);
    close4(o + 16, c1, first);
    if (width == 16) {
      close4(o + 32, c2, first);
      close4(o + 48, c3, first);
    }
    first = false;
  } while (pb < end);
}
