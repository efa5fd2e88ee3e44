// Optimizer updates, applied in place to `count` parameters at once.
//
// Memory contract: w (parameters), g (their gradients) and each state buffer are f32 [count], the same
// layout, no aliasing between them. The host lays every parameter of a network out contiguously, so one
// call updates the whole network. Arithmetic follows TensorFlow.js's optimizers step for step, so that
// full-batch trajectories agree with it. Four parameters at a time, then one by one: the vector body and
// the scalar tail do the same f32 operations in the same order (multiply and add apart, never fused;
// f32x4.sqrt and div round as f32.sqrt and div do), so an element's update does not depend on where it
// falls.

/** w −= lr·g */
export function sgd(w: usize, g: usize, count: i32, learningRate: f32): void {
  const end = w + ((<usize>count) << 2);
  const lr = f32x4.splat(learningRate);
  for (; w + 16 <= end; w += 16, g += 16) {
    v128.store(w, f32x4.sub(v128.load(w), f32x4.mul(lr, v128.load(g))));
  }
  for (; w < end; w += 4, g += 4) store<f32>(w, load<f32>(w) - learningRate * load<f32>(g));
}

/** v ← μ·v + g; then w −= lr·v, or with Nesterov w −= lr·(g + μ·v) using the updated v. */
export function sgdMomentum(
  w: usize, g: usize, v: usize, count: i32, learningRate: f32, momentum: f32, nesterov: i32,
): void {
  const end = w + ((<usize>count) << 2);
  const lr = f32x4.splat(learningRate);
  const mu = f32x4.splat(momentum);
  for (; w + 16 <= end; w += 16, g += 16, v += 16) {
    const grad = v128.load(g);
    const velocity = f32x4.add(f32x4.mul(mu, v128.load(v)), grad);
    v128.store(v, velocity);
    const step = nesterov != 0 ? f32x4.add(grad, f32x4.mul(mu, velocity)) : velocity;
    v128.store(w, f32x4.sub(v128.load(w), f32x4.mul(lr, step)));
  }
  for (; w < end; w += 4, g += 4, v += 4) {
    const grad = load<f32>(g);
    const velocity = momentum * load<f32>(v) + grad;
    store<f32>(v, velocity);
    const step = nesterov != 0 ? grad + momentum * velocity : velocity;
    store<f32>(w, load<f32>(w) - learningRate * step);
  }
}

/**
 * m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; w −= lr·(m·c1) / (√(v·c2) + ε), where c1 = 1/(1−β1ᵗ) and
 * c2 = 1/(1−β2ᵗ) are the bias corrections for step t, computed by the host in f64. The host also hands
 * in 1−β1 and 1−β2 computed in f64: 1 − f32(0.999) is 1.3e-5 away from f32(0.001), and TensorFlow.js
 * rounds the f64 difference.
 */
export function adam(
  w: usize, g: usize, m: usize, v: usize, count: i32,
  learningRate: f32, beta1: f32, beta2: f32, oneMinusBeta1: f32, oneMinusBeta2: f32, epsilon: f32,
  correction1: f32, correction2: f32,
): void {
  const end = w + ((<usize>count) << 2);
  const lr = f32x4.splat(learningRate), eps = f32x4.splat(epsilon);
  const b1 = f32x4.splat(beta1), b2 = f32x4.splat(beta2), c1 = f32x4.splat(correction1), c2 = f32x4.splat(correction2);
  const rest1 = f32x4.splat(oneMinusBeta1), rest2 = f32x4.splat(oneMinusBeta2);
  for (; w + 16 <= end; w += 16, g += 16, m += 16, v += 16) {
    const grad = v128.load(g);
    const first = f32x4.add(f32x4.mul(b1, v128.load(m)), f32x4.mul(rest1, grad));
    const second = f32x4.add(f32x4.mul(b2, v128.load(v)), f32x4.mul(f32x4.mul(rest2, grad), grad));
    v128.store(m, first);
    v128.store(v, second);
    const step = f32x4.div(f32x4.mul(lr, f32x4.mul(first, c1)), f32x4.add(f32x4.sqrt(f32x4.mul(second, c2)), eps));
    v128.store(w, f32x4.sub(v128.load(w), step));
  }
  for (; w < end; w += 4, g += 4, m += 4, v += 4) {
    const grad = load<f32>(g);
    const first = beta1 * load<f32>(m) + oneMinusBeta1 * grad;
    const second = beta2 * load<f32>(v) + oneMinusBeta2 * grad * grad;
    store<f32>(m, first);
    store<f32>(v, second);
    store<f32>(w, load<f32>(w) - learningRate * (first * correction1) / (Mathf.sqrt(second * correction2) + epsilon));
  }
}

/**
 * ms ← ρ·ms + (1−ρ)·g²; w −= lr·g / √(ms + ε)  (TensorFlow.js's RMSProp, without momentum); 1−ρ comes
 * from the host, computed in f64 as for Adam.
 */
export function rmsprop(
  w: usize, g: usize, ms: usize, count: i32, learningRate: f32, rho: f32, oneMinusRho: f32, epsilon: f32,
): void {
  const end = w + ((<usize>count) << 2);
  const lr = f32x4.splat(learningRate), eps = f32x4.splat(epsilon);
  const r = f32x4.splat(rho), rest = f32x4.splat(oneMinusRho);
  for (; w + 16 <= end; w += 16, g += 16, ms += 16) {
    const grad = v128.load(g);
    const meanSquare = f32x4.add(f32x4.mul(r, v128.load(ms)), f32x4.mul(f32x4.mul(rest, grad), grad));
    v128.store(ms, meanSquare);
    v128.store(w, f32x4.sub(v128.load(w), f32x4.div(f32x4.mul(lr, grad), f32x4.sqrt(f32x4.add(meanSquare, eps)))));
  }
  for (; w < end; w += 4, g += 4, ms += 4) {
    const grad = load<f32>(g);
    const meanSquare = rho * load<f32>(ms) + oneMinusRho * grad * grad;
    store<f32>(ms, meanSquare);
    store<f32>(w, load<f32>(w) - learningRate * grad / Mathf.sqrt(meanSquare + epsilon));
  }
}
