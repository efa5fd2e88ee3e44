// Bad values anywhere in what a call is given (NaN, ±Infinity, numbers float32 cannot hold, things that
// are not numbers, wrong lengths, holes) are refused with a TypeError or RangeError that names the
// problem, and the network is exactly as it was: same model file (weights, optimizer state, shuffle
// stream), and the same training afterwards as a copy that never saw the call.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Network, type NetworkOptions } from '../../src/index.js';
import { caught, caughtAsync, expectError } from '../helpers/errors.js';
import { BACKENDS } from '../helpers/backends.js';
import { dataFor, describeSpec, networkSpec, runs, timeout } from '../helpers/properties.js';

const RUNS = 60;

const BAD_NUMBERS = [NaN, Infinity, -Infinity, 1e39, -1e39, 3.5e38, -Number.MAX_VALUE];
const NOT_NUMBERS: unknown[] = ['1', '', null, undefined, true, {}, [], [1], 1n, Symbol('x')];
const badNumber = fc.constantFrom(...BAD_NUMBERS);
const badValue = fc.oneof(badNumber, fc.constantFrom(...NOT_NUMBERS));

/** One thing wrong with a list of rows; `at` and `index` pick the row and the value (taken modulo the sizes). */
type Corruption =
  | { kind: 'value'; at: number; index: number; bad: unknown }
  | { kind: 'float32'; at: number; index: number; bad: number }
  | { kind: 'short' | 'long' | 'hole'; at: number; index: number }
  | { kind: 'row'; at: number; bad: unknown }
  | { kind: 'missing row' | 'extra row' | 'empty'; at: number };

const corruption: fc.Arbitrary<Corruption> = fc.oneof(
  fc.record({ kind: fc.constant('value' as const), at: fc.nat(), index: fc.nat(), bad: badValue }),
  fc.record({ kind: fc.constant('float32' as const), at: fc.nat(), index: fc.nat(), bad: fc.constantFrom(NaN, Infinity, -Infinity) }),
  fc.record({ kind: fc.constantFrom('short' as const, 'long' as const, 'hole' as const), at: fc.nat(), index: fc.nat() }),
  fc.record({ kind: fc.constant('row' as const), at: fc.nat(), bad: fc.constantFrom<unknown>('abc', null, undefined, {}, NaN, 1e39) }),
  fc.record({ kind: fc.constantFrom('missing row' as const, 'extra row' as const, 'empty' as const), at: fc.nat() }),
);

/** A copy of rows with the corruption applied. */
function corrupt(rows: number[][], c: Corruption): unknown[] {
  const copy: unknown[] = rows.map((r) => [...r]);
  const at = c.at % rows.length;
  const row = copy[at] as unknown[];
  const index = 'index' in c ? c.index % row.length : 0;
  switch (c.kind) {
    case 'value': row[index] = c.bad; break;
    case 'float32': copy[at] = Float32Array.from(rows[at], (v, j) => (j === index ? c.bad : v)); break;
    case 'short': row.pop(); break;
    case 'long': row.push(0); break;
    case 'hole': delete row[index]; break;
    case 'row': copy[at] = c.bad; break;
    case 'missing row': copy.splice(at, 1); break;
    case 'extra row': copy.splice(at, 0, [...rows[at]]); break;
    case 'empty': copy.length = 0; break;
  }
  return copy;
}

const OPTION_KEYS = ['epochs', 'batchSize', 'learningRate', 'validationSplit', 'clipValue', 'clipNorm', 'errorThreshold', 'shuffle'] as const;

type Call =
  | { call: 'train' | 'trainAsync' | 'evaluate' | 'computeGradients'; of: 'inputs' | 'targets'; corruption: Corruption }
  | { call: 'train options'; key: (typeof OPTION_KEYS)[number] | 'epoch'; bad: unknown }
  | { call: 'train pairs'; of: 'inputs' | 'targets'; corruption: Corruption }
  | { call: 'train pairs'; pair: 'hole' | 'null' | 'no output'; at: number }
  | { call: 'predict' | 'predictBatch'; corruption: Corruption }
  | { call: 'setWeights'; layer: number; part: 'kernel' | 'bias'; corruption: Corruption | { kind: 'layers'; change: 'fewer' | 'more' | 'not an array' } };

