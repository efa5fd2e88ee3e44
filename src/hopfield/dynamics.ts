// How a memory recalls: the classical memory's sign updates (asynchronous, one unit at a time in a
// seeded random order, or synchronous) and the modern memory's attention update, each repeated until a
// step changes nothing; and the energy each of them never increases.

import { Rng, streamSeed } from '../rng.js';
import type { Core } from './core.js';
import { weightScale } from './rules.js';

export interface RecallResult {
  /** The state recall ended in (a copy). Classical: ±1 values; modern: continuous. */
  pattern: Float32Array;
  /** Updates run: sweeps over all units (classical async), or whole-state updates. */
  steps: number;
  /** Whether the last update left the state as it was: a fixed point (modern: within 1e-5 of the largest |value| stored). */
  converged: boolean;
  /** The energy of `pattern`. */
  energy: number;
}

/** Modern updates stop when no value moves by more than this fraction of the largest |value| stored. */
const MODERN_TOLERANCE = 1e-5;

/** Runs up to maxSteps updates from the cue (validated, written nowhere yet). */
export function recall(core: Core, cue: ArrayLike<number>, maxSteps: number): RecallResult {
  core.write(core.state, cue);
  const { steps, converged, at } = core.config.kind === 'classical' ? classical(core, maxSteps) : modern(core, maxSteps);
  return { pattern: core.read(at, core.config.size), steps, converged, energy: energyAt(core, at) };
}

function classical(core: Core, maxSteps: number): { steps: number; converged: boolean; at: number } {
  const { size, update, seed } = core.config;
  const k = core.kernels;
  // A fresh stream per recall: the same cue on the same memory recalls the same way, every time.
  const rng = new Rng(streamSeed(seed, 0));
  // Nothing grows the memory during recall, so one view of the order buffer serves every sweep.
  const order = new Int32Array(core.backend.f32.buffer, core.order, size);
  let state = core.state;
  let next = core.next;
  for (let step = 1; step <= maxSteps; step++) {
    // Recomputed every sweep, so that the sweep's incremental updates never accumulate rounding.
    k.hopfieldField(core.field, core.weights, state, size);
    let changed: number;
    if (update === 'async') {
      shuffle(order, rng);
      changed = k.hopfieldSweep(state, core.field, core.weights, core.order, size);
    } else {
      changed = k.hopfieldSync(next, core.field, state, size);
      [state, next] = [next, state];
    }
    if (changed === 0) return { steps: step, converged: true, at: state };
  }
  return { steps: maxSteps, converged: false, at: state };
}

/** A uniformly random permutation of 0..n−1 (Fisher–Yates). */
function shuffle(order: Int32Array, rng: Rng): void {
  for (let i = 0; i < order.length; i++) order[i] = i;
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
}

function modern(core: Core, maxSteps: number): { steps: number; converged: boolean; at: number } {
  const { size, beta } = core.config;
  const tolerance = MODERN_TOLERANCE * core.maxAbs;
  let state = core.state;
  let next = core.next;
  for (let step = 1; step <= maxSteps; step++) {
    core.kernels.hopfieldAttend(next, core.probs, core.patterns, state, core.count, size, beta);
    const f32 = core.backend.f32;
    let moved = 0;
    for (let j = 0; j < size; j++) moved = Math.max(moved, Math.abs(f32[(next >> 2) + j] - f32[(state >> 2) + j]));
    [state, next] = [next, state];
    if (moved <= tolerance) return { steps: step, converged: true, at: state };
  }
  return { steps: maxSteps, converged: false, at: state };
}

/**
 * The energy of the state at byte offset `at`. Classical: E = −½ sᵀWs (no thresholds). Modern (Ramsauer
 * et al. 2020, eq. 2): E = −β⁻¹ log Σₖ exp(β xₖ·ξ) + ½ ξ·ξ + β⁻¹ log P + ½ M², M the largest pattern
 * norm; the constants make it non-negative.
 */
export function energyAt(core: Core, at: number): number {
  const { size, kind, beta } = core.config;
  const k = core.kernels;
  if (kind === 'classical') {
    k.hopfieldField(core.field, core.weights, at, size);
    const f32 = core.backend.f32;
    let sum = 0;
    for (let j = 0; j < size; j++) sum += f32[(at >> 2) + j] * f32[(core.field >> 2) + j];
    return -0.5 * weightScale(core) * sum;
  }
  // The update's output is not needed here: field serves as its scratch.
  const lse = k.hopfieldAttend(core.field, core.probs, core.patterns, at, core.count, size, beta);
  const f32 = core.backend.f32;
  let squared = 0;
  for (let j = 0; j < size; j++) squared += f32[(at >> 2) + j] ** 2;
  return -lse / beta + 0.5 * squared + Math.log(core.count) / beta + 0.5 * core.maxNormSquared;
}
