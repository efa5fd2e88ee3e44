// The descriptor table and stop flags agree between assembly/descriptor.ts and src/descriptor.ts.
import { describe, expect, it } from 'vitest';
import { DESC, LAYER, OPTIMIZERS, STOP } from '../../src/descriptor.js';
import { wasmBase64 } from '../../src/wasm/bytes.js';
import { decodeBase64 } from '../../src/wasm/decode.js';

const snake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

describe('the training descriptor', () => {
  it('has the same byte offsets, optimizer codes and stop flags on both sides', async () => {
    const { instance } = await WebAssembly.instantiate(decodeBase64(wasmBase64) as Uint8Array<ArrayBuffer>, {});
    const exported = (name: string) => {
      const value = instance.exports[name];
      if (!(value instanceof WebAssembly.Global)) throw new Error(`the module does not export ${name}`);
      return value.value as number;
    };
    for (const [key, value] of Object.entries(DESC)) {
      const name = `DESC_${key}`;
      expect(exported(name), name).toBe(value);
    }
    for (const [key, value] of Object.entries(LAYER)) expect(exported(`LAYER_${key}`), key).toBe(value);
    for (const [key, value] of Object.entries(OPTIMIZERS)) expect(exported(`OPTIMIZER_${snake(key)}`), key).toBe(value);
    expect(exported('STOP_PAUSED')).toBe(STOP.PAUSED);
    expect(exported('STOP_DIVERGED')).toBe(STOP.DIVERGED);
    expect(exported('STOP_THRESHOLD')).toBe(STOP.THRESHOLD);
    expect(exported('EPOCHS_MASK')).toBe(STOP.EPOCHS_MASK);
  });
});
