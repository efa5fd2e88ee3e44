// The Saliency panel: trains a small digit classifier in the page (trainAsync, so the progress line
// keeps moving), then draws a test digit beside its attribution map, a diverging heat map.

import { TEST, TRAIN } from './digits.generated.js';
import { DigitClassifier } from './classifier.js';
import { decodeSet } from './digits.js';
import { grayColours, heatmapColours, paint } from './pictures.js';

/** `backend()` names the backend the page's settings choose. */
export function createSaliencyPanel(backend) {
  const $ = (id) => document.getElementById(id);
  const ui = {
    epochs: $('saliency-epochs'),
    method: $('saliency-method'),
    index: $('saliency-index'),
    indexValue: $('saliency-index-value'),
    train: $('saliency-train'),
    digit: $('saliency-digit'),
    map: $('saliency-map'),
    label: $('saliency-label'),
    mapLabel: $('saliency-map-label'),
    stats: $('saliency-stats'),
  };
  const train = decodeSet(TRAIN);
  const test = decodeSet(TEST);
  let classifier;
  let training = false;
  let accuracy;
  let explanation;
  /** Epochs finished by the network in training, or the trained one. */
  let epochsDone = 0;

  async function run() {
    if (training) return;
    training = true;
    ui.train.disabled = true;
    classifier?.dispose();
    classifier = undefined;
    explanation = undefined;
    accuracy = undefined;
    draw();
    const epochs = Number(ui.epochs.value);
    epochsDone = 0;
    try {
      const next = await DigitClassifier.create({ inputs: train.side * train.side, backend: backend() });
      ui.stats.textContent = `training on ${train.images.length.toLocaleString('en')} digits…`;
      await next.train(train, {
        epochs,
        onEpochEnd: ({ epoch, loss }) => {
          epochsDone = epoch;
          ui.stats.textContent = `epoch ${epoch} / ${epochs} · loss ${loss.toFixed(4)}`;
        },
      });
      classifier = next;
      accuracy = classifier.accuracy(test);
    } catch (error) {
      ui.stats.textContent = error.message;
    } finally {
      training = false;
      ui.train.disabled = false;
    }
    explain();
  }

  function explain() {
    explanation = classifier ? classifier.explain(test.images[index()], ui.method.value) : undefined;
    draw();
  }

  const index = () => Number(ui.index.value);

  function draw() {
    const i = index();
    ui.indexValue.textContent = String(i);
    paint(ui.digit, grayColours(test.images[i]), test.side);
    ui.label.textContent = `test digit ${i}: a ${test.labels[i]}`;
    const context = ui.map.getContext('2d');
    ui.mapLabel.textContent = explanation ? `attribution to class ${explanation.predicted}` : 'attribution';
    if (!explanation) {
      context.fillStyle = '#f4f5f7';
      context.fillRect(0, 0, ui.map.width, ui.map.height);
      return;
    }
    paint(ui.map, heatmapColours(explanation.attributions), test.side);
    const { predicted, probability } = explanation;
    ui.stats.textContent =
      `read as ${predicted} (${(probability * 100).toFixed(1)}%)${predicted === test.labels[i] ? '' : ', wrongly'} · ` +
      `${classifier.net.backend}, ${classifier.epochs} epochs · test accuracy ${(accuracy * 100).toFixed(1)}% on ${test.images.length} digits`;
  }

  ui.train.addEventListener('click', run);
  ui.method.addEventListener('change', explain);
  ui.index.addEventListener('input', explain);
  draw();

  return {
    /** What the panel shows: training progress, accuracy, and the explained digit's label and prediction. */
    state() {
      const i = index();
      return {
        training,
        epochs: epochsDone,
        accuracy,
        index: i,
        label: test.labels[i],
        method: ui.method.value,
        predicted: explanation?.predicted,
        probability: explanation?.probability,
        drawn: explanation !== undefined,
      };
    },
  };
}
