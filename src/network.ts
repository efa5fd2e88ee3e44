// The public Network: every call validates what it is given, once, with messages written for the user,
// and only then touches the model; a call that throws leaves the network exactly as it was.

import type { BackendName } from './backends/backend.js';
import { createBackend } from './backends/select.js';
import { normalizeOptions, type LayerConfig, type NetworkOptions, type OptimizerConfig } from './config.js';
import { LOSSES, type Activation, type Loss } from './codes.js';
import { checkDataset, checkRows, checkSample, isPairList, splitPairs, type Rows } from './data.js';
import { explain, type ExplainOptions } from './explain.js';
import { Model, type LayerWeights } from './model.js';
import { checkMetadata, exportONNX } from './onnx/export.js';
import { importONNX } from './onnx/import.js';
import { fromNetworkJSON, toNetworkJSON, type NetworkJSON } from './serialize.js';
import {
  asyncPacing, runAsync, runSync, SYNC_PACING, trainingLoop, type TrainOptions, type TrainPlan, type TrainResult,
} from './training.js';
import {
  describe, orDefault, rejectUnknownKeys, requireBoolean, requireChoice, requireFraction, requireInteger,
  requireNonNegativeNumber, requireObject, requirePositiveNumber,
} from './validate.js';

export interface EvaluateResult {
  /** Mean loss over the samples. */
  loss: number;
  /** For the cross-entropy losses: the fraction of samples (binary: of outputs) predicted right. */
  accuracy?: number;
}

export interface FromJSONOptions {
  backend?: BackendName;
}

export interface ToONNXOptions {
  /** String key/value pairs for the model's metadata_props (the key 'loss' is engram's own). */
  metadata?: Record<string, string>;
}

export interface FromONNXOptions {
  backend?: BackendName;
  /** The seed for training the imported network further. Default 0. */
  seed?: number;
}

type TrainArgs = [data: readonly { input: unknown; output: unknown }[], options?: TrainOptions] |
  [inputs: unknown, targets: unknown, options?: TrainOptions];

const TRAIN_KEYS = [
  'epochs', 'batchSize', 'shuffle', 'validationSplit', 'errorThreshold', 'learningRate', 'clipValue', 'clipNorm', 'onEpochEnd',
] as const;
/** Async training hands the thread back at least this often (ms), between batches. */
const ASYNC_SLICE_MS = 8;

export class Network {
  #model: Model | undefined;

  private constructor(model: Model) {
    this.#model = model;
  }

  /** Builds a network with freshly initialized weights. */
  static async create(options: NetworkOptions): Promise<Network> {
    const { backend, ...config } = normalizeOptions(options);
    const model = new Model(await createBackend(backend), config);
    model.initialize();
    return new Network(model);
  }

  /** Reads a model file written by toJSON (the object, or its JSON text). */
  static async fromJSON(json: NetworkJSON | string | object, options: FromJSONOptions = {}): Promise<Network> {
    const o = requireObject(options, 'fromJSON options');
    rejectUnknownKeys(o, ['backend'], 'fromJSON options');
    const state = fromNetworkJSON(json);
    const backend = o.backend === undefined ? undefined : requireChoice(o.backend, ['wasm', 'js'] as const, 'backend');
    const model = new Model(await createBackend(backend), state.config);
    model.setWeights(state.weights);
    model.writeSlots(state.slots);
    model.step = state.step;
    model.shuffleState = state.shuffleState;
    return new Network(model);
  }

  /**
   * Reads an ONNX model of dense layers (what toONNX writes, or PyTorch's export of nn.Linear layers).
   * Its loss comes from the file's metadata ('mse' if none), its optimizer is the default.
   */
  static async fromONNX(bytes: Uint8Array | ArrayBuffer, options: FromONNXOptions = {}): Promise<Network> {
    const o = requireObject(options, 'fromONNX options');
    rejectUnknownKeys(o, ['backend', 'seed'], 'fromONNX options');
    const { weights, ...config } = importONNX(bytes);
    const network = await Network.create({ ...config, seed: orDefault(o.seed, 0) as number, backend: o.backend as BackendName | undefined });
    network.model.setWeights(weights);
    return network;
  }

  /** The backend actually in use. */
  get backend(): BackendName {
    return this.model.backend.name;
  }

  /** The seed the network was created with (drawn at random when none was given). */
  get seed(): number {
    return this.model.config.seed;
  }

  get inputs(): number {
    return this.model.config.inputs;
  }

  get outputs(): number {
    return this.model.layout.outputs;
  }

  /** The layers' sizes and activations. */
  get layers(): LayerConfig[] {
    return this.model.config.layers.map((l) => ({ ...l }));
  }

  get loss(): Loss {
    return this.model.config.loss;
  }

  get optimizer(): OptimizerConfig {
    return { ...this.model.config.optimizer };
  }

  /** Weights and biases in all. */
  get parameterCount(): number {
    return this.model.layout.parameterCount;
  }