const badCall: fc.Arbitrary<Call> = fc.oneof(
  fc.record({
    call: fc.constantFrom('train' as const, 'trainAsync' as const, 'evaluate' as const, 'computeGradients' as const),
    of: fc.constantFrom('inputs' as const, 'targets' as const),
    corruption,
  }),
  fc.record({
    call: fc.constant('train options' as const),
    key: fc.constantFrom(...OPTION_KEYS, 'epoch' as const),
    bad: fc.oneof(badNumber, fc.constantFrom<unknown>('1', null, {}, [])),
  }),
  fc.record({ call: fc.constant('train pairs' as const), of: fc.constantFrom('inputs' as const, 'targets' as const), corruption }),
  fc.record({ call: fc.constant('train pairs' as const), pair: fc.constantFrom('hole' as const, 'null' as const, 'no output' as const), at: fc.nat() }),
  fc.record({ call: fc.constantFrom('predict' as const, 'predictBatch' as const), corruption }),
  fc.record({
    call: fc.constant('setWeights' as const),
    layer: fc.nat(),
    part: fc.constantFrom('kernel' as const, 'bias' as const),
    corruption: fc.oneof(
      corruption,
      fc.record({ kind: fc.constant('layers' as const), change: fc.constantFrom('fewer' as const, 'more' as const, 'not an array' as const) }),
    ),
  }),
);

/** Makes the call the case describes; returns what it threw (undefined if nothing). */
async function attempt(net: Network, c: Call, inputs: number[][], targets: number[][]): Promise<unknown> {
  const options = { epochs: 2, batchSize: 3 };
  try {
    switch (c.call) {
      case 'train':
      case 'trainAsync':
      case 'evaluate':
      case 'computeGradients': {
        const x = c.of === 'inputs' ? corrupt(inputs, c.corruption) : inputs;
        const y = c.of === 'targets' ? corrupt(targets, c.corruption) : targets;
        if (c.call === 'train') net.train(x, y, options);
        else if (c.call === 'trainAsync') await net.trainAsync(x, y, options);
        else if (c.call === 'evaluate') net.evaluate(x, y);
        else net.computeGradients(x, y);
        break;
      }
      case 'train pairs': {
        // brain.js-style [{ input, output }]: each pair takes its row from the (possibly corrupted) lists.
        const x = 'of' in c && c.of === 'inputs' ? corrupt(inputs, c.corruption) : inputs;
        const y = 'of' in c && c.of === 'targets' ? corrupt(targets, c.corruption) : targets;
        const pairs: unknown[] = inputs.map((_, i) => ({ input: x[i], output: y[i] }));
        if ('pair' in c) {
          const at = c.at % pairs.length;
          if (c.pair === 'hole') delete pairs[at];
          else if (c.pair === 'null') pairs[at] = null;
          else delete (pairs[at] as { output?: unknown }).output;
        }
        net.train(pairs as never, options);
        break;
      }
      case 'train options':
        net.train(inputs, targets, { ...options, [c.key]: c.bad });
        break;
      case 'predict':
        net.predict(corrupt(inputs, c.corruption)[c.corruption.at % inputs.length] as number[]);
        break;
      case 'predictBatch':
        net.predictBatch(corrupt(inputs, c.corruption) as number[][]);
        break;
      case 'setWeights': {
        const weights: unknown[] = net.getWeights().map((l) => ({ kernel: Array.from(l.kernel), bias: Array.from(l.bias) }));
        const layer = weights[c.layer % weights.length] as Record<'kernel' | 'bias', number[]>;
        const k = c.corruption;
        if (k.kind === 'layers') {
          if (k.change === 'fewer') weights.pop();
          else if (k.change === 'more') weights.push(layer);
        } else {
          // The part as a one-row list, so that the row corruptions reach it (a missing row: no array at all).
          const [edited] = corrupt([layer[c.part]], { ...k, at: 0 } as Corruption);
          layer[c.part] = edited as number[];
        }
        net.setWeights(k.kind === 'layers' && k.change === 'not an array' ? (layer as never) : (weights as never));
        break;
      }
    }
  } catch (error) {
    return error;
  }
  return undefined;
}

/**
 * Whether the case is wrong. A row fewer or more is wrong only beside a list of the same count (inputs
 * and targets): predictBatch takes any number of rows but none, and predict and setWeights see one row.
 */
