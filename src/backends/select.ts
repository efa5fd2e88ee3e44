// Which backend a network gets: WebAssembly where SIMD works (unless the user asks for 'js'), the
// JS twin otherwise; asking for 'wasm' where it cannot run is an error, not a silent fallback.

import type { Backend, BackendName } from './backend.js';
import { JsBackend } from './js.js';
import { WasmBackend, wasmSimdSupported } from './wasm.js';

export async function createBackend(requested: BackendName | undefined): Promise<Backend> {
  if (requested === 'js') return new JsBackend();
  if (wasmSimdSupported()) return WasmBackend.create();
  if (requested === 'wasm') {
    throw new Error(
      "backend 'wasm' was requested, but this JavaScript engine does not support WebAssembly SIMD; " +
        "omit `backend` to fall back to 'js' automatically, or pass backend: 'js'",
    );
  }
  return new JsBackend();
}
