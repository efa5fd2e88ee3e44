// @ts-check
// The WebAssembly SIMD arithmetic peak of this machine, measured: a hand-assembled module whose only
// work is f32x4 multiplies and adds on 12 independent accumulator chains, six of multiplies
// (acc ← acc·m) and six of adds (acc ← acc + c). Each chain waits only on its own operation, so six
// chains of each hide its latency, and the loop runs at the engine's throughput for multiplies and adds
// issued side by side, the mix of GEMM's inner loop (acc += a·b: one multiply, one add).
//
// Why not chains of a multiply then an add (acc ← acc·m + c)? That was the loop here until a bare
// 2×16 GEMM loop outran it. On an AMD EPYC, interleaved in one process and with the machine quiet,
// that loop read 38.8–39.0 GFLOP/s, this one 40.3–40.5, and the GEMM loop 40.0–40.4 with its second
// row of A at a constant offset from the first (35.0–35.2 with the offset known only at run time, as
// in engram's tiles): each chain of the old loop waits on a multiply and an add in turn, and twelve
// such chains leave the pipes no slack. A peak that a product can beat is not the peak.
//
// The bytes are written out below instead of compiled, so the bench builds nothing; the comments give
// the text format. A relaxed variant (f32x4.relaxed_madd, acc ← acc·m + c fused into one operation on
// all 12 chains) is offered where the engine validates it.

const CHAINS = 12;
/** Chains of multiplies in the plain loop; the other CHAINS − MULTIPLY_CHAINS are chains of adds. */
const MULTIPLY_CHAINS = 6;
/**
 * Chain steps per pass of the loop. A plain step is one operation (4 flops), a relaxed one a fused
 * multiply-add (8). V8 issues each chain's steps of a pass back to back, so the plain loop keeps passes
 * short: at 8 steps a pass it read 37.5 GFLOP/s where 2 steps read 40.4. (The relaxed loop read 2–4%
 * more at 4 steps than at 1.) An iteration of peak() is 384 flops either way: four plain passes of 2
 * steps on 12 chains, or one relaxed pass of 4.
 */
const UNROLL = { plain: 2, relaxed: 4 };
const PLAIN_PASSES_PER_ITERATION = 4;
export const FLOPS_PER_ITERATION = CHAINS * UNROLL.relaxed * 8;
if (CHAINS * UNROLL.plain * 4 * PLAIN_PASSES_PER_ITERATION !== FLOPS_PER_ITERATION) throw new Error('the plain and relaxed peak loops must count the same flops');

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
 * (func (export "peak") (param $n i32) (param $mValue f32) (param $cValue f32) (result f32)) with locals
 * acc0…acc11, m, c (v128):
 *   m = splat(mValue); c = splat(cValue); acc_i = splat(i)     (peakFunction passes 1.0000001 and 0.001)
 *   loop: if n == 0 break; UNROLL.plain × for each chain, a multiply chain and an add chain in turn:
 *         acc_i = acc_i·m (i < 6) or acc_i + c (i ≥ 6); n -= 1
 *   return lane 0 of Σ acc_i (so nothing is dead code)
 * m is a hair above 1 so that the products neither vanish into subnormals (slow on some CPUs) nor
 * overflow: a call of 20,000 iterations (160,000 multiplies a chain) grows them by 2%.
 * @param {boolean} relaxed acc_i = f32x4.relaxed_madd(acc_i, m, c) on every chain instead (m = 0.999)
 */
export function peakModuleBytes(relaxed = false) {
  const n = 0;
  const mValue = 1;
  const cValue = 2;
  const acc = (/** @type {number} */ i) => 3 + i;
  const m = acc(CHAINS);
  const c = m + 1;
  const body = [];
  // m and c arrive as parameters, not constants: V8 rebuilt a constant vector inside the loop each
  // time it was used (three instructions: a move, a transfer to a vector register, a broadcast), where
  // it splats a parameter with one broadcast.
  body.push(0x20, mValue, ...simd(F32X4_SPLAT), 0x21, m); // local.set m
  body.push(0x20, cValue, ...simd(F32X4_SPLAT), 0x21, c);
  for (let i = 0; i < CHAINS; i++) body.push(...f32const(i), ...simd(F32X4_SPLAT), 0x21, acc(i));
  body.push(0x02, 0x40, 0x03, 0x40); // block, loop (no results)
  body.push(0x20, n, 0x45, 0x0d, 1); // local.get n; i32.eqz; br_if 1 (out of the block)
  for (let u = 0; u < (relaxed ? UNROLL.relaxed : UNROLL.plain); u++) {
    for (let i = 0; i < CHAINS; i++) {
      if (relaxed) {
        body.push(0x20, acc(i), 0x20, m, 0x20, c, ...simd(F32X4_RELAXED_MADD), 0x21, acc(i));
        continue;
      }
      // Multiply and add chains alternate in the bytes; V8 groups each chain's steps of a pass anyway.
      const chain = (i >> 1) + (i & 1 ? MULTIPLY_CHAINS : 0);
      if (chain < MULTIPLY_CHAINS) body.push(0x20, acc(chain), 0x20, m, ...simd(F32X4_MUL), 0x21, acc(chain));
      else body.push(0x20, acc(chain), 0x20, c, ...simd(F32X4_ADD), 0x21, acc(chain));
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
    ...section(1, [1, 0x60, 3, 0x7f, 0x7d, 0x7d, 1, 0x7d]), // type: (i32, f32, f32) → f32
    ...section(3, [1, 0]), // function 0 has type 0
    ...section(7, [1, 4, ...[...'peak'].map((ch) => ch.charCodeAt(0)), 0x00, 0]), // export "peak" = func 0
    ...section(10, code),
  ]);
}

/** A function running `iterations` × FLOPS_PER_ITERATION flops of the module's loop, or undefined where the engine rejects the bytes. */
export function peakFunction(relaxed = false) {
  const bytes = peakModuleBytes(relaxed);
  if (!WebAssembly.validate(bytes)) return undefined;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
  const peak = /** @type {(n: number, m: number, c: number) => number} */ (instance.exports.peak);
  if (relaxed) return (/** @type {number} */ iterations) => peak(iterations, 0.999, 0.001);
  return (/** @type {number} */ iterations) => peak(iterations * PLAIN_PASSES_PER_ITERATION, 1.0000001, 0.001);
}
