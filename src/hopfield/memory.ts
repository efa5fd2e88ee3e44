// The public HopfieldMemory: an associative memory that stores patterns and recalls a whole one from a
// damaged cue. Every call validates what it is given, once, and only then touches the memory; a call
// that throws leaves the memory exactly as it was.

import type { BackendName } from '../backends/backend.js';
import { createBackend } from '../backends/select.js';
import { rejectUnknownKeys, requireChoice, requireInteger, requireObject } from '../validate.js';
import { checkPatterns, checkState } from './check.js';
import { normalizeHopfieldOptions, type HopfieldKind, type HopfieldOptions, type HopfieldRule, type HopfieldUpdate } from './config.js';
import { Core } from './core.js';
import { energyAt, recall, type RecallResult } from './dynamics.js';
import { learn, weightScale } from './rules.js';
import { fromHopfieldJSON, toHopfieldJSON, type HopfieldJSON } from './serialize.js';

export interface RecallOptions {
  /** Updates to run at most (classical async: sweeps over all units). Default 100. */
  maxSteps?: number;
}

export interface HopfieldFromJSONOptions {
  backend?: BackendName;
}

const DEFAULT_MAX_STEPS = 100;

export class HopfieldMemory {
  #core: Core | undefined;

  private constructor(core: Core) {
    this.#core = core;
  }

  /** An empty memory. */
  static async create(options: HopfieldOptions): Promise<HopfieldMemory> {
    const { backend, ...config } = normalizeHopfieldOptions(options);
    return new HopfieldMemory(new Core(await createBackend(backend), config));
  }

  /** Reads a memory file written by toJSON (the object, or its JSON text). */
  static async fromJSON(json: HopfieldJSON | string | object, options: HopfieldFromJSONOptions = {}): Promise<HopfieldMemory> {
    const o = requireObject(options, 'fromJSON options');
    rejectUnknownKeys(o, ['backend'], 'fromJSON options');
    const state = fromHopfieldJSON(json);
    const backend = o.backend === undefined ? undefined : requireChoice(o.backend, ['wasm', 'js'] as const, 'backend');
    const core = new Core(await createBackend(backend), state.config);
    core.ensureCapacity(state.patterns.length);
    core.appendPatterns(state.patterns);
    if (state.weights) core.write(core.weights, state.weights);
    else if (state.config.kind === 'classical' && core.count > 0) learn(core, 0);
    return new HopfieldMemory(core);
  }

  /** The backend actually in use. */
  get backend(): BackendName {
    return this.core.backend.name;
  }

  get size(): number {
    return this.core.config.size;
  }

  get kind(): HopfieldKind {
    return this.core.config.kind;
  }

  /** The learning rule (classical memories; undefined for modern ones). */
  get rule(): HopfieldRule | undefined {
    return this.core.config.kind === 'classical' ? this.core.config.rule : undefined;
  }

  /** The update schedule (classical memories; undefined for modern ones, which update all units at once). */
  get update(): HopfieldUpdate | undefined {
    return this.core.config.kind === 'classical' ? this.core.config.update : undefined;
  }

  /** The softmax's inverse temperature (modern memories; undefined for classical ones). */
  get beta(): number | undefined {
    return this.core.config.kind === 'modern' ? this.core.config.beta : undefined;
  }

  /** The seed the memory was created with (drawn at random when none was given). */
  get seed(): number {
    return this.core.config.seed;
  }

  /** Patterns stored so far. */
  get count(): number {
    return this.core.count;
  }

  /** Copies of the stored patterns, in the order stored. */
  get patterns(): Float32Array[] {
    return this.core.readPatterns();
  }

  /** Bytes of memory the memory's backend holds now. */
  get memoryBytes(): number {
    return this.core.backend.byteLength;
  }

  /** A copy of the classical weights, row-major [size×size], symmetric with a zero diagonal. */
  getWeights(): Float32Array {
    const core = this.core;
    if (core.config.kind !== 'classical') {
      throw new Error('a modern memory has no weight matrix: its stored patterns are its parameters (memory.patterns)');
    }
    const { size } = core.config;
    const weights = core.read(core.weights, size * size);
    const scale = weightScale(core);
    if (scale !== 1) for (let i = 0; i < weights.length; i++) weights[i] *= scale;
    return weights;
  }

  /** Adds patterns to the memory (classical: ±1 values; modern: any finite values). Returns the count stored. */
  store(patterns: readonly ArrayLike<number>[]): number {
    const core = this.core;
    const checked = checkPatterns(patterns, core.config.size, core.config.kind);
    core.ensureCapacity(core.count + checked.length);
    const first = core.appendPatterns(checked);
    if (core.config.kind === 'classical') learn(core, first);
    return core.count;
  }

  /** Runs the memory's dynamics from `cue` until a fixed point or maxSteps updates. */
  recall(cue: ArrayLike<number>, options: RecallOptions = {}): RecallResult {
    const core = this.core;
    const o = requireObject(options, 'recall options');
    rejectUnknownKeys(o, ['maxSteps'], 'recall options');
    const maxSteps = o.maxSteps === undefined ? DEFAULT_MAX_STEPS : requireInteger(o.maxSteps, 'maxSteps', 1);
    const checked = checkState(cue, core.config.size, core.config.kind, 'cue');
    this.requirePatterns('recall');
    return recall(core, checked, maxSteps);
  }

  /** The energy of a state: lower is more stable; every update leaves it lower or equal. */
  energy(state: ArrayLike<number>): number {
    const core = this.core;
    const checked = checkState(state, core.config.size, core.config.kind, 'state');
    this.requirePatterns('energy');
    core.write(core.state, checked);
    return energyAt(core, core.state);
  }

  /** The memory file: configuration, patterns and (where needed) weights, as a plain JSON-able object. */
  toJSON(): HopfieldJSON {
    const core = this.core;
    const { kind, rule, size } = core.config;
    const saveWeights = kind === 'classical' && rule !== 'hebbian';
    return toHopfieldJSON({
      config: core.config,
      patterns: core.readPatterns(),
      weights: saveWeights ? core.read(core.weights, size * size) : undefined,
    });
  }

  /** Frees the memory's backend memory. Any later call throws. */
  dispose(): void {
    this.#core?.release();
    this.#core = undefined;
  }

  private get core(): Core {
    if (!this.#core) throw new Error('this memory has been disposed; create or load a new one');
    return this.#core;
  }

  private requirePatterns(call: string): void {
    if (this.core.count === 0) throw new Error(`${call} needs stored patterns: this memory is empty; call store(patterns) first`);
  }
}

export type { HopfieldJSON, HopfieldOptions, HopfieldKind, HopfieldRule, HopfieldUpdate, RecallResult };
