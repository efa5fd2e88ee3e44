// Shared pieces of the property-based tests (test/properties/): how many runs and which seed, the
// arbitraries for random networks and their data, and the comparisons the properties assert.
//
// Runs are seeded, so `npm test` checks the same cases every time. To search longer and elsewhere:
//   ENGRAM_PROPERTY_RUNS=500 ENGRAM_PROPERTY_SEED=random npx vitest run test/properties
// A failure prints fast-check's report, with the seed and path that replay it
// (ENGRAM_PROPERTY_SEED=<seed>; fast-check also shrinks the case to a small one first).
import fc from 'fast-check';
import type { Activation, Loss, NetworkOptions } from '../../src/index.js';
import type { OptimizerOptions } from '../../src/config.js';
import { seeded } from './reference.js';

const DEFAULT_SEED = 20261129;

function envInteger(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number, got ${JSON.stringify(text)}`);
  return n;
}

function propertySeed(): number {
  const text = process.env.ENGRAM_PROPERTY_SEED;
  if (text === undefined || text === '') return DEFAULT_SEED;
  if (text === 'random') {
    const seed = Math.floor(Math.random() * 2 ** 31);
    console.log(`property tests: seed ${seed} (replay with ENGRAM_PROPERTY_SEED=${seed})`);
    return seed;
  }
  const n = Number(text);
  if (!Number.isInteger(n)) throw new Error(`ENGRAM_PROPERTY_SEED must be a whole number or 'random', got ${JSON.stringify(text)}`);
  return n;
}

export const PROPERTY_SEED = propertySeed();
const RUNS = envInteger('ENGRAM_PROPERTY_RUNS');

/** fast-check's settings for one property: `runs` by default, ENGRAM_PROPERTY_RUNS when set. */
export function runs(defaultRuns: number): fc.Parameters<unknown> {
  return { numRuns: RUNS ?? defaultRuns, seed: PROPERTY_SEED };
}

/** A test timeout that grows with the run count: `perRunMs` for each run, and never below vitest's 60 s. */
export function timeout(defaultRuns: number, perRunMs: number): number {
  return Math.max(60_000, (RUNS ?? defaultRuns) * perRunMs);
}

export const HIDDEN_ACTIVATIONS: Activation[] = ['linear', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'elu'];
export const LOSSES: Loss[] = ['mse', 'mae', 'huber', 'binaryCrossentropy', 'categoricalCrossentropy'];

/** What a random network is: options for Network.create (without backend) and a seed for its data. */
export interface NetworkSpec {
  options: Omit<NetworkOptions, 'backend'>;
  /** Samples in the data set. */
  rows: number;
  /** Seeds the data drawn by dataFor. */
  dataSeed: number;
}

/**
 * The output layer for a loss. Cross-entropy needs probabilities, so its outputs are sigmoid (binary)
 * or softmax (categorical, at least two classes); the regression losses take any activation.
 */
const outputFor = (loss: Loss): fc.Arbitrary<{ units: number; activation: Activation }> => {
  const units = (min: number) => fc.integer({ min, max: 70 });
  switch (loss) {
    case 'binaryCrossentropy': return fc.record({ units: units(1), activation: fc.constant<Activation>('sigmoid') });
    case 'categoricalCrossentropy': return fc.record({ units: units(2), activation: fc.constant<Activation>('softmax') });
    default:
      return fc.oneof(
        fc.record({ units: units(1), activation: fc.constantFrom(...HIDDEN_ACTIVATIONS) }),
        fc.record({ units: units(2), activation: fc.constant<Activation>('softmax') }),
      );
  }
};

const optimizerArbitrary: fc.Arbitrary<OptimizerOptions> = fc.oneof(
  fc.record({
    type: fc.constant('sgd' as const),
    learningRate: fc.constantFrom(0.001, 0.01),
    momentum: fc.constantFrom(0, 0.9),
    nesterov: fc.boolean(),
    weightDecay: fc.constantFrom(0, 1e-3),
  }),
  fc.record({ type: fc.constant('adam' as const), learningRate: fc.constantFrom(1e-4, 1e-3), weightDecay: fc.constantFrom(0, 1e-3) }),
  fc.record({ type: fc.constant('rmsprop' as const), learningRate: fc.constantFrom(1e-4, 1e-3), weightDecay: fc.constantFrom(0, 1e-3) }),
);

/**
 * Random networks: 1–5 layers of 1–70 units, every hidden activation, every loss with an output layer
 * that suits it, every optimizer; `maxRows` samples at most.
 */
export function networkSpec(maxRows = 40): fc.Arbitrary<NetworkSpec> {
  return fc
    .constantFrom(...LOSSES)
    .chain((loss) =>
      fc.record({
        inputs: fc.integer({ min: 1, max: 70 }),
        hidden: fc.array(fc.record({ units: fc.integer({ min: 1, max: 70 }), activation: fc.constantFrom(...HIDDEN_ACTIVATIONS) }), { maxLength: 4 }),
        output: outputFor(loss),
        optimizer: optimizerArbitrary,
        seed: fc.nat({ max: 0xffffffff }),
        rows: fc.integer({ min: 1, max: maxRows }),
        dataSeed: fc.nat(),
      }).map(({ inputs, hidden, output, optimizer, seed, rows, dataSeed }) => ({
        options: { inputs, layers: [...hidden, output], loss, optimizer, seed },
        rows,
        dataSeed,
      })),
    );
}

/** Options for a short train call: batch sizes up to the data's size and beyond, with and without shuffling, clipping and validation. */
export const trainOptions = fc.record(
  {
    epochs: fc.integer({ min: 1, max: 3 }),
    batchSize: fc.integer({ min: 1, max: 40 }),
    shuffle: fc.boolean(),
    validationSplit: fc.constantFrom(0.25, 0.5),
    clipValue: fc.constantFrom(0.05, 1),
    clipNorm: fc.constantFrom(0.1, 1),
  },
  { requiredKeys: ['epochs', 'batchSize', 'shuffle'] },
);

/** The options for `rows` samples: validation only where it leaves a training sample. */
export function trainOptionsFor(options: TrainOptionsDrawn, rows: number): TrainOptionsDrawn {
  const { validationSplit } = options;
  return validationSplit === undefined || Math.floor(rows * (1 - validationSplit)) >= 1 ? options : { ...options, validationSplit: undefined };
}
type TrainOptionsDrawn = typeof trainOptions extends fc.Arbitrary<infer T> ? T : never;

/** A data set for a spec: inputs uniform in [−1.5, 1.5]; targets of the kind its loss expects. */
export function dataFor(spec: NetworkSpec): { inputs: number[][]; targets: number[][] } {
  const rand = seeded(spec.dataSeed);
  const { inputs: width, layers, loss } = spec.options;
  const outputs = layers[layers.length - 1].units;
  const f32 = (lo: number, hi: number) => Math.fround(rand(lo, hi));
  const inputs = Array.from({ length: spec.rows }, () => Array.from({ length: width }, () => f32(-1.5, 1.5)));
  const targets = Array.from({ length: spec.rows }, () => {
    if (loss === 'categoricalCrossentropy') {
      const hot = Math.floor(rand() * outputs);
      return Array.from({ length: outputs }, (_, j) => (j === hot ? 1 : 0));
    }
    if (loss === 'binaryCrossentropy') return Array.from({ length: outputs }, () => (rand() < 0.5 ? 0 : 1));
    return Array.from({ length: outputs }, () => f32(-1.5, 1.5));
  });
  return { inputs, targets };
}

/** A description of a spec for failure messages: "3 → 5 tanh → 2 softmax, categoricalCrossentropy, adam, 7 rows". */
export function describeSpec(spec: NetworkSpec): string {
  const { inputs, layers, loss, optimizer } = spec.options;
  const type = typeof optimizer === 'string' ? optimizer : optimizer?.type;
  return `${inputs} → ${layers.map((l) => `${l.units} ${l.activation}`).join(' → ')}, ${loss}, ${type}, ${spec.rows} rows`;
}

/**
 * Where two arrays differ by more than `relative` of their size: each element within `relative` of the
 * larger of the two values, with floors of `relative` × 1e-2 × the array's largest magnitude and of
 * `absolute`, because values that cancel to near zero (a sum of ±1/n, say) keep only the precision of
 * the f32 terms they came from, summed in another order.
 */
export function notClose(a: ArrayLike<number>, b: ArrayLike<number>, relative: number, absolute = 1e-6): string | undefined {
  if (a.length !== b.length) return `lengths ${a.length} and ${b.length}`;
  let peak = 0;
  for (let i = 0; i < b.length; i++) if (Number.isFinite(a[i]) && Number.isFinite(b[i])) peak = Math.max(peak, Math.abs(a[i]), Math.abs(b[i]));
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i]) || !Number.isFinite(b[i])) {
      if (!Object.is(a[i], b[i])) return `index ${i}: ${a[i]} vs ${b[i]}`;
      continue;
    }
    const limit = Math.max(relative * Math.max(Math.abs(a[i]), Math.abs(b[i]), 1e-2 * peak), absolute);
    if (!(Math.abs(a[i] - b[i]) <= limit)) return `index ${i}: ${a[i]} vs ${b[i]} (largest magnitude ${peak})`;
  }
  return undefined;
}
