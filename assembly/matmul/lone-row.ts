// A lone row (a single-sample predict, or the last m mod 4 rows) first lists its nonzero values, each with
// the byte offset of its row of B, in TERMS; the tiles then run over that list alone. Inputs are often
// mostly exact zeros (an MNIST digit's background is 81% of its pixels; one-hot codes; ReLU outputs),
// and a zero term cannot change a sum: s + 0·w is s for every finite w, except that a sum of exactly
// −0 would turn +0, which needs a bias of −0 (training never makes one). Weights are finite (every
// way in checks them). So each element is the same sum, in the same order, as the 4-row tiles compute,
// whatever the density (the list keeps where each SUM_DEPTH-deep block of terms ends, start.ts). A row
// with fewer zeros than a quarter runs in place, after one vectorised count.
// The list (KC terms of 8 bytes) lives in PANEL, whose strips are done with by the time lone rows run:
// static memory is part of every network's footprint, which target 5 holds to 1.1× of the ideal.

import { madd } from '../madd';
import { KC, PANEL } from './scratch';
import { close4, open, open4, SUM_DEPTH } from './start';

const TERMS = PANEL;
/** Where each block's terms end in TERMS (gatherTerms): KC / SUM_DEPTH of them. */
const ENDS = memory.data(<i32>(KC / SUM_DEPTH) * sizeof<usize>(), 16);

/**
 * Columns [jb, je) of one row of out (at po) = its start + Σ_p A(p)·B(p, j) (in partial sums, start.ts),
 * A(p) at pa + p·depthStep and B's row p at b + p·bStep.
 */
@inline
export function loneRow(
  po: usize, pa: usize, b: usize, bias: usize, accumulate: bool, jb: i32, je: i32, k: i32,
  depthStep: usize, bStep: usize,
): void {
  // Listing pays where at least a quarter of a contiguous row is zeros; a denser row runs in place.
  const listed = depthStep == 4 && nonzeros(pa, k) * 4 <= k * 3;
  if (listed) gatherTerms(pa, k, bStep);
  // Block by block across all the columns, each block's sums added to out. A listed block's length
  // varies, so its loop's exit is a branch to predict; block by block, the same length comes round for
  // every tile in turn. Single MNIST digits through 784→128, round-robin in one process against one
  // long sum per element: with 64-deep blocks, blocks inside each tile (running sums in registers) 19%
  // slower, across the tiles 7–13%; with 128-deep blocks, across the tiles, 4–7%. Empty later blocks
  // are skipped (a digit's first and last rows are blank).
  const count = max(1, (k + SUM_DEPTH - 1) / SUM_DEPTH);
  let from = TERMS;
  for (let q = 0; q < count; q++) {
    const first = !accumulate && q == 0;
    const p = q * SUM_DEPTH;
    const depth = min(SUM_DEPTH, k - p);
    const to = listed ? load<usize>(ENDS + (<usize>q) * sizeof<usize>()) : 0;
    // A block with no terms: a later one adds +0 to every sum, nothing to do; a first one leaves the
    // starts, written without the tiles' loops (each a loop exit to mispredict; a digit's first rows
    // are blank).
    if (listed && to == from) {
      if (first) writeStarts(po, bias, jb, je);
      continue;
    }
    const paq = pa + <usize>p * depthStep;
    const bq = b + <usize>p * bStep;
    let j = jb;
    for (; j + 16 <= je; j += 16) tile1x16(po, b, bias, first, j, listed, from, to, paq, bq, depth, depthStep, bStep);
    if (j + 4 <= je) {
      rowTail(po, b, bias, first, j, je - j, listed, from, to, paq, bq, depth, depthStep, bStep);
    } else if (j < je) {
      rowLastColumns(po, b, bias, first, j, je - j, listed, from, to, paq, bq, depth, depthStep, bStep);
    }
    from = to;
  }
}

