// Matrix products, the three variants training needs.
//
// Memory contract: f32, row-major, dense (a row's stride is its column count). Pointers are byte
// offsets into this module's memory; nothing needs alignment (v128.load accepts any address), but the
// host hands out 16-byte-aligned buffers because aligned loads are faster. Outputs never alias inputs.
// Tails: output columns go 8 at a time, then 4, then the last 1 to 3 side by side; output rows 4 at a
// time, then one by one; so every size from 1 up is exact, and nothing outside out[m×n] is written.
// Products fewer than 4 columns wide skip all of that for plain scalar sums.
//
// `matmul` and `matmulTN` share one kernel: both walk B along contiguous rows and differ only in how A is
// strided, so `gemm` takes A's row and depth strides. `matmulNT` reads B's rows as dot products instead.
// Products of 64 rows and more (A·B and A·Bᵀ) take the packed panel further down when the host has
// laid one out: B copied strip by strip into contiguous memory, read by one micro-kernel. Aᵀ·B copies
// its B a whole block at a time into a scratch the host lends it (packedBlock, at the end).

import { madd } from './madd';

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
  const rowBytes = (<usize>k) << 2;
  // Shorter rows than one vector: plain scalar dot products beat setting up SIMD ones.
  if (k < 4) {
    for (let i = 0; i < m; i++) {
      const pa = a + <usize>i * rowBytes;
      const po = out + ((<usize>(i * n)) << 2);
      for (let j = 0; j < n; j++) {
        const pb = b + <usize>j * rowBytes;
        let sum: f32 = 0;
        for (let p = 0; p < k; p++) sum += load<f32>(pa + ((<usize>p) << 2)) * load<f32>(pb + ((<usize>p) << 2));
        store<f32>(po + ((<usize>j) << 2), sum);
      }
    }
    return;
  }
  if (usePanel(m, n)) {
    // Bᵀ's element (p, j) is b[j·k + p]: the panel packing transposes it.
    paneled(out, a, b, 0, m, k, n, k, 1, k);
    return;
  }
  dots(out, a, b, m, k, n);
}

/** out = a · bᵀ as dot products of A's rows with B's rows. */
function dots(out: usize, a: usize, b: usize, m: i32, k: i32, n: i32): void {
  const rowBytes = (<usize>k) << 2;
  // Two rows of A against four rows of B at a time: eight accumulators, six loads per eight multiply-adds.
  const outRow = (<usize>n) << 2;
  let i = 0;
  for (; i + 2 <= m; i += 2) {
    const pa = a + <usize>i * rowBytes;
    const po = out + <usize>i * outRow;
    let j = 0;
    for (; j + 4 <= n; j += 4) dot2x4(po + ((<usize>j) << 2), outRow, pa, b + <usize>j * rowBytes, rowBytes, k);
    for (; j < n; j++) {
      const pb = b + <usize>j * rowBytes;
      store<f32>(po + ((<usize>j) << 2), dot(pa, pb, k));
      store<f32>(po + outRow + ((<usize>j) << 2), dot(pa + rowBytes, pb, k));
    }
  }
  for (; i < m; i++) {
    const pa = a + <usize>i * rowBytes;
    const po = out + <usize>i * outRow;
    let j = 0;
    for (; j + 4 <= n; j += 4) dot1x4(po + ((<usize>j) << 2), pa, b + <usize>j * rowBytes, rowBytes, k);
    for (; j < n; j++) store<f32>(po + ((<usize>j) << 2), dot(pa, b + <usize>j * rowBytes, k));
  }
}

// Cache blocking, as in GotoBLAS: a block of KC rows × NC columns of B (256 KiB) is reused by every row
// of A while it sits in L2, instead of streaming all of B (and a TLB page per row of it) for every 4
// rows. Blocks after the first along the depth add to what out already holds.
const KC = 256;
const NC = 256;

// Aᵀ·B reads A down columns: a 4-row strip is four adjacent floats per depth step, one cache line per
// step, all m·4 bytes apart, so a strip's lines crowd into a few L1 sets and evict each other. Each
// strip is first copied to this 4 KiB panel ([depth][4], contiguous), once per depth block and column
// block, then read from there. The panel is the kernels' only static scratch.
const PANEL = memory.data(KC * 16, 16);

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

