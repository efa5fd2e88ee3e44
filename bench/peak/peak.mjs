// @ts-check
// The WebAssembly SIMD arithmetic peak of this machine, measured: a hand-assembled module whose only
// work is f32x4 multiply and add on 12 independent accumulator chains (acc ← acc·m + c), enough chains
// to hide the latency of a dependent mul→add, so the loop runs at the engine's throughput for the pair.
// Each chain step is 4 lanes × (1 mul + 1 add) = 8 flops; GEMM's inner loop is the same mix (acc += a·b).
//
// The bytes are written out below instead of compiled, so the bench builds nothing; the comments give
// the text format. A relaxed variant (f32x4.relaxed_madd) is offered where the engine validates it.

const CHAINS = 12;
/** Chain steps per loop iteration (unrolled), so the loop counter costs little. */
const UNROLL = 4;
export const FLOPS_PER_ITERATION = CHAINS * UNROLL * 8;

/** Unsigned LEB128. */
function leb(/** @type {number} */ n) {
  const out = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function f32const(/** @type {number} */ x) {
  return [0x43, ...new Uint8Array(new Float32Array([x]).buffer)];
}

const simd = (/** @type {number} */ op) => [0xfd, ...leb(op)];
const F32X4_SPLAT = 0x13;
const F32X4_EXTRACT_LANE = 0x1f;
const F32X4_ADD = 0xe4;
const F32X4_MUL = 0xe6;
const F32X4_RELAXED_MADD = 0x105;

/**
 * (func (export "peak") (param $n i32) (result f32)) with locals acc0…acc11, m, c (v128):
 *   m = splat(0.999); c = splat(0.001); acc_i = splat(i)
 *   loop: if n == 0 break; UNROLL × for each i: acc_i = acc_i·m + c; n -= 1
 *   return lane 0 of Σ acc_i (so nothing is dead code)
 * @param {boolean} relaxed use f32x4.relaxed_madd(acc, m, c) instead of mul then add
 */
export function peakModuleBytes(relaxed = false) {
  const n = 0;
  const acc = (/** @type {number} */ i) => 1 + i;
  const m = 1 + CHAINS;
  const c = m + 1;
  const body = [];
  body.push(...f32const(0.999), ...simd(F32X4_SPLAT), 0x21, m); // local.set m
  body.push(...f32const(0.001), ...simd(F32X4_SPLAT), 0x21, c);
  for (let i = 0; i < CHAINS; i++) body.push(...f32const(i), ...simd(F32X4_SPLAT), 0x21, acc(i));
  body.push(0x02, 0x40, 0x03, 0x40); // block, loop (no results)
  body.push(0x20, n, 0x45, 0x0d, 1); // local.get n; i32.eqz; br_if 1 (out of the block)
  for (let u = 0; u < UNROLL; u++) {
    for (let i = 0; i < CHAINS; i++) {
      if (relaxed) body.push(0x20, acc(i), 0x20, m, 0x20, c, ...simd(F32X4_RELAXED_MADD), 0x21, acc(i));
      else body.push(0x20, acc(i), 0x20, m, ...simd(F32X4_MUL), 0x20, c, ...simd(F32X4_ADD), 0x21, acc(i));
    }
  }
  body.push(0x20, n, 0x41, 1, 0x6b, 0x21, n); // n = n - 1
  body.push(0x0c, 0, 0x0b, 0x0b); // br 0 (loop); end loop; end block
  body.push(0x20, acc(0));
  for (let i = 1; i < CHAINS; i++) body.push(0x20, acc(i), ...simd(F32X4_ADD));
  body.push(...simd(F32X4_EXTRACT_LANE), 0, 0x0b); // lane 0; end func

  const locals = [1, ...leb(CHAINS + 2), 0x7b]; // one group: 14 × v128
  const func = [...locals, ...body];
  const code = [1, ...leb(func.length), ...func];
  const section = (/** @type {number} */ id, /** @type {number[]} */ bytes) => [id, ...leb(bytes.length), ...bytes];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 1, 0x7f, 1, 0x7d]), // type: (i32) → f32
    ...section(3, [1, 0]), // function 0 has type 0
    ...section(7, [1, 4, ...[...'peak'].map((ch) => ch.charCodeAt(0)), 0x00, 0]), // export "peak" = func 0
    ...section(10, code),
  ]);
}

/** The module's `peak(iterations)` function, or undefined where the engine rejects the bytes. */
export function peakFunction(relaxed = false) {
  const bytes = peakModuleBytes(relaxed);
  if (!WebAssembly.validate(bytes)) return undefined;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
  return /** @type {(n: number) => number} */ (instance.exports.peak);
}
