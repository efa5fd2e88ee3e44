// The soak test: trains without stopping for a given number of minutes, and every few seconds prints
// what the process holds (JS heap, WebAssembly memory, RSS) and how fast it trains. Not part of
// `npm test`; run it before a release, or after a change to memory handling, and read the columns: after
// the first readings none of the memory ones should keep climbing.
//
//   npm run soak -- --minutes 10 [--backend wasm|js] [--every 5]
//
// One network trains throughout (alternating train and trainAsync calls), while small networks are
// created, trained and disposed beside it, ten alive at any time. Imports what ships: run `npm run build` first.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measure, watchWasmMemory } from './memory-watch.mjs';

const { values: args } = parseArgs({
  options: { minutes: { type: 'string', default: '1' }, backend: { type: 'string' }, every: { type: 'string', default: '5' } },
});
const minutes = Number(args.minutes);
const every = Number(args.every);
if (!(minutes > 0) || !(every > 0)) {
  console.error('usage: npm run soak -- --minutes N [--backend wasm|js] [--every SECONDS]');
  process.exit(2);
}
if (!existsSync(fileURLToPath(new URL('../dist/index.js', import.meta.url)))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}
if (typeof globalThis.gc !== 'function') {
  console.error('note: without --expose-gc the heap column includes garbage not yet collected (npm run soak passes it)');
}

watchWasmMemory();
const { Network } = await import('../dist/index.js');

// A small classification task, fixed for the whole run: 16 inputs, 4 classes.
let seed = 1;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const inputs = Array.from({ length: 512 }, () => Array.from({ length: 16 }, () => random() * 2 - 1));
const targets = inputs.map((x) => {
  // Mostly a function of the inputs, one label in ten at random: the loss never reaches zero.
  const c = random() < 0.1 ? Math.floor(random() * 4) : (x[0] * x[3] > 0 ? 1 : 0) + (Math.sin(3 * x[1]) + x[2] > 0 ? 2 : 0);
  return [0, 1, 2, 3].map((k) => (k === c ? 1 : 0));
});
const BATCH = 32;

const main = await Network.create({
  inputs: 16,
  layers: [{ units: 64, activation: 'relu' }, { units: 64, activation: 'tanh' }, { units: 4, activation: 'softmax' }],
  loss: 'categoricalCrossentropy',
  optimizer: { type: 'adam', learningRate: 0.001 },
  seed: 1,
  backend: args.backend,
});
const backend = main.backend;

const mib = (bytes) => (bytes / 2 ** 20).toFixed(1).padStart(7);
const columns = ['time', 'steps/s', 'samples/s', 'networks', 'loss', 'heap MiB', 'wasm MiB', 'wasm live', 'buffers MiB', 'rss MiB'];
console.log(`soak: ${minutes} min on ${backend}, a reading every ${every} s`);
console.log(columns.map((c) => c.padStart(10)).join(' '));

const started = performance.now();
const end = started + minutes * 60_000;
let steps = 0;
let samples = 0;
let networks = 1;
let loss = NaN;
let lastAt = started;
let lastSteps = 0;
let lastSamples = 0;
let nextReading = started + every * 1000;
let first;
let last;
const alive = [];

async function report(now) {
  const m = await measure();
  const seconds = (now - lastAt) / 1000;
  const rates = [(steps - lastSteps) / seconds, (samples - lastSamples) / seconds];
  lastAt = now;
  lastSteps = steps;
  lastSamples = samples;
  const cells = [
    `${((now - started) / 1000).toFixed(0)}s`, rates[0].toFixed(0), rates[1].toFixed(0), String(networks), loss.toExponential(2),
    mib(m.heapUsed), mib(m.wasmBytes), String(m.wasmLive), mib(m.arrayBuffers), mib(m.rss),
  ];
  console.log(cells.map((c) => c.padStart(10)).join(' '));
  first ??= m;
  last = m;
}

for (let round = 0; performance.now() < end; round++) {
  const options = { epochs: 4, batchSize: BATCH };
  const result = round % 2 ? await main.trainAsync(inputs, targets, options) : main.train(inputs, targets, options);
  steps += result.epochs * Math.ceil(inputs.length / BATCH);
  samples += result.epochs * inputs.length;
  loss = result.loss;
  if (result.stopReason === 'diverged') throw new Error(`the soak's network diverged in round ${round}`);

  const small = await Network.create({
    inputs: 16, layers: [{ units: 1 + (round % 13), activation: 'tanh' }, { units: 4, activation: 'softmax' }],
    loss: 'categoricalCrossentropy', seed: round, backend,
  });
  small.train(inputs.slice(0, 64), targets.slice(0, 64), { epochs: 1, batchSize: 16 });
  steps += 4;
  samples += 64;
  networks++;
  alive.push(small);
  if (alive.length > 10) alive.shift().dispose();

  const now = performance.now();
  if (now >= nextReading) {
    await report(now);
    nextReading += every * 1000;
  }
}
console.log(
  `soak: done, ${steps} steps, ${networks} networks; heap ${mib(first.heapUsed).trim()} → ${mib(last.heapUsed).trim()} MiB, ` +
    `WebAssembly memory ${mib(first.wasmBytes).trim()} → ${mib(last.wasmBytes).trim()} MiB, RSS ${mib(first.rss).trim()} → ${mib(last.rss).trim()} MiB`,
);