/** out, B read in place, in KC × NC cache blocks. */
function blocked(
  out: usize, a: usize, b: usize, bias: usize,
  m: i32, k: i32, n: i32, aRowStride: i32, aDepthStride: i32,
): void {
  const depthStep = (<usize>aDepthStride) << 2;
  const bStep = (<usize>n) << 2;
  for (let jb = 0; jb < n; jb += NC) {
    const je = min(jb + NC, n);
    // k = 0 still runs one (empty) block, so that out gets the bias or zeros.
    let kb = 0;
    do {
      const kc = min(KC, k - kb);
      const blockA = a + <usize>kb * depthStep;
      const blockB = b + <usize>kb * bStep;
      // Aᵀ·B with B's rows a multiple of 4 KiB apart: its block through the block scratch (packedBlock).
      // Such an n makes every column block NC whole strips wide.
      if (aRowStride == 1 && m >= PANEL_ROWS && (n & 1023) == 0 && kc * (je - jb) * 4 <= blockBytes) {
        packedBlock(out, blockA, blockB, bias, kb > 0, m, kc, n, jb, je, aDepthStride);
      } else {
        gemmBlock(out, blockA, blockB, bias, kb > 0, m, kc, n, jb, je, aRowStride, aDepthStride);
      }
      kb += KC;
    } while (kb < k);
  }
}

/** out[m×n] for n < 4, one scalar sum per element. */
function narrow(
  out: usize, a: usize, b: usize, bias: usize, m: i32, k: i32, n: i32, aRowStride: i32, aDepthStride: i32,
): void {
  const rowStep = (<usize>aRowStride) << 2;
  const depthStep = (<usize>aDepthStride) << 2;
  const bStep = (<usize>n) << 2;
  for (let i = 0; i < m; i++) {
    const pa = a + <usize>i * rowStep;
    const po = out + <usize>i * bStep;
    for (let j = 0; j < n; j++) {
      const at = po + ((<usize>j) << 2);
      store<f32>(at, column(pa, b, start(at, bias, false, j), j, k, depthStep, bStep));
    }
  }
}

/** PANEL[p] = A's four adjacent rows at depth p (pa + p·depthStep), for p < k: a strip [depth][4]. */
@inline
function packStrip(pa: usize, k: i32, depthStep: usize): void {
  for (let p = 0; p < k; p++) v128.store(PANEL + (<usize>p << 4), v128.load(pa + <usize>p * depthStep));
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
      packStrip(pa, k, depthStep);
      pa = PANEL;
    }
    const po = out + ((<usize>(i * n)) << 2);
    let j = jb;
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
    const po = out + ((<usize>(i * n)) << 2);
    // Listing pays where at least a quarter of a contiguous row is zeros; a denser row runs in place.
    const list = depthStep == 4 && nonzeros(pa, k) * 4 <= k * 3 ? gatherTerms(pa, k, bStep) : 0;
    let j = jb;
    for (; j + 16 <= je; j += 16) tile1x16(po, pa, b, bias, accumulate, j, k, depthStep, bStep, list);
    for (; j + 4 <= je; j += 4) tile1x4(po, pa, b, bias, accumulate, j, k, depthStep, bStep, list);
    if (j < je) rowLastColumns(po, pa, b, bias, accumulate, j, je - j, k, depthStep, bStep, list);
  }
}

// A lone row (a single-sample predict, or the last m mod 4 rows) first lists its nonzero values, each with
// the byte offset of its row of B, in TERMS; the tiles then run over that list alone. Inputs are often
// mostly exact zeros (an MNIST digit's background is 81% of its pixels; one-hot codes; ReLU outputs),
// and a zero term cannot change a sum: s + 0·w is s for every finite w, except that a sum of exactly
// −0 would turn +0, which needs a bias of −0 (training never makes one). Weights are finite (every
// way in checks them). So each element is the same sum, in the same order, as the 4-row tiles compute,
// whatever the density. A row with fewer zeros than a quarter runs in place, after one vectorised count.
// The list (KC terms of 8 bytes) lives in PANEL, whose strips are done with by the time lone rows run:
// static memory is part of every network's footprint, which target 5 holds to 1.1× of the ideal.
const TERMS = PANEL;

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

