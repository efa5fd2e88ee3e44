// @ts-check
// Where a matrix product's operands live in an engram memory for the kernel benches, with the scratch a
// network lends its products: the packing panel it lays out once its batch reaches 64 rows, and a k×n
// block scratch, as its gradient buffers are lent to the forward pass (where A·B past 256 rows copies
// B's strips) and to the backward pass's Aᵀ·B. (A·Bᵀ is lent nothing in a network, and uses none.)

/**
 * A memory to lay a product out in: a backend (bench/gemm.mjs, bench/drift.mjs), or a bare instance of
 * one of the wasm builds behind the same three members (bench/relaxed.mjs).
 * @typedef {object} ProductMemory
 * @property {number} base the first byte the product may use
 * @property {(bytes: number) => void} reserve makes at least `bytes` bytes addressable
 * @property {{ panelBytes(rows: number): number, setPanel(at: number): void, setBlockScratch(at: number, bytes: number): void }} kernels
 */

const align64 = (/** @type {number} */ bytes) => Math.ceil(bytes / 64) * 64;

/**
 * Reserves a[m×k], b[k×n], out[m×n], the panel and the block scratch (each 64-byte aligned) in `memory`,
 * and hands the kernels the last two. Returns the byte offsets of a, b and out; the caller writes a and b.
 * @param {ProductMemory} memory
 * @param {number} m @param {number} k @param {number} n
 */
export function placeProduct(memory, m, k, n) {
  const pa = align64(memory.base);
  const pb = pa + align64(m * k * 4);
  const po = pb + align64(k * n * 4);
  const panelBytes = memory.kernels.panelBytes(m);
  const pp = po + align64(m * n * 4);
  const ps = pp + align64(panelBytes);
  memory.reserve(ps + k * n * 4);
  memory.kernels.setPanel(panelBytes > 0 ? pp : 0);
  memory.kernels.setBlockScratch(ps, k * n * 4);
  return { pa, pb, po };
}
