// @ts-check
// Question: how many MNIST samples per second does each system train a 784-128-10 classifier on
// (sigmoid hidden, softmax + categorical cross-entropy, SGD lr 0.1, batch 32)? And, beside the targets,
// with Adam, the optimizer most users pick: engram-wasm against TF.js wasm.

import { tf, useTf } from './lib/systems.mjs';
import { runInterleaved, ms } from './lib/run.mjs';
import { formatNumber, formatRatio, formatTime, markdownTable, meets } from './lib/format.mjs';
import { engramMlp, tfMlp, brainMlp, digits, ADAM, BATCH, LEARNING_RATE } from './lib/mlp.mjs';
import { isMain, runStandalone } from './lib/main.mjs';

/** Samples per timed call, per system: about 0.1–1 s each on a 2-core machine. @type {Record<string, number>} */
const SAMPLES = {
  'engram-wasm': 2048,
  'engram-js': 128,
  'tfjs-wasm': 512,
  'tfjs-cpu': 192,
  'brain.js': 160,
};

export async function run() {
  const data = digits(Math.max(...Object.values(SAMPLES)));
  /** @type {import('./lib/run.mjs').TaskSpec[]} */
  const tasks = [];

  // SGD on every system; Adam, beside the targets, on engram-wasm and TF.js wasm: the same calls on the
  // same samples (and tensors) as their SGD tasks.
  const optimizersOn = (/** @type {string} */ backend) => /** @type {('sgd' | 'adam')[]} */ (backend === 'wasm' ? ['sgd', 'adam'] : ['sgd']);
  for (const backend of /** @type {const} */ (['wasm', 'js'])) {
    const system = `engram-${backend}`;
    const n = SAMPLES[system];
    const inputs = data.inputs.slice(0, n);
    const targets = data.targets.slice(0, n);
    for (const optimizer of optimizersOn(backend)) {
      const net = await engramMlp(backend, optimizer);
      const name = `${system}:train-${optimizer === 'adam' ? 'adam-' : ''}epoch-${n}`;
      tasks.push({ name, fn: () => net.train(inputs, targets, { epochs: 1, batchSize: BATCH }) });
    }
  }

  for (const backend of /** @type {const} */ (['wasm', 'cpu'])) {
    const system = `tfjs-${backend}`;
    const n = SAMPLES[system];
    await useTf(backend);
    const xs = tf.tensor2d(data.inputs.slice(0, n).map((r) => Array.from(r)));
    const ys = tf.tensor2d(data.targets.slice(0, n).map((r) => Array.from(r)));
    for (const optimizer of optimizersOn(backend)) {
      const model = tfMlp(optimizer);
      tasks.push({
        name: `${system}:fit-${optimizer === 'adam' ? 'adam-' : ''}epoch-${n}`,
        before: () => useTf(backend),
        fn: async () => model.fit(xs, ys, { epochs: 1, batchSize: BATCH, shuffle: true, verbose: 0, yieldEvery: 'never' }),
      });
    }
  }

  const brainNet = brainMlp();
  const brainData = data.pairs.slice(0, SAMPLES['brain.js']);
  const brainOptions = { iterations: 1, errorThresh: 1e-12, learningRate: LEARNING_RATE };
  brainNet.train(brainData.slice(0, 10), brainOptions);
  tasks.push({ name: `brain.js:train-1-iteration-${brainData.length}`, fn: () => brainNet.train(brainData, brainOptions) });

  const results = await runInterleaved(tasks, { rounds: 3, time: 0, iterations: 1, warmupTime: 0 });
  /** @param {string} system */
  const rate = (system, adam = false) => {
    const task = tasks.find((t) => t.name.startsWith(`${system}:`) && t.name.includes('-adam-') === adam);
    return SAMPLES[system] / (ms(results, /** @type {NonNullable<typeof task>} */ (task).name) / 1000);
  };
  const adam = { wasm: rate('engram-wasm', true), tfWasm: rate('tfjs-wasm', true) };
  const s = {
    wasm: rate('engram-wasm'), js: rate('engram-js'), tfWasm: rate('tfjs-wasm'), tfCpu: rate('tfjs-cpu'), brain: rate('brain.js'),
  };
  const row = (/** @type {string} */ system, /** @type {number} */ perSecond, /** @type {string} */ note) => [
    system, formatNumber(perSecond), formatTime(1000 / perSecond * BATCH), formatRatio(s.wasm / perSecond), SAMPLES[system], note,
  ];
  const markdown = [
    markdownTable(['system', 'samples/s (median)', 'per 32 samples', 'engram-wasm faster by', 'samples per timed call', 'what is timed'], [
      row('engram-wasm', s.wasm, '`net.train(inputs, targets, { epochs: 1, batchSize: 32 })`, Float32Array rows, shuffled'),
      row('engram-js', s.js, 'same, `backend: \'js\'`'),
      row('tfjs-wasm', s.tfWasm, '`model.fit(xs, ys, { epochs: 1, batchSize: 32, shuffle: true, yieldEvery: \'never\' })`, tensors made beforehand'),
      row('tfjs-cpu', s.tfCpu, 'same on the cpu backend'),
      row('brain.js', s.brain, '`train(pairs, { iterations: 1, learningRate: 0.1 })`: per-sample updates, momentum 0.1, sigmoid output and MSE (its only choices)'),
    ]),
    '',
    'engram\'s call includes validating the samples and staging them in its memory, once per call (one epoch). ' +
      'TF.js\'s `fit` includes its per-epoch callbacks and shuffling.',
    '',
    `With Adam (learning rate ${ADAM.learningRate}, β1 ${ADAM.beta1}, β2 ${ADAM.beta2}, ε ${ADAM.epsilon}: TF.js's defaults, set in both), not one of the targets:`,
    '',
    markdownTable(['system', 'samples/s (median)', 'per 32 samples', 'engram-wasm faster by'], [
      ['engram-wasm', formatNumber(adam.wasm), formatTime(1000 / adam.wasm * BATCH), formatRatio(1)],
      ['tfjs-wasm', formatNumber(adam.tfWasm), formatTime(1000 / adam.tfWasm * BATCH), formatRatio(adam.wasm / adam.tfWasm)],
    ]),
  ].join('\n');
  const targets = [
    { id: '2a', target: 'Training 784-128-10: ≥ 8× TF.js layers on its wasm backend', measured: `${formatRatio(s.wasm / s.tfWasm)} (${formatNumber(s.wasm)} vs ${formatNumber(s.tfWasm)} samples/s)`, ok: meets(s.wasm / s.tfWasm, 8, 'atLeast') },
    { id: '2b', target: 'Training: ≥ 40× brain.js', measured: `${formatRatio(s.wasm / s.brain)} (brain.js ${formatNumber(s.brain)} samples/s)`, ok: meets(s.wasm / s.brain, 40, 'atLeast') },
    { id: '2c', target: 'Training: ≥ 20× engram\'s own js backend', measured: `${formatRatio(s.wasm / s.js)} (engram-js ${formatNumber(s.js)} samples/s)`, ok: meets(s.wasm / s.js, 20, 'atLeast') },
  ];
  return { title: 'Training throughput: 784-128-10 on MNIST', markdown, targets };
}

if (isMain(import.meta.url)) await runStandalone(run);
