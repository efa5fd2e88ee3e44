// The backend contract: a memory the host lays buffers out in, and the kernels that compute on it.
// Both backends implement it, the WebAssembly one with the exports of assembly/index.ts and the JS one
// with their twins in src/kernels/. Pointers are byte offsets into the backend's memory; sizes are
// element counts. Kernels never allocate and never validate: src/ does both, once, at the public boundary.

export type BackendName = 'wasm' | 'js';

export interface Kernels {
  /** out[m×n] = a[m×k] · b[k×n] */
  matmul(out: number, a: number, b: number, m: number, k: number, n: number): void;
  /** out[m×n] = aᵀ · b, with a stored [k×m] and b [k×n] */
  matmulTN(out: number, a: number, b: number, m: number, k: number, n: number): void;
  /** out[m×n] = a[m×k] · bᵀ, with b stored [n×k] */
  matmulNT(out: number, a: number, b: number, m: number, k: number, n: number): void;
  /** Bytes of scratch the products want when they have up to `rows` rows (0: none wanted; the JS kernels never want any) */
  panelBytes(rows: number): number;
  /** Where that scratch is (16-byte aligned, panelBytes long), or 0 for none: products then skip the paths that use it */
  setPanel(at: number): void;
  /** Lends Aᵀ·B a scratch of `bytes` at `at` for copies of B's blocks, or takes it back with (0, 0) */
  setBlockScratch(at: number, bytes: number): void;
  /** out[m×n] = act(x[m×k] · w[k×n] + bias[n]) */
  dense(out: number, x: number, w: number, bias: number, m: number, k: number, n: number, activation: number): void;
  /** out[count] = act(x[count]), element-wise activations only (may run in place) */
  activationForward(out: number, x: number, count: number, activation: number): void;
  /** out[count] = grad ⊙ act′(y), y the activation's output (may run in place) */
  activationBackward(out: number, grad: number, y: number, count: number, activation: number): void;
  /** out[rows×cols] = row-wise softmax of x */
  softmaxForward(out: number, x: number, rows: number, cols: number): void;
  /** out[rows×cols] = y ⊙ (grad − Σ grad·y) per row */
  softmaxBackward(out: number, grad: number, y: number, rows: number, cols: number): void;
  /** Σ over rows of each row's loss */
  lossForward(pred: number, target: number, rows: number, cols: number, loss: number): number;
  /** out[rows×cols] = ∂(mean loss)/∂pred, or ∂/∂z when fused (sigmoid+BCE, softmax+CCE) */
  lossBackward(out: number, pred: number, target: number, rows: number, cols: number, loss: number, fused: number): void;
  /** w −= lr·g */
  sgd(w: number, g: number, count: number, learningRate: number): void;
  /** v ← μv + g; w −= lr·v (Nesterov: w −= lr·(g + μv)) */
  sgdMomentum(w: number, g: number, v: number, count: number, learningRate: number, momentum: number, nesterov: number): void;
  /** Adam with host-computed bias corrections c1 = 1/(1−β1ᵗ), c2 = 1/(1−β2ᵗ) and complements 1−β1, 1−β2 */
  adam(
    w: number, g: number, m: number, v: number, count: number, learningRate: number, beta1: number, beta2: number,
    oneMinusBeta1: number, oneMinusBeta2: number, epsilon: number, correction1: number, correction2: number,
  ): void;
  /** ms ← ρ·ms + (1−ρ)g²; w −= lr·g/√(ms+ε), with the host's complement 1−ρ */
  rmsprop(
    w: number, g: number, ms: number, count: number, learningRate: number, rho: number, oneMinusRho: number, epsilon: number,
  ): void;
  /** out[cols] = Σ over rows of a[rows×cols] */
  columnSums(out: number, a: number, rows: number, cols: number): void;
  /** out[count] += alpha · x[count] */
  addScaled(out: number, x: number, count: number, alpha: number): void;
  /** 1 when every one of x[count] is finite, else 0 */
  allFinite(x: number, count: number): number;
  /** x[count] clamped to [−limit, limit] in place */
  clip(x: number, count: number, limit: number): void;
  /** Σ x² over x[count] */
  sumSquares(x: number, count: number): number;
  /** x[count] *= factor in place */
  scale(x: number, count: number, factor: number): void;

  // Whole passes over a network, driven by its training descriptor (src/descriptor.ts).
  /** Trains up to `epochs` epochs or `maxBatches` batches; epoch losses to history[f64]; returns epochs done | STOP flag */
  trainEpochs(desc: number, epochs: number, maxBatches: number, history: number, errorThreshold: number): number;
  /** One batch: forward, loss, backward, update; returns the batch's summed loss */
  trainStep(desc: number, x: number, y: number, rows: number): number;
  /** Runs rows samples through the network; returns the last layer's output pointer */
  forward(desc: number, x: number, rows: number): number;
  /** Every gradient ← ∂(mean loss over the rows)/∂parameter, after forward over the same x */
  backward(desc: number, x: number, y: number, rows: number): void;
  /** seed[rows×outputs] (∂/∂ the last layer's outputs) carried back to the inputs, after forward; returns the [rows×inputs] result's pointer */
  inputGradient(desc: number, seed: number, rows: number): number;
  /** One optimizer update of every parameter */
  update(desc: number): void;

  // Associative memory (src/hopfield/): weights size×size, symmetric, zero diagonal; order holds i32 indices.
  /** out[size] = weights · state */
  hopfieldField(out: number, weights: number, state: number, size: number): void;
  /** One asynchronous sweep in `order`; field (= weights·state) kept current; returns the flips */
  hopfieldSweep(state: number, field: number, weights: number, order: number, size: number): number;
  /** out[size] = sign(field), a zero field keeping the state; returns the units changed */
  hopfieldSync(out: number, field: number, state: number, size: number): number;
  /** weights += scale · Σ v·vᵀ over vectors[count×size], diagonal zero */
  hopfieldOuter(weights: number, vectors: number, count: number, size: number, scale: number): void;
  /** Storkey's rule for one pattern, given field = weights·pattern */
  hopfieldStorkey(weights: number, field: number, pattern: number, size: number): void;
  /** probs = softmax(β·patterns·state); out = patternsᵀ·probs; returns log Σ exp(β·patterns·state) */
  hopfieldAttend(out: number, probs: number, patterns: number, state: number, count: number, size: number, beta: number): number;
}

export interface Backend {
  readonly name: BackendName;
  readonly kernels: Kernels;
  /** First byte the host may use; below it lies the module's static data. */
  readonly base: number;
  /** The whole memory as f32. Re-read it after `reserve`: growing memory detaches the old view. */
  readonly f32: Float32Array;
  /** Makes at least `bytes` bytes addressable, growing the memory if needed (contents are kept). */
  reserve(bytes: number): void;
  /** Bytes addressable now. */
  readonly byteLength: number;
}
