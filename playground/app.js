// Wires the page together: reads the settings, rebuilds the data and network when they change, and
// while training runs a burst of epochs per animation frame, then redraws the curve, the boundary and
// the speeds. `window.playground.state()` reports what the page shows, for the browser test; the
// Memory and Saliency panels below wire themselves and report through `.memory()` and `.saliency()`.
//
// 'engram' is the package itself: Vite resolves the name through package.json's exports (a package
// may import itself by name), so the page runs dist/, what npm ships.

import { wasmSimdSupported } from 'engram';
import { makeDataset } from './datasets.js';
import { Trainer } from './trainer.js';
import { LossCurve } from './curve.js';
import { createLossChart } from './chart.js';
import { createBoundary } from './boundary.js';

/** Milliseconds of training per frame; drawing takes a few more, so the page keeps ~30 frames a second. */
const BUDGET_MS = 20;
const POINTS = 400;
const DATA_SEED = 1;
const NETWORK_SEED = 42;

/** Under the speeds while one backend trains. */
const ONE_BACKEND_NOTE = wasmSimdSupported()
  ? 'Tick "Compare" to train a js and a wasm copy side by side.'
  : 'This browser lacks WebAssembly SIMD: only the js backend can run.';

const $ = (id) => document.getElementById(id);
const ui = {
  dataset: $('dataset'),
  noise: $('noise'),
  noiseValue: $('noise-value'),
  layers: $('layers'),
  activation: $('activation'),
  optimizer: $('optimizer'),
  learningRate: $('learning-rate'),
  batchSize: $('batch-size'),
  backend: $('backend'),
  compare: $('compare'),
  train: $('train'),
  reset: $('reset'),
  error: $('error'),
  stats: $('stats'),
  speeds: $('speeds'),
  speedNote: $('speed-note'),
};

const chart = createLossChart($('chart'));
// The pictures below the playground use the backend the settings choose. They load after the rest (a
// separate chunk: their digits are most of the page's bytes), so the boundary panel does not wait.
const panels = Promise.all([import('./memory-panel.js'), import('./saliency-panel.js')]).then(([memory, saliency]) => ({
  memory: memory.createMemoryPanel(() => ui.backend.value),
  saliency: saliency.createSaliencyPanel(() => ui.backend.value),
}));
let pictures;
panels.then((loaded) => (pictures = loaded));
const boundary = createBoundary($('boundary'));

let data;
let trainer;
let curve = new LossCurve();
let running = false;
let frames = 0;
/** Bumped by every rebuild, so a slower earlier one that finishes late is thrown away. */
let generation = 0;

if (!wasmSimdSupported()) {
  ui.backend.value = 'js';
  ui.backend.querySelector('option[value="wasm"]').disabled = true;
  ui.compare.disabled = true;
}

/** The settings as the form shows them; throws a RangeError for hidden layers it cannot read. */
function readSettings() {
  const text = ui.layers.value.trim();
  const layers = text === '' ? [] : text.split(/[\s,]+/).map(Number);
  if (layers.some((units) => !Number.isInteger(units) || units < 1 || units > 1024)) {
    throw new RangeError(`hidden layers must be whole numbers from 1 to 1024, separated by commas; got "${text}"`);
  }
  return {
    layers,
    activation: ui.activation.value,
    optimizer: ui.optimizer.value,
    learningRate: Number(ui.learningRate.value),
    batchSize: Number(ui.batchSize.value),
    backend: ui.backend.value,
    seed: NETWORK_SEED,
  };
}

async function rebuild() {
  const current = ++generation;
  const nextData = makeDataset(ui.dataset.value, { count: POINTS, noise: Number(ui.noise.value), seed: DATA_SEED });
  let next;
  try {
    next = await Trainer.create(readSettings(), nextData);
    if (ui.compare.checked) await next.setCompare(true);
  } catch (error) {
    // Settings the form cannot read, or a network engram refuses: say why, keep the last network.
    if (current === generation) ui.error.textContent = error.message;
    next?.dispose();
    return;
  }
  if (current !== generation) {
    next.dispose();
    return;
  }
  ui.error.textContent = '';
  trainer?.dispose();
  trainer = next;
  data = nextData;
  curve = new LossCurve();
  drawAll();
}

