// Every public call checks what it is given: a bad argument throws a TypeError (wrong kind of value) or
// RangeError (a number, length or size out of range) whose message names the problem and, for data, the
// sample and value index; and a network the call was made on is exactly as it was before.
import { beforeAll, describe, expect, it } from 'vitest';
import { Network, type NetworkOptions } from '../../src/index.js';
import { BACKENDS } from '../helpers/backends.js';
import { WORKED_X, WORKED_Y, sameBits } from '../helpers/data.js';
import { caught, caughtAsync, expectError } from '../helpers/errors.js';
import { expectUnchanged, snapshotNetwork } from '../helpers/unchanged.js';

type ErrorName = 'TypeError' | 'RangeError';
// Model files and options are edited freely in the cases below, wrong types included.
type Loose = Record<string, any>;

const options = (backend: 'wasm' | 'js'): NetworkOptions => ({
  inputs: 3,
  layers: [{ units: 4, activation: 'tanh' }, { units: 2, activation: 'linear' }],
  optimizer: 'adam',
  seed: 7,
  backend,
});
const X = [[0.1, 0.2, 0.3], [1, 0, -1], [0.5, 0.5, 0.5], [-1, 2, 0], [0, 0, 1]];
const Y = [[1, 0], [0, 1], [0.5, 0.5], [1, 1], [0, 0]];
const PROBES = [[0.3, -0.2, 0.9], [1, 2, 3]];

/** A network with some training behind it, so that its optimizer state is not all zeros. */
async function trainedNetwork(backend: 'wasm' | 'js'): Promise<Network> {
  const net = await Network.create(options(backend));
  net.train(X, Y, { epochs: 3, batchSize: 2 });
  return net;
}

/** A copy of rows with rows[i][j] = value. */
function withValue(rows: number[][], i: number, j: number, value: unknown): unknown[][] {
  const copy: unknown[][] = rows.map((r) => [...r]);
  copy[i][j] = value;
  return copy;
}

/** A copy of rows with rows[i] = row. */
function withRow(rows: number[][], i: number, row: unknown): unknown[] {
  const copy: unknown[] = rows.map((r) => [...r]);
  copy[i] = row;
  return copy;
}

interface DataCase {
  name: string;
  inputs: unknown;
  targets: unknown;
  error: ErrorName;
  patterns: RegExp[];
}

/** Bad inputs and targets for a 3-input, 2-output network: train, trainAsync, evaluate, computeGradients. */
const DATA_CASES: DataCase[] = [
  { name: 'inputs not an array', inputs: 'abc', targets: Y, error: 'TypeError', patterns: [/inputs/, /array/, /"abc"/] },
  { name: 'inputs a flat Float32Array', inputs: Float32Array.from([1, 2, 3]), targets: Y, error: 'TypeError', patterns: [/inputs/, /array of samples/] },
  { name: 'inputs missing', inputs: undefined, targets: Y, error: 'TypeError', patterns: [/inputs/, /undefined/] },
  { name: 'empty inputs', inputs: [], targets: [], error: 'RangeError', patterns: [/inputs/, /empty/] },
  { name: 'a row of the wrong length', inputs: withRow(X, 2, [1, 2]), targets: Y, error: 'RangeError', patterns: [/inputs\[2\]/, /2 values/, /3 inputs/] },
  { name: 'a row that is not an array', inputs: withRow(X, 4, 'x'), targets: Y, error: 'TypeError', patterns: [/inputs\[4\]/, /"x"/] },
  { name: 'a row that is a number', inputs: withRow(X, 1, 7), targets: Y, error: 'TypeError', patterns: [/inputs\[1\]/, /7/] },
  { name: 'NaN in a row', inputs: withValue(X, 3, 1, NaN), targets: Y, error: 'RangeError', patterns: [/inputs\[3\]\[1\]/, /NaN/] },
  { name: 'Infinity in a row', inputs: withValue(X, 3, 1, Infinity), targets: Y, error: 'RangeError', patterns: [/inputs\[3\]\[1\]/, /Infinity/] },
  { name: '-Infinity in a row', inputs: withValue(X, 3, 1, -Infinity), targets: Y, error: 'RangeError', patterns: [/inputs\[3\]\[1\]/, /-Infinity/] },
  { name: 'a value beyond float32 range in a row', inputs: withValue(X, 3, 1, 1e39), targets: Y, error: 'RangeError', patterns: [/inputs\[3\]\[1\]/, /1e\+39/, /float32/] },
  { name: 'a string in a row', inputs: withValue(X, 3, 1, '1'), targets: Y, error: 'TypeError', patterns: [/inputs\[3\]\[1\]/, /"1"/] },
  { name: 'null in a row', inputs: withValue(X, 3, 1, null), targets: Y, error: 'TypeError', patterns: [/inputs\[3\]\[1\]/, /null/] },
  { name: 'undefined in a row', inputs: withValue(X, 3, 1, undefined), targets: Y, error: 'TypeError', patterns: [/inputs\[3\]\[1\]/, /undefined/] },
  {
    name: 'NaN in a Float32Array row',
    inputs: X.map((r, i) => Float32Array.from(i === 1 ? [NaN, 0, 0] : r)),
    targets: Y,
    error: 'RangeError',
    patterns: [/inputs\[1\]\[0\]/, /NaN/],
  },
  { name: 'fewer targets than inputs', inputs: X, targets: Y.slice(0, 4), error: 'RangeError', patterns: [/inputs has 5/, /targets has 4/] },
  { name: 'more targets than inputs', inputs: X.slice(0, 2), targets: Y, error: 'RangeError', patterns: [/inputs has 2/, /targets has 5/] },
  { name: 'targets not an array', inputs: X, targets: 5, error: 'TypeError', patterns: [/targets/, /array/] },
  { name: 'number targets for a 2-unit last layer', inputs: X, targets: [1, 0, 1, 0, 1], error: 'TypeError', patterns: [/targets\[0\]/, /2 units/] },
  { name: 'a target row of the wrong length', inputs: X, targets: withRow(Y, 1, [1]), error: 'RangeError', patterns: [/targets\[1\]/, /1 value/, /2 outputs/] },
  { name: 'NaN in a target', inputs: X, targets: withValue(Y, 2, 0, NaN), error: 'RangeError', patterns: [/targets\[2\]\[0\]/, /NaN/] },
  { name: 'Infinity in a target', inputs: X, targets: withValue(Y, 4, 1, Infinity), error: 'RangeError', patterns: [/targets\[4\]\[1\]/, /Infinity/] },
  { name: 'a target beyond float32 range', inputs: X, targets: withValue(Y, 4, 1, -4e38), error: 'RangeError', patterns: [/targets\[4\]\[1\]/, /-4e\+38/, /float32/] },
  { name: 'a string in a target', inputs: X, targets: withValue(Y, 0, 1, 'one'), error: 'TypeError', patterns: [/targets\[0\]\[1\]/, /"one"/] },
];

