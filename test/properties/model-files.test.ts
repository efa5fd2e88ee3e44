// Model files from elsewhere are untrusted input: Network.fromJSON turns a truncated, mistyped,
// oversized, padded or poisoned one into a TypeError or RangeError that names the problem, before it
// allocates anything, and never touches Object.prototype. A fuzzer mutates valid files (values
// replaced, fields deleted and inserted, text cut and garbled): each must load as a working network or
// be refused that way, never anything else.
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Network, type NetworkOptions } from '../../src/index.js';
import { BACKENDS } from '../helpers/backends.js';
import { caughtAsync, expectError } from '../helpers/errors.js';
import { runs, timeout } from '../helpers/properties.js';

// Files are edited freely here, wrong types included.
type Loose = Record<string, any>;

const SOURCES: NetworkOptions[] = [
  { inputs: 3, layers: [{ units: 4, activation: 'tanh' }, { units: 3, activation: 'softmax' }], loss: 'categoricalCrossentropy', optimizer: 'adam', seed: 1 },
  { inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], loss: 'binaryCrossentropy', optimizer: 'rmsprop', seed: 2 },
  { inputs: 2, layers: [{ units: 2, activation: 'elu' }, { units: 2, activation: 'leakyRelu' }, { units: 1 }], optimizer: { type: 'sgd', momentum: 0.9 }, seed: 3 },
];

/** Valid model files, with some training behind them so that every part of the state is in use. */
const files: Loose[] = [];
beforeAll(async () => {
  for (const options of SOURCES) {
    const net = await Network.create({ ...options, backend: 'js' });
    const outputs = options.layers[options.layers.length - 1].units;
    const x = [[0.5, -1, 2].slice(0, options.inputs), [1, 0, -0.5].slice(0, options.inputs)];
    const y = [Array.from({ length: outputs }, (_, j) => (j === 0 ? 1 : 0)), Array.from({ length: outputs }, (_, j) => (j === outputs - 1 ? 1 : 0))];
    net.train(x, y, { epochs: 3, batchSize: 1 });
    files.push(net.toJSON() as Loose);
    net.dispose();
  }
});

const copy = (file: Loose): Loose => JSON.parse(JSON.stringify(file));
/** The first file (3 → 4 tanh → 3 softmax, adam), edited. */
const edited = (change: (f: Loose) => void): Loose => {
  const f = copy(files[0]);
  change(f);
  return f;
};

/** Object.prototype as it was when the tests started: its own keys and what a fresh object inherits. */
const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();
function expectPrototypeUntouched(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_KEYS);
  for (const key of ['polluted', 'format', 'layers', 'units', 'type']) expect(({} as Loose)[key], key).toBeUndefined();
}
afterEach(expectPrototypeUntouched);

/** What a refusal must look like: a TypeError or RangeError with a message written for the user, not from a crash. */
function expectCleanRefusal(error: unknown, what: string): void {
  expect(error, `${what}: not an Error`).toBeInstanceOf(Error);
  const { name, message } = error as Error;
  expect(['TypeError', 'RangeError'], `${what}: ${name}: ${message}`).toContain(name);
  expect(message, what).toMatch(/model file|optimizer/);
  expect(message, what).not.toMatch(/Cannot read|Cannot convert|is not a function|is not iterable|undefined or null|Maximum call stack/);
}

