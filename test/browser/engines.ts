// Scripts that make a JavaScript engine look like one with less WebAssembly, run before any other script
// (page.addInitScript in a browser, ahead of the import in Node). engram only ever asks
// WebAssembly.validate about its two probe modules, so refusing modules by their opcodes is enough.

/** The module src/backends/wasm.ts validates to detect relaxed SIMD (one f32x4.relaxed_madd). */
export const RELAXED_SIMD_PROBE = [
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 19, 1, 17, 0,
  65, 0, 253, 15, 65, 0, 253, 15, 65, 0, 253, 15, 253, 133, 2, 11,
];

/** A script that replaces WebAssembly.validate with one refusing modules for which `refuses(bytes)` holds. */
function refuseModules(refuses: string): string {
  return `{
    const validate = WebAssembly.validate;
    const refuses = ${refuses};
    WebAssembly.validate = (source) => {
      const bytes = ArrayBuffer.isView(source) ? new Uint8Array(source.buffer, source.byteOffset, source.byteLength) : new Uint8Array(source);
      return !refuses(bytes) && validate(source);
    };
  }`;
}

/** No SIMD at all: every opcode with the 0xFD prefix (all of SIMD) is refused. */
export const WITHOUT_SIMD = refuseModules('(bytes) => bytes.includes(0xfd)');

/** SIMD but not relaxed SIMD: opcodes 0xFD 0x100–0x1FF (two LEB128 bytes, the second 0x02) are refused. */
export const WITHOUT_RELAXED_SIMD = refuseModules(
  '(bytes) => bytes.some((b, i) => b === 0xfd && bytes[i + 1] >= 0x80 && bytes[i + 2] === 0x02)',
);

/** No WebAssembly at all (as with some locked-down browser settings). */
export const WITHOUT_WEBASSEMBLY = 'delete globalThis.WebAssembly;';

/** An expression: whether this engine validates relaxed SIMD, after any of the scripts above. */
export const HAS_RELAXED_SIMD = `typeof WebAssembly === 'object' && WebAssembly.validate(new Uint8Array(${JSON.stringify(RELAXED_SIMD_PROBE)}))`;
