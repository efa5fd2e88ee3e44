// Attributions for one prediction: how much each input contributed to one output unit. All three
// methods rest on ∂output/∂input, computed by the backward kernels training uses (Model.inputGradients),
// and integrated gradients computes every point of its path in one batch.
//
// The explained quantity is the unit's value as predict returns it, after the last activation (for a
// softmax output, the class probability).

import { checkSample } from './data.js';
import type { Model } from './model.js';
import { rejectUnknownKeys, requireChoice, requireInteger, requireObject } from './validate.js';

export type ExplainMethod = 'gradient' | 'gradientTimesInput' | 'integratedGradients';

export interface ExplainOptions {
  /**
   * 'gradient': ∂f/∂xᵢ at the sample. 'gradientTimesInput': xᵢ·∂f/∂xᵢ. 'integratedGradients' (default):
   * (xᵢ − baselineᵢ) times the mean gradient along the straight path from the baseline to the sample;
   * these sum to f(sample) − f(baseline).
   */
  method?: ExplainMethod;
  /** integratedGradients only: where the path starts. Default: all zeros. */
  baseline?: ArrayLike<number>;
  /** integratedGradients only: points on the path, one batch row each. Default 64. */
  steps?: number;
  /** Which output unit to explain. Default: the predicted class (the largest output), or the only output. */
  output?: number;
}

const METHODS: readonly ExplainMethod[] = ['gradient', 'gradientTimesInput', 'integratedGradients'];
const KEYS = ['method', 'baseline', 'steps', 'output'] as const;
const DEFAULT_STEPS = 64;

/** One attribution per input, for a sample and options as the user gave them (validated here). */
export function explain(model: Model, sample: unknown, options: unknown): Float32Array {
  const { inputs, outputs } = model.layout;
  const x = checkSample(sample, inputs, 'sample', 'inputs');
  const o = requireObject(options ?? {}, 'explain options');
  rejectUnknownKeys(o, KEYS, 'explain options');
  const method = requireChoice(o.method ?? 'integratedGradients', METHODS, 'explain method');
  if (method !== 'integratedGradients') {
    // An option that would silently do nothing is more likely a mistake than an intention.
    for (const key of ['baseline', 'steps'] as const) {
      if (o[key] !== undefined) throw new TypeError(`${key} applies only to method 'integratedGradients', not '${method}'`);
    }
  }
  const baseline = o.baseline === undefined ? undefined : checkSample(o.baseline, inputs, 'baseline', 'inputs');
  const steps = requireInteger(o.steps ?? DEFAULT_STEPS, 'steps', 1);
  let unit: number;
  if (o.output === undefined) unit = outputs === 1 ? 0 : predictedUnit(model, x);
  else {
    unit = requireInteger(o.output, 'output', 0);
    if (unit >= outputs) {
      throw new RangeError(`output ${unit} is out of range: the network has ${outputs} output${outputs === 1 ? '' : 's'}, numbered 0 to ${outputs - 1}`);
    }
  }

  if (method === 'gradient') return model.inputGradients(Float32Array.from(x), 1, unit);
  if (method === 'gradientTimesInput') {
    const g = model.inputGradients(Float32Array.from(x), 1, unit);
    for (let i = 0; i < inputs; i++) g[i] *= x[i];
    return g;
  }
  return integratedGradients(model, x, baseline ?? new Float32Array(inputs), steps, unit);
}

/**
 * The path integral by the midpoint rule: the gradient at the middle of each of `steps` equal pieces.
 * Its error falls as 1/steps² where the network is smooth; a left or right sum's falls only as 1/steps
 * and misses completeness by over 1% on about a third of small networks at 64 steps.
 */
function integratedGradients(model: Model, x: ArrayLike<number>, baseline: ArrayLike<number>, steps: number, unit: number): Float32Array {
  const n = x.length;
  const points = new Float32Array(steps * n);
  for (let s = 0; s < steps; s++) {
    const t = (s + 0.5) / steps;
    for (let i = 0; i < n; i++) points[s * n + i] = baseline[i] + t * (x[i] - baseline[i]);
  }
  const g = model.inputGradients(points, steps, unit);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let s = 0; s < steps; s++) sum += g[s * n + i];
    out[i] = ((x[i] - baseline[i]) * sum) / steps;
  }
  return out;
}

function predictedUnit(model: Model, x: ArrayLike<number>): number {
  let unit = 0;
  model.forEachBatch([x], undefined, (out) => {
    const f32 = model.backend.f32;
    const at = out >> 2;
    for (let j = 1; j < model.layout.outputs; j++) if (f32[at + j] > f32[at + unit]) unit = j;
  });
  return unit;
}
