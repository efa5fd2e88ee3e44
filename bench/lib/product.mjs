// @ts-check
// Where a matrix product's operands live in an engram backend's memory for the kernel benches, with the
// scratch a network lends its products: the packing panel it lays out once its batch reaches 64 rows,
// and, for Aᵀ·B, the spare k×n gradient buffer that the backward pass lends it.

/**
 * Reserves a[m×k], b[k×n], out[m×n], the panel and the block scratch in `backend`'s memory, and hands the
 * kernels the last two. Returns the byte offsets of a, b and out; the caller writes a and b.
 * @param {import('../../dist/backends/backend.js').Backend} backend
 * @param {number} m @param {number} k @param {number} n
 */
export function placeProduct(backend, m, k, n) {
  const pa = backend.base;
  const pb = pa + m * k * 4;
  const po = pb + k * n * 4;
  const panelBytes = backend.kernels.panelBytes(m);
  const pp = Math.ceil((po + m * n * 4) / 64) * 64;
  const ps = Math.ceil((pp + panelBytes) / 64) * 64;
  backend.reserve(ps + k * n * 4);
  backend.kernels.setPanel(panelBytes > 0 ? pp : 0);
  backend.kernels.setBlockScratch(ps, k * n * 4);
  return { pa, pb, po };
}
