// Aᵀ·B's blocks of B, copied into a scratch the host lends.

import { blockScratchAt, blockScratchBytes, PANEL, PANEL_BYTES } from './scratch';
import { kernel2x16, packStrip } from './tiles';
import { PANEL_ROWS, packStrips, panelAt, panelBytes, stripRow } from './panel';

// Aᵀ·B reads B's rows in place, n·4 bytes apart, each 2×16 tile a 64-byte line of each. From 512
// bytes apart (n ≥ 128), a block's lines fall in a few L1 sets (64 sets of 64 bytes: 8 sets at 512
// bytes, 4 at 1 KiB, one at 4 KiB): the rows of a block evict each other and come from L2, once for
// each pair of A's rows. Where the host has lent a scratch that holds a whole depth block of B's strips
// (kc × NC columns, or kc × n where it holds all of them: blocked, matmul.ts), they are copied there
// first, strip after strip ([strip][depth][16], contiguous), once per block, and A, packed eight rows
// at a time where they fit (see below), runs past them.
// The relaxed build's tiles, one fused multiply-add per term where the plain build issues a multiply
// and an add, outrun what L2 can feed them. Against reading B in place, interleaved, on an AMD EPYC
// (32 KiB 8-way L1, 512 KiB of L2): relaxed 256³ +32%, 1024×256·256×256 +39%, 64×784·784×128 +10%,
// 128³ +9%; plain +1% to +8%; 784×32·32×128 (a digit layer's weight gradient, B only 32 rows) and
// 200×300·300×400 within ±2%. (On an earlier machine with a larger L1, 512 columns gained plain +2.8%
// and relaxed +12.5%, 256 columns plain −1.8% and relaxed +2.7%; narrower blocks, which would fit one
// strip of the packed panel, measured 5–17% slower with 4×8 tiles, A being packed again per block.)
// n a multiple of 16 makes every column block whole strips wide. Each element is the same sum in the
// same order as gemmBlock's tiles compute.
//
// Eight rows of A at a time ([depth][8]), not gemmBlock's four: a strip of the block (16 KiB at KC)
// then comes from L2 for the first of its four 2×16 tiles and stays in L1 for the other three, where
// four rows read it from L2 for every other tile. Eight rows take kc·32 bytes: PANEL holds them up to
// 128 deep (a weight gradient's depth is the batch), the packed panel deeper, when the host has laid
// one out (a network does from 64 rows of batch; Aᵀ·B never runs inside paneled()). Without either,
// four rows at a time. Against four, interleaved on the AMD EPYC with the machine quiet: 256³ +6.4%,
// 512³ +7.4%, 64×784·784×128 +5.6%; slow, 0 to +3%. (Sixteen rows, 16 KiB of A beside the 16 KiB
// strip, measured 3–4% slower than eight, before kernel2x16's reordering.)
//
// A network's Aᵀ·B is its weight gradient, xᵀ·δ, in the backward pass: depth = the batch, B = δ. The
// other of its two batch-gradient buffers is free at that moment and as large as any such block, so
// train.ts lends it (setBlockScratch, scratch.ts) for the call, and the block costs no memory of its own.

/** Whether a depth block of kc × width columns of an Aᵀ·B with m rows and n columns is copied (see above). */
@inline
export function blockFits(m: i32, n: i32, kc: i32, width: i32): bool {
  return m >= PANEL_ROWS && n >= 128 && (n & 15) == 0 && kc * width * 4 <= blockScratchBytes();
}

/** Columns [jb, je) (whole strips of 16) of out for one depth block of kc, B's strips through the block scratch. */
export function packedBlock(
  out: usize, a: usize, b: usize, bias: usize, accumulate: bool, m: i32, kc: i32, n: i32, jb: i32, je: i32,
  aDepthStride: i32,
): void {
  const depthStep = (<usize>aDepthStride) << 2;
  const outRow = (<usize>n) << 2;
  const stripBytes = (<usize>kc) << 6;
  packStrips(blockScratchAt(), b, 0, kc, jb, je, n, 1);
  let i = 0;
  // Eight rows of A at a time where they fit: in PANEL up to 128 deep, else in the packed panel (free
  // while Aᵀ·B runs) when the host has laid one out. Otherwise four at a time, as below.
  const eightBytes = kc << 5;
  const eight: usize = eightBytes <= PANEL_BYTES ? PANEL : (eightBytes <= panelBytes(PANEL_ROWS) ? panelAt() : 0);
  if (eight != 0) {
    for (; i + 8 <= m; i += 8) {
      packStrip(eight, a + ((<usize>i) << 2), kc, depthStep, 8);
      pastStrips(out + <usize>i * outRow, outRow, eight, 8, bias, accumulate, kc, jb, je, stripBytes);
    }
  }
  for (; i + 4 <= m; i += 4) {
    packStrip(PANEL, a + ((<usize>i) << 2), kc, depthStep, 4);
    pastStrips(out + <usize>i * outRow, outRow, PANEL, 4, bias, accumulate, kc, jb, je, stripBytes);
  }
  for (; i < m; i++) {
    const pa = a + ((<usize>i) << 2);
    const po = out + <usize>i * outRow;
    let strip = blockScratchAt();
    for (let j = jb; j < je; j += 16, strip += stripBytes) {
      const column = (<usize>j) << 2;
      stripRow(po + column, pa, depthStep, strip, strip + stripBytes, 16, bias, accumulate, column);
    }
  }
}

/**
 * `rows` rows of out from po (4 or 8, a constant where this is inlined), columns [jb, je), against
 * the block's strips: A's rows packed at `packed`, [depth][rows], run two at a time (kernel2x16).
 */
@inline
function pastStrips(
  po: usize, outRow: usize, packed: usize, rows: i32, bias: usize, accumulate: bool, kc: i32, jb: i32, je: i32,
  stripBytes: usize,
): void {
  const depthBytes = (<usize>rows) << 2;
  let strip = blockScratchAt();
  for (let j = jb; j < je; j += 16, strip += stripBytes) {
    const column = (<usize>j) << 2;
    kernel2x16(po + column, outRow, packed, 4, depthBytes, strip, 64, kc, bias, accumulate, column);
    kernel2x16(po + 2 * outRow + column, outRow, packed + 8, 4, depthBytes, strip, 64, kc, bias, accumulate, column);
    if (rows == 8) {
      kernel2x16(po + 4 * outRow + column, outRow, packed + 16, 4, depthBytes, strip, 64, kc, bias, accumulate, column);
      kernel2x16(po + 6 * outRow + column, outRow, packed + 24, 4, depthBytes, strip, 64, kc, bias, accumulate, column);
    }
  }
}
