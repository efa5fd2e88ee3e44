// What a HopfieldMemory is made of: its options as users give them, checked once, and the normalized
// configuration everything below the public class relies on.

import type { BackendName } from '../backends/backend.js';
import { rejectUnknownKeys, requireChoice, requireInteger, requireObject, requirePositiveNumber } from '../validate.js';

export type HopfieldKind = 'classical' | 'modern';
export type HopfieldRule = 'hebbian' | 'storkey' | 'pseudoinverse';
export type HopfieldUpdate = 'async' | 'sync';

export const KINDS: readonly HopfieldKind[] = ['classical', 'modern'];
export const RULES: readonly HopfieldRule[] = ['hebbian', 'storkey', 'pseudoinverse'];
export const UPDATES: readonly HopfieldUpdate[] = ['async', 'sync'];

export interface HopfieldOptions {
  /** Units in a pattern (N). */
  size: number;
  /** 'classical' (default): bipolar ±1 states and a weight matrix; 'modern': continuous states, dense memory. */
  kind?: HopfieldKind;
  /** Classical only: how patterns become weights. Default 'hebbian'. */
  rule?: HopfieldRule;
  /** Classical only: 'async' (default) updates one unit at a time in a seeded random order; 'sync' all at once. */
  update?: HopfieldUpdate;
  /** Modern only: inverse temperature of the softmax over patterns. Default 1, suited to ±1 patterns. */
  beta?: number;
  /** Same seed → the same update order, so the same recall. Default: a random seed (see `memory.seed`). */
  seed?: number;
  backend?: BackendName;
}

export interface HopfieldConfig {
  size: number;
  kind: HopfieldKind;
  /** Meaningful for the classical kind only; 'hebbian' on a modern memory. */
  rule: HopfieldRule;
  update: HopfieldUpdate;
  beta: number;
  seed: number;
}

/** A classical memory keeps size² weights: beyond this the matrix alone outgrows a 4 GiB memory. */
export const MAX_CLASSICAL_SIZE = 30_000;
/** Modern memories keep only their patterns, so they may be much wider. */
export const MAX_MODERN_SIZE = 1 << 24;

const KEYS = ['size', 'kind', 'rule', 'update', 'beta', 'seed', 'backend'] as const;

export function normalizeHopfieldOptions(options: unknown): HopfieldConfig & { backend?: BackendName } {
  const o = requireObject(options, 'HopfieldMemory options');
  rejectUnknownKeys(o, KEYS, 'HopfieldMemory options');
  if (o.size === undefined) throw new TypeError('HopfieldMemory options need `size`: the number of units in one pattern');
  const kind = o.kind === undefined ? 'classical' : requireChoice(o.kind, KINDS, 'kind');
  const size = requireInteger(o.size, 'size', 1, kind === 'classical' ? MAX_CLASSICAL_SIZE : MAX_MODERN_SIZE);
  if (kind === 'modern') {
    for (const key of ['rule', 'update'] as const) {
      if (o[key] !== undefined) {
        throw new TypeError(`option '${key}' applies to classical memories only; a modern memory has no weights and updates all units at once`);
      }
    }
  } else if (o.beta !== undefined) {
    throw new TypeError("option 'beta' applies to modern memories only (kind: 'modern')");
  }
  const rule = o.rule === undefined ? 'hebbian' : requireChoice(o.rule, RULES, 'rule');
  const update = o.update === undefined ? 'async' : requireChoice(o.update, UPDATES, 'update');
  const beta = o.beta === undefined ? 1 : requirePositiveNumber(o.beta, 'beta');
  const seed = o.seed === undefined ? randomSeed() : requireInteger(o.seed, 'seed', -0x80000000, 0xffffffff) >>> 0;
  const backend = o.backend === undefined ? undefined : requireChoice(o.backend, ['wasm', 'js'] as const, 'backend');
  return { size, kind, rule, update, beta, seed, backend };
}

function randomSeed(): number {
  return Math.floor(Math.random() * 4294967296) >>> 0;
}

