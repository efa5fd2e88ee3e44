// exp on four lanes at once, for the activations and softmax.
//
// exp(x) = 2ⁿ · e^r with n = round(x / ln 2) and r = x − n·ln 2 in [−ln2/2, ln2/2], the reduction done
// in two parts (Cody–Waite) so r keeps its precision; e^r is a degree-6 Taylor polynomial (error below
// 2e-7 relative on that interval, within a couple of ulp of Mathf.exp); 2ⁿ is built in the exponent
// bits. Inputs above 88.3 saturate to exp(88.3) (the result would overflow anyway); below −87.3365 the
// result is exactly 0 (the true value is then subnormal).

const LOG2E: f32 = 1.44269504;
const LN2_HI: f32 = 0.693145752;
const LN2_LO: f32 = 1.42860677e-6;
const HIGH: f32 = 88.3;
const LOW: f32 = -87.3365;

@inline
export function vexp(x: v128): v128 {
  const clamped = f32x4.min(x, f32x4.splat(HIGH));
  const n = f32x4.nearest(f32x4.mul(f32x4.max(clamped, f32x4.splat(LOW)), f32x4.splat(LOG2E)));
  let r = f32x4.sub(clamped, f32x4.mul(n, f32x4.splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(LN2_LO)));
  let p = f32x4.splat(1.0 / 720.0);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 120.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 24.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 6.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(0.5));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  const result = f32x4.mul(p, scale);
  // Zero where x is below the range (and so where n would leave the exponent field).
  return v128.and(result, f32x4.ge(x, f32x4.splat(LOW)));
}

/** sigmoid on four lanes, computed on −|x| and reflected, as the scalar `sigmoid`. */
@inline
export function vsigmoid(x: v128): v128 {
  const e = vexp(f32x4.neg(f32x4.abs(x)));
  const d = f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), e));
  return v128.bitselect(d, f32x4.mul(e, d), f32x4.ge(x, f32x4.splat(0)));
}
