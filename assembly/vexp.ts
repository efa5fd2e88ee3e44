// exp on four lanes at once, for the activations and softmax, and sigmoid and tanh built on it.
//
// exp(x) = 2ⁿ · e^r with n = round(x / ln 2) and r = x − n·ln 2 in [−ln2/2, ln2/2], the reduction done
// in two parts (Cody–Waite) so r keeps its precision; e^r is a degree-6 Taylor polynomial (error below
// 2e-7 relative on that interval, within a couple of ulp of Mathf.exp). n is rounded by adding a magic
// number 1.5·2²³ + 127 (as XNNPACK's f32 exp kernels do): the sum's low mantissa bits are then n + 127,
// which shifted left by 23 are exactly the bits of 2ⁿ; no float-to-int conversion is needed. Inputs above 88.3 saturate to exp(88.3) (the result would overflow anyway); below −87.3365 the
// result is exactly 0 (the true value is then subnormal). NaN gives NaN.

// The constants, each in four lanes, live in static memory: V8 builds a v128.const from immediates
// with several instructions every time it is used (inside a loop, every iteration), while a load
// folds into the instruction that uses it.
const HIGH = 0;
const LOW = 16;
const LOG2E = 32;
const LN2_HI = 48;
const LN2_LO = 64;
const C6 = 80;
const C5 = 96;
const C4 = 112;
const C3 = 128;
const C2 = 144;
const ONE = 160;
const ZERO = 176;
const MAGIC = 192;
const TANH_SMALL = 208;
const TWO = 224;
const T3 = 240;
const T5 = 256;
const T7 = 272;
const T9 = 288;
const T11 = 304;
const SIGN = 320;
const TABLE = memory.data<f32>([
  88.3, 88.3, 88.3, 88.3,
  -87.3365, -87.3365, -87.3365, -87.3365,
  1.44269504, 1.44269504, 1.44269504, 1.44269504,
  0.693145752, 0.693145752, 0.693145752, 0.693145752,
  1.42860677e-6, 1.42860677e-6, 1.42860677e-6, 1.42860677e-6,
  1.0 / 720.0, 1.0 / 720.0, 1.0 / 720.0, 1.0 / 720.0,
  1.0 / 120.0, 1.0 / 120.0, 1.0 / 120.0, 1.0 / 120.0,
  1.0 / 24.0, 1.0 / 24.0, 1.0 / 24.0, 1.0 / 24.0,
  1.0 / 6.0, 1.0 / 6.0, 1.0 / 6.0, 1.0 / 6.0,
  0.5, 0.5, 0.5, 0.5,
  1.0, 1.0, 1.0, 1.0,
  0.0, 0.0, 0.0, 0.0,
  12583039.0, 12583039.0, 12583039.0, 12583039.0,
  0.625, 0.625, 0.625, 0.625,
  2.0, 2.0, 2.0, 2.0,
  -0.333332807, -0.333332807, -0.333332807, -0.333332807,
  0.133314416, 0.133314416, 0.133314416, 0.133314416,
  -0.0537397076, -0.0537397076, -0.0537397076, -0.0537397076,
  0.0206390675, 0.0206390675, 0.0206390675, 0.0206390675,
  -0.00570496731, -0.00570496731, -0.00570496731, -0.00570496731,
  -0.0, -0.0, -0.0, -0.0,
], 16);

@inline
function lanes(offset: usize): v128 {
  return v128.load(TABLE + offset);
}

@inline
export function vexp(x: v128): v128 {
  // pmin and pmax are one instruction each on x86, where min and max take several more to order −0 and
  // +0 and to propagate NaN. The clamps' bounds are not zeros, and a NaN x passes both pmin and pmax as
  // NaN, as through min and max, so the result is NaN, and the last line keeps it.
  const clamped = f32x4.pmin(x, lanes(HIGH));
  const magic = lanes(MAGIC);
  const biased = f32x4.add(f32x4.mul(f32x4.pmax(clamped, lanes(LOW)), lanes(LOG2E)), magic);
  const n = f32x4.sub(biased, magic);
  let r = f32x4.sub(clamped, f32x4.mul(n, lanes(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(n, lanes(LN2_LO)));
  let p = f32x4.add(f32x4.mul(lanes(C6), r), lanes(C5));
  p = f32x4.add(f32x4.mul(p, r), lanes(C4));
  p = f32x4.add(f32x4.mul(p, r), lanes(C3));
  p = f32x4.add(f32x4.mul(p, r), lanes(C2));
  p = f32x4.add(f32x4.mul(p, r), lanes(ONE));
  p = f32x4.add(f32x4.mul(p, r), lanes(ONE));
  const scale = i32x4.shl(biased, 23);
  const result = f32x4.mul(p, scale);
  // Zero where x is below the range (and so where n would leave the exponent field). Cleared where
  // x < LOW rather than kept where x ≥ LOW: the same for every number, and a NaN stays NaN (as exp, and
  // sigmoid and elu built on it, give NaN in the JS twin), where it would turn 0.
  return v128.andnot(result, f32x4.lt(x, lanes(LOW)));
}

/** sigmoid on four lanes, computed on −|x| and reflected (as XNNPACK's f32-vsigmoid): exp never overflows, and the
 * small side keeps its relative precision instead of being 1 − (something near 1). */
@inline
export function vsigmoid(x: v128): v128 {
  // −|x| is x with its sign bit set: one OR, where neg(abs(x)) builds two masks in registers.
  const e = vexp(v128.or(x, lanes(SIGN)));
  const one = lanes(ONE);
  const d = f32x4.div(one, f32x4.add(one, e));
  return v128.bitselect(d, f32x4.mul(e, d), f32x4.ge(x, lanes(ZERO)));
}

/** tanh on four lanes, computed on z = |x| and given x's sign back, so tanh(−x) = −tanh(x) to the bit.
 * Below 0.625, z + z³·P(z²) with P a degree-4 minimax fit (relative error 4e-9 before rounding): the
 * form 1 − 2/(e^{2z}+1) would there subtract nearly equal numbers and lose the small values' relative
 * precision. From 0.625 up, 1 − 2/(e^{2z}+1): vexp clamps its argument, so e stays finite and the
 * result rounds to exactly 1 from z ≈ 9.01 on, Infinity included. NaN takes the polynomial and stays NaN.
 * Checked over every f32: at most 1.72 ulp from f64 tanh (the worst near x = 0.866, on the exp side). */
@inline
export function vtanh(x: v128): v128 {
  const z = f32x4.abs(x);
  const u = f32x4.mul(z, z);
  let p = f32x4.add(f32x4.mul(lanes(T11), u), lanes(T9));
  p = f32x4.add(f32x4.mul(p, u), lanes(T7));
  p = f32x4.add(f32x4.mul(p, u), lanes(T5));
  p = f32x4.add(f32x4.mul(p, u), lanes(T3));
  const small = f32x4.add(z, f32x4.mul(f32x4.mul(z, u), p));
  const e = vexp(f32x4.add(z, z));
  const large = f32x4.sub(lanes(ONE), f32x4.div(lanes(TWO), f32x4.add(e, lanes(ONE))));
  const t = v128.bitselect(large, small, f32x4.ge(z, lanes(TANH_SMALL)));
  // x XOR |x| is x's sign bit alone; t is never negative, so OR puts the sign on it.
  return v128.or(t, v128.xor(x, z));
}
