// What an object allocates and whether it lets go: weak references to the backends (and, on 'wasm',
// the WebAssembly.Memory) created while a function runs, and a way to run the collector for real.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { JsBackend } from '../../src/backends/js.js';
import { WasmBackend } from '../../src/backends/wasm.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

export async function collectGarbage(): Promise<void> {
  for (let i = 0; i < 4; i++) {
    // WeakRef targets stay alive until the current job ends: let it end first.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
}

/**
 * Runs `create` while watching what it allocates on `backend`: each backend object that reserves memory
 * and, on 'wasm', the WebAssembly.Memory of each module instance. Only weak references are kept.
 */
export async function createWatched<T>(backend: 'wasm' | 'js', create: () => Promise<T>): Promise<{ value: T; held: WeakRef<object>[] }> {
  const held: WeakRef<object>[] = [];
  const proto = (backend === 'wasm' ? WasmBackend : JsBackend).prototype as { reserve(bytes: number): void };
  const reserve = proto.reserve;
  const wasm = WebAssembly as unknown as { instantiate: (...args: unknown[]) => Promise<unknown> };
  const instantiate = wasm.instantiate;
  proto.reserve = function (this: object, bytes: number) {
    if (!held.some((ref) => ref.deref() === this)) held.push(new WeakRef(this));
    return reserve.call(this, bytes);
  };
  wasm.instantiate = async (...args: unknown[]) => {
    const result = (await instantiate.apply(WebAssembly, args)) as WebAssembly.Instance | { instance: WebAssembly.Instance };
    const instance = result instanceof WebAssembly.Instance ? result : result.instance;
    held.push(new WeakRef(instance.exports.memory as WebAssembly.Memory));
    return result;
  };
  try {
    return { value: await create(), held };
  } finally {
    proto.reserve = reserve;
    wasm.instantiate = instantiate;
  }
}
