// The pure-JS backend: a Float32Array as memory and the kernel twins in src/kernels/. It is the
// reference the WebAssembly kernels are tested against, the fallback where WebAssembly SIMD is missing,
// and the baseline the benchmarks compare with.

import type { Backend, Kernels } from './backend.js';
import { matmul, matmulNT, matmulTN } from '../kernels/matmul.js';
import { dense } from '../kernels/dense.js';
import { activationBackward, activationForward, softmaxBackward, softmaxForward } from '../kernels/activation.js';
import { lossBackward, lossForward } from '../kernels/loss.js';
import { adam, rmsprop, sgd, sgdMomentum } from '../kernels/optimizer.js';
import { addScaled, allFinite, clip, columnSums, scale, sumSquares } from '../kernels/reduce.js';
import { backward, forward, inputGradient, trainEpochs, trainStep, update } from '../kernels/train.js';
import {
  hopfieldAttend, hopfieldField, hopfieldOuter, hopfieldStorkey, hopfieldSweep, hopfieldSync,
} from '../kernels/hopfield.js';
import { growTo } from './grow.js';

// Same base as the WebAssembly module's data would leave, so both backends share one layout arithmetic.
const BASE = 1024;

export class JsBackend implements Backend {
  readonly name = 'js' as const;
  readonly base = BASE;
  readonly kernels: Kernels;
  f32 = new Float32Array(growTo(0, BASE) >> 2);
  #i32 = new Int32Array(this.f32.buffer);

  constructor() {
    // Pointers arrive in bytes, as the WebAssembly kernels take them; the twins index f32 elements.
    const k = this.kernels = {} as Kernels;
    k.matmul = (o, a, b, m, kk, n) => matmul(this.f32, o >> 2, a >> 2, b >> 2, m, kk, n);
    k.matmulTN = (o, a, b, m, kk, n) => matmulTN(this.f32, o >> 2, a >> 2, b >> 2, m, kk, n);
    k.matmulNT = (o, a, b, m, kk, n) => matmulNT(this.f32, o >> 2, a >> 2, b >> 2, m, kk, n);
    // The twins read B in place: a packed panel would only cost a copy in JS.
    k.panelBytes = () => 0;
    k.setPanel = () => {};
    k.setBlockScratch = () => {};
    k.dense = (o, x, w, bias, m, kk, n, act) => dense(this.f32, o >> 2, x >> 2, w >> 2, bias >> 2, m, kk, n, act);
    k.activationForward = (o, x, count, act) => activationForward(this.f32, o >> 2, x >> 2, count, act);
    k.activationBackward = (o, g, y, count, act) => activationBackward(this.f32, o >> 2, g >> 2, y >> 2, count, act);
    k.softmaxForward = (o, x, rows, cols) => softmaxForward(this.f32, o >> 2, x >> 2, rows, cols);
    k.softmaxBackward = (o, g, y, rows, cols) => softmaxBackward(this.f32, o >> 2, g >> 2, y >> 2, rows, cols);
    k.lossForward = (p, t, rows, cols, loss) => lossForward(this.f32, p >> 2, t >> 2, rows, cols, loss);
    k.lossBackward = (o, p, t, rows, cols, loss, fused) =>
      lossBackward(this.f32, o >> 2, p >> 2, t >> 2, rows, cols, loss, fused);
    k.sgd = (w, g, count, lr) => sgd(this.f32, w >> 2, g >> 2, count, lr);
    k.sgdMomentum = (w, g, v, count, lr, mu, nesterov) =>
      sgdMomentum(this.f32, w >> 2, g >> 2, v >> 2, count, lr, mu, nesterov);
    k.adam = (w, g, m, v, count, lr, b1, b2, c1, c2, eps, k1, k2) =>
      adam(this.f32, w >> 2, g >> 2, m >> 2, v >> 2, count, lr, b1, b2, c1, c2, eps, k1, k2);
    k.rmsprop = (w, g, ms, count, lr, rho, c, eps) => rmsprop(this.f32, w >> 2, g >> 2, ms >> 2, count, lr, rho, c, eps);
    k.columnSums = (o, a, rows, cols) => columnSums(this.f32, o >> 2, a >> 2, rows, cols);
    k.addScaled = (o, x, count, alpha) => addScaled(this.f32, o >> 2, x >> 2, count, alpha);
    k.allFinite = (x, count) => allFinite(this.f32, x >> 2, count);
    k.clip = (x, count, limit) => clip(this.f32, x >> 2, count, limit);
    k.sumSquares = (x, count) => sumSquares(this.f32, x >> 2, count);
    k.scale = (x, count, factor) => scale(this.f32, x >> 2, count, factor);
    // The whole-pass kernels read byte pointers from the descriptor themselves.
    k.trainEpochs = (desc, epochs, maxBatches, history, threshold) =>
      trainEpochs(this.f32, desc, epochs, maxBatches, history, threshold);
    k.trainStep = (desc, x, y, rows) => trainStep(this.f32, desc, x, y, rows);
    k.forward = (desc, x, rows) => forward(this.f32, desc, x, rows);
    k.backward = (desc, x, y, rows) => backward(this.f32, desc, x, y, rows);
    k.inputGradient = (desc, seed, rows) => inputGradient(this.f32, desc, seed, rows);
    k.update = (desc) => update(this.f32, desc);
    k.hopfieldField = (o, w, s, size) => hopfieldField(this.f32, o >> 2, w >> 2, s >> 2, size);
    k.hopfieldSweep = (s, f, w, order, size) =>
      hopfieldSweep(this.f32, this.i32, s >> 2, f >> 2, w >> 2, order >> 2, size);
    k.hopfieldSync = (o, f, s, size) => hopfieldSync(this.f32, o >> 2, f >> 2, s >> 2, size);
    k.hopfieldOuter = (w, v, count, size, scale) => hopfieldOuter(this.f32, w >> 2, v >> 2, count, size, scale);
    k.hopfieldStorkey = (w, f, p, size) => hopfieldStorkey(this.f32, w >> 2, f >> 2, p >> 2, size);
    k.hopfieldAttend = (o, probs, p, s, count, size, beta) =>
      hopfieldAttend(this.f32, o >> 2, probs >> 2, p >> 2, s >> 2, count, size, beta);
  }

  /** The same memory as i32, for kernels that read indices; re-derived when the memory grows. */
  private get i32(): Int32Array {
    if (this.#i32.buffer !== this.f32.buffer) this.#i32 = new Int32Array(this.f32.buffer);
    return this.#i32;
  }

  get byteLength(): number {
    return this.f32.byteLength;
  }

  reserve(bytes: number): void {
    if (bytes <= this.f32.byteLength) return;
    const grown = new Float32Array(growTo(this.f32.byteLength, bytes) >> 2);
    grown.set(this.f32);
    this.f32 = grown;
  }
}
