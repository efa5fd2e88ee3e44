// A network's working parts below the public API: its backend and memory layout, its optimizer's
// progress, and the operations the API is built from. Inputs arrive here already validated.

import { ACTIVATIONS, LOSSES } from './codes.js';
import type { Backend } from './backends/backend.js';
import type { NetworkConfig } from './config.js';
import { Layout } from './layout.js';
import { backward, forward, isFused } from './passes.js';
import { applyUpdate, slotCount } from './optimizer.js';
import { Rng, streamSeed } from './rng.js';
import { writeRows, type Rows } from './data.js';

/** Rows the batch buffers hold before any training asks for more. */
const INITIAL_CAPACITY = 32;
/** WebAssembly memory tops out at 4 GiB; refuse layouts that could never fit, before trying. */
const MAX_BYTES = 2 ** 32;

export interface LayerWeights {
  /** Row-major [inputs][units], the Keras/TF.js layout. */
  kernel: Float32Array;
  bias: Float32Array;
}

export class Model {
  readonly layout: Layout;
  readonly loss: number;
  readonly fused: boolean;
  /** Optimizer updates applied so far (Adam's t). */
  step = 0;
  readonly shuffle: Rng;
  /** Set while train/trainAsync runs: calls that would re-lay memory wait for it to end. */
  training = false;

  constructor(readonly backend: Backend, readonly config: NetworkConfig) {
    this.layout = new Layout(backend.base, config, slotCount(config.optimizer));
    this.loss = LOSSES[config.loss];
    this.fused = isFused(ACTIVATIONS[config.layers[config.layers.length - 1].activation], this.loss);
    this.shuffle = new Rng(streamSeed(config.seed, 1));
    this.ensureCapacity(INITIAL_CAPACITY);
  }

  get kernels() {
    return this.backend.kernels;
  }

  /** Makes room for `bytes` of memory in all, with a user-facing error where that is impossible. */
  reserve(bytes: number): void {
    if (bytes > MAX_BYTES) {
      throw new RangeError(`this needs ${(bytes / 2 ** 20).toFixed(0)} MiB of memory, more than the 4 GiB a network can address`);
    }
    try {
      this.backend.reserve(bytes);
    } catch (cause) {
      throw new RangeError(`could not grow memory to ${(bytes / 2 ** 20).toFixed(0)} MiB`, { cause });
    }
  }

  /** Lays the batch buffers out for at least `rows` rows. Only outside training: it moves the data region. */
  ensureCapacity(rows: number): void {
    if (rows <= this.layout.capacity) return;
    const previous = this.layout.capacity;
    const bytes = this.layout.setCapacity(rows);
    try {
      this.reserve(bytes);
    } catch (error) {
      if (previous > 0) this.layout.setCapacity(previous);
      throw error;
    }
  }

  /** Draws the initial weights: Glorot-uniform, or He-uniform for the relu family; biases zero. */
  initialize(): void {
    const rng = new Rng(streamSeed(this.config.seed, 0));
    const f32 = this.backend.f32;
    for (const layer of this.layout.layers) {
      const reluFamily =
        layer.activation === ACTIVATIONS.relu || layer.activation === ACTIVATIONS.leakyRelu || layer.activation === ACTIVATIONS.elu;
      const limit = Math.sqrt(6 / (reluFamily ? layer.inputs : layer.inputs + layer.units));
      const start = layer.kernel >> 2;
      for (let i = 0; i < layer.inputs * layer.units; i++) f32[start + i] = (2 * rng.next() - 1) * limit;
      f32.fill(0, layer.bias >> 2, (layer.bias >> 2) + layer.units);
    }
  }

  getWeights(): LayerWeights[] {
    return this.readLayers(0);
  }

  setWeights(weights: readonly { kernel: ArrayLike<number>; bias: ArrayLike<number> }[]): void {
    const f32 = this.backend.f32;
    this.layout.layers.forEach((layer, i) => {
      f32.set(weights[i].kernel, layer.kernel >> 2);
      f32.set(weights[i].bias, layer.bias >> 2);
    });
  }

  /** Per layer, the parameters-shaped buffer at `offset` bytes from the parameters (0: weights). */
  readLayers(offset: number): LayerWeights[] {
    const f32 = this.backend.f32;
    return this.layout.layers.map((layer) => {
      const kernel = (layer.kernel + offset) >> 2;
      const bias = (layer.bias + offset) >> 2;
      return {
        kernel: f32.slice(kernel, kernel + layer.inputs * layer.units),
        bias: f32.slice(bias, bias + layer.units),
      };
    });
  }

