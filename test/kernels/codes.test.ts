// The activation and loss codes agree between assembly/codes.ts (the module's exported globals) and
// src/codes.ts, name by name, with nothing exported on one side only.
import { beforeAll, describe, expect, it } from 'vitest';
import { ACTIVATIONS, LOSSES } from '../../src/codes.js';
import { wasmBase64 } from '../../src/wasm/bytes.js';
import { decodeBase64 } from '../../src/wasm/decode.js';

/** leakyRelu → LEAKY_RELU, binaryCrossentropy → BINARY_CROSSENTROPY. */
const snake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

describe('the activation and loss codes', () => {
  let globals: Map<string, number>;
  beforeAll(async () => {
    const { instance } = await WebAssembly.instantiate(decodeBase64(wasmBase64) as Uint8Array<ArrayBuffer>, {});
    globals = new Map();
    for (const [name, value] of Object.entries(instance.exports)) {
      if (value instanceof WebAssembly.Global) globals.set(name, value.value as number);
    }
  });

  for (const [prefix, table] of [['ACTIVATION_', ACTIVATIONS], ['LOSS_', LOSSES]] as const) {
    it(`${prefix}* in the module equal src/codes.ts, name by name`, () => {
      const expected = Object.entries(table).map(([name, code]) => [`${prefix}${snake(name)}`, code]);
      const exported = [...globals].filter(([name]) => name.startsWith(prefix));
      expect(Object.fromEntries(exported)).toEqual(Object.fromEntries(expected));
      expect(exported.length, `${prefix}* exports`).toBe(Object.keys(table).length);
    });
  }

  it('maps the two-word names as expected', () => {
    expect(globals.get('ACTIVATION_LEAKY_RELU')).toBe(ACTIVATIONS.leakyRelu);
    expect(globals.get('LOSS_BINARY_CROSSENTROPY')).toBe(LOSSES.binaryCrossentropy);
    expect(globals.get('LOSS_CATEGORICAL_CROSSENTROPY')).toBe(LOSSES.categoricalCrossentropy);
  });
});