/**
 * The last `width` columns (1 to 3) from j of a packed 4-row strip (PANEL, [depth][4]): rows in the
 * lanes, so each depth step is one multiply-add per column where the scalar sums would be four. Each
 * element is still its start plus the terms in depth order, as `column` computes it. All three columns
 * run side by side, whatever the width, because each is one chain of dependent adds (a fused
 * multiply-add's latency, in the relaxed build): three chains take the time of one. A missing column
 * reads column j again and is never stored, so nothing outside b is read.
 */
@inline
function lastColumns(
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
  if (ASC_FEATURE_RELAXED_SIMD) {
    // A fused multiply-add's latency is twice an add's: even and odd depths go to separate chains, added
    // at the end. Only this build sums in that order; it rounds differently anyway.
    let d0 = f32x4.splat(0), d1 = d0, d2 = d0;
    const pairs = PANEL + ((<usize>(k & ~1)) << 4);
    for (; pa < pairs; pa += 32, pb += bStep << 1) {
      const a = v128.load(pa);
      const a1 = v128.load(pa, 16);
      const next = pb + bStep;
      c0 = madd(a, v128.load32_splat(pb), c0);
      c1 = madd(a, v128.load32_splat(pb + second), c1);
      c2 = madd(a, v128.load32_splat(pb + third), c2);
      d0 = madd(a1, v128.load32_splat(next), d0);
      d1 = madd(a1, v128.load32_splat(next + second), d1);
      d2 = madd(a1, v128.load32_splat(next + third), d2);
    }
    c0 = f32x4.add(c0, d0); c1 = f32x4.add(c1, d1); c2 = f32x4.add(c2, d2);
  }
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

/** A column's four rows (rowBytes apart from o) as one vector of starting sums. */
@inline
function startStrip(o: usize, rowBytes: usize, bias: usize, accumulate: bool, j: i32): v128 {
  let c = f32x4.splat(start(o, bias, accumulate, j));
  if (accumulate) {
    c = f32x4.replace_lane(c, 1, load<f32>(o + rowBytes));
    c = f32x4.replace_lane(c, 2, load<f32>(o + 2 * rowBytes));
    c = f32x4.replace_lane(c, 3, load<f32>(o + 3 * rowBytes));
  }
  return c;
}

/** A column's four sums back to its four rows. */
@inline
function storeStrip(o: usize, rowBytes: usize, c: v128): void {
  store<f32>(o, f32x4.extract_lane(c, 0));
  store<f32>(o + rowBytes, f32x4.extract_lane(c, 1));
  store<f32>(o + 2 * rowBytes, f32x4.extract_lane(c, 2));
  store<f32>(o + 3 * rowBytes, f32x4.extract_lane(c, 3));
}

/** Where an output element's sum starts: what out holds (later depth blocks), the bias, or zero. */
@inline
function start(at: usize, bias: usize, accumulate: bool, j: i32): f32 {
  if (accumulate) return load<f32>(at);
  return bias != 0 ? load<f32>(bias + ((<usize>j) << 2)) : 0;
}

/** Four lanes' starting sums: out[at..at+4), bias[j..j+4), or zeros. */
@inline
function start4(at: usize, bias: usize, accumulate: bool, jb: usize): v128 {
  if (accumulate) return v128.load(at);
  return bias != 0 ? v128.load(bias + jb) : f32x4.splat(0);
}

// A 4×8 block of out lives in eight f32x4 accumulators across the whole depth loop: per step, two loads
// of B and four broadcasts of A feed eight multiply-adds, so loads never outnumber arithmetic.
@inline
function tile4x8(
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
function kernel4x8(
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

@inline
function tile4x4(
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

/** One output element: sum + Σ_p A(row, p)·b[p×n + j]. */
@inline
function column(pa: usize, b: usize, sum: f32, j: i32, k: i32, depthStep: usize, bStep: usize): f32 {
  let pb = b + ((<usize>j) << 2);
  for (let p = 0; p < k; p++) {
    sum += load<f32>(pa) * load<f32>(pb);
    pa += depthStep;
    pb += bStep;
  }
  return sum;
}

/**
 * A lone row's last `width` columns (1 to 3) from j, as three scalar sums side by side (one would be a
 * chain of dependent adds); from TERMS up to `list` when that is not 0. As in lastColumns, a missing
 * column rereads column j and is never stored.
 */
@inline
function rowLastColumns(
  po: usize, pa: usize, b: usize, bias: usize, accumulate: bool, j: i32, width: i32, k: i32,
  depthStep: usize, bStep: usize, list: usize,
): void {
  const o = po + ((<usize>j) << 2);
  const second: usize = width > 1 ? 4 : 0;
  const third: usize = width > 2 ? 8 : 0;
  let s0 = start(o, bias, accumulate, j);
  let s1 = start(o + second, bias, accumulate, j + (width > 1 ? 1 : 0));
  let s2 = start(o + third, bias, accumulate, j + (width > 2 ? 2 : 0));
  const bj = b + ((<usize>j) << 2);
  if (list != 0) {
    for (let e = TERMS; e < list; e += 8) {
      const v = load<f32>(e);
      const pb = bj + <usize>load<u32>(e, 4);
      s0 += v * load<f32>(pb);
      s1 += v * load<f32>(pb + second);
      s2 += v * load<f32>(pb + third);
    }
  } else {
    let pb = bj;
    for (let p = 0; p < k; p++) {
      const v = load<f32>(pa);
      s0 += v * load<f32>(pb);
      s1 += v * load<f32>(pb + second);
      s2 += v * load<f32>(pb + third);
      pa += depthStep;
      pb += bStep;
    }
  }
  store<f32>(o, s0);
  if (width > 1) store<f32>(o + 4, s1);
  if (width > 2) store<f32>(o + 8, s2);
}

/** out[0..4) = dot(a, b_r) for the four consecutive rows b_r (each `rowBytes` long) starting at pb. */
@inline
function dot1x4(po: usize, pa: usize, pb: usize, rowBytes: usize, k: i32): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  let p = 0;
  let offset: usize = 0;
  for (; p + 4 <= k; p += 4) {
    const av = v128.load(pa + offset);
    c0 = madd(av, v128.load(pb + offset), c0);
    c1 = madd(av, v128.load(pb + rowBytes + offset), c1);
    c2 = madd(av, v128.load(pb + 2 * rowBytes + offset), c2);
    c3 = madd(av, v128.load(pb + 3 * rowBytes + offset), c3);
    offset += 16;
  }
  let sums = sum4(c0, c1, c2, c3);
  for (; p < k; p++, offset += 4) sums = madd(v128.load32_splat(pa + offset), column4(pb + offset, rowBytes), sums);
  v128.store(po, sums);
}

/** The same for two consecutive rows of A (at pa and pa + rowBytes) into two rows of out. */
@inline
function dot2x4(po: usize, outRow: usize, pa: usize, pb: usize, rowBytes: usize, k: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
  const pa1 = pa + rowBytes;
  let p = 0;
  let offset: usize = 0;
  for (; p + 4 <= k; p += 4) {
    const a0 = v128.load(pa + offset);
    const a1 = v128.load(pa1 + offset);
    const b0 = v128.load(pb + offset);
    const b1 = v128.load(pb + rowBytes + offset);
    const b2 = v128.load(pb + 2 * rowBytes + offset);
    const b3 = v128.load(pb + 3 * rowBytes + offset);
    c00 = madd(a0, b0, c00); c01 = madd(a0, b1, c01); c02 = madd(a0, b2, c02); c03 = madd(a0, b3, c03);
    c10 = madd(a1, b0, c10); c11 = madd(a1, b1, c11); c12 = madd(a1, b2, c12); c13 = madd(a1, b3, c13);
    offset += 16;
  }
  let sums0 = sum4(c00, c01, c02, c03);
  let sums1 = sum4(c10, c11, c12, c13);
  for (; p < k; p++, offset += 4) {
    const bs = column4(pb + offset, rowBytes);
    sums0 = madd(v128.load32_splat(pa + offset), bs, sums0);
    sums1 = madd(v128.load32_splat(pa1 + offset), bs, sums1);
  }
  v128.store(po, sums0);
  v128.store(po + outRow, sums1);
}

/** [Σ c0, Σ c1, Σ c2, Σ c3]: four horizontal sums in one vector, by two rounds of shuffle and add. */
@inline
function sum4(c0: v128, c1: v128, c2: v128, c3: v128): v128 {
  const u0 = f32x4.add(v128.shuffle<f32>(c0, c1, 0, 1, 4, 5), v128.shuffle<f32>(c0, c1, 2, 3, 6, 7));
  const u1 = f32x4.add(v128.shuffle<f32>(c2, c3, 0, 1, 4, 5), v128.shuffle<f32>(c2, c3, 2, 3, 6, 7));
  return f32x4.add(v128.shuffle<f32>(u0, u1, 0, 2, 4, 6), v128.shuffle<f32>(u0, u1, 1, 3, 5, 7));
}

/** [p[0], p[rowBytes], p[2·rowBytes], p[3·rowBytes]]: one element from each of four rows. */
@inline
function column4(p: usize, rowBytes: usize): v128 {
  let v = f32x4.splat(load<f32>(p));
  v = f32x4.replace_lane(v, 1, load<f32>(p + rowBytes));
  v = f32x4.replace_lane(v, 2, load<f32>(p + 2 * rowBytes));
  return f32x4.replace_lane(v, 3, load<f32>(p + 3 * rowBytes));
}

@inline
function dot(pa: usize, pb: usize, k: i32): f32 {
  let c = f32x4.splat(0);
  let p = 0;
  let offset: usize = 0;
  for (; p + 4 <= k; p += 4) {
    c = madd(v128.load(pa + offset), v128.load(pb + offset), c);
    offset += 16;
  }
  let s = horizontalSum(c);
  for (; p < k; p++) {
    s += load<f32>(pa + offset) * load<f32>(pb + offset);
    offset += 4;
  }
  return s;
}

@inline
export function horizontalSum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) +
    (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

// ─── The packed panel: products with many rows ────────────────────────────────────────────────────
//
// Read in place, a tile's B is eight floats from each of up to 256 rows that lie a whole row of B apart
// (4 KiB at n = 1024): every row a new page, all of them in the same few L1 sets, so they evict each
// other and come from L2 for every 4 rows of A. Transposed (A·Bᵀ), the dot products instead stream
// all of B once per two rows of A. So for products with at least PANEL_ROWS rows, one 8-column strip of
// B at a time (PANEL_DEPTH deep) is first copied into a contiguous panel ([depth][8], 16 KiB), where it
// stays in L1 while every row of A, read in place along its contiguous rows, runs past it. Copying B
// this way also transposes it for A·Bᵀ, so both products share one micro-kernel. Each output element
// is the same sum, in the same order (its start, then depth 0, 1, 2, …), as the tiles above compute;
// the zero-padded lanes of a last, narrower strip only ever add 0·a to sums that are never stored.
//
// The panel is memory the host lays out (setPanel); without one, every product takes the paths above.

/** Products with fewer rows than this keep the paths above: a panel copy is paid back by ≥ 64 rows. (At
 * n < 8 there is no whole strip, and those stay above too.) */
const PANEL_ROWS = 64;
/** Depth of B one panel holds; deeper products run in blocks of this depth, adding to out. */
const PANEL_DEPTH = 512;
/** Rows of A per pass over a panel, so that block of A (≤ 512 KiB) stays in L2 across the strips of B. */
const PANEL_ROW_BLOCK = 256;

let panel: usize = 0;

/** The bytes of panel that products of up to `rows` rows use: PANEL_DEPTH rows of 8 floats, or 0 below PANEL_ROWS. */
export function panelBytes(rows: i32): i32 {
  return rows >= PANEL_ROWS ? PANEL_DEPTH * 32 : 0;
}

/** Where the panel is (16-byte aligned, panelBytes() long), or 0 for none. */
export function setPanel(at: usize): void {
  panel = at;
}

@inline
function usePanel(m: i32, n: i32): bool {
  return panel != 0 && m >= PANEL_ROWS && n >= 8;
}

/**
 * out[m×n] = A · B (+ bias), A(i, p) at a + 4·(i·aRowStride + p), B(p, j) at b + 4·(p·bDepthStride + j·bColumnStride),
 * 8-column strip by strip through the panel.
 */
function paneled(
  out: usize, a: usize, b: usize, bias: usize,
  m: i32, k: i32, n: i32, aRowStride: i32, bDepthStride: i32, bColumnStride: i32,
): void {
  const rowStep = (<usize>aRowStride) << 2;
  const outRow = (<usize>n) << 2;
  const strips = n & ~7;
  // k = 0 still runs one (empty) block, so that out gets the bias or zeros.
  let kb = 0;
  do {
    const kc = min(PANEL_DEPTH, k - kb);
    const accumulate = kb > 0;
    const end = panel + ((<usize>kc) << 5);
    for (let ib = 0; ib < m; ib += PANEL_ROW_BLOCK) {
      const ie = min(ib + PANEL_ROW_BLOCK, m);
      for (let j = 0; j < strips; j += 8) {
        pack(panel, b, kb, kc, j, bDepthStride, bColumnStride);
        const column = (<usize>j) << 2;
        let i = ib;
        for (; i + 4 <= ie; i += 4) {
          panel4x8(out + <usize>i * outRow + column, outRow, a + <usize>i * rowStep + ((<usize>kb) << 2), rowStep, kc, bias, accumulate, column);
        }
        for (; i < ie; i++) {
          panel1x8(out + <usize>i * outRow + column, a + <usize>i * rowStep + ((<usize>kb) << 2), end, bias, accumulate, column);
        }
      }
      if (strips < n) lastStrip(out, a, b, bias, accumulate, ib, ie, kb, kc, n, strips, rowStep, bDepthStride, bColumnStride);
    }
    kb += PANEL_DEPTH;
  } while (kb < k);
}

// The last n mod 8 columns (1 to 7) go through the same kernels as a whole strip: the panel is padded
// with zero columns, and each tile runs on a copy in TILE (4 rows of 8) that starts from the tile's
// real columns, its other lanes zero, and is copied back column by column. No byte outside out[m×n],
// b or bias is read or written.
const TILE = memory.data(128, 16);

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
  const outRow = (<usize>n) << 2;
  const column = (<usize>j) << 2;
  let i = ib;
  for (; i < ie; i += 4) {
    const rows = min(4, ie - i);
    const o = out + <usize>i * outRow + column;
    for (let r = 0; r < 4; r++) {
      const t = TILE + ((<usize>r) << 5);
      v128.store(t, f32x4.splat(0));
      v128.store(t, f32x4.splat(0), 16);
      if (r >= rows) continue;
      for (let c = 0; c < width; c++) {
        const at = o + <usize>r * outRow + ((<usize>c) << 2);
        store<f32>(t + ((<usize>c) << 2), start(at, bias, accumulate, j + c));
      }
    }
    const pa = a + <usize>i * rowStep + ((<usize>kb) << 2);
    if (rows == 4) {
      panel4x8(TILE, 32, pa, rowStep, kc, 0, true, 0);
    } else {
      for (let r = 0; r < rows; r++) panel1x8(TILE + ((<usize>r) << 5), pa + <usize>r * rowStep, end, 0, true, 0);
    }
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < width; c++) {
        store<f32>(o + <usize>r * outRow + ((<usize>c) << 2), load<f32>(TILE + ((<usize>r) << 5) + ((<usize>c) << 2)));
      }
    }
  }
}