describe('Network.fromJSON refuses', () => {
  it('every truncation of a model file’s text, as invalid JSON', async () => {
    const text = JSON.stringify(files[0]);
    for (let cut = 0; cut < text.length; cut += 7) {
      expectError(await caughtAsync(() => Network.fromJSON(text.slice(0, cut))), 'TypeError', /model file is not valid JSON/);
    }
  });

  const cases: { name: string; file: () => unknown; error: 'TypeError' | 'RangeError'; patterns: RegExp[] }[] = [
    { name: 'version "1" (a string)', file: () => edited((f) => { f.version = '1'; }), error: 'RangeError', patterns: [/version "1"/] },
    { name: 'version 0', file: () => edited((f) => { f.version = 0; }), error: 'RangeError', patterns: [/version 0/] },
    { name: 'no version', file: () => edited((f) => { delete f.version; }), error: 'RangeError', patterns: [/version undefined/] },
    { name: 'format with a trailing space', file: () => edited((f) => { f.format = 'engram-network '; }), error: 'TypeError', patterns: [/format/] },
    { name: 'a layer of 1e9 units', file: () => edited((f) => { f.layers[0].units = 1e9; }), error: 'RangeError', patterns: [/layers\[0\]\.units/, /1000000000/] },
    { name: '1e9 inputs', file: () => edited((f) => { f.inputs = 1e9; }), error: 'RangeError', patterns: [/inputs/, /1000000000/] },
    { name: '2^20 inputs and units, with the small kernel', file: () => edited((f) => { f.inputs = 2 ** 20; f.layers[0].units = 2 ** 20; }), error: 'RangeError', patterns: [/layers\[0\]\.kernel/, /1048576×1048576/] },
    { name: 'units 1e300', file: () => edited((f) => { f.layers[1].units = 1e300; }), error: 'RangeError', patterns: [/layers\[1\]\.units/] },
    { name: 'a sparse layers array of length 1e9', file: () => edited((f) => { f.layers = new Array(1e9); }), error: 'TypeError', patterns: [/layers\[0\]/, /undefined/] },
    { name: 'a layers array with a hole', file: () => edited((f) => { delete f.layers[1]; }), error: 'TypeError', patterns: [/layers\[1\]/, /undefined/] },
    { name: 'a sparse optimizer state list', file: () => edited((f) => { f.training.slots = new Array(2); }), error: 'TypeError', patterns: [/training\.slots\[0\]/, /undefined/] },
    { name: 'optimizer state that is not a list', file: () => edited((f) => { f.training.slots = 'm,v'; }), error: 'TypeError', patterns: [/training\.slots/, /"m,v"/, /2 optimizer state buffers for 'adam'/] },
    { name: 'one optimizer state buffer for adam', file: () => edited((f) => { f.training.slots.pop(); }), error: 'RangeError', patterns: [/training\.slots holds 1/, /2 optimizer state buffers for 'adam'/] },
    { name: 'an optimizer state buffer one value long', file: () => edited((f) => { f.training.slots[0].push(0); }), error: 'RangeError', patterns: [/training\.slots\[0\] has 32 values/, /31 parameters/] },
    { name: 'a kernel with a hole', file: () => edited((f) => { delete f.layers[0].kernel[4]; }), error: 'TypeError', patterns: [/layers\[0\]\.kernel\[4\]/, /undefined/] },
    { name: 'a weight that is true', file: () => edited((f) => { f.layers[0].kernel[1] = true; }), error: 'TypeError', patterns: [/layers\[0\]\.kernel\[1\]/, /boolean/] },
    { name: 'a weight that is an array', file: () => edited((f) => { f.layers[1].kernel[0] = [0.5]; }), error: 'TypeError', patterns: [/layers\[1\]\.kernel\[0\]/, /array/] },
    { name: 'a weight that is an object', file: () => edited((f) => { f.layers[1].bias[2] = { value: 1 }; }), error: 'TypeError', patterns: [/layers\[1\]\.bias\[2\]/, /object/] },
    { name: 'a weight of 1e39', file: () => edited((f) => { f.layers[0].bias[0] = 1e39; }), error: 'RangeError', patterns: [/layers\[0\]\.bias\[0\]/, /float32/] },
    { name: 'an optimizer state value of -1e39', file: () => edited((f) => { f.training.slots[0][0] = -1e39; }), error: 'RangeError', patterns: [/training\.slots\[0\]\[0\]/, /float32/] },
    { name: 'a negative Adam second moment', file: () => edited((f) => { f.training.slots[1][5] = -0.25; }), error: 'RangeError', patterns: [/training\.slots\[1\]\[5\]/, /-0\.25/, /never negative/] },
    { name: 'training.step 2^31', file: () => edited((f) => { f.training.step = 2 ** 31; }), error: 'RangeError', patterns: [/training\.step/, /2147483647/] },
    { name: 'training.step 1e300', file: () => edited((f) => { f.training.step = 1e300; }), error: 'RangeError', patterns: [/training\.step/] },
    { name: 'an optimizer epsilon float32 rounds to 0', file: () => edited((f) => { f.optimizer.epsilon = 1e-50; }), error: 'RangeError', patterns: [/epsilon/, /float32/] },
    { name: 'an optimizer setting of null', file: () => edited((f) => { f.optimizer.beta2 = null; }), error: 'TypeError', patterns: [/beta2/, /null/] },
    { name: 'an object whose prototype is not Object.prototype', file: () => Object.assign(Object.create({ polluted: true }), files[0]), error: 'TypeError', patterns: [/model file/] },
    { name: 'a Map', file: () => new Map(Object.entries(files[0])), error: 'TypeError', patterns: [/model file/] },
  ];
  for (const c of cases) {
    it(`a model file with ${c.name}`, async () => {
      expectError(await caughtAsync(() => Network.fromJSON(c.file() as never)), c.error, ...c.patterns);
    });
  }

  it('huge declared sizes before allocating anything', async () => {
    const huge = [
      edited((f) => { f.layers[0].units = 1e9; }),
      edited((f) => { f.inputs = 2 ** 20; f.layers[0].units = 2 ** 20; }),
      edited((f) => { f.layers = new Array(1e9); }),
      edited((f) => { f.training.slots[0] = { length: 1e9 }; }),
    ];
    // Warm up whatever the first refusal allocates (module state, JIT) so that it is not counted.
    await caughtAsync(() => Network.fromJSON(huge[0]));
    const before = process.memoryUsage();
    for (const [i, file] of huge.entries()) expectCleanRefusal(await Network.fromJSON(file).catch((e: unknown) => e), `huge file ${i}`);
    const after = process.memoryUsage();
    // A single layer of 1e9 units would be 4 GB of weights; these refusals must not come near 64 MiB.
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(64 * 2 ** 20);
    expect(after.rss - before.rss).toBeLessThan(256 * 2 ** 20);
  });

  // Prototype-pollution keys at every level of the file, as JSON text (where JSON.parse makes them own
  // keys) and as the object it parses to.
  const LEVELS: { name: string; at: (f: Loose) => Loose }[] = [
    { name: 'the top level', at: (f) => f },
    { name: 'a layer', at: (f) => f.layers[1] },
    { name: 'the optimizer', at: (f) => f.optimizer },
    { name: 'the training state', at: (f) => f.training },
  ];
  for (const level of LEVELS) {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      it(`a '${key}' key in ${level.name}, and pollutes nothing`, async () => {
        const text = JSON.stringify(edited((f) => { level.at(f)['@KEY@'] = { polluted: true, prototype: { polluted: true } }; })).replace('"@KEY@"', JSON.stringify(key));
        expect(text).toContain(`"${key}":{"polluted":true`);
        for (const file of [text, JSON.parse(text)]) {
          const error = await Network.fromJSON(file).catch((e: unknown) => e);
          expectCleanRefusal(error, `${key} in ${level.name}`);
          expect(error).toBeInstanceOf(TypeError);
          expect((error as Error).message).toContain(`'${key}'`);
          expectPrototypeUntouched();
        }
      });
    }
  }
});