interface OptionCase {
  name: string;
  options: unknown;
  error: ErrorName;
  patterns: RegExp[];
}

/** Bad train options, given with good data. */
const OPTION_CASES: OptionCase[] = [
  { name: 'epochs -1', options: { epochs: -1 }, error: 'RangeError', patterns: [/epochs/, /-1/] },
  { name: 'epochs 1.5', options: { epochs: 1.5 }, error: 'RangeError', patterns: [/epochs/, /1\.5/, /whole number/] },
  { name: 'epochs NaN', options: { epochs: NaN }, error: 'RangeError', patterns: [/epochs/, /NaN/] },
  { name: "epochs '10'", options: { epochs: '10' }, error: 'TypeError', patterns: [/epochs/, /"10"/] },
  { name: 'batchSize 0', options: { batchSize: 0 }, error: 'RangeError', patterns: [/batchSize/, /\b0\b/] },
  { name: 'batchSize 2.5', options: { batchSize: 2.5 }, error: 'RangeError', patterns: [/batchSize/, /2\.5/] },
  { name: 'validationSplit 1', options: { validationSplit: 1 }, error: 'RangeError', patterns: [/validationSplit/, /\b1\b/] },
  { name: 'validationSplit -0.1', options: { validationSplit: -0.1 }, error: 'RangeError', patterns: [/validationSplit/, /-0\.1/] },
  { name: 'validationSplit that leaves no training samples', options: { validationSplit: 0.9 }, error: 'RangeError', patterns: [/validationSplit/, /no training samples/] },
  { name: 'learningRate 0', options: { learningRate: 0 }, error: 'RangeError', patterns: [/learningRate/, /\b0\b/] },
  { name: 'learningRate -0.01', options: { learningRate: -0.01 }, error: 'RangeError', patterns: [/learningRate/, /-0\.01/] },
  { name: 'learningRate Infinity', options: { learningRate: Infinity }, error: 'RangeError', patterns: [/learningRate/, /Infinity/] },
  { name: 'errorThreshold -1', options: { errorThreshold: -1 }, error: 'RangeError', patterns: [/errorThreshold/, /-1/] },
  { name: "shuffle 'yes'", options: { shuffle: 'yes' }, error: 'TypeError', patterns: [/shuffle/, /"yes"/] },
  { name: 'onEpochEnd not a function', options: { onEpochEnd: 'log' }, error: 'TypeError', patterns: [/onEpochEnd/, /function/] },
  { name: 'options not an object', options: 5, error: 'TypeError', patterns: [/train options/, /5/] },
  { name: "unknown key 'learningrate'", options: { learningrate: 0.1 }, error: 'TypeError', patterns: [/'learningrate'/, /did you mean 'learningRate'/] },
  { name: "unknown key 'learingRate' (a typo)", options: { learingRate: 0.1 }, error: 'TypeError', patterns: [/'learingRate'/, /did you mean 'learningRate'/] },
  { name: "unknown key 'epoch'", options: { epoch: 10 }, error: 'TypeError', patterns: [/'epoch'/, /did you mean 'epochs'/] },
];

/** Bad brain.js-style { input, output } pairs for the same network. */
const pairs = (inputs: unknown[], targets: unknown[]) => inputs.map((input, i) => ({ input, output: targets[i] }));
const PAIR_CASES: { name: string; data: unknown; options?: unknown; error: ErrorName; patterns: RegExp[] }[] = [
  { name: 'a pair with NaN in its input', data: pairs(withValue(X, 2, 0, NaN), Y), error: 'RangeError', patterns: [/\[2\]\[0\]/, /NaN/] },
  { name: 'a pair with an output of the wrong length', data: pairs(X, withRow(Y, 3, [1, 2, 3])), error: 'RangeError', patterns: [/\[3\]/, /3 values/] },
  { name: 'a pair without output', data: [{ input: X[0], output: Y[0] }, { input: X[1] }], error: 'TypeError', patterns: [/data\[1\]/, /output/] },
  { name: 'a pair that is not an object', data: [{ input: X[0], output: Y[0] }, X[1]], error: 'TypeError', patterns: [/data\[1\]/] },
  { name: 'good pairs, epochs -1', data: pairs(X, Y), options: { epochs: -1 }, error: 'RangeError', patterns: [/epochs/, /-1/] },
];

