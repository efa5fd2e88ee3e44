// The backends every test runs on, and a way to get a bare one for kernel tests.
import type { Backend, BackendName } from '../../src/backends/backend.js';
import { JsBackend } from '../../src/backends/js.js';
import { WasmBackend } from '../../src/backends/wasm.js';

export const BACKENDS: BackendName[] = ['wasm', 'js'];

export async function bareBackend(name: BackendName): Promise<Backend> {
  return name === 'wasm' ? WasmBackend.create() : new JsBackend();
}

interface Placed {
  ptr: number;
  count: number;
  /** First byte past the buffer's guard. */
  end: number;
}

/**
 * Places f32 arrays one after another (16-byte aligned) in a backend's memory and reads them back: the
 * way kernel tests hand inputs to a kernel and look at what it wrote. After each buffer, its padding to
 * 16 bytes and a 16-byte guard hold NaNs whose payload names the buffer and the word: a kernel that
 * writes past a buffer, even a NaN or a copy of another guard, changes one of them.
 */
export class Arena {
  private next: number;
  private readonly placed: Placed[] = [];

  constructor(readonly backend: Backend) {
    this.next = backend.base;
  }

  /** Reserves room for `count` floats filled with `fill` (default NaN, so unwritten outputs show). */
  alloc(count: number, fill = NaN): number {
    const ptr = this.next;
    const end = ptr + ((count * 4 + 15) & ~15) + 16;
    this.next = end;
    this.backend.reserve(end + 16);
    this.backend.f32.fill(fill, ptr >> 2, (ptr >> 2) + count);
    const index = this.placed.length;
    const words = this.words();
    for (let w = (ptr >> 2) + count; w < end >> 2; w++) words[w] = guardWord(index, w - (ptr >> 2));
    this.placed.push({ ptr, count, end });
    return ptr;
  }

  /** Copies values into fresh memory; returns the pointer. */
  put(values: ArrayLike<number>): number {
    const ptr = this.alloc(values.length);
    this.backend.f32.set(values, ptr >> 2);
    return ptr;
  }

  read(ptr: number, count: number): Float32Array {
    return this.backend.f32.slice(ptr >> 2, (ptr >> 2) + count);
  }

  /** The first guard word (past any buffer) that no longer holds its NaN, described; undefined if none. */
  writtenGuard(): string | undefined {
    const words = this.words();
    for (const [index, { ptr, count, end }] of this.placed.entries()) {
      for (let w = (ptr >> 2) + count; w < end >> 2; w++) {
        const at = w - (ptr >> 2);
        if (words[w] !== guardWord(index, at)) {
          return `float ${at} of buffer ${index} (${count} floats at byte ${ptr}) was written: ${this.backend.f32[w]}`;
        }
      }
    }
    return undefined;
  }

  private words(): Uint32Array {
    return new Uint32Array(this.backend.f32.buffer);
  }
}

/** A quiet NaN, unlike the canonical one (0x7fc00000), with the buffer and word in its payload. */
function guardWord(buffer: number, word: number): number {
  return (0x7fe00000 | ((buffer & 0xfff) << 8) | (word & 0xff)) >>> 0;
}