describe('a network too large for memory', () => {
  // Each size fits the per-layer limit (2^20 units), but the weights would take terabytes or gigabytes.
  // The layout once aligned its offsets with 32-bit arithmetic, wrapped around to a small size, and then
  // spent hours initializing 2^40 weights into nothing.
  for (const backend of BACKENDS) {
    it(`is refused by Network.create before anything is allocated (${backend})`, async () => {
      const before = process.memoryUsage();
      for (const [inputs, units] of [[2 ** 20, 2 ** 20], [2 ** 16, 2 ** 14], [2 ** 20, 2 ** 10]]) {
        expectError(await caughtAsync(() => Network.create({ inputs, layers: [{ units }], backend })), 'RangeError', /MiB/, /4 GiB/);
      }
      expect(process.memoryUsage().arrayBuffers - before.arrayBuffers).toBeLessThan(64 * 2 ** 20);
    });
  }
});

// ── The fuzzer ─────────────────────────────────────────────────────────────────────────────────────

type Path = (string | number)[];

/** Every place in a JSON tree, as paths from its root: containers and their members, array elements included. */
function paths(value: unknown, at: Path = []): Path[] {
  const out: Path[] = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...at, k]));
  return out;
}

const KEYS = ['format', 'version', 'inputs', 'layers', 'units', 'activation', 'kernel', 'bias', 'loss', 'optimizer', 'type',
  'learningRate', 'beta1', 'beta2', 'epsilon', 'momentum', 'rho', 'seed', 'training', 'step', 'shuffleState', 'slots',
  '__proto__', 'constructor', 'prototype', 'length', 'toString', 'hasOwnProperty'];

