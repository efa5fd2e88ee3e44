// The in-place paths' cache blocks, the products' static scratch memory, and the scratch a host lends.
// Static memory is part of every network's footprint (target 5 holds it to 1.1× of the ideal), so there
// is only PANEL, shared in turn by the A strips below and the lone rows' term lists (lone-row.ts), and
// the packed panel's 128-byte TILE (panel.ts). Larger copies go where the host lends room.

// Cache blocking, as in GotoBLAS: a block of KC rows × NC columns of B (256 KiB) is reused by every row
// of A while it sits in L2, instead of streaming all of B (and a TLB page per row of it) for every 4
// rows. Blocks after the first along the depth add to what out already holds.
export const KC = 256;
export const NC = 256;

// Aᵀ·B reads A down columns: a 4-row strip is four adjacent floats per depth step, one cache line per
// step, all m·4 bytes apart, so a strip's lines crowd into a few L1 sets and evict each other. Each
// strip is first copied to this 4 KiB panel ([depth][4], contiguous), once per depth block and column
// block, then read from there. Aᵀ·B's copied blocks (blocks.ts) pack eight rows here, up to 128 deep.
export const PANEL_BYTES = KC * 16;
export const PANEL = memory.data(PANEL_BYTES, 16);

// The block scratch: memory the host lends for one product, where copies of B's depth blocks go:
// Aᵀ·B's blocks (blocks.ts) and A·B's strips past one row block (panel.ts). A network lends its two
// gradient buffers, free at those moments (assembly/train.ts).
let blockScratch: usize = 0;
let blockBytes: i32 = 0;

/** Lends the products a scratch of `bytes` at `at` (16-byte aligned) for B's blocks, or takes it back with (0, 0). */
export function setBlockScratch(at: usize, bytes: i32): void {
  blockScratch = at;
  blockBytes = at != 0 ? bytes : 0;
}

/** Where the lent block scratch is, or 0 for none. */
@inline
export function blockScratchAt(): usize {
  return blockScratch;
}

/** How many bytes the lent block scratch has (0 for none). */
@inline
export function blockScratchBytes(): i32 {
  return blockBytes;
}
