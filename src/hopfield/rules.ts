// How a classical memory learns: the three rules that turn patterns into weights. The O(size²) work per
// pattern runs in the kernels; only the pseudo-inverse rule's orthogonalization runs here, in f64.
//
// Hebbian weights are kept as integer sums Σ ξᵢξⱼ, exact in f32 up to 2²⁴, so that every field is an
// exact integer on both backends and a tie (a zero field) is a tie on both; the rule's 1/size is applied
// where values leave the memory (energy, getWeights). The other rules keep their weights as they are.

import type { Core } from './core.js';

/** The factor from the weights as held to the rule's weights. */
export function weightScale(core: Core): number {
  return core.config.rule === 'hebbian' ? 1 / core.config.size : 1;
}

/** Learns the patterns stored from index `first` on (they are already in the pattern region). */
export function learn(core: Core, first: number): void {
  const { size, rule } = core.config;
  const k = core.kernels;
  const added = core.count - first;
  if (rule === 'hebbian') {
    k.hopfieldOuter(core.weights, core.pattern(first), added, size, 1);
  } else if (rule === 'storkey') {
    // Storkey's rule is incremental by nature: each pattern's update reads the weights the last one left.
    for (let i = first; i < core.count; i++) {
      k.hopfieldField(core.field, core.weights, core.pattern(i), size);
      k.hopfieldStorkey(core.weights, core.field, core.pattern(i), size);
    }
  } else {
    projection(core);
  }
}

/**
 * The pseudo-inverse (projection) rule of Personnaz et al. (1986): W = X⁺X, the orthogonal projection
 * onto the patterns' span, diagonal removed. Every stored pattern is then a fixed point while fewer than
 * size patterns are independent. W = QᵀQ for an orthonormal basis Q of the span, found by Gram–Schmidt
 * over all the patterns (so storing more recomputes it). Done in f64 and twice per vector ("twice is
 * enough", Giraud et al. 2005): in f32, orthogonality is lost as the patterns approach size in number.
 */
function projection(core: Core): void {
  const { size } = core.config;
  const f32 = core.backend.f32;
  const basis: Float64Array[] = [];
  for (let p = 0; p < core.count && basis.length < size; p++) {
    const at = core.pattern(p) >> 2;
    const v = Float64Array.from(f32.subarray(at, at + size));
    const length = Math.sqrt(dot(v, v));
    for (let pass = 0; pass < 2; pass++) {
      for (const q of basis) {
        const c = dot(q, v);
        for (let j = 0; j < size; j++) v[j] -= c * q[j];
      }
    }
    const norm = Math.sqrt(dot(v, v));
    // What is left of a pattern already in the span is rounding error: skip it rather than amplify it.
    if (norm <= 1e-6 * length) continue;
    for (let j = 0; j < size; j++) v[j] /= norm;
    basis.push(v);
  }
  basis.forEach((q, r) => f32.set(q, (core.basis >> 2) + r * size));
  f32.fill(0, core.weights >> 2, (core.weights >> 2) + size * size);
  core.kernels.hopfieldOuter(core.weights, core.basis, basis.length, size, 1);
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}