/** Values a mutation writes: random JSON, and the values a model file is made of, near and beyond its limits. */
const VALUE = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom<unknown>(
    0, -0, 1, -1, 0.5, 2, 3, 1e9, 2 ** 20, 2 ** 31, 2 ** 32, 2 ** 53, 1e39, -1e39, 3.4028235e38, 1e-50, 1e300, NaN, Infinity, -Infinity,
    '', '1', 'engram-network', 'softmax', 'sigmoid', 'relu', 'adam', 'sgd', 'rmsprop', 'mse', 'categoricalCrossentropy',
    null, true, false, [], {}, [0], [[]], { __proto__: null },
  ),
);

type Mutation =
  | { op: 'replace'; pick: number; value: unknown }
  | { op: 'delete'; pick: number }
  | { op: 'insert'; pick: number; key: string; value: unknown }
  | { op: 'copy'; pick: number; from: number };

const MUTATION: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('replace' as const), pick: fc.nat(), value: VALUE }),
  fc.record({ op: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), pick: fc.nat(), key: fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 6 })), value: VALUE }),
  fc.record({ op: fc.constant('copy' as const), pick: fc.nat(), from: fc.nat() }),
);

/** Applies a mutation to a tree in place (picks are taken modulo the places there are); returns the tree, which a root replacement swaps. */
function mutate(root: unknown, m: Mutation): unknown {
  const all = paths(root);
  const target = all[m.pick % all.length];
  const parentOf = (p: Path) => p.slice(0, -1).reduce<any>((node, key) => node[key], root);
  const set = (p: Path, value: unknown): unknown => {
    if (p.length === 0) return value;
    Object.defineProperty(parentOf(p), p[p.length - 1], { value, writable: true, enumerable: true, configurable: true });
    return root;
  };
  const get = (p: Path) => p.reduce<any>((node, key) => node[key], root);
  switch (m.op) {
    case 'replace': return set(target, structuredClone(m.value));
    case 'copy': return set(target, structuredClone(get(all[m.from % all.length])));
    case 'delete': {
      if (target.length === 0) return undefined;
      const parent = parentOf(target);
      if (Array.isArray(parent)) parent.splice(target[target.length - 1] as number, 1);
      else delete parent[target[target.length - 1]];
      return root;
    }
    case 'insert': {
      const node = get(target);
      if (Array.isArray(node)) node.splice(m.key.length % (node.length + 1), 0, structuredClone(m.value));
      // defineProperty: an own key even for '__proto__', as JSON.parse would make it.
      else if (node !== null && typeof node === 'object') Object.defineProperty(node, m.key, { value: structuredClone(m.value), writable: true, enumerable: true, configurable: true });
      else return set(target, { [m.key]: structuredClone(m.value) });
      return root;
    }
  }
}

