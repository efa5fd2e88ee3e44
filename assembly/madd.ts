// a·b + c on four lanes. The plain build multiplies then adds; the relaxed-SIMD build (compiled with
// relaxed-simd enabled, chosen at load time where the engine validates it) issues one fused
// multiply-add, which is both faster and, by skipping a rounding, at least as accurate.

@inline
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}