/** to[p][c] = B(kb + p, j + c) for p < kc, c < 8: one strip, [depth][8], at `to` (the panel, or a block's strip). */
@inline
function pack(to: usize, b: usize, kb: i32, kc: i32, j: i32, bDepthStride: i32, bColumnStride: i32): void {
  const start = to;
  const end = to + ((<usize>kc) << 5);
  if (bColumnStride == 1) {
    // A·B: the strip's rows are 32 contiguous bytes each.
    const step = (<usize>bDepthStride) << 2;
    let from = b + ((<usize>kb * <usize>bDepthStride + <usize>j) << 2);
    for (; to < end; to += 32, from += step) {
      v128.store(to, v128.load(from));
      v128.store(to, v128.load(from, 16), 16);
    }
    return;
  }
  // A·Bᵀ: the strip is eight rows of the stored b, each contiguous along the depth. Four depths of four
  // rows at a time are loaded and transposed in registers.
  const rowBytes = (<usize>bColumnStride) << 2;
  const rows = b + ((<usize>j * <usize>bColumnStride + <usize>kb) << 2);
  const whole = start + ((<usize>(kc & ~3)) << 5);
  for (let half: usize = 0; half < 32; half += 16) {
    let from = rows + (half >> 2) * rowBytes;
    to = start + half;
    for (; to < whole; to += 128, from += 16) {
      const r0 = v128.load(from);
      const r1 = v128.load(from + rowBytes);
      const r2 = v128.load(from + 2 * rowBytes);
      const r3 = v128.load(from + 3 * rowBytes);
      const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
      const t1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
      const t2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
      const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
      v128.store(to, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
      v128.store(to, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7), 32);
      v128.store(to, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), 64);
      v128.store(to, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7), 96);
    }
    // The last kc mod 4 depths, one float at a time.
    for (; to < end; to += 32, from += 4) {
      for (let c: usize = 0; c < 4; c++) store<f32>(to + (c << 2), load<f32>(from + c * rowBytes));
    }
  }
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
  strip1x8(o, pa, 4, panel, end, bias, accumulate, column);
}

