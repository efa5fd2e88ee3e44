// The backends every test runs on, and a way to get a bare one for kernel tests.
import type { Backend, BackendName } from '../../src/backends/backend.js';
import { JsBackend } from '../../src/backends/js.js';
import { WasmBackend } from '../../src/backends/wasm.js';

export const BACKENDS: BackendName[] = ['wasm', 'js'];

export async function bareBackend(name: BackendName): Promise<Backend> {
  return name === 'wasm' ? WasmBackend.create() : new JsBackend();
}

/**
 * Places f32 arrays one after another (16-byte aligned) in a backend's memory and reads them back: the
 * way kernel tests hand inputs to a kernel and look at what it wrote.
 */
export class Arena {
  private next: number;

  constructor(readonly backend: Backend) {
    this.next = backend.base;
  }

  /** Reserves room for `count` floats filled with `fill` (default NaN, so unwritten outputs show). */
  alloc(count: number, fill = NaN): number {
    const ptr = this.next;
    this.next += ((count * 4 + 15) & ~15) + 16;
    this.backend.reserve(this.next + 16);
    this.backend.f32.fill(fill, ptr >> 2, (this.next >> 2));
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
}