  /** Bytes of memory the network's backend holds now (its WebAssembly memory, or the JS backend's array). */
  get memoryBytes(): number {
    return this.model.backend.byteLength;
  }

  /** Trains on inputs and targets, or on brain.js-style [{ input, output }] pairs. */
  train(...args: TrainArgs): TrainResult {
    const model = this.idleModel('train');
    const plan = this.plan(args);
    model.training = true;
    try {
      return runSync(trainingLoop(model, plan, SYNC_PACING));
    } finally {
      model.training = false;
    }
  }

  /** As train, but hands the thread back to the event loop between epochs (and between batches every few ms). */
  async trainAsync(...args: TrainArgs): Promise<TrainResult> {
    const model = this.idleModel('trainAsync');
    const plan = this.plan(args);
    model.training = true;
    try {
      return await runAsync(trainingLoop(model, plan, asyncPacing(ASYNC_SLICE_MS, now)), () => {
        if (this.#model !== model) throw new Error('the network was disposed while trainAsync was running');
      });
    } finally {
      model.training = false;
    }
  }

  /** One sample in, the last layer's outputs out. */
  predict(sample: ArrayLike<number>): Float32Array {
    const model = this.model;
    const width = model.layout.inputs;
    // A Float32Array or Float64Array can hold nothing but numbers, so it is copied in as it is and its
    // values checked there in one vectorised pass; anything else, or a sample that fails that check,
    // goes through the element-by-element check, which also words the error.
    const typed = (sample instanceof Float32Array || sample instanceof Float64Array) && sample.length === width;
    if (!(typed && model.stageSample(sample))) model.stageSample(checkSample(sample, width, 'sample', 'inputs'));
    return model.predictStaged();
  }

  /** Many samples in, one output array per sample out. */
  predictBatch(samples: readonly ArrayLike<number>[]): Float32Array[] {
    const model = this.model;
    const rows = checkRows(samples, model.layout.inputs, 'samples', 'inputs');
    const results: Float32Array[] = [];
    const width = model.layout.outputs;
    model.forEachBatch(rows, undefined, (out, _start, count) => {
      const f32 = model.backend.f32;
      for (let r = 0; r < count; r++) {
        const at = (out >> 2) + r * width;
        results.push(f32.slice(at, at + width));
      }
    });
    return results;
  }

  /** Mean loss over the samples and, for the cross-entropy losses, accuracy. */
  evaluate(inputs: unknown, targets: unknown): EvaluateResult {
    const model = this.model;
    const [x, y] = checkDataset(inputs, targets, model.layout.inputs, model.layout.outputs);
    const width = model.layout.outputs;
    const k = model.kernels;
    const lossCode = LOSSES[model.config.loss];
    let loss = 0;
    let correct = 0;
    model.forEachBatch(x, y, (out, _start, rows) => {
      loss += k.lossForward(out, model.layout.target, rows, width, lossCode);
      correct += countCorrect(model.backend.f32, out >> 2, model.layout.target >> 2, rows, width, model.config.loss);
    });
    const n = x.length;
    const result: EvaluateResult = { loss: loss / n };
    if (model.config.loss === 'categoricalCrossentropy') result.accuracy = correct / n;
    if (model.config.loss === 'binaryCrossentropy') result.accuracy = correct / (n * width);
    return result;
  }

  /** Copies of every layer's weights: kernel row-major [inputs][units], and bias [units]. */
  getWeights(): LayerWeights[] {
    return this.model.getWeights();
  }

  /** Replaces every layer's weights; shapes as getWeights returns them. */
  setWeights(weights: readonly { kernel: ArrayLike<number>; bias: ArrayLike<number> }[]): void {
    const model = this.model;
    const layers = model.layout.layers;
    if (!Array.isArray(weights)) {
      throw new TypeError(`setWeights needs an array of { kernel, bias } entries, one per layer; got ${describe(weights)}`);
    }
    if (weights.length !== layers.length) {
      throw new RangeError(
        `setWeights needs an array of ${layers.length} { kernel, bias } entries, one per layer; got ${weights.length}`,
      );
    }
    layers.forEach((layer, i) => {
      const w = requireObject(weights[i], `weights[${i}]`);
      checkSample(w.kernel, layer.inputs * layer.units, `weights[${i}].kernel`, `kernel values (${layer.inputs}×${layer.units})`);
      checkSample(w.bias, layer.units, `weights[${i}].bias`, `bias values`);
    });
    model.setWeights(weights);
  }

  /** ∂(mean loss over the samples)/∂(every weight), shaped as getWeights; the weights do not change. */
  computeGradients(inputs: unknown, targets: unknown): LayerWeights[] {
    const model = this.idleModel('computeGradients');
    const [x, y] = checkDataset(inputs, targets, model.layout.inputs, model.layout.outputs);
    return model.computeGradients(x, y);
  }

  /**
   * One attribution per input (a Float32Array as long as a sample) for one output unit: by default the
   * predicted class (or the only output), explained by integrated gradients from an all-zero baseline.
   * The network does not change.
   */
  explain(sample: ArrayLike<number>, options: ExplainOptions = {}): Float32Array {
    // Not while training: a batch of integration steps may need larger batch buffers, which moves the data.
    return explain(this.idleModel('explain'), sample, options);
  }

  /** The model file: configuration, weights and training state, as a plain JSON-able object. */
  toJSON(): NetworkJSON {
    const model = this.model;
    return toNetworkJSON({
      config: model.config,
      weights: model.getWeights(),
      step: model.step,
      shuffleState: model.shuffleState,
      slots: model.readSlots(),
    });
  }

  /**
   * The network as an ONNX model (protobuf bytes): Gemm and activation nodes, for ONNX Runtime and friends.
   * `metadata` adds string key/value pairs to the model's metadata_props (where the loss is, under 'loss').
   */
  toONNX(options: ToONNXOptions = {}): Uint8Array {
    const model = this.model;
    const o = requireObject(options, 'toONNX options');
    rejectUnknownKeys(o, ['metadata'], 'toONNX options');
    const metadata = o.metadata === undefined ? {} : checkMetadata(o.metadata);
    return exportONNX(model.config, model.getWeights(), metadata);
  }

  /** Frees the network's memory. Any later call throws. */
  dispose(): void {
    this.#model?.release();
    this.#model = undefined;
  }

  private get model(): Model {
    if (!this.#model) throw new Error('this network has been disposed; create or load a new one');
    return this.#model;
  }

  private idleModel(call: string): Model {
    const model = this.model;
    if (model.training) throw new Error(`${call} cannot run while this network is training; wait for train/trainAsync to finish`);
    return model;
  }

  private plan(args: TrainArgs): TrainPlan {
    const model = this.model;
    let inputs: unknown;
    let targets: unknown;
    let options: unknown;
    if (isPairList(args[0])) {
      [inputs, targets] = splitPairs(args[0]);
      options = args[1];
    } else {
      [inputs, targets, options] = args;
    }
    const o = requireObject(orDefault(options, {}), 'train options');
    rejectUnknownKeys(o, TRAIN_KEYS, 'train options');
    const epochs = requireInteger(orDefault(o.epochs, 100), 'epochs', 0);
    const batchSize = requireInteger(orDefault(o.batchSize, 32), 'batchSize', 1);
    const shuffle = requireBoolean(orDefault(o.shuffle, true), 'shuffle');
    const validationSplit = requireFraction(orDefault(o.validationSplit, 0), 'validationSplit');
    const errorThreshold = o.errorThreshold === undefined ? -Infinity : requireNonNegativeNumber(o.errorThreshold, 'errorThreshold');
    const learningRate = requirePositiveNumber(orDefault(o.learningRate, model.config.optimizer.learningRate), 'learningRate');
    const clipValue = o.clipValue === undefined ? 0 : requirePositiveNumber(o.clipValue, 'clipValue');
    const clipNorm = o.clipNorm === undefined ? 0 : requirePositiveNumber(o.clipNorm, 'clipNorm');
    if (o.onEpochEnd !== undefined && typeof o.onEpochEnd !== 'function') {
      throw new TypeError(`onEpochEnd must be a function, got ${describe(o.onEpochEnd)}`);
    }
    const [x, y] = checkDataset(inputs, targets, model.layout.inputs, model.layout.outputs);
    const trainCount = Math.floor(x.length * (1 - validationSplit));
    if (trainCount < 1) {
      throw new RangeError(`validationSplit ${validationSplit} leaves no training samples out of ${x.length}`);
    }
    return {
      inputs: x as Rows,
      targets: y as Rows,
      epochs,
      batchSize,
      shuffle,
      validationCount: x.length - trainCount,
      errorThreshold,
      learningRate,
      clipValue,
      clipNorm,
      onEpochEnd: o.onEpochEnd as TrainOptions['onEpochEnd'],
    };
  }
}

function countCorrect(f32: Float32Array, out: number, target: number, rows: number, width: number, loss: Loss): number {
  let correct = 0;
  if (loss === 'categoricalCrossentropy') {
    for (let r = 0; r < rows; r++) {
      const o = out + r * width;
      const t = target + r * width;
      if (argmax(f32, o, width) === argmax(f32, t, width)) correct++;
    }
  } else if (loss === 'binaryCrossentropy') {
    for (let i = 0; i < rows * width; i++) if (f32[out + i] >= 0.5 === f32[target + i] >= 0.5) correct++;
  }
  return correct;
}

function argmax(f32: Float32Array, at: number, width: number): number {
  let best = 0;
  for (let j = 1; j < width; j++) if (f32[at + j] > f32[at + best]) best = j;
  return best;
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

export type { Activation, Loss, TrainOptions, TrainResult, LayerWeights, NetworkJSON, NetworkOptions, ExplainOptions };
