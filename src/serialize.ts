// The model file: a plain JSON-able object holding a network's configuration, weights and training
// state. Deterministic (no timestamps, no backend), exact (f32 values survive a JSON round trip), and
// read back with a check of every field before anything is allocated.

import { ACTIVATION_NAMES, LOSS_NAMES, type Activation, type Loss } from './codes.js';
import { MAX_UNITS, normalizeOptimizer, type NetworkConfig, type OptimizerConfig } from './config.js';
import type { LayerWeights } from './model.js';
import { slotCount, squaresSlot } from './optimizer.js';
import {
  describe, f32Requirement, fitsFloat32, readFileObject, rejectUnknownKeys, requireChoice, requireInteger, requireObject,
} from './validate.js';

export const FORMAT = 'engram-network';
export const FORMAT_VERSION = 1;
/** The most optimizer steps a network records (an i32 counter in the training descriptor). */
export const MAX_STEP = 0x7fffffff;

export interface LayerJSON {
  units: number;
  activation: Activation;
  /** Row-major [inputs][units]. */
  kernel: number[];
  bias: number[];
}

export interface NetworkJSON {
  format: typeof FORMAT;
  version: typeof FORMAT_VERSION;
  inputs: number;
  layers: LayerJSON[];
  loss: Loss;
  optimizer: OptimizerConfig;
  seed: number;
  /** Where training stands, so that training resumes exactly: optimizer step, shuffle stream, optimizer state. */
  training: {
    step: number;
    shuffleState: number;
    /** Each optimizer state buffer flattened layer by layer (kernel, then bias). */
    slots: number[][];
  };
}

export interface ModelState {
  config: NetworkConfig;
  weights: LayerWeights[];
  step: number;
  shuffleState: number;
  slots: Float32Array[];
}

export function toNetworkJSON(state: ModelState): NetworkJSON {
  const { config } = state;
  return {
    format: FORMAT,
    version: FORMAT_VERSION,
    inputs: config.inputs,
    layers: config.layers.map((layer, i) => ({
      units: layer.units,
      activation: layer.activation,
      kernel: Array.from(state.weights[i].kernel),
      bias: Array.from(state.weights[i].bias),
    })),
    loss: config.loss,
    optimizer: { ...config.optimizer },
    seed: config.seed,
    training: { step: state.step, shuffleState: state.shuffleState, slots: state.slots.map((s) => Array.from(s)) },
  };
}

const TOP_KEYS = ['format', 'version', 'inputs', 'layers', 'loss', 'optimizer', 'seed', 'training'] as const;
const LAYER_KEYS = ['units', 'activation', 'kernel', 'bias'] as const;
const TRAINING_KEYS = ['step', 'shuffleState', 'slots'] as const;

/** Reads a model file (object or JSON text), checking every field; throws an Error naming the first problem. */
export function fromNetworkJSON(input: unknown): ModelState {
  const o = readFileObject(input, 'model file', FORMAT, FORMAT_VERSION);
  rejectUnknownKeys(o, TOP_KEYS, 'model file');
  const inputs = requireInteger(o.inputs, 'model file inputs', 1, MAX_UNITS);
  if (!Array.isArray(o.layers)) throw new TypeError(`model file layers must be a non-empty array, got ${describe(o.layers)}`);
  if (o.layers.length === 0) throw new RangeError('model file layers is empty: a network needs at least one layer');
  let fanIn = inputs;
  const rawLayers: unknown[] = o.layers;
  // Every index, holes included (map would skip them, and a sparse array of 1e9 would take minutes).
  const layers: LayerJSON[] = Array.from({ length: rawLayers.length }, (_, i) => {
    const name = `model file layers[${i}]`;
    const l = requireObject(rawLayers[i], name);
    rejectUnknownKeys(l, LAYER_KEYS, name);
    const units = requireInteger(l.units, `${name}.units`, 1, MAX_UNITS);
    const activation = requireChoice(l.activation, ACTIVATION_NAMES, `${name}.activation`);
    if (activation === 'softmax' && i !== rawLayers.length - 1) {
      throw new TypeError(`${name}.activation 'softmax' is only supported on the last layer`);
    }
    const kernel = numbers(l.kernel, fanIn * units, `${name}.kernel`, `its shape ${fanIn}×${units} needs ${fanIn * units}`);
    const bias = numbers(l.bias, units, `${name}.bias`, `the layer has ${units} units`);
    fanIn = units;
    return { units, activation, kernel, bias };
  });
  const loss = requireChoice(o.loss, LOSS_NAMES, 'model file loss');
  const optimizer = normalizeOptimizer(o.optimizer);
  const seed = requireInteger(o.seed, 'model file seed', 0, 0xffffffff);
  const config: NetworkConfig = {
    inputs,
    layers: layers.map(({ units, activation }) => ({ units, activation })),
    loss,
    optimizer,
    seed,
  };
  const parameterCount = layers.reduce((n, l) => n + l.kernel.length + l.bias.length, 0);
  const t = requireObject(o.training, 'model file training');
  rejectUnknownKeys(t, TRAINING_KEYS, 'model file training');
  // The step count lives in an i32 in the training descriptor: a larger one would wrap to negative.
  const step = requireInteger(t.step, 'model file training.step', 0, MAX_STEP);
  const shuffleState = requireInteger(t.shuffleState, 'model file training.shuffleState', 0, 0xffffffff);
  const expectedSlots = slotCount(optimizer);
  const buffers = `${expectedSlots} optimizer state buffer${expectedSlots === 1 ? '' : 's'} for '${optimizer.type}'`;
  if (!Array.isArray(t.slots)) throw new TypeError(`model file training.slots must be an array of ${buffers}, got ${describe(t.slots)}`);
  if (t.slots.length !== expectedSlots) throw new RangeError(`model file training.slots holds ${t.slots.length}, but it needs ${buffers}`);
  const rawSlots: unknown[] = t.slots;
  const squares = squaresSlot(optimizer);
  const slots = Array.from({ length: expectedSlots }, (_, i) => {
    const name = `model file training.slots[${i}]`;
    const values = numbers(rawSlots[i], parameterCount, name, `the network has ${parameterCount} parameters`);
    // A negative mean square would make the next update's square root NaN.
    const negative = i === squares ? values.findIndex((v) => v < 0) : -1;
    if (negative >= 0) {
      throw new RangeError(
        `${name}[${negative}] is ${values[negative]}, but this buffer holds '${optimizer.type}' running means of squared gradients, which are never negative`,
      );
    }
    return Float32Array.from(values);
  });
  return {
    config,
    weights: layers.map((l) => ({ kernel: Float32Array.from(l.kernel), bias: Float32Array.from(l.bias) })),
    step,
    shuffleState,
    slots,
  };
}

/** `needs` says why `length` values: "its shape 3×4 needs 12". */
function numbers(value: unknown, length: number, name: string, needs: string): number[] {
  if (!Array.isArray(value)) throw new TypeError(`${name} must be an array of numbers, got ${describe(value)}`);
  if (value.length !== length) throw new RangeError(`${name} has ${value.length} values, but ${needs}`);
  for (let i = 0; i < length; i++) {
    const v = value[i];
    if (typeof v !== 'number') throw new TypeError(`${name}[${i}] is ${describe(v)}; weights must be finite numbers`);
    if (!fitsFloat32(v)) throw new RangeError(`${name}[${i}] is ${describe(v)}; each weight must be ${f32Requirement(v)}`);
  }
  return value as number[];
}
