// The WebAssembly backend: one instance of the kernels module per network, so each network has a
// linear memory of its own that it alone lays out and grows. The module is compiled once per process.

import type { Backend, Kernels } from './backend.js';
import { wasmBase64, wasmRelaxedBase64 } from '../wasm/bytes.js';
import { decodeBase64 } from '../wasm/decode.js';
import { growTo, PAGE_BYTES } from './grow.js';

interface KernelExports extends Kernels {
  memory: WebAssembly.Memory;
  heapBase(): number;
}

// The smallest module that uses a v128 instruction (i8x16.splat, i8x16.popcnt): it validates exactly
// where WebAssembly SIMD is supported.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

// The same with f32x4.relaxed_madd: valid where relaxed SIMD is (Chrome 114+, Node 22+; Node 20 behind
// --experimental-wasm-relaxed-simd).
const RELAXED_SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 19, 1, 17, 0,
  65, 0, 253, 15, 65, 0, 253, 15, 65, 0, 253, 15, 253, 133, 2, 11,
]);

let simd: boolean | undefined;
let relaxed: boolean | undefined;

/** Whether this engine runs WebAssembly with SIMD (answered once, then remembered). */
export function wasmSimdSupported(): boolean {
  if (simd === undefined) {
    try {
      simd = typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
    } catch {
      simd = false;
    }
  }
  return simd;
}

/** Whether this engine also runs relaxed SIMD, so the fused multiply-add build can be used. */
export function wasmRelaxedSimdSupported(): boolean {
  if (relaxed === undefined) {
    try {
      relaxed = wasmSimdSupported() && WebAssembly.validate(RELAXED_SIMD_PROBE);
    } catch {
      relaxed = false;
    }
  }
  return relaxed;
}

let compiled: Promise<WebAssembly.Module> | undefined;

function kernelsModule(): Promise<WebAssembly.Module> {
  compiled ??= WebAssembly.compile(
    decodeBase64(wasmRelaxedSimdSupported() ? wasmRelaxedBase64 : wasmBase64) as Uint8Array<ArrayBuffer>,
  );
  return compiled;
}

export class WasmBackend implements Backend {
  readonly name = 'wasm' as const;
  readonly kernels: Kernels;
  readonly base: number;
  f32: Float32Array;
  private readonly memory: WebAssembly.Memory;

  private constructor(exports: KernelExports) {
    this.kernels = exports;
    this.memory = exports.memory;
    // Start on a 64-byte boundary: every buffer the host lays out keeps cache-line alignment.
    this.base = Math.ceil(exports.heapBase() / 64) * 64;
    this.f32 = new Float32Array(this.memory.buffer);
  }

  static async create(): Promise<WasmBackend> {
    const instance = await WebAssembly.instantiate(await kernelsModule(), {});
    return new WasmBackend(instance.exports as unknown as KernelExports);
  }

  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  reserve(bytes: number): void {
    const current = this.memory.buffer.byteLength;
    if (bytes <= current) return;
    this.memory.grow((growTo(current, bytes) - current) / PAGE_BYTES);
    this.f32 = new Float32Array(this.memory.buffer);
  }
}