/** Text mutations: the file's JSON cut, garbled, spliced into itself. */
const TEXT_MUTATION = fc.oneof(
  fc.record({ op: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom(',', '{', '}', '[', ']', '"', ':', 'e999', '-', 'null', '\\u0000')) }),
  fc.record({ op: fc.constant('remove' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }),
);
type TextMutation = typeof TEXT_MUTATION extends fc.Arbitrary<infer T> ? T : never;

function mutateText(text: string, m: TextMutation): string {
  const at = m.at % (text.length + 1);
  switch (m.op) {
    case 'cut': return text.slice(0, at);
    case 'insert': return text.slice(0, at) + m.text + text.slice(at);
    case 'remove': return text.slice(0, at) + text.slice(at + m.count);
  }
}

/** Loads a possibly broken file: it must be refused cleanly, or make a network that works. */
async function loadsOrRefuses(file: unknown, backend: 'wasm' | 'js', what: string): Promise<'loaded' | 'refused'> {
  let net: Network;
  try {
    net = await Network.fromJSON(file as never, { backend });
  } catch (error) {
    expectCleanRefusal(error, what);
    expectPrototypeUntouched();
    return 'refused';
  }
  expectPrototypeUntouched();
  // A working network: it predicts, it writes a file that reads back as itself, and it trains without throwing.
  const text = JSON.stringify(net);
  const again = await Network.fromJSON(text, { backend });
  expect(JSON.stringify(again), what).toBe(text);
  again.dispose();
  const sample = new Array(net.inputs).fill(0.5);
  expect(net.predict(sample).length, what).toBe(net.outputs);
  const result = net.train([sample], [new Array(net.outputs).fill(0)], { epochs: 2 });
  expect(['epochs', 'diverged'], what).toContain(result.stopReason);
  for (const layer of net.getWeights()) expect([...layer.kernel, ...layer.bias].every(Number.isFinite), `${what}: weights after training`).toBe(true);
  net.dispose();
  return 'loaded';
}

const FUZZ_RUNS = 300;

describe('a fuzzer over valid model files', () => {
  it('mutated (values replaced, fields deleted, inserted and copied): loads as a working network, or is refused cleanly', async () => {
    const seen = { loaded: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(MUTATION, { minLength: 1, maxLength: 3 }), fc.boolean(), fc.constantFrom(...BACKENDS), async (which, mutations, asText, backend) => {
        let file: unknown = copy(files[which % files.length]);
        for (const m of mutations) file = mutate(file, m);
        const what = `${JSON.stringify(mutations)}${asText ? ' (as text)' : ''}`;
        seen[await loadsOrRefuses(asText ? JSON.stringify(file) ?? '' : file, backend, what)]++;
      }),
      runs(FUZZ_RUNS),
    );
    console.log(`model-file fuzzer: ${seen.loaded} loaded, ${seen.refused} refused`);
    // The fuzzer reaches both outcomes (else it would test only one side).
    expect(seen.loaded).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  }, timeout(FUZZ_RUNS, 100));

  it('as text cut, garbled and spliced: loads as a working network, or is refused cleanly', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(TEXT_MUTATION, { minLength: 1, maxLength: 3 }), fc.constantFrom(...BACKENDS), async (which, mutations, backend) => {
        let text = JSON.stringify(files[which % files.length]);
        for (const m of mutations) text = mutateText(text, m);
        await loadsOrRefuses(text, backend, JSON.stringify(mutations));
      }),
      runs(FUZZ_RUNS),
    );
  }, timeout(FUZZ_RUNS, 100));
});
