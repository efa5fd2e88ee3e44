// The Memory panel: ten stored digits, their damaged cues and what the memory recalls from them, as
// three rows of pixel images, with each recall's sweeps, convergence and whether it came back exact.

import { PROTOTYPES } from './digits.generated.js';
import { binarize, decodeSet } from './digits.js';
import { damageAll, recallAll } from './memory.js';
import { grayColours, paint } from './pictures.js';

const SIDE = 28;
const ROWS = ['stored', 'damaged', 'recalled'];

/** `backend()` names the backend the page's settings choose. */
export function createMemoryPanel(backend) {
  const $ = (id) => document.getElementById(id);
  const ui = {
    rule: $('memory-rule'),
    noise: $('memory-noise'),
    noiseValue: $('memory-noise-value'),
    damage: $('memory-damage'),
    recall: $('memory-recall'),
    grid: $('memory-grid'),
    stats: $('memory-stats'),
  };
  const digits = decodeSet(PROTOTYPES).images.map((image) => binarize(image));
  const canvases = buildGrid(ui.grid, digits.length);
  let seed = 0;
  let cues = [];
  let results = [];
  let recalledWith;
  let busy = false;

  function damage() {
    seed++;
    cues = damageAll(digits, Number(ui.noise.value), seed);
    results = [];
    draw();
  }

  async function recall() {
    if (busy) return;
    busy = true;
    ui.recall.disabled = true;
    try {
      recalledWith = { rule: ui.rule.value, backend: backend() };
      results = await recallAll(digits, cues, recalledWith);
    } catch (error) {
      results = [];
      ui.stats.textContent = error.message;
      return;
    } finally {
      busy = false;
      ui.recall.disabled = false;
    }
    draw();
  }

  function draw() {
    digits.forEach((digit, d) => {
      paint(canvases.stored[d], grayColours(digit, -1, 1), SIDE);
      paint(canvases.damaged[d], grayColours(cues[d], -1, 1), SIDE);
      const result = results[d];
      const recalled = canvases.recalled[d];
      if (result) paint(recalled, grayColours(result.recalled, -1, 1), SIDE);
      else recalled.getContext('2d').clearRect(0, 0, recalled.width, recalled.height);
      const caption = canvases.captions[d];
      caption.className = `caption ${result ? (result.exact ? 'exact' : 'wrong') : ''}`;
      caption.textContent = result
        ? `${result.exact ? 'exact' : `${digit.length - result.pixelsRight} off`}\n${result.steps} step${result.steps === 1 ? '' : 's'}${result.converged ? '' : ', not converged'}`
        : '';
    });
    const flipped = Math.round(Number(ui.noise.value) * digits[0].length);
    ui.stats.textContent = results.length
      ? `${results.filter((r) => r.exact).length} / ${digits.length} digits recalled exactly by the ${recalledWith.rule} memory on ${recalledWith.backend}.`
      : `Each cue has ${flipped} of ${digits[0].length} pixels flipped. Press Recall.`;
  }

  ui.noise.addEventListener('input', () => (ui.noiseValue.textContent = `${Math.round(Number(ui.noise.value) * 100)}%`));
  ui.noise.addEventListener('change', damage);
  ui.rule.addEventListener('change', () => {
    results = [];
    draw();
  });
  ui.damage.addEventListener('click', damage);
  ui.recall.addEventListener('click', recall);
  damage();

  return {
    /** What the panel shows: its settings, and per digit how many pixels the cue and the recall got right. */
    state() {
      return {
        rule: ui.rule.value,
        noise: Number(ui.noise.value),
        busy,
        recalledWith,
        flipped: cues.map((cue, d) => cue.reduce((n, v, i) => n + (v === digits[d][i] ? 0 : 1), 0)),
        results: results.map(({ steps, converged, pixelsRight, exact }) => ({ steps, converged, pixelsRight, exact })),
      };
    },
  };
}

/** A row label and ten canvases per row, and a caption under each column. */
function buildGrid(grid, count) {
  const canvases = { captions: [] };
  const cell = (tag, className, text) => {
    const element = document.createElement(tag);
    if (className) element.className = className;
    if (text) element.textContent = text;
    grid.append(element);
    return element;
  };
  for (const row of ROWS) {
    cell('span', 'row-label', row);
    canvases[row] = Array.from({ length: count }, (_, d) => {
      const canvas = cell('canvas');
      canvas.width = canvas.height = SIDE;
      canvas.dataset.row = row;
      canvas.dataset.digit = String(d);
      return canvas;
    });
  }
  cell('span');
  for (let d = 0; d < count; d++) canvases.captions.push(cell('span', 'caption'));
  return canvases;
}