/** One row (A(p) at pa + p·depthStep) against a packed strip [depth][8] from `strip` to `end`. */
@inline
function strip1x8(
  o: usize, pa: usize, depthStep: usize, strip: usize, end: usize, bias: usize, accumulate: bool, column: usize,
): void {
  let c0 = start4(o, bias, accumulate, column);
  let c1 = start4(o + 16, bias, accumulate, column + 16);
  let p0 = pa;
  for (let pb = strip; pb < end; pb += 32, p0 += depthStep) {
    const a0 = v128.load32_splat(p0);
    c0 = madd(a0, v128.load(pb), c0);
    c1 = madd(a0, v128.load(pb, 16), c1);
  }
  v128.store(o, c0);
  v128.store(o, c1, 16);
}

// Aᵀ·B reads B's rows in place. When they are a multiple of 4 KiB apart (n a multiple of 1024), every
// depth step's line of B falls in the same L1 set (64 sets of 64 bytes): the rows of a block evict each
// other and come from L2. Where the host has lent a scratch that holds a whole depth block of B's
// strips (kc × NC), they are copied there first, strip after strip ([strip][depth][8], contiguous), once
// per block, and every 4-row strip of A, packed as in gemmBlock, runs past them. At other strides the
// copy measured no faster (256 and 512 columns: 1–3% slower), and narrower blocks, which would fit the
// 16 KiB panel, 5–17% slower, A being packed again per block. Each element is the same sum in the same
// order as gemmBlock's tiles compute.
//
// A network's Aᵀ·B is its weight gradient, xᵀ·δ, in the backward pass: depth = the batch, B = δ. The
// other of its two batch-gradient buffers is free at that moment and as large as any such block, so
// train.ts lends it (setBlockScratch) for the call, and the block costs no memory of its own.

