// How both backends grow their memory: in 64 KiB pages (WebAssembly's unit), at least doubling, so that
// a network that grows step by step still reallocates only a logarithmic number of times.

export const PAGE_BYTES = 65536;

/** The new size in bytes for a memory of `current` bytes that must hold `needed`. */
export function growTo(current: number, needed: number): number {
  const pages = Math.ceil(needed / PAGE_BYTES);
  const doubled = Math.ceil((current * 2) / PAGE_BYTES);
  return Math.max(pages, current > 0 ? Math.min(doubled, pages + 256) : pages) * PAGE_BYTES;
}
