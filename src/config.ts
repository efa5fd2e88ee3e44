// What a network is made of: the options users write, and the complete configuration they normalize
// to (every default filled in, every value checked). The configuration is what a model file stores.

import { ACTIVATION_NAMES, LOSS_NAMES, type Activation, type Loss } from './codes.js';
import type { BackendName } from './backends/backend.js';
import {
  orDefault, rejectUnknownKeys, requireBoolean, requireChoice, requireFraction, requireInteger, requireNonNegativeNumber,
  requireObject, requirePositiveNumber, describe,
} from './validate.js';

export interface LayerOptions {
  units: number;
  /** Default 'linear'. 'softmax' only on the last layer. */
  activation?: Activation;
}

export interface SgdOptions {
  type: 'sgd';
  /** Default 0.01. */
  learningRate?: number;
  /** Default 0 (plain gradient descent). */
  momentum?: number;
  /** Default false. */
  nesterov?: boolean;
  /** L2 penalty λ: adds λ·W to every kernel's gradient (not to biases). Default 0. */
  weightDecay?: number;
}

export interface AdamOptions {
  type: 'adam';
  /** Default 0.001. */
  learningRate?: number;
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-8. */
  epsilon?: number;
  weightDecay?: number;
}

export interface RmspropOptions {
  type: 'rmsprop';
  /** Default 0.001. */
  learningRate?: number;
  /** Decay of the mean square. Default 0.9. */
  rho?: number;
  /** Default 1e-7. */
  epsilon?: number;
  weightDecay?: number;
}

export type OptimizerName = 'sgd' | 'adam' | 'rmsprop';
export type OptimizerOptions = OptimizerName | SgdOptions | AdamOptions | RmspropOptions;

export interface NetworkOptions {
  /** Values per input sample. */
  inputs: number;
  layers: LayerOptions[];
  /** Default 'mse'. */
  loss?: Loss;
  /** Default Adam with learning rate 0.001. */
  optimizer?: OptimizerOptions;
  /** Same seed → bit-identical initial weights and training. Default: a random seed (see `net.seed`). */
  seed?: number;
  /** Default 'wasm' where WebAssembly SIMD works, else 'js'. */
  backend?: BackendName;
}

export type OptimizerConfig = Required<SgdOptions> | Required<AdamOptions> | Required<RmspropOptions>;

export interface LayerConfig {
  units: number;
  activation: Activation;
}

export interface NetworkConfig {
  inputs: number;
  layers: LayerConfig[];
  loss: Loss;
  optimizer: OptimizerConfig;
  seed: number;
}

export const OPTIMIZER_NAMES: readonly OptimizerName[] = ['sgd', 'adam', 'rmsprop'];
const OPTION_KEYS = ['inputs', 'layers', 'loss', 'optimizer', 'seed', 'backend'] as const;
const LAYER_KEYS = ['units', 'activation'] as const;
const OPTIMIZER_KEYS: Record<OptimizerName, readonly string[]> = {
  sgd: ['type', 'learningRate', 'momentum', 'nesterov', 'weightDecay'],
  adam: ['type', 'learningRate', 'beta1', 'beta2', 'epsilon', 'weightDecay'],
  rmsprop: ['type', 'learningRate', 'rho', 'epsilon', 'weightDecay'],
};

/** Largest layer width accepted; far beyond what fits in a WebAssembly memory with its weights. */
export const MAX_UNITS = 1 << 20;

