// Where everything a network needs lives in its backend's memory. Offsets only: views are re-derived
// from the backend at each use, because growing memory detaches old ones.
//
//   base ─ descriptor │ params │ grads │ optimizer slots… ─┬─ batch: input │ target │ layer outputs… │ 2 gradient scratch
//          (fixed for the network's lifetime)               └─ (sized for `capacity` rows; re-laid when a larger batch is needed)
//   then the data region, laid out by each train() call (src/training.ts): the divergence snapshot, the
//   training set, its shuffle order and an epoch-loss buffer. A network that never trains never has it.
//
// Parameters are laid out [kernel₀, bias₀, kernel₁, bias₁, …], each padded to 16 bytes, so that one
// optimizer call updates the whole network; gradients and optimizer slots mirror that layout at fixed
// distances. Padding stays zero everywhere, so updating it changes nothing. The descriptor
// (src/descriptor.ts) records all of it for the whole-pass kernels.

import { ACTIVATIONS, LOSSES } from './codes.js';
import type { NetworkConfig } from './config.js';
import { DESC, LAYER, descriptorBytes } from './descriptor.js';
import { optimizerSettings, slotCount } from './optimizer.js';
import { isFused } from './fused.js';

export interface LayerLayout {
  inputs: number;
  units: number;
  activation: number;
  kernel: number;
  bias: number;
  /** This layer's output (after the activation), [capacity × units]. */
  output: number;
}

// Arithmetic, not `& ~15`: bitwise operators cut to 32 bits, and a layout too large for memory must
// come out too large (and be refused), not wrap around to a small one.
export const align16 = (bytes: number) => Math.ceil(bytes / 16) * 16;
const floats = (count: number) => align16(count * 4);

export class Layout {
  readonly descriptor: number;
  readonly layers: LayerLayout[];
  readonly params: number;
  /** Bytes of the parameter region, padding included. */
  readonly paramBytes: number;
  /** grads − params: add it to any parameter's pointer to reach its gradient. */
  readonly gradOffset: number;
  /** Pointers of the optimizer's state buffers, each mirroring the parameters. */
  readonly slots: number[];
  private readonly fixedEnd: number;

  capacity = 0;
  input = 0;
  target = 0;
  scratch: [number, number] = [0, 0];
  /** The products' packing panel (0 when the batch is too small for the kernels to want one). */
  panel = 0;
  /** First byte after the batch buffers: where train() lays out its data region. */
  batchEnd = 0;

  constructor(base: number, config: NetworkConfig) {
    this.descriptor = base;
    let at = base + align16(descriptorBytes(config.layers.length));
    this.params = at;
    let fanIn = config.inputs;
    this.layers = config.layers.map((layer) => {
      const kernel = at;
      at += floats(fanIn * layer.units);
      const bias = at;
      at += floats(layer.units);
      const entry = { inputs: fanIn, units: layer.units, activation: ACTIVATIONS[layer.activation], kernel, bias, output: 0 };
      fanIn = layer.units;
      return entry;
    });
    this.paramBytes = at - this.params;
    this.gradOffset = this.paramBytes;
    at += this.paramBytes;
    this.slots = [];
    for (let s = 0; s < slotCount(config.optimizer); s++, at += this.paramBytes) this.slots.push(at);
    this.fixedEnd = at;
  }

  get inputs(): number {
    return this.layers[0].inputs;
  }

  get outputs(): number {
    return this.layers[this.layers.length - 1].units;
  }

  get output(): number {
    return this.layers[this.layers.length - 1].output;
  }

  /** Parameter count without padding. */
  get parameterCount(): number {
    return this.layers.reduce((n, l) => n + l.inputs * l.units + l.units, 0);
  }

  /**
   * Lays the batch buffers out for `capacity` rows, and `panelBytes` of packing panel for the products
   * (what the backend's kernels ask for at that many rows); returns the byte count the memory must hold.
   */
  setCapacity(capacity: number, panelBytes = 0): number {
    this.capacity = capacity;
    let at = this.fixedEnd;
    this.input = at;
    at += floats(capacity * this.inputs);
    this.target = at;
    at += floats(capacity * this.outputs);
    // The gradient scratch holds ∂loss/∂(a layer's output), never ∂loss/∂input: the widest layer sets its size.
    let widest = 0;
    for (const layer of this.layers) {
      layer.output = at;
      at += floats(capacity * layer.units);
      widest = Math.max(widest, layer.units);
    }
    this.scratch = [at, at + floats(capacity * widest)];
    at += 2 * floats(capacity * widest);
    this.panel = panelBytes > 0 ? at : 0;
    at += align16(panelBytes);
    this.batchEnd = at;
    return at;
  }

  /** Writes the network's part of the descriptor: buffers, layers, loss, optimizer (train() writes the rest). */
  writeDescriptor(memory: ArrayBuffer, config: NetworkConfig): void {
    const i32 = new Int32Array(memory);
    const f32 = new Float32Array(memory);
    const put = (field: number, value: number) => (i32[(this.descriptor + field) >> 2] = value);
    const loss = LOSSES[config.loss];
    put(DESC.LAYER_COUNT, this.layers.length);
    put(DESC.LOSS, loss);
    put(DESC.FUSED, isFused(this.layers[this.layers.length - 1].activation, loss) ? 1 : 0);
    put(DESC.PARAMS, this.params);
    put(DESC.PARAM_COUNT, this.paramBytes >> 2);
    put(DESC.GRAD_OFFSET, this.gradOffset);
    put(DESC.SLOT0, this.slots[0] ?? 0);
    put(DESC.SLOT1, this.slots[1] ?? 0);
    put(DESC.INPUT, this.input);
    put(DESC.TARGET, this.target);
    put(DESC.SCRATCH0, this.scratch[0]);
    put(DESC.SCRATCH1, this.scratch[1]);
    const settings = optimizerSettings(config.optimizer);
    put(DESC.OPTIMIZER, settings.code);
    put(DESC.NESTEROV, settings.nesterov ? 1 : 0);
    f32[(this.descriptor + DESC.LEARNING_RATE) >> 2] = config.optimizer.learningRate;
    f32[(this.descriptor + DESC.HYPER1) >> 2] = settings.hyper1;
    f32[(this.descriptor + DESC.HYPER2) >> 2] = settings.hyper2;
    // Rounded from f64, as TensorFlow.js does; 1 − f32(β) would be off by up to 1.3e-5 relative.
    f32[(this.descriptor + DESC.COMPLEMENT1) >> 2] = 1 - settings.hyper1;
    f32[(this.descriptor + DESC.COMPLEMENT2) >> 2] = 1 - settings.hyper2;
    f32[(this.descriptor + DESC.EPSILON) >> 2] = settings.epsilon;
    f32[(this.descriptor + DESC.WEIGHT_DECAY) >> 2] = config.optimizer.weightDecay;
    this.layers.forEach((layer, i) => {
      const at = DESC.LAYERS + i * DESC.LAYER_BYTES;
      put(at + LAYER.INPUTS, layer.inputs);
      put(at + LAYER.UNITS, layer.units);
      put(at + LAYER.ACTIVATION, layer.activation);
      put(at + LAYER.KERNEL, layer.kernel);
      put(at + LAYER.BIAS, layer.bias);
      put(at + LAYER.OUTPUT, layer.output);
    });
  }
}