describe.each(BACKENDS)('validation on %s', (backend) => {
  describe('Network.create', () => {
    const base = (): Loose => options(backend) as Loose;
    const layer = (i: number, change: Loose): Loose => {
      const o = base();
      o.layers = o.layers.map((l: Loose, j: number) => (j === i ? { ...l, ...change } : l));
      return o;
    };
    const cases: { name: string; options: unknown; error: ErrorName; patterns: RegExp[] }[] = [
      { name: 'options not an object', options: 3, error: 'TypeError', patterns: [/options/, /3/] },
      { name: 'inputs missing', options: { ...base(), inputs: undefined }, error: 'TypeError', patterns: [/inputs/] },
      { name: 'inputs 0', options: { ...base(), inputs: 0 }, error: 'RangeError', patterns: [/inputs/, /\b0\b/] },
      { name: 'inputs -3', options: { ...base(), inputs: -3 }, error: 'RangeError', patterns: [/inputs/, /-3/] },
      { name: 'inputs 2.5', options: { ...base(), inputs: 2.5 }, error: 'RangeError', patterns: [/inputs/, /2\.5/] },
      { name: "inputs '3'", options: { ...base(), inputs: '3' }, error: 'TypeError', patterns: [/inputs/, /"3"/] },
      { name: 'layers not an array', options: { ...base(), layers: { units: 3 } }, error: 'TypeError', patterns: [/layers/] },
      { name: 'layers empty', options: { ...base(), layers: [] }, error: 'RangeError', patterns: [/layers/, /empty/] },
      { name: 'a layer that is not an object', options: { ...base(), layers: [4, { units: 2 }] }, error: 'TypeError', patterns: [/layers\[0\]/] },
      { name: 'units 0', options: layer(1, { units: 0 }), error: 'RangeError', patterns: [/layers\[1\]\.units/, /\b0\b/] },
      { name: 'units 2.5', options: layer(1, { units: 2.5 }), error: 'RangeError', patterns: [/layers\[1\]\.units/, /2\.5/] },
      { name: 'units -1', options: layer(1, { units: -1 }), error: 'RangeError', patterns: [/layers\[1\]\.units/, /-1/] },
      { name: 'units NaN', options: layer(1, { units: NaN }), error: 'RangeError', patterns: [/layers\[1\]\.units/, /NaN/] },
      { name: 'units Infinity', options: layer(0, { units: Infinity }), error: 'RangeError', patterns: [/layers\[0\]\.units/, /Infinity/] },
      { name: 'units missing', options: layer(0, { units: undefined }), error: 'TypeError', patterns: [/layers\[0\]\.units/] },
      { name: "units '4'", options: layer(0, { units: '4' }), error: 'TypeError', patterns: [/layers\[0\]\.units/, /"4"/] },
      { name: 'units beyond any memory', options: layer(0, { units: 2 ** 31 }), error: 'RangeError', patterns: [/layers\[0\]\.units/] },
      { name: 'an unknown activation', options: layer(0, { activation: 'sigmod' }), error: 'TypeError', patterns: [/layers\[0\]\.activation/, /"sigmod"/, /'sigmoid'/] },
      { name: 'an activation in the wrong case', options: layer(0, { activation: 'Sigmoid' }), error: 'TypeError', patterns: [/activation/, /did you mean 'sigmoid'/] },
      { name: 'softmax before the last layer', options: layer(0, { activation: 'softmax' }), error: 'TypeError', patterns: [/layers\[0\]/, /softmax/, /last layer/] },
      { name: 'softmax on a 1-unit last layer', options: { ...base(), layers: [{ units: 1, activation: 'softmax' }] }, error: 'RangeError', patterns: [/softmax/, /2 units/] },
      { name: 'an unknown loss', options: { ...base(), loss: 'crossentropy' }, error: 'TypeError', patterns: [/loss/, /"crossentropy"/] },
      { name: 'an unknown optimizer name', options: { ...base(), optimizer: 'adamw' }, error: 'TypeError', patterns: [/optimizer/, /"adamw"/] },
      { name: 'an unknown optimizer type', options: { ...base(), optimizer: { type: 'momentum' } }, error: 'TypeError', patterns: [/optimizer/, /"momentum"/] },
      { name: 'an optimizer option of another optimizer', options: { ...base(), optimizer: { type: 'adam', momentum: 0.9 } }, error: 'TypeError', patterns: [/'momentum'/, /adam/] },
      { name: 'optimizer learningRate 0', options: { ...base(), optimizer: { type: 'sgd', learningRate: 0 } }, error: 'RangeError', patterns: [/learningRate/, /\b0\b/] },
      { name: 'optimizer momentum 1', options: { ...base(), optimizer: { type: 'sgd', momentum: 1 } }, error: 'RangeError', patterns: [/momentum/] },
      { name: 'a seed that is not whole', options: { ...base(), seed: 1.5 }, error: 'RangeError', patterns: [/seed/, /1\.5/] },
      { name: 'an unknown backend', options: { ...base(), backend: 'gpu' }, error: 'TypeError', patterns: [/backend/, /"gpu"/] },
      { name: "unknown key 'Loss'", options: { ...base(), Loss: 'mse' }, error: 'TypeError', patterns: [/'Loss'/, /did you mean 'loss'/] },
      { name: "unknown key 'layer' (a typo)", options: { ...base(), layer: [{ units: 2 }], layers: undefined }, error: 'TypeError', patterns: [/'layer'/, /did you mean 'layers'/] },
      { name: "unknown optimizer key 'learningrate'", options: { ...base(), optimizer: { type: 'sgd', learningrate: 0.1 } }, error: 'TypeError', patterns: [/'learningrate'/, /did you mean 'learningRate'/] },
      { name: "unknown layer key 'activaton' (a typo)", options: layer(0, { activaton: 'relu' }), error: 'TypeError', patterns: [/layers\[0\]/, /'activaton'/, /did you mean 'activation'/] },
    ];
    for (const c of cases) {
      it(`refuses ${c.name}`, async () => {
        expectError(await caughtAsync(() => Network.create(c.options as never)), c.error, ...c.patterns);
      });
    }

    it('refuses __proto__ and constructor keys in options read from JSON, and pollutes nothing', async () => {
      const before = Object.getOwnPropertyNames(Object.prototype).sort();
      const texts = [
        `{"inputs":3,"layers":[{"units":2}],"__proto__":{"polluted":true}}`,
        `{"inputs":3,"layers":[{"units":2,"__proto__":{"polluted":true}}]}`,
        `{"inputs":3,"layers":[{"units":2}],"constructor":{"prototype":{"polluted":true}}}`,
        `{"inputs":3,"layers":[{"units":2}],"optimizer":{"type":"sgd","__proto__":{"polluted":true}}}`,
      ];
      for (const text of texts) {
        const got = await caughtAsync(() => Network.create({ ...JSON.parse(text), backend }));
        expectError(got, 'TypeError', /'__proto__'|'constructor'/);
      }
      expect(({} as Loose).polluted).toBeUndefined();
      expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
    });
  });

  describe('train and trainAsync', () => {
    let net: Network;
    beforeAll(async () => {
      net = await trainedNetwork(backend);
    });

    for (const c of DATA_CASES) {
      it(`train refuses ${c.name}, naming it, and changes nothing`, () => {
        const before = snapshotNetwork(net, PROBES);
        expectError(caught(() => net.train(c.inputs, c.targets, { epochs: 2 })), c.error, ...c.patterns);
        expectUnchanged(net, before);
      });
      it(`trainAsync rejects ${c.name}, naming it, and changes nothing`, async () => {
        const before = snapshotNetwork(net, PROBES);
        expectError(await caughtAsync(() => net.trainAsync(c.inputs, c.targets, { epochs: 2 })), c.error, ...c.patterns);
        expectUnchanged(net, before);
      });
    }

    for (const c of OPTION_CASES) {
      it(`train refuses ${c.name}, naming it, and changes nothing`, () => {
        const before = snapshotNetwork(net, PROBES);
        expectError(caught(() => net.train(X, Y, c.options as never)), c.error, ...c.patterns);
        expectUnchanged(net, before);
      });
      it(`trainAsync rejects ${c.name}, naming it, and changes nothing`, async () => {
        const before = snapshotNetwork(net, PROBES);
        expectError(await caughtAsync(() => net.trainAsync(X, Y, c.options as never)), c.error, ...c.patterns);
        expectUnchanged(net, before);
      });
    }

    for (const c of PAIR_CASES) {
      it(`train refuses ${c.name}, naming it, and changes nothing`, () => {
        const before = snapshotNetwork(net, PROBES);
        expectError(caught(() => net.train(c.data as never, c.options as never)), c.error, ...c.patterns);
        expectUnchanged(net, before);
      });
    }

    it('epochs 0 trains nothing and says so', async () => {
      const before = snapshotNetwork(net, PROBES);
      const result = net.train(X, Y, { epochs: 0 });
      expect(result).toMatchObject({ epochs: 0, history: [], stopReason: 'epochs' });
      expect(result.loss).toBeNaN();
      expectUnchanged(net, before);
      expect(await net.trainAsync(X, Y, { epochs: 0 })).toMatchObject({ epochs: 0, history: [], stopReason: 'epochs' });
      expect(net.train(pairs(X, Y) as never, { epochs: 0 })).toMatchObject({ epochs: 0, history: [], stopReason: 'epochs' });
      expectUnchanged(net, before);
    });
  });

  describe('predict, predictBatch, evaluate and computeGradients', () => {
    let net: Network;
    beforeAll(async () => {
      net = await trainedNetwork(backend);
    });

    const predictCases: { name: string; sample: unknown; error: ErrorName; patterns: RegExp[] }[] = [
      { name: 'a sample of the wrong length', sample: [1, 2], error: 'RangeError', patterns: [/sample/, /2 values/, /3 inputs/] },
      { name: 'an empty sample', sample: [], error: 'RangeError', patterns: [/sample/, /0 values/] },
      { name: 'NaN', sample: [1, NaN, 3], error: 'RangeError', patterns: [/sample\[1\]/, /NaN/] },
      { name: 'Infinity', sample: Float32Array.of(1, 2, Infinity), error: 'RangeError', patterns: [/sample\[2\]/, /Infinity/] },
      { name: 'beyond float32 range', sample: [1, 2, 3.5e38], error: 'RangeError', patterns: [/sample\[2\]/, /3\.5e\+38/, /float32/] },
      { name: 'NaN in a Float64Array', sample: Float64Array.of(1, NaN, 3), error: 'RangeError', patterns: [/sample\[1\]/, /NaN/] },
      { name: 'a Float64Array value beyond float32 range', sample: Float64Array.of(1, 2, -1e39), error: 'RangeError', patterns: [/sample\[2\]/, /float32/] },
      { name: 'a Float32Array of the wrong length', sample: new Float32Array(4), error: 'RangeError', patterns: [/sample/, /4 values/, /3 inputs/] },
      { name: 'a string', sample: [1, '2', 3], error: 'TypeError', patterns: [/sample\[1\]/, /"2"/] },
      { name: 'null', sample: [null, 2, 3], error: 'TypeError', patterns: [/sample\[0\]/, /null/] },
      { name: 'a sample that is not an array', sample: 5, error: 'TypeError', patterns: [/sample/, /5/] },
      { name: 'a list of samples', sample: [[1, 2, 3]], error: 'RangeError', patterns: [/sample/, /1 value/] },
    ];
    for (const c of predictCases) {
      it(`predict refuses ${c.name}`, () => {
        const before = snapshotNetwork(net, PROBES);
        expectError(caught(() => net.predict(c.sample as never)), c.error, ...c.patterns);
        expectUnchanged(net, before);
      });
    }

    it('predict gives the same bits for a sample as number[], Float32Array and Float64Array', () => {
      const sample = [0.1, -2.5, 3];
      const expected = net.predict(sample);
      expect(sameBits(net.predict(Float32Array.from(sample)), expected)).toBeUndefined();
      expect(sameBits(net.predict(Float64Array.from(sample)), expected)).toBeUndefined();
    });

    const batchCases: { name: string; samples: unknown; error: ErrorName; patterns: RegExp[] }[] = [
      { name: 'samples not an array', samples: 'x', error: 'TypeError', patterns: [/samples/, /array/] },
      { name: 'no samples', samples: [], error: 'RangeError', patterns: [/samples/, /empty/] },
      { name: 'one sample instead of a list', samples: [1, 2, 3], error: 'TypeError', patterns: [/samples\[0\]/] },
      { name: 'a row of the wrong length', samples: withRow(X, 2, [1, 2, 3, 4]), error: 'RangeError', patterns: [/samples\[2\]/, /4 values/, /3 inputs/] },
      { name: 'NaN in a row', samples: withValue(X, 2, 0, NaN), error: 'RangeError', patterns: [/samples\[2\]\[0\]/, /NaN/] },
      { name: 'a string in a row', samples: withValue(X, 4, 2, 'a'), error: 'TypeError', patterns: [/samples\[4\]\[2\]/, /"a"/] },
    ];
    for (const c of batchCases) {
      it(`predictBatch refuses ${c.name}`, () => {
        const before = snapshotNetwork(net, PROBES);
        expectError(caught(() => net.predictBatch(c.samples as never)), c.error, ...c.patterns);
        expectUnchanged(net, before);
      });
    }

    for (const c of DATA_CASES) {
      it(`evaluate refuses ${c.name}`, () => {
        const before = snapshotNetwork(net, PROBES);
        expectError(caught(() => net.evaluate(c.inputs, c.targets)), c.error, ...c.patterns);
        expectUnchanged(net, before);
      });
      it(`computeGradients refuses ${c.name}`, () => {
        const before = snapshotNetwork(net, PROBES);
        expectError(caught(() => net.computeGradients(c.inputs, c.targets)), c.error, ...c.patterns);
        expectUnchanged(net, before);
      });
    }

    it('computeGradients on good data leaves the network as it was', () => {
      const before = snapshotNetwork(net, PROBES);
      net.computeGradients(X, Y);
      expectUnchanged(net, before);
    });
  });

  describe('setWeights', () => {
    let net: Network;
    beforeAll(async () => {
      net = await trainedNetwork(backend);
    });
    const edit = (change: (w: Loose[]) => void): unknown => {
      const w: Loose[] = net.getWeights().map((l) => ({ kernel: Array.from(l.kernel), bias: Array.from(l.bias) }));
      change(w);
      return w;
    };

    const cases: { name: string; weights: () => unknown; error: ErrorName; patterns: RegExp[] }[] = [
      { name: 'weights not an array', weights: () => 'w', error: 'TypeError', patterns: [/setWeights/, /"w"/] },
      { name: 'weights as an object', weights: () => ({ kernel: [], bias: [] }), error: 'TypeError', patterns: [/setWeights/, /object/] },
      { name: 'too few layers', weights: () => edit((w) => w.pop()), error: 'RangeError', patterns: [/setWeights/, /\b2\b/, /\b1\b/] },
      { name: 'too many layers', weights: () => edit((w) => w.push(w[1])), error: 'RangeError', patterns: [/setWeights/, /\b2\b/, /\b3\b/] },
      { name: 'a layer that is not an object', weights: () => edit((w) => (w[1] = 5 as never)), error: 'TypeError', patterns: [/weights\[1\]/, /5/] },
      { name: 'a kernel missing', weights: () => edit((w) => delete w[0].kernel), error: 'TypeError', patterns: [/weights\[0\]\.kernel/, /undefined/] },
      { name: 'a kernel one value short', weights: () => edit((w) => w[0].kernel.pop()), error: 'RangeError', patterns: [/weights\[0\]\.kernel/, /11 values/, /3×4/] },
      { name: 'a kernel of the next layer’s shape', weights: () => edit((w) => (w[1].kernel = w[0].kernel)), error: 'RangeError', patterns: [/weights\[1\]\.kernel/, /12 values/, /4×2/] },
      { name: 'a bias one value long', weights: () => edit((w) => w[1].bias.push(0)), error: 'RangeError', patterns: [/weights\[1\]\.bias/, /3 values/] },
      { name: 'a NaN weight', weights: () => edit((w) => (w[0].kernel[5] = NaN)), error: 'RangeError', patterns: [/weights\[0\]\.kernel\[5\]/, /NaN/] },
      { name: 'an Infinity bias', weights: () => edit((w) => (w[1].bias[0] = Infinity)), error: 'RangeError', patterns: [/weights\[1\]\.bias\[0\]/, /Infinity/] },
      { name: 'a weight beyond float32 range', weights: () => edit((w) => (w[0].kernel[1] = 1e39)), error: 'RangeError', patterns: [/weights\[0\]\.kernel\[1\]/, /1e\+39/, /float32/] },
      { name: 'a string weight', weights: () => edit((w) => (w[0].kernel[0] = '0.1')), error: 'TypeError', patterns: [/weights\[0\]\.kernel\[0\]/, /"0\.1"/] },
      {
        name: 'a good first layer and a bad second (nothing is written)',
        weights: () => edit((w) => { w[0].kernel.fill(7); w[0].bias.fill(7); w[1].kernel[7] = NaN; }),
        error: 'RangeError',
        patterns: [/weights\[1\]\.kernel\[7\]/, /NaN/],
      },
    ];
    for (const c of cases) {
      it(`refuses ${c.name}, naming it, and changes nothing`, () => {
        const weights = c.weights();
        const before = snapshotNetwork(net, PROBES);
        expectError(caught(() => net.setWeights(weights as never)), c.error, ...c.patterns);
        expectUnchanged(net, before);
      });
    }

    it('takes what getWeights gave, changing nothing', () => {
      const before = snapshotNetwork(net, PROBES);
      net.setWeights(net.getWeights());
      expectUnchanged(net, before);
    });
  });

  describe('Network.fromJSON', () => {
    let file: Loose;
    beforeAll(async () => {
      file = (await trainedNetwork(backend)).toJSON() as Loose;
    });
    const edited = (change: (f: Loose) => unknown): unknown => {
      const f: Loose = JSON.parse(JSON.stringify(file));
      const replaced = change(f);
      return replaced === undefined ? f : replaced;
    };

    it('reads the unedited file (the cases below start from it)', async () => {
      const net = await Network.fromJSON(edited(() => undefined) as Loose, { backend });
      expect(net.toJSON()).toEqual(file);
    });

    const cases: { name: string; file: (f: Loose) => unknown; error: ErrorName; patterns: RegExp[] }[] = [
      { name: 'a number', file: () => 42, error: 'TypeError', patterns: [/model file/, /42/] },
      { name: 'null', file: () => null, error: 'TypeError', patterns: [/model file/, /null/] },
      { name: 'an array', file: () => [], error: 'TypeError', patterns: [/model file/, /array/] },
      { name: 'another program’s format', file: (f) => { f.format = 'keras'; }, error: 'TypeError', patterns: [/format/, /"keras"/, /engram-network/] },
      { name: 'no format', file: (f) => { delete f.format; }, error: 'TypeError', patterns: [/format/] },
      { name: 'version 2', file: (f) => { f.version = 2; }, error: 'RangeError', patterns: [/version 2/] },
      { name: 'inputs 0', file: (f) => { f.inputs = 0; }, error: 'RangeError', patterns: [/inputs/, /\b0\b/] },
      { name: 'inputs that do not fit the kernel', file: (f) => { f.inputs = 4; }, error: 'RangeError', patterns: [/layers\[0\]\.kernel/, /12 values/, /4×4/] },
      { name: 'units that do not fit the kernel', file: (f) => { f.layers[0].units = 5; }, error: 'RangeError', patterns: [/layers\[0\]\.kernel/, /3×5/] },
      { name: 'units 2.5', file: (f) => { f.layers[1].units = 2.5; }, error: 'RangeError', patterns: [/layers\[1\]\.units/, /2\.5/] },
      { name: 'layers not an array', file: (f) => { f.layers = {}; }, error: 'TypeError', patterns: [/layers/] },
      { name: 'layers empty', file: (f) => { f.layers = []; }, error: 'RangeError', patterns: [/layers/, /empty/] },
      { name: 'a kernel one value short', file: (f) => { f.layers[0].kernel.pop(); }, error: 'RangeError', patterns: [/layers\[0\]\.kernel/, /11 values/, /3×4/] },
      { name: 'a bias one value long', file: (f) => { f.layers[1].bias.push(0); }, error: 'RangeError', patterns: [/layers\[1\]\.bias/, /3 values/] },
      { name: 'a kernel that is not an array', file: (f) => { f.layers[1].kernel = 'abc'; }, error: 'TypeError', patterns: [/layers\[1\]\.kernel/, /"abc"/] },
      { name: 'a weight that is a string', file: (f) => { f.layers[0].kernel[2] = '0.5'; }, error: 'TypeError', patterns: [/layers\[0\]\.kernel\[2\]/, /"0\.5"/] },
      { name: 'a weight that is null', file: (f) => { f.layers[1].bias[1] = null; }, error: 'TypeError', patterns: [/layers\[1\]\.bias\[1\]/, /null/] },
      { name: 'a weight that is NaN', file: (f) => { f.layers[0].kernel[2] = NaN; }, error: 'RangeError', patterns: [/layers\[0\]\.kernel\[2\]/, /NaN/] },
      { name: 'a weight that is -Infinity', file: (f) => { f.layers[0].bias[3] = -Infinity; }, error: 'RangeError', patterns: [/layers\[0\]\.bias\[3\]/, /-Infinity/] },
      { name: 'a weight beyond float32 range', file: (f) => { f.layers[0].bias[3] = 1e39; }, error: 'RangeError', patterns: [/layers\[0\]\.bias\[3\]/, /1e\+39/, /float32/] },
      { name: 'an unknown activation', file: (f) => { f.layers[0].activation = 'swish'; }, error: 'TypeError', patterns: [/layers\[0\]\.activation/, /"swish"/] },
      { name: 'softmax before the last layer', file: (f) => { f.layers[0].activation = 'softmax'; }, error: 'TypeError', patterns: [/layers\[0\]/, /softmax/, /last layer/] },
      { name: 'an unknown loss', file: (f) => { f.loss = 'crossentropy'; }, error: 'TypeError', patterns: [/loss/, /"crossentropy"/] },
      { name: 'an unknown optimizer', file: (f) => { f.optimizer.type = 'adamw'; }, error: 'TypeError', patterns: [/optimizer/, /"adamw"/] },
      { name: 'an optimizer field of another optimizer', file: (f) => { f.optimizer.momentum = 0.9; }, error: 'TypeError', patterns: [/'momentum'/] },
      { name: 'an optimizer value out of range', file: (f) => { f.optimizer.beta1 = 1; }, error: 'RangeError', patterns: [/beta1/] },
      { name: 'a seed of -1', file: (f) => { f.seed = -1; }, error: 'RangeError', patterns: [/seed/, /-1/] },
      { name: 'an extra top-level field', file: (f) => { f.createdAt = '2024-01-01'; }, error: 'TypeError', patterns: [/'createdAt'/, /model file/] },
      { name: 'an extra layer field', file: (f) => { f.layers[1].name = 'out'; }, error: 'TypeError', patterns: [/'name'/, /layers\[1\]/] },
      { name: 'an extra training field', file: (f) => { f.training.epoch = 3; }, error: 'TypeError', patterns: [/'epoch'/, /training/] },
      { name: 'no training state', file: (f) => { delete f.training; }, error: 'TypeError', patterns: [/training/, /undefined/] },
      { name: 'training.step -1', file: (f) => { f.training.step = -1; }, error: 'RangeError', patterns: [/training\.step/, /-1/] },
      { name: 'training.step 1.5', file: (f) => { f.training.step = 1.5; }, error: 'RangeError', patterns: [/training\.step/, /1\.5/] },
      { name: 'training.step beyond the i32 counter', file: (f) => { f.training.step = 2 ** 31; }, error: 'RangeError', patterns: [/training\.step/, /2147483647/] },
      { name: 'a shuffle state beyond 32 bits', file: (f) => { f.training.shuffleState = 2 ** 32; }, error: 'RangeError', patterns: [/shuffleState/] },
      { name: 'too few optimizer state buffers', file: (f) => { f.training.slots.pop(); }, error: 'RangeError', patterns: [/training\.slots/, /\b2\b/, /adam/] },
      { name: 'an optimizer state buffer one value short', file: (f) => { f.training.slots[1].pop(); }, error: 'RangeError', patterns: [/training\.slots\[1\]/, /25 values/] },
      { name: 'a null in an optimizer state buffer', file: (f) => { f.training.slots[0][3] = null; }, error: 'TypeError', patterns: [/training\.slots\[0\]\[3\]/, /null/] },
    ];
    for (const c of cases) {
      it(`refuses a model file with ${c.name}, and leaves the file as it was`, async () => {
        const bad = edited(c.file);
        const text = JSON.stringify(bad);
        expectError(await caughtAsync(() => Network.fromJSON(bad as never, { backend })), c.error, ...c.patterns);
        expect(JSON.stringify(bad)).toBe(text);
      });
    }

    const textCases: { name: string; text: () => string; error: ErrorName; patterns: RegExp[] }[] = [
      { name: 'truncated JSON text', text: () => JSON.stringify(file).slice(0, 200), error: 'TypeError', patterns: [/model file/, /JSON/] },
      { name: 'an empty string', text: () => '', error: 'TypeError', patterns: [/model file/, /JSON/] },
      { name: "the text 'null'", text: () => 'null', error: 'TypeError', patterns: [/model file/, /null/] },
      {
        name: 'a weight of 1e999 (Infinity once parsed)',
        text: () => JSON.stringify(edited((f) => { f.layers[0].kernel[2] = 123.25; })).replace('123.25', '1e999'),
        error: 'RangeError',
        patterns: [/layers\[0\]\.kernel\[2\]/, /Infinity/],
      },
    ];
    for (const c of textCases) {
      it(`refuses ${c.name}`, async () => {
        expectError(await caughtAsync(() => Network.fromJSON(c.text(), { backend })), c.error, ...c.patterns);
      });
    }

    const poisoned: { name: string; text: () => string; patterns: RegExp[] }[] = [
      { name: '__proto__ at the top', text: () => JSON.stringify(file).replace('{', '{"__proto__":{"polluted":true},'), patterns: [/'__proto__'/, /model file/] },
      { name: 'constructor at the top', text: () => JSON.stringify(file).replace('{', '{"constructor":{"prototype":{"polluted":true}},'), patterns: [/'constructor'/, /model file/] },
      { name: '__proto__ in a layer', text: () => JSON.stringify(file).replace('"units"', '"__proto__":{"polluted":true},"units"'), patterns: [/'__proto__'/, /layers\[0\]/] },
      { name: 'constructor in a layer', text: () => JSON.stringify(file).replace('"units"', '"constructor":{"prototype":{"polluted":true}},"units"'), patterns: [/'constructor'/, /layers\[0\]/] },
      { name: '__proto__ in the optimizer', text: () => JSON.stringify(file).replace('"optimizer":{', '"optimizer":{"__proto__":{"polluted":true},'), patterns: [/'__proto__'/, /optimizer/] },
      { name: '__proto__ in the training state', text: () => JSON.stringify(file).replace('"training":{', '"training":{"__proto__":{"polluted":true},'), patterns: [/'__proto__'/, /training/] },
    ];
    for (const c of poisoned) {
      it(`refuses ${c.name}, as text and as a parsed object, and pollutes nothing`, async () => {
        const before = Object.getOwnPropertyNames(Object.prototype).sort();
        const text = c.text();
        expect(text).not.toBe(JSON.stringify(file));
        expectError(await caughtAsync(() => Network.fromJSON(text, { backend })), 'TypeError', ...c.patterns);
        expectError(await caughtAsync(() => Network.fromJSON(JSON.parse(text), { backend })), 'TypeError', ...c.patterns);
        expect(({} as Loose).polluted).toBeUndefined();
        expect((Object.prototype as Loose).polluted).toBeUndefined();
        expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
      });
    }

    const optionCases: { name: string; options: unknown; error: ErrorName; patterns: RegExp[] }[] = [
      { name: 'options not an object', options: 'js', error: 'TypeError', patterns: [/fromJSON options/, /"js"/] },
      { name: 'an unknown backend', options: { backend: 'gpu' }, error: 'TypeError', patterns: [/backend/, /"gpu"/] },
      { name: "unknown key 'backnd' (a typo)", options: { backnd: 'js' }, error: 'TypeError', patterns: [/'backnd'/, /did you mean 'backend'/] },
    ];
    for (const c of optionCases) {
      it(`refuses fromJSON ${c.name}`, async () => {
        expectError(await caughtAsync(() => Network.fromJSON(file, c.options as never)), c.error, ...c.patterns);
      });
    }
  });

  describe('while training runs', () => {
    it('refuses train, computeGradients and trainAsync during trainAsync, without disturbing it', async () => {
      const net = await Network.create(options(backend));
      const twin = await Network.create(options(backend));
      const refusals: string[] = [];
      const refuseAll = async () => {
        for (const [call, got] of [
          ['train', caught(() => net.train(X, Y, { epochs: 1 }))],
          ['computeGradients', caught(() => net.computeGradients(X, Y))],
          ['trainAsync', await caughtAsync(() => net.trainAsync(X, Y, { epochs: 1 }))],
        ] as const) {
          expectError(got, 'Error', new RegExp(call), /training/);
          refusals.push(call);
        }
      };
      const running = net.trainAsync(X, Y, { epochs: 40, batchSize: 2 });
      await refuseAll();
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
      await refuseAll();
      const result = await running;
      expect(refusals).toHaveLength(6);
      expect(result).toEqual(await twin.trainAsync(X, Y, { epochs: 40, batchSize: 2 }));
      expect(JSON.stringify(net)).toBe(JSON.stringify(twin));
      // Once it is over, training works again.
      expect(net.train(X, Y, { epochs: 1 }).epochs).toBe(1);
    });

    it('refuses train and computeGradients from inside onEpochEnd', async () => {
      const net = await Network.create(options(backend));
      const twin = await Network.create(options(backend));
      const seen: string[] = [];
      const result = net.train(X, Y, {
        epochs: 4,
        batchSize: 2,
        onEpochEnd: () => {
          seen.push(caught(() => net.train(X, Y, { epochs: 1 })).name);
          seen.push(caught(() => net.computeGradients(X, Y)).name);
        },
      });
      expect(seen).toEqual(Array(8).fill('Error'));
      expect(result).toEqual(twin.train(X, Y, { epochs: 4, batchSize: 2, onEpochEnd: () => {} }));
      expect(JSON.stringify(net)).toBe(JSON.stringify(twin));
    });
  });

  it('after every refused call, trains exactly as a twin that never saw them', async () => {
    const net = await trainedNetwork(backend);
    const twin = await trainedNetwork(backend);
    for (const c of DATA_CASES) {
      caught(() => net.train(c.inputs, c.targets, { epochs: 2 }));
      await caughtAsync(() => net.trainAsync(c.inputs, c.targets, { epochs: 2 }));
      caught(() => net.evaluate(c.inputs, c.targets));
      caught(() => net.computeGradients(c.inputs, c.targets));
    }
    for (const c of OPTION_CASES) caught(() => net.train(X, Y, c.options as never));
    caught(() => net.setWeights([{ kernel: new Float32Array(12).fill(7), bias: new Float32Array(4) }, { kernel: [NaN], bias: [0, 0] }]));
    caught(() => net.predictBatch(withValue(X, 1, 1, NaN) as never));
    const a = net.train(X, Y, { epochs: 6, batchSize: 2 });
    const b = twin.train(X, Y, { epochs: 6, batchSize: 2 });
    expect(a).toEqual(b);
    expect(JSON.stringify(net)).toBe(JSON.stringify(twin));
  });

  describe('divergence', () => {
    // The worked example with a learning rate no gradient descent survives.
    const absurd = () =>
      Network.create({
        inputs: 2,
        layers: [{ units: 2, activation: 'sigmoid' }, { units: 1, activation: 'linear' }],
        optimizer: { type: 'sgd', learningRate: 1e10 },
        seed: 42,
        backend,
      });

    /** Trains one epoch per call until one diverges; the weights each epoch started from, and the losses. */
    async function epochByEpoch(train: { batchSize?: number; shuffle?: boolean }) {
      const net = await absurd();
      const history: number[] = [];
      for (let epoch = 0; epoch < 100; epoch++) {
        const start = net.getWeights();
        const result = net.train(WORKED_X, WORKED_Y, { ...train, epochs: 1 });
        if (result.stopReason === 'diverged') {
          expect(result.epochs, 'a diverged epoch is not counted').toBe(0);
          return { net, epoch, start, history };
        }
        expect(result.stopReason).toBe('epochs');
        history.push(...result.history);
      }
      throw new Error('the absurd learning rate never diverged');
    }

    const expectSameWeights = (got: Network, start: { kernel: Float32Array; bias: Float32Array }[], what: string) => {
      got.getWeights().forEach((layer, l) => {
        expect(layer.kernel.every(Number.isFinite) && layer.bias.every(Number.isFinite), `${what}: layer ${l} finite`).toBe(true);
        expect(sameBits(layer.kernel, start[l].kernel), `${what}: layer ${l} kernel`).toBeUndefined();
        expect(sameBits(layer.bias, start[l].bias), `${what}: layer ${l} bias`).toBeUndefined();
      });
    };

    for (const train of [{}, { batchSize: 1, shuffle: false }, { batchSize: 3 }]) {
      it(`stops as 'diverged' with finite weights from the start of the diverging epoch (${JSON.stringify(train)})`, async () => {
        const stepped = await epochByEpoch(train);
        expectSameWeights(stepped.net, stepped.start, 'one epoch per call');

        const net = await absurd();
        const result = net.train(WORKED_X, WORKED_Y, { ...train, epochs: 100 });
        expect(result.stopReason).toBe('diverged');
        expect(result.epochs).toBe(stepped.epoch);
        expect(result.history).toEqual(stepped.history);
        expect(result.history.every(Number.isFinite)).toBe(true);
        expectSameWeights(net, stepped.start, 'train');
        for (const x of WORKED_X) expect(net.predict(x).every(Number.isFinite)).toBe(true);

        const async = await absurd();
        const asyncResult = await async.trainAsync(WORKED_X, WORKED_Y, { ...train, epochs: 100 });
        expect(asyncResult).toEqual(result);
        expectSameWeights(async, stepped.start, 'trainAsync');
      });
    }
  });
});