function drawAll() {
  chart.draw(curve);
  boundary.draw(trainer.net, data);
  const { loss, accuracy } = trainer.evaluate();
  ui.stats.textContent = `epoch ${trainer.epoch.toLocaleString('en')} · loss ${formatLoss(loss)} · accuracy ${(accuracy * 100).toFixed(1)}%`;
  if (trainer.diverged) ui.stats.textContent += ' · diverged: lower the learning rate and reset';
  drawSpeeds();
}

/** 0.6931, 0.0123, then 4.56e-5: a trained network's loss is not 0.0000. */
function formatLoss(loss) {
  return loss >= 1e-3 ? loss.toFixed(4) : loss.toExponential(2);
}

function drawSpeeds() {
  const speeds = trainer.speeds();
  const names = Object.keys(speeds);
  if (names.length === 0) {
    ui.speeds.innerHTML = '<p class="muted">Train to measure steps (batches) per second.</p>';
    ui.speedNote.textContent = trainer.comparing ? '' : ONE_BACKEND_NOTE;
    return;
  }
  ui.speeds.replaceChildren(
    ...names.map((name) => {
      const box = document.createElement('div');
      box.className = 'speed';
      box.dataset.backend = name;
      box.innerHTML = `<span>${name}</span><strong>${Math.round(speeds[name]).toLocaleString('en')}</strong><span>steps/s</span>`;
      return box;
    }),
  );
  if (speeds.wasm && speeds.js) {
    const gap = Math.abs(trainer.twinLoss - curve.last);
    ui.speedNote.textContent =
      `wasm is ${(speeds.wasm / speeds.js).toFixed(1)}× as fast as js on the same epochs; ` +
      `their last epoch losses differ by ${gap.toExponential(1)}.`;
  } else {
    ui.speedNote.textContent = ONE_BACKEND_NOTE;
  }
}

function frame() {
  if (!running) return;
  if (trainer) {
    const losses = trainer.burst(BUDGET_MS);
    if (losses.length > 0) {
      curve.add(losses);
      drawAll();
      frames++;
    }
    if (trainer.diverged) setRunning(false);
  }
  requestAnimationFrame(frame);
}

function setRunning(on) {
  running = on;
  ui.train.textContent = on ? 'Pause' : 'Train';
  ui.train.classList.toggle('running', on);
  if (on) requestAnimationFrame(frame);
}

for (const control of [ui.dataset, ui.noise, ui.layers, ui.activation, ui.optimizer, ui.learningRate, ui.batchSize, ui.backend]) {
  control.addEventListener('change', rebuild);
}
ui.noise.addEventListener('input', () => (ui.noiseValue.textContent = Number(ui.noise.value).toFixed(2)));
ui.compare.addEventListener('change', async () => {
  if (!trainer) return;
  await trainer.setCompare(ui.compare.checked);
  drawSpeeds();
});
// Enter in the layers field would submit the form, reloading the page; it applies the field instead.
$('settings').addEventListener('submit', (event) => event.preventDefault());
ui.train.addEventListener('click', () => setRunning(!running));
ui.reset.addEventListener('click', rebuild);

window.playground = {
  /** What the page shows now: settings, progress, the loss curve's points, speeds. */
  state() {
    return {
      dataset: data?.name,
      backend: trainer?.net.backend,
      comparing: trainer?.comparing ?? false,
      running,
      frames,
      epoch: trainer?.epoch ?? 0,
      diverged: trainer?.diverged ?? false,
      curve: { epochs: [...curve.epochs], losses: [...curve.losses] },
      speeds: trainer?.speeds() ?? {},
      twinLoss: trainer?.twinLoss,
      lastLoss: curve.last,
    };
  },
  /** The Memory and Saliency panels: what each shows now (undefined until `ready`). */
  memory: () => pictures?.memory.state(),
  saliency: () => pictures?.saliency.state(),
  ready: Promise.all([rebuild(), panels]).then(() => undefined),
};
