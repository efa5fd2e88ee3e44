// @ts-check
// Question: how long does one sample take to go through a 784-128-10 network, call to result?

import { tf, useTf } from './lib/systems.mjs';
import { runInterleaved, ms } from './lib/run.mjs';
import { formatRatio, formatTime, markdownTable, meets } from './lib/format.mjs';
import { engramMlp, tfMlp, brainMlp, digits } from './lib/mlp.mjs';
import { isMain, runStandalone } from './lib/main.mjs';

export async function run() {
  const data = digits(16);
  const sample = data.inputs[3];
  const sampleArray = Array.from(sample);
  /** @type {import('./lib/run.mjs').TaskSpec[]} */
  const tasks = [];

  for (const backend of /** @type {const} */ (['wasm', 'js'])) {
    const net = await engramMlp(backend);
    tasks.push({ name: `engram-${backend}:predict-1`, fn: () => net.predict(sample) });
  }
  for (const backend of /** @type {const} */ (['wasm', 'cpu'])) {
    await useTf(backend);
    const model = tfMlp();
    tasks.push({
      name: `tfjs-${backend}:predict-1`,
      before: () => useTf(backend),
      // The sample arrives as a Float32Array like engram's; making its tensor is part of the call.
      fn: () => tf.tidy(() => /** @type {import('@tensorflow/tfjs-core').Tensor} */ (model.predict(tf.tensor2d(sample, [1, 784]))).dataSync()),
    });
  }
  const brainNet = brainMlp();
  brainNet.train(data.pairs, { iterations: 1 });
  tasks.push({ name: 'brain.js:run-1', fn: () => brainNet.run(sampleArray) });

  const results = await runInterleaved(tasks, { rounds: 3, time: 150, iterations: 50, warmupTime: 100 });
  const t = {
    wasm: ms(results, 'engram-wasm:predict-1'),
    js: ms(results, 'engram-js:predict-1'),
    tfWasm: ms(results, 'tfjs-wasm:predict-1'),
    tfCpu: ms(results, 'tfjs-cpu:predict-1'),
    brain: ms(results, 'brain.js:run-1'),
  };
  const row = (/** @type {string} */ system, /** @type {number} */ time, /** @type {string} */ note) =>
    [system, formatTime(time), formatRatio(time / t.wasm), note];
  const markdown = markdownTable(['system', 'latency (median)', 'engram-wasm faster by', 'what is timed'], [
    row('engram-wasm', t.wasm, '`net.predict(float32Sample)` → Float32Array'),
    row('engram-js', t.js, 'same, `backend: \'js\'`'),
    row('tfjs-wasm', t.tfWasm, '`tf.tidy(() => model.predict(tf.tensor2d(sample, [1, 784])).dataSync())`'),
    row('tfjs-cpu', t.tfCpu, 'same on the cpu backend'),
    row('brain.js', t.brain, '`net.run(sampleArray)`'),
  ]);
  const targets = [
    { id: '4', target: 'Single-sample predict on 784-128-10: ≥ 20× faster than TF.js wasm `model.predict`', measured: `${formatRatio(t.tfWasm / t.wasm)} (${formatTime(t.wasm)} vs ${formatTime(t.tfWasm)})`, ok: meets(t.tfWasm / t.wasm, 20, 'atLeast') },
  ];
  return { title: 'Single-sample predict latency: 784-128-10', markdown, targets };
}

if (isMain(import.meta.url)) await runStandalone(run);