function isBad(c: Call, rows: number): boolean {
  // A pair per original row: a row fewer leaves the last pair without one (wrong); a row more drops the last (fine).
  if (c.call === 'train pairs') return !('corruption' in c) || c.corruption.kind !== 'extra row';
  if (c.call === 'predict') return !['missing row', 'extra row', 'empty'].includes(c.corruption.kind);
  if (c.call === 'predictBatch') return c.corruption.kind !== 'extra row' && !(c.corruption.kind === 'missing row' && rows > 1);
  if (c.call === 'setWeights') return c.corruption.kind !== 'extra row';
  return true;
}

describe.each(BACKENDS)('bad values on %s', (backend) => {
  it('are refused with a TypeError or RangeError, and the network is as it was', async () => {
    await fc.assert(
      fc.asyncProperty(networkSpec(10), badCall, async (spec, c) => {
        fc.pre(isBad(c, spec.rows));
        const { inputs, targets } = dataFor(spec);
        const net = await Network.create({ ...spec.options, backend });
        net.train(inputs, targets, { epochs: 1, batchSize: 3 });
        const before = JSON.stringify(net);
        const what = `${describeSpec(spec)}; ${c.call}`;

        const error = await attempt(net, c, inputs, targets);
        expect(error, `${what}: nothing was thrown`).toBeInstanceOf(Error);
        const { name, message } = error as Error;
        expect(['TypeError', 'RangeError'], `${what}: ${name}: ${message}`).toContain(name);
        // A message written for the user, not one from a crash inside the library.
        expect(message, what).not.toMatch(/Cannot read|Cannot convert|is not a function|is not iterable|undefined or null/);
        expect(JSON.stringify(net), `${what}: the model file changed`).toBe(before);

        const twin = await Network.fromJSON(before, { backend });
        const next = { epochs: 2, batchSize: 2 };
        expect(net.train(inputs, targets, next), `${what}: training afterwards`).toEqual(twin.train(inputs, targets, next));
        expect(JSON.stringify(net), `${what}: the model file after training`).toBe(JSON.stringify(twin));
        net.dispose();
        twin.dispose();
      }),
      runs(RUNS),
    );
  }, timeout(RUNS, 1_000));
});

// The defects the property above found, as examples that name them.
describe('found by the property above', () => {
  const base: NetworkOptions = { inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1 }], seed: 5, backend: 'js' };
  const X = [[0, 1], [1, 0], [1, 1]];
  const Y = [1, 1, 0];

  it('null is not "left out": train options and optimizer settings of null are refused', async () => {
    const net = await Network.create(base);
    expectError(caught(() => net.train(X, Y, { epochs: null } as never)), 'TypeError', /epochs/, /null/);
    expectError(caught(() => net.train(X, Y, null as never)), 'TypeError', /train options/, /null/);
    expectError(await caughtAsync(() => Network.create({ ...base, optimizer: { type: 'adam', beta1: null } as never })), 'TypeError', /beta1/, /null/);
    expectError(await caughtAsync(() => Network.create({ ...base, optimizer: null as never })), 'TypeError', /optimizer/, /null/);
  });

  it('a hole in a list of { input, output } pairs is refused, not skipped', async () => {
    const net = await Network.create(base);
    const pairs = X.map((input, i) => ({ input, output: [Y[i]] }));
    delete pairs[1];
    expectError(caught(() => net.train(pairs)), 'TypeError', /data\[1\]/, /undefined/);
  });

  it('a hole in the layers of Network.create is refused, not a crash', async () => {
    const layers = [{ units: 3 }, { units: 1 }];
    delete layers[0];
    expectError(await caughtAsync(() => Network.create({ ...base, layers })), 'TypeError', /layers\[0\]/, /undefined/);
  });

  it('settings float32 would hold as 0 are refused (an Adam epsilon of 0 divides 0 by 0)', async () => {
    for (const optimizer of [{ type: 'adam', epsilon: 1e-50 }, { type: 'rmsprop', epsilon: 1e-46 }, { type: 'sgd', learningRate: 1e-50 }] as const) {
      expectError(await caughtAsync(() => Network.create({ ...base, optimizer })), 'RangeError', /optimizer\.(epsilon|learningRate)/, /float32/);
    }
    const net = await Network.create(base);
    expectError(caught(() => net.train(X, Y, { learningRate: 1e-50 })), 'RangeError', /learningRate/, /float32/);
    // The smallest float32 is still a number float32 holds.
    expect((await Network.create({ ...base, optimizer: { type: 'adam', epsilon: 1.5e-45 } })).optimizer).toMatchObject({ epsilon: 1.5e-45 });
  });
});
