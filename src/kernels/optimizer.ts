// JS twin of assembly/optimizer.ts: in-place updates of `count` parameters, TensorFlow.js's arithmetic.

/** w −= lr·g */
export function sgd(mem: Float32Array, w: number, g: number, count: number, learningRate: number): void {
  for (let i = 0; i < count; i++) mem[w + i] -= learningRate * mem[g + i];
}

/** v ← μ·v + g; then w −= lr·v, or with Nesterov w −= lr·(g + μ·v). */
export function sgdMomentum(
  mem: Float32Array, w: number, g: number, v: number, count: number,
  learningRate: number, momentum: number, nesterov: number,
): void {
  for (let i = 0; i < count; i++) {
    const grad = mem[g + i];
    const velocity = (mem[v + i] = momentum * mem[v + i] + grad);
    mem[w + i] -= learningRate * (nesterov ? grad + momentum * velocity : velocity);
  }
}

/** Adam, with the host's bias corrections c1 = 1/(1−β1ᵗ), c2 = 1/(1−β2ᵗ) and complements 1−β1, 1−β2. */
export function adam(
  mem: Float32Array, w: number, g: number, m: number, v: number, count: number,
  learningRate: number, beta1: number, beta2: number, oneMinusBeta1: number, oneMinusBeta2: number,
  epsilon: number, correction1: number, correction2: number,
): void {
  for (let i = 0; i < count; i++) {
    const grad = mem[g + i];
    const first = (mem[m + i] = beta1 * mem[m + i] + oneMinusBeta1 * grad);
    const second = (mem[v + i] = beta2 * mem[v + i] + oneMinusBeta2 * grad * grad);
    mem[w + i] -= (learningRate * (first * correction1)) / (Math.sqrt(second * correction2) + epsilon);
  }
}

/** ms ← ρ·ms + (1−ρ)·g²; w −= lr·g / √(ms + ε), with the host's complement 1−ρ. */
export function rmsprop(
  mem: Float32Array, w: number, g: number, ms: number, count: number,
  learningRate: number, rho: number, oneMinusRho: number, epsilon: number,
): void {
  for (let i = 0; i < count; i++) {
    const grad = mem[g + i];
    const meanSquare = (mem[ms + i] = rho * mem[ms + i] + oneMinusRho * grad * grad);
    mem[w + i] -= (learningRate * grad) / Math.sqrt(meanSquare + epsilon);
  }
}