export function normalizeOptions(options: unknown): NetworkConfig & { backend?: BackendName } {
  const o = requireObject(options, 'Network options');
  rejectUnknownKeys(o, OPTION_KEYS, 'Network options');
  if (o.inputs === undefined) throw new TypeError('Network options need `inputs`: the number of values in one sample');
  const inputs = requireInteger(o.inputs, 'inputs', 1, MAX_UNITS);
  if (!Array.isArray(o.layers)) {
    throw new TypeError(`layers must be a non-empty array of { units, activation }, got ${describe(o.layers)}`);
  }
  if (o.layers.length === 0) throw new RangeError('layers is empty: a network needs at least one layer, the output layer');
  const count = o.layers.length;
  // Every index, holes included (map would skip them); a sparse array fails at its first hole.
  const layers = Array.from({ length: count }, (_, i) => normalizeLayer((o.layers as unknown[])[i], i, count));
  const loss = o.loss === undefined ? 'mse' : requireChoice(o.loss, LOSS_NAMES, 'loss');
  const optimizer = normalizeOptimizer(orDefault(o.optimizer, 'adam'));
  const seed = o.seed === undefined ? randomSeed() : requireInteger(o.seed, 'seed', -0x80000000, 0xffffffff) >>> 0;
  const backend = o.backend === undefined ? undefined : requireChoice(o.backend, ['wasm', 'js'] as const, 'backend');
  const config = { inputs, layers, loss, optimizer, seed };
  checkLossFits(config);
  return { ...config, backend };
}

function normalizeLayer(layer: unknown, index: number, count: number): LayerConfig {
  const name = `layers[${index}]`;
  const l = requireObject(layer, name);
  rejectUnknownKeys(l, LAYER_KEYS, name);
  const units = requireInteger(l.units, `${name}.units`, 1, MAX_UNITS);
  const activation = l.activation === undefined ? 'linear' : requireChoice(l.activation, ACTIVATION_NAMES, `${name}.activation`);
  if (activation === 'softmax' && index !== count - 1) {
    throw new TypeError(`${name}.activation 'softmax' is only supported on the last layer`);
  }
  return { units, activation };
}

export function normalizeOptimizer(optimizer: unknown): OptimizerConfig {
  const o = typeof optimizer === 'string' ? { type: optimizer } : requireObject(optimizer, 'optimizer');
  const type = requireChoice(o.type, OPTIMIZER_NAMES, 'optimizer type');
  rejectUnknownKeys(o, OPTIMIZER_KEYS[type], `optimizer '${type}'`);
  const weightDecay = o.weightDecay === undefined ? 0 : requireNonNegativeNumber(o.weightDecay, 'optimizer.weightDecay');
  switch (type) {
    case 'sgd':
      return {
        type,
        learningRate: requirePositiveNumber(orDefault(o.learningRate, 0.01), 'optimizer.learningRate'),
        momentum: requireFraction(orDefault(o.momentum, 0), 'optimizer.momentum'),
        nesterov: requireBoolean(orDefault(o.nesterov, false), 'optimizer.nesterov'),
        weightDecay,
      };
    case 'adam':
      return {
        type,
        learningRate: requirePositiveNumber(orDefault(o.learningRate, 0.001), 'optimizer.learningRate'),
        beta1: requireFraction(orDefault(o.beta1, 0.9), 'optimizer.beta1'),
        beta2: requireFraction(orDefault(o.beta2, 0.999), 'optimizer.beta2'),
        epsilon: requirePositiveNumber(orDefault(o.epsilon, 1e-8), 'optimizer.epsilon'),
        weightDecay,
      };
    case 'rmsprop':
      return {
        type,
        learningRate: requirePositiveNumber(orDefault(o.learningRate, 0.001), 'optimizer.learningRate'),
        rho: requireFraction(orDefault(o.rho, 0.9), 'optimizer.rho'),
        epsilon: requirePositiveNumber(orDefault(o.epsilon, 1e-7), 'optimizer.epsilon'),
        weightDecay,
      };
  }
}

// Softmax outputs need more than one class, and the fused cross-entropy gradients assume the output
// ranges the losses were defined for; refuse the combinations that cannot train.
function checkLossFits(config: NetworkConfig): void {
  const last = config.layers[config.layers.length - 1];
  if (last.activation === 'softmax' && last.units < 2) {
    throw new RangeError('a softmax last layer needs at least 2 units (one per class); use sigmoid for a single output');
  }
}

/** How many parameters (weights and biases) each layer has, in order. */
export function parameterCounts(config: Pick<NetworkConfig, 'inputs' | 'layers'>): number[] {
  let fanIn = config.inputs;
  return config.layers.map((layer) => {
    const count = fanIn * layer.units + layer.units;
    fanIn = layer.units;
    return count;
  });
}

function randomSeed(): number {
  return Math.floor(Math.random() * 4294967296) >>> 0;
}
