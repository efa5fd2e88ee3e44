// Permutation importance (Breiman 2001; scikit-learn's permutation_importance): how much worse the
// network does when one feature's values are shuffled across the samples, which breaks that feature's
// link to the target while keeping its distribution. Model-agnostic: it needs only evaluate.

import { checkDataset } from './data.js';
import { Network } from './network.js';
import { Rng } from './rng.js';
import { describe, rejectUnknownKeys, requireInteger, requireObject } from './validate.js';

export interface PermutationImportanceOptions {
  /** Shuffles per feature. Default 5. */
  repeats?: number;
  /** Seeds the shuffles: the same seed gives the same result. Default 0. */
  seed?: number;
}

export interface FeatureImportance {
  /** Mean over the repeats of (loss with the feature shuffled) − (loss as given). */
  mean: number;
  /** Standard deviation of that increase over the repeats (population, as scikit-learn). */
  std: number;
}

/** Per input feature, how much the network's loss grows when that feature is shuffled. */
export function permutationImportance(
  net: Network, inputs: unknown, targets: unknown, options: PermutationImportanceOptions = {},
): FeatureImportance[] {
  if (!(net instanceof Network)) {
    throw new TypeError(`permutationImportance needs a Network as its first argument, got ${describe(net)}`);
  }
  const [x, y] = checkDataset(inputs, targets, net.inputs, net.outputs);
  const o = requireObject(options, 'permutationImportance options');
  rejectUnknownKeys(o, ['repeats', 'seed'], 'permutationImportance options');
  const repeats = requireInteger(o.repeats ?? 5, 'repeats', 1);
  const rng = new Rng(requireInteger(o.seed ?? 0, 'seed', -0x80000000, 0xffffffff));

  const base = net.evaluate(x, y).loss;
  // One working copy; each feature's column is shuffled in it, then put back.
  const work = x.map((row) => Array.from(row as ArrayLike<number>));
  const n = work.length;
  const order = Array.from({ length: n }, (_, i) => i);
  const result: FeatureImportance[] = [];
  for (let j = 0; j < net.inputs; j++) {
    const column = work.map((row) => row[j]);
    const increases: number[] = [];
    for (let r = 0; r < repeats; r++) {
      shuffle(order, rng);
      for (let i = 0; i < n; i++) work[i][j] = column[order[i]];
      increases.push(net.evaluate(work, y).loss - base);
    }
    for (let i = 0; i < n; i++) work[i][j] = column[i];
    const mean = increases.reduce((a, b) => a + b, 0) / repeats;
    const variance = increases.reduce((a, b) => a + (b - mean) ** 2, 0) / repeats;
    result.push({ mean, std: Math.sqrt(variance) });
  }
  return result;
}

/** Fisher–Yates, in place. */
function shuffle(order: number[], rng: Rng): void {
  for (let i = order.length - 1; i > 0; i--) {
    const k = rng.below(i + 1);
    const t = order[i];
    order[i] = order[k];
    order[k] = t;
  }
}
