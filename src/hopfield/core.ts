// A memory's working parts below the public API: its backend, where its buffers lie in the backend's
// memory, and the stored patterns. Everything is laid out once at creation, except the pattern region,
// which grows (by doubling) as patterns are stored. Offsets are kept, never views: growing memory
// detaches views, so every access re-reads `backend.f32`. Inputs arrive here already validated.

import type { Backend } from '../backends/backend.js';
import type { HopfieldConfig } from './config.js';

/** WebAssembly memory tops out at 4 GiB; refuse layouts that could never fit, before trying. */
const MAX_BYTES = 2 ** 32;
/** Every buffer starts on a cache line. */
const ALIGN = 64;

const align = (bytes: number) => Math.ceil(bytes / ALIGN) * ALIGN;

export class Core {
  /** size×size weights (classical; symmetric, zero diagonal). */
  readonly weights: number;
  /** An orthonormal basis of the patterns, up to size×size (pseudo-inverse rule only). */
  readonly basis: number;
  /** Two states to alternate between, a field (weights·state, or the modern update's scratch), the order. */
  readonly state: number;
  readonly next: number;
  readonly field: number;
  readonly order: number;
  /** Past the fixed buffers: probabilities over patterns [capacity], then the patterns [capacity×size]. */
  readonly fixedEnd: number;
  probs = 0;
  patterns = 0;
  capacity = 0;
  /** Patterns stored. */
  count = 0;
  /** The largest squared norm and the largest |value| among the patterns (the modern energy and tolerance). */
  maxNormSquared = 0;
  maxAbs = 0;

  #backend: Backend | undefined;

  constructor(backend: Backend, readonly config: HopfieldConfig) {
    this.#backend = backend;
    const { size, kind, rule } = config;
    const vector = align(size * 4);
    const matrix = align(size * size * 4);
    let at = align(backend.base);
    this.weights = at;
    if (kind === 'classical') at += matrix;
    this.basis = at;
    if (kind === 'classical' && rule === 'pseudoinverse') at += matrix;
    this.state = at;
    this.next = at += vector;
    this.field = at += vector;
    this.order = at += vector;
    this.fixedEnd = at += vector;
    this.ensureCapacity(1);
    // Fresh WebAssembly memory is zero, the JS backend's too; but say what the weights start as.
    backend.f32.fill(0, this.weights >> 2, this.basis >> 2);
  }

  get backend(): Backend {
    if (!this.#backend) throw new Error('this memory has been disposed; create or load a new one');
    return this.#backend;
  }

  get kernels() {
    return this.backend.kernels;
  }

  release(): void {
    this.#backend = undefined;
  }

  /** Bytes a layout for `capacity` patterns needs, and where its two growing regions start. */
  private regions(capacity: number): { probs: number; patterns: number; end: number } {
    const probs = this.fixedEnd;
    const patterns = probs + align(capacity * 4);
    return { probs, patterns, end: patterns + align(capacity * this.config.size * 4) };
  }

  /** Makes room for `count` patterns, moving those stored if the region moves; unchanged if that fails. */
  ensureCapacity(count: number): void {
    if (count <= this.capacity) return;
    const capacity = Math.max(count, this.capacity * 2);
    const next = this.regions(capacity);
    if (next.end > MAX_BYTES) {
      throw new RangeError(
        `storing ${count} patterns of size ${this.config.size} needs ${(next.end / 2 ** 20).toFixed(0)} MiB, more than the 4 GiB a memory can address`,
      );
    }
    try {
      this.backend.reserve(next.end);
    } catch (cause) {
      throw new RangeError(`could not grow memory to ${(next.end / 2 ** 20).toFixed(0)} MiB for ${count} patterns`, { cause });
    }
    const f32 = this.backend.f32;
    const stored = this.count * this.config.size;
    f32.copyWithin(next.patterns >> 2, this.patterns >> 2, (this.patterns >> 2) + stored);
    this.probs = next.probs;
    this.patterns = next.patterns;
    this.capacity = capacity;
  }

  /** The byte offset of pattern `index`. */
  pattern(index: number): number {
    return this.patterns + index * this.config.size * 4;
  }

  /** Appends validated patterns after those stored (room must have been made); returns the first index. */
  appendPatterns(patterns: readonly ArrayLike<number>[]): number {
    const first = this.count;
    const f32 = this.backend.f32;
    patterns.forEach((p, i) => {
      f32.set(p, this.pattern(first + i) >> 2);
      let norm = 0;
      for (let j = 0; j < p.length; j++) {
        const v = Math.fround(p[j]);
        norm += v * v;
        this.maxAbs = Math.max(this.maxAbs, Math.abs(v));
      }
      this.maxNormSquared = Math.max(this.maxNormSquared, norm);
    });
    this.count += patterns.length;
    return first;
  }

  /** Copies of the stored patterns. */
  readPatterns(): Float32Array[] {
    const f32 = this.backend.f32;
    const size = this.config.size;
    return Array.from({ length: this.count }, (_, i) => f32.slice(this.pattern(i) >> 2, (this.pattern(i) >> 2) + size));
  }

  /** A copy of `count` floats at byte offset `at`. */
  read(at: number, count: number): Float32Array {
    return this.backend.f32.slice(at >> 2, (at >> 2) + count);
  }

  write(at: number, values: ArrayLike<number>): void {
    this.backend.f32.set(values, at >> 2);
  }
}
