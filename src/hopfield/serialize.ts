// The memory file: a plain JSON-able object holding a memory's configuration, its patterns and, where
// they cannot be recomputed exactly on every backend, its weights. Read back with a check of every
// field before anything is allocated.

import type { HopfieldConfig, HopfieldKind, HopfieldRule, HopfieldUpdate } from './config.js';
import { KINDS, MAX_CLASSICAL_SIZE, MAX_MODERN_SIZE, RULES, UPDATES } from './config.js';
import { checkPatterns } from './check.js';
import {
  describe, f32Requirement, fitsFloat32, readFileObject, rejectUnknownKeys, requireChoice, requireInteger, requirePositiveNumber,
} from '../validate.js';

export const HOPFIELD_FORMAT = 'engram-hopfield';
export const HOPFIELD_FORMAT_VERSION = 1;

export interface HopfieldJSON {
  format: typeof HOPFIELD_FORMAT;
  version: typeof HOPFIELD_FORMAT_VERSION;
  size: number;
  kind: HopfieldKind;
  /** Classical only. */
  rule?: HopfieldRule;
  update?: HopfieldUpdate;
  /** Modern only. */
  beta?: number;
  seed: number;
  patterns: number[][];
  /**
   * Storkey and pseudo-inverse rules: the weights row-major [size×size], exactly as held (their f32
   * rounding differs between backends, so they are saved rather than recomputed). Hebbian weights are
   * integer sums, recomputed exactly from the patterns.
   */
  weights?: number[];
}

export interface HopfieldState {
  config: HopfieldConfig;
  patterns: ArrayLike<number>[];
  weights?: Float32Array;
}

export function toHopfieldJSON(state: HopfieldState): HopfieldJSON {
  const { config } = state;
  const settings = config.kind === 'classical' ? { rule: config.rule, update: config.update } : { beta: config.beta };
  return {
    format: HOPFIELD_FORMAT,
    version: HOPFIELD_FORMAT_VERSION,
    size: config.size,
    kind: config.kind,
    ...settings,
    seed: config.seed,
    patterns: state.patterns.map((p) => Array.from(p)),
    ...(state.weights ? { weights: Array.from(state.weights) } : {}),
  };
}

const KEYS = ['format', 'version', 'size', 'kind', 'rule', 'update', 'beta', 'seed', 'patterns', 'weights'] as const;

/** Reads a memory file (object or JSON text), checking every field; throws an Error naming the first problem. */
export function fromHopfieldJSON(input: unknown): HopfieldState {
  const o = readFileObject(input, 'memory file', HOPFIELD_FORMAT, HOPFIELD_FORMAT_VERSION);
  rejectUnknownKeys(o, KEYS, 'memory file');
  const kind = requireChoice(o.kind, KINDS, 'memory file kind');
  const size = requireInteger(o.size, 'memory file size', 1, kind === 'classical' ? MAX_CLASSICAL_SIZE : MAX_MODERN_SIZE);
  const classical = kind === 'classical';
  const rule = classical ? requireChoice(o.rule, RULES, 'memory file rule') : 'hebbian';
  const update = classical ? requireChoice(o.update, UPDATES, 'memory file update') : 'async';
  const beta = classical ? 1 : requirePositiveNumber(o.beta, 'memory file beta');
  const seed = requireInteger(o.seed, 'memory file seed', 0, 0xffffffff);
  const patterns = Array.isArray(o.patterns) && o.patterns.length === 0
    ? []
    : checkPatterns(o.patterns, size, kind, 'memory file patterns');
  const config: HopfieldConfig = { size, kind, rule, update, beta, seed };
  if (!classical || rule === 'hebbian') {
    if (o.weights !== undefined) throw new TypeError(`memory file weights are not expected for a ${classical ? 'Hebbian' : 'modern'} memory`);
    return { config, patterns };
  }
  return { config, patterns, weights: checkWeights(o.weights, size) };
}

/** Weights a classical memory can run on: size×size finite values, symmetric, zero diagonal. */
function checkWeights(value: unknown, size: number): Float32Array {
  if (!Array.isArray(value)) throw new TypeError(`memory file weights must be an array of numbers, got ${describe(value)}`);
  if (value.length !== size * size) {
    throw new RangeError(`memory file weights has ${value.length} values, but a memory of size ${size} needs ${size}×${size} = ${size * size}`);
  }
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    if (typeof v !== 'number') throw new TypeError(`memory file weights[${i}] is ${describe(v)}; weights must be finite numbers`);
    if (!fitsFloat32(v)) throw new RangeError(`memory file weights[${i}] is ${describe(v)}; each weight must be ${f32Requirement(v)}`);
  }
  const w = Float32Array.from(value as number[]);
  for (let i = 0; i < size; i++) {
    if (w[i * size + i] !== 0) throw new RangeError(`memory file weights: diagonal entry (${i}, ${i}) is ${w[i * size + i]}, must be 0`);
    for (let j = i + 1; j < size; j++) {
      if (w[i * size + j] !== w[j * size + i]) {
        throw new RangeError(`memory file weights are not symmetric: (${i}, ${j}) is ${w[i * size + j]} but (${j}, ${i}) is ${w[j * size + i]}`);
      }
    }
  }
  return w;
}