/** Columns [jb, je) of a row at po = their starts (the bias, or zeros), as a first block with no terms leaves them. */
@inline
function writeStarts(po: usize, bias: usize, jb: i32, je: i32): void {
  let j = jb;
  for (; j + 4 <= je; j += 4) v128.store(po + ((<usize>j) << 2), open4(bias, true, (<usize>j) << 2));
  for (; j < je; j++) store<f32>(po + ((<usize>j) << 2), open(bias, true, j));
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

/**
 * Lists a contiguous row's nonzero values (k ≤ KC of them), each with B(p)'s byte offset, SUM_DEPTH
 * depths at a time: ENDS[q] is where the list of depths [q·SUM_DEPTH, (q+1)·SUM_DEPTH) ends (an empty
 * row still has one, empty, block).
 */
@inline
function gatherTerms(pa: usize, k: i32, bStep: usize): void {
  let e = TERMS;
  let offset: u32 = 0;
  const step = <u32>bStep;
  const zero = f32x4.splat(0);
  const rowEnd = pa + ((<usize>k) << 2);
  let ends = ENDS;
  do {
    // Blocks are SUM_DEPTH floats, a multiple of four, so only the row's last block has a ragged end.
    const end = min(pa + (<usize>SUM_DEPTH << 2), rowEnd);
    const whole = pa + ((end - pa) & ~15);
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
    store<usize>(ends, e);
    ends += sizeof<usize>();
  } while (pa < rowEnd);
}

// A lone row (m below 4, or the last rows of m): one accumulator would be a chain of dependent adds, so
// four run side by side over sixteen columns. Each call is one block of terms: from TERMS [from, to)
// when `listed` (B's offsets from b), else `depth` of them in place, A's from pa (depthStep apart) and
// B's rows from bq (bStep apart). Its sums start from the bias or zero in the element's first block,
// else from zero, added to out (close4).
@inline
function tile1x16(
  po: usize, b: usize, bias: usize, first: bool, j: i32,
  listed: bool, from: usize, to: usize, pa: usize, bq: usize, depth: i32, depthStep: usize, bStep: usize,
): void {
  const jb = (<usize>j) << 2;
  const o = po + jb;
  let c0 = open4(bias, first, jb), c1 = open4(bias, first, jb + 16);
  let c2 = open4(bias, first, jb + 32), c3 = open4(bias, first, jb + 48);
  if (listed) {
    const bj = b + jb;
    for (let e = from; e < to; e += 8) {
      const a0 = v128.load32_splat(e);
      const at = bj + <usize>load<u32>(e, 4);
      c0 = madd(a0, v128.load(at), c0);
      c1 = madd(a0, v128.load(at, 16), c1);
      c2 = madd(a0, v128.load(at, 32), c2);
      c3 = madd(a0, v128.load(at, 48), c3);
    }
  } else {
    let pb = bq + jb;
    let p0 = pa;
    for (let p = 0; p < depth; p++) {
      const a0 = v128.load32_splat(p0);
      c0 = madd(a0, v128.load(pb), c0);
      c1 = madd(a0, v128.load(pb, 16), c1);
      c2 = madd(a0, v128.load(pb, 32), c2);
      c3 = madd(a0, v128.load(pb, 48), c3);
      pb += bStep;
      p0 += depthStep;
    }
  }
  close4(o, c0, first);
  close4(o + 16, c1, first);
  close4(o + 32, c2, first);
  close4(o + 48, c3, first);
}

/**
 * A lone row's last 4 to 15 columns from j: up to three groups of four and the last 1 to 3 columns (as
 * rowLastColumns), all in one loop, one chain each. Each chain is a dependent add per term, and one
 * after another (a 784-128-10 network's 10 outputs were three) they took each chain's time in turn;
 * side by side, 1×128·128×10 ran 17% faster and 1×128·128×13 34%. An absent group rereads group 0 and
 * absent last columns reread column j, and neither is stored, so nothing outside b or bias is read.
 * Each element's operations are those of the other tiles.
 */
@inline
function rowTail(
  po: usize, b: usize, bias: usize, first: bool, j: i32, width: i32,
  listed: bool, from: usize, to: usize, pa: usize, bq: usize, depth: i32, depthStep: usize, bStep: usize,
): void {
  const jb = (<usize>j) << 2;
  const o = po + jb;
  const groups = width >> 2;
  const rest = width & 3;
  // Byte offsets from column j: groups 1 and 2 (0 when absent), the last columns and their 2nd and 3rd.
  const g1: usize = groups > 1 ? 16 : 0;
  const g2: usize = groups > 2 ? 32 : 0;
  const last: usize = rest > 0 ? (<usize>groups) << 4 : 0;
  const second: usize = rest > 1 ? 4 : 0;
  const third: usize = rest > 2 ? 8 : 0;
  const jl = j + (groups << 2);
  const zero = f32x4.splat(0);
  let c0 = open4(bias, first, jb);
  let c1 = groups > 1 ? open4(bias, first, jb + 16) : zero;
  let c2 = groups > 2 ? open4(bias, first, jb + 32) : zero;
  let c3 = rest > 0 ? openColumns3(bias, first, jl, rest) : zero;
  if (listed) {
    const bj = b + jb;
    for (let e = from; e < to; e += 8) {
      const a0 = v128.load32_splat(e);
      const at = bj + <usize>load<u32>(e, 4);
      c0 = madd(a0, v128.load(at), c0);
      c1 = madd(a0, v128.load(at + g1), c1);
      c2 = madd(a0, v128.load(at + g2), c2);
      c3 = madd(a0, columns3(at + last, second, third), c3);
    }
  } else {
    let pb = bq + jb;
    let p0 = pa;
    for (let p = 0; p < depth; p++) {
      const a0 = v128.load32_splat(p0);
      c0 = madd(a0, v128.load(pb), c0);
      c1 = madd(a0, v128.load(pb + g1), c1);
      c2 = madd(a0, v128.load(pb + g2), c2);
      c3 = madd(a0, columns3(pb + last, second, third), c3);
      pb += bStep;
      p0 += depthStep;
    }
  }
  close4(o, c0, first);
  if (groups > 1) close4(o + 16, c1, first);
  if (groups > 2) close4(o + 32, c2, first);
  if (rest > 0) closeColumns3(o + last, c3, first, rest);
}

/**
 * A lone row's last `width` columns (1 to 3) from j, side by side in the lanes of one vector (lane c is
 * column j + c; a missing column, and lane 3, reread column j and are never stored), so each element is
 * its start plus its partial sums, one `madd` per term: the same operations as the 4-row strips' last
 * columns (lastColumns), fused in the relaxed build as they are. (Scalar sums would round the product
 * apart there, and the same row would come out differently alone and in a batch.)
 */
@inline
function rowLastColumns(
  po: usize, b: usize, bias: usize, first: bool, j: i32, width: i32,
  listed: bool, from: usize, to: usize, pa: usize, bq: usize, depth: i32, depthStep: usize, bStep: usize,
): void {
  const o = po + ((<usize>j) << 2);
  const second: usize = width > 1 ? 4 : 0;
  const third: usize = width > 2 ? 8 : 0;
  let c = openColumns3(bias, first, j, width);
  if (listed) {
    const bj = b + ((<usize>j) << 2);
    for (let e = from; e < to; e += 8) {
      c = madd(v128.load32_splat(e), columns3(bj + <usize>load<u32>(e, 4), second, third), c);
    }
  } else {
    let pb = bq + ((<usize>j) << 2);
    let p0 = pa;
    for (let p = 0; p < depth; p++) {
      c = madd(v128.load32_splat(p0), columns3(pb, second, third), c);
      p0 += depthStep;
      pb += bStep;
    }
  }
  closeColumns3(o, c, first, width);
}

/** Up to three adjacent columns' opening sums (open), from column j, `width` of them, in lanes 0 to 2. */
@inline
function openColumns3(bias: usize, first: bool, j: i32, width: i32): v128 {
  const c = f32x4.splat(open(bias, first, j));
  return f32x4.replace_lane(
    f32x4.replace_lane(c, 1, open(bias, first, j + (width > 1 ? 1 : 0))), 2, open(bias, first, j + (width > 2 ? 2 : 0)),
  );
}

/**
 * Lanes 0 to width − 1 of c back to out's adjacent columns from o: as they are in the sum's first block,
 * else added to what the columns hold.
 */
@inline
function closeColumns3(o: usize, c: v128, first: bool, width: i32): void {
  const second: usize = width > 1 ? 4 : 0;
  const third: usize = width > 2 ? 8 : 0;
  if (!first) c = f32x4.add(columns3(o, second, third), c);
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