  /** The optimizer's state buffers, each flattened layer by layer (kernel, then bias), without padding. */
  readSlots(): Float32Array[] {
    return this.layout.slots.map((slot) => flatten(this.readLayers(slot - this.layout.params)));
  }

  writeSlots(slots: readonly ArrayLike<number>[]): void {
    const f32 = this.backend.f32;
    this.layout.slots.forEach((slot, s) => {
      let at = 0;
      for (const layer of this.layout.layers) {
        const offset = slot - this.layout.params;
        const kernelCount = layer.inputs * layer.units;
        f32.set(Array.prototype.slice.call(slots[s], at, at + kernelCount), (layer.kernel + offset) >> 2);
        at += kernelCount;
        f32.set(Array.prototype.slice.call(slots[s], at, at + layer.units), (layer.bias + offset) >> 2);
        at += layer.units;
      }
    });
  }

  /** Forgets the optimizer's progress: zero state, next update is update 1. */
  resetOptimizer(): void {
    const f32 = this.backend.f32;
    for (const slot of this.layout.slots) f32.fill(0, slot >> 2, (slot + this.layout.paramBytes) >> 2);
    this.step = 0;
  }

  saveSnapshot(): void {
    const { params, paramBytes, snapshot } = this.layout;
    this.backend.f32.copyWithin(snapshot >> 2, params >> 2, (params + paramBytes) >> 2);
  }

  restoreSnapshot(): void {
    const { params, paramBytes, snapshot } = this.layout;
    this.backend.f32.copyWithin(params >> 2, snapshot >> 2, (snapshot + paramBytes) >> 2);
  }

  parametersFinite(): boolean {
    return this.kernels.allFinite(this.layout.params, this.layout.paramBytes >> 2) === 1;
  }

  /** One training step on rows already in memory: forward, loss, backward, update. Returns the rows' summed loss. */
  trainBatch(x: number, y: number, rows: number, learningRate: number): number {
    const k = this.kernels;
    const layout = this.layout;
    const out = forward(k, layout, x, rows);
    const loss = k.lossForward(out, y, rows, layout.outputs, this.loss);
    if (!Number.isFinite(loss)) return loss;
    backward(k, layout, x, y, rows, this.loss, this.fused);
    applyUpdate(k, layout, this.config.optimizer, ++this.step, learningRate);
    return loss;
  }

  /** Summed loss over n rows staged at x and y, in batches of the current capacity. */
  lossOver(x: number, y: number, n: number): number {
    const { capacity, inputs, outputs } = this.layout;
    let total = 0;
    for (let start = 0; start < n; start += capacity) {
      const rows = Math.min(capacity, n - start);
      const out = forward(this.kernels, this.layout, x + start * inputs * 4, rows);
      total += this.kernels.lossForward(out, y + start * outputs * 4, rows, outputs, this.loss);
    }
    return total;
  }

  /**
   * Runs validated samples through the network in batches of the current capacity. `each` sees every
   * batch's output pointer while it is valid, with the index of its first row.
   */
  forEachBatch(inputs: Rows, targets: Rows | undefined, each: (out: number, start: number, rows: number) => void): void {
    const { capacity, inputs: width, outputs } = this.layout;
    for (let start = 0; start < inputs.length; start += capacity) {
      const rows = Math.min(capacity, inputs.length - start);
      writeRows(this.backend.f32, this.layout.input >> 2, inputs, start, rows, width);
      if (targets) writeRows(this.backend.f32, this.layout.target >> 2, targets, start, rows, outputs);
      each(forward(this.kernels, this.layout, this.layout.input, rows), start, rows);
    }
  }

  /** Gradients of the mean loss over all the samples, computed as one batch; no update. */
  computeGradients(inputs: Rows, targets: Rows): LayerWeights[] {
    const n = inputs.length;
    this.ensureCapacity(n);
    const { input, target, inputs: width, outputs } = this.layout;
    writeRows(this.backend.f32, input >> 2, inputs, 0, n, width);
    writeRows(this.backend.f32, target >> 2, targets, 0, n, outputs);
    forward(this.kernels, this.layout, input, n);
    backward(this.kernels, this.layout, input, target, n, this.loss, this.fused);
    return this.readLayers(this.layout.gradOffset);
  }
}

function flatten(layers: LayerWeights[]): Float32Array {
  const total = layers.reduce((n, l) => n + l.kernel.length + l.bias.length, 0);
  const out = new Float32Array(total);
  let at = 0;
  for (const l of layers) {
    out.set(l.kernel, at);
    at += l.kernel.length;
    out.set(l.bias, at);
    at += l.bias.length;
  }
  return out;
}
