// A network's working parts below the public API: its backend and memory layout, its optimizer's
// progress, and the operations the API is built from. Inputs arrive here already validated.

import { ACTIVATIONS, LOSSES } from './codes.js';
import type { Backend } from './backends/backend.js';
import type { NetworkConfig } from './config.js';
import { DESC } from './descriptor.js';
import { Layout } from './layout.js';
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
  /** Set while train/trainAsync runs: calls that would re-lay memory wait for it to end. */
  training = false;

  #backend: Backend | undefined;

  constructor(backend: Backend, readonly config: NetworkConfig) {
    this.#backend = backend;
    this.layout = new Layout(backend.base, config);
    this.ensureCapacity(INITIAL_CAPACITY);
    this.shuffleState = streamSeed(config.seed, 1);
  }

  get backend(): Backend {
    if (!this.#backend) throw new Error('this network has been disposed; create or load a new one');
    return this.#backend;
  }

  get kernels() {
    return this.backend.kernels;
  }

  /** Lets go of the backend and its memory, even while something (a pending trainAsync) still holds the model. */
  release(): void {
    this.#backend = undefined;
  }

  /** Optimizer updates applied so far (Adam's t); kept in the descriptor, where the update kernel counts. */
  get step(): number {
    return this.descriptorField(DESC.STEP);
  }

  set step(value: number) {
    this.setDescriptorField(DESC.STEP, value);
  }

  /** The shuffle stream's state (mulberry32), kept in the descriptor, where trainEpochs draws from it. */
  get shuffleState(): number {
    return this.descriptorField(DESC.RNG_STATE) >>> 0;
  }

  set shuffleState(value: number) {
    this.setDescriptorField(DESC.RNG_STATE, value | 0);
  }

  descriptorField(field: number): number {
    return new Int32Array(this.backend.f32.buffer, this.layout.descriptor + field, 1)[0];
  }

  setDescriptorField(field: number, value: number): void {
    new Int32Array(this.backend.f32.buffer, this.layout.descriptor + field, 1)[0] = value;
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
    const bytes = this.layout.setCapacity(rows, this.kernels.panelBytes(rows));
    try {
      this.reserve(bytes);
    } catch (error) {
      if (previous > 0) this.layout.setCapacity(previous, this.kernels.panelBytes(previous));
      throw error;
    }
    this.kernels.setPanel(this.layout.panel);
    this.layout.writeDescriptor(this.backend.f32.buffer as ArrayBuffer, this.config);
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
    this.positiveZeros(this.layout.params);
  }

  /**
   * Stores −0 as 0 in the parameters-shaped region at `at`. JSON writes −0 as 0, so a −0 kept here would
   * not survive the model file's round trip bit for bit; nothing else tells them apart (training never
   * makes a −0 from values that hold none).
   */
  private positiveZeros(at: number): void {
    const f32 = this.backend.f32;
    for (let i = at >> 2, end = (at + this.layout.paramBytes) >> 2; i < end; i++) if (f32[i] === 0) f32[i] = 0;
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
      this.positiveZeros(slot);
    });
  }

  /** Forgets the optimizer's progress: zero state, next update is update 1. */
  resetOptimizer(): void {
    const f32 = this.backend.f32;
    for (const slot of this.layout.slots) f32.fill(0, slot >> 2, (slot + this.layout.paramBytes) >> 2);
    this.step = 0;
  }

  /** Summed loss over n rows staged at x and y, in batches of the current capacity. */
  lossOver(x: number, y: number, n: number): number {
    const { capacity, inputs, outputs, descriptor } = this.layout;
    const loss = LOSSES[this.config.loss];
    let total = 0;
    for (let start = 0; start < n; start += capacity) {
      const rows = Math.min(capacity, n - start);
      const out = this.kernels.forward(descriptor, x + start * inputs * 4, rows);
      total += this.kernels.lossForward(out, y + start * outputs * 4, rows, outputs, loss);
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
      each(this.kernels.forward(this.layout.descriptor, this.layout.input, rows), start, rows);
    }
  }

  /** Copies one sample into the input buffer; returns whether every value is a finite float32 there. */
  stageSample(sample: ArrayLike<number>): boolean {
    const { input, inputs } = this.layout;
    this.backend.f32.set(sample, input >> 2);
    return this.kernels.allFinite(input, inputs) === 1;
  }

  /** The last layer's outputs for the sample stageSample left in the input buffer, as a copy. */
  predictStaged(): Float32Array {
    const { input, outputs, descriptor } = this.layout;
    const out = this.kernels.forward(descriptor, input, 1) >> 2;
    return this.backend.f32.slice(out, out + outputs);
  }

  /** Gradients of the mean loss over all the samples, computed as one batch; no update. */
  computeGradients(inputs: Rows, targets: Rows): LayerWeights[] {
    const n = inputs.length;
    this.ensureCapacity(n);
    const { input, target, inputs: width, outputs } = this.layout;
    writeRows(this.backend.f32, input >> 2, inputs, 0, n, width);
    writeRows(this.backend.f32, target >> 2, targets, 0, n, outputs);
    this.kernels.forward(this.layout.descriptor, input, n);
    this.kernels.backward(this.layout.descriptor, input, target, n);
    return this.readLayers(this.layout.gradOffset);
  }

  /**
   * ∂outputs[unit]/∂input at each of `rows` points, given flat [rows×inputs] and computed as one batch
   * (one forward pass, one backward pass); returned flat, [rows×inputs]. Only the batch buffers are
   * written: weights, gradients, optimizer state and step stay as they were.
   */
  inputGradients(points: Float32Array, rows: number, unit: number): Float32Array {
    this.ensureCapacity(rows);
    const { input, target, inputs, outputs, descriptor } = this.layout;
    const f32 = this.backend.f32;
    f32.set(points, input >> 2);
    this.kernels.forward(descriptor, input, rows);
    // The seed, a one-hot on the unit in every row, goes where targets go: the buffer has the shape and is free.
    f32.fill(0, target >> 2, (target >> 2) + rows * outputs);
    for (let r = 0; r < rows; r++) f32[(target >> 2) + r * outputs + unit] = 1;
    const at = this.kernels.inputGradient(descriptor, target, rows) >> 2;
    return this.backend.f32.slice(at, at + rows * inputs);
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