let blockScratch: usize = 0;
let blockBytes: i32 = 0;

/** Lends Aᵀ·B a scratch of `bytes` at `at` (16-byte aligned) for B's blocks, or takes it back with (0, 0). */
export function setBlockScratch(at: usize, bytes: i32): void {
  blockScratch = at;
  blockBytes = at != 0 ? bytes : 0;
}

/** Columns [jb, je) (whole strips of 8) of out for one depth block of kc, B's strips through the block scratch. */
function packedBlock(
  out: usize, a: usize, b: usize, bias: usize, accumulate: bool, m: i32, kc: i32, n: i32, jb: i32, je: i32,
  aDepthStride: i32,
): void {
  const depthStep = (<usize>aDepthStride) << 2;
  const outRow = (<usize>n) << 2;
  const stripBytes = (<usize>kc) << 5;
  let to = blockScratch;
  for (let j = jb; j < je; j += 8, to += stripBytes) pack(to, b, 0, kc, j, n, 1);
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const pa = a + ((<usize>i) << 2);
    packStrip(pa, kc, depthStep);
    const po = out + <usize>i * outRow;
    let strip = blockScratch;
    for (let j = jb; j < je; j += 8, strip += stripBytes) {
      const column = (<usize>j) << 2;
      kernel4x8(po + column, outRow, PANEL, 4, 16, strip, 32, kc, bias, accumulate, column);
    }
  }
  for (; i < m; i++) {
    const pa = a + ((<usize>i) << 2);
    const po = out + <usize>i * outRow;
    let strip = blockScratch;
    for (let j = jb; j < je; j += 8, strip += stripBytes) {
      const column = (<usize>j) << 2;
      strip1x8(po + column, pa, depthStep, strip, strip + stripBytes, bias, accumulate, column);
    }
  }
}
