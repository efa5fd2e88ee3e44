// A·Bᵀ on fewer rows than the packed panel takes (or with no panel laid out): B's rows are A's rows'
// partners in dot products, both read along their contiguous rows.

import { madd } from '../madd';
import { column4 } from './tiles';

/** out = a · bᵀ as dot products of A's rows with B's rows. */
export function dots(out: usize, a: usize, b: usize, m: i32, k: i32, n: i32): void {
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
