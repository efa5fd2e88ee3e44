// engram train: read a CSV file, learn its preprocessing, train a network with a held-out validation
// split, show progress, and write the model file.

import { basename } from 'node:path';
import { Network, type TrainResult } from '../../index.js';
import { Rng } from '../../rng.js';
import type { TrainArgs } from '../args.js';
import { lossChart } from '../chart.js';
import { readCsv } from '../csv.js';
import { CliError } from '../errors.js';
import { num, percent, plural, useColour } from '../format.js';
import { classificationScores, regressionScores } from '../metrics.js';
import { CLI_FORMAT, CLI_VERSION, writeModel, type TrainingSummary } from '../model-file.js';
import { writeONNX } from './export.js';
import {
  decodeOutput, encodeFeatures, encodeTargets, fitPreprocessing, inputWidth, outputWidth, type Preprocessing,
} from '../preprocess.js';
import { createProgress, type EpochReport } from '../progress.js';

const STOP_REASONS: Record<string, string> = {
  epochs: 'all epochs done',
  errorThreshold: 'loss reached the threshold',
  callback: 'stopped',
  diverged: 'the loss stopped being finite; kept the weights from before that epoch (try a smaller --learning-rate)',
};

export async function train(args: TrainArgs, stdout: NodeJS.WriteStream): Promise<void> {
  const print = (line = '') => stdout.write(line + '\n');
  const table = readCsv(args.data);
  const n = table.rows.length;

  // Rows are shuffled before the split: CSV files are often sorted (by class, by date), and the
  // network holds out the last rows it is given. The same formula as Network.train's split.
  const trainCount = Math.floor(n * (1 - args.validation));
  if (trainCount < 1) throw new CliError(`${args.data}: --validation ${args.validation} leaves no training rows out of ${n}`);
  const validationCount = n - trainCount;
  const order = shuffledIndices(n, args.seed);

  const prep = fitPreprocessing(table, {
    target: args.target,
    features: args.features,
    categorical: args.categorical,
    task: args.task,
    fitRows: order.slice(0, trainCount),
  });
  const allInputs = encodeFeatures(table, prep.features);
  const allTargets = encodeTargets(table, prep.target);
  const x = order.map((r) => allInputs[r]);
  const y = order.map((r) => allTargets[r]);
  const classification = prep.target.task === 'classification';

  let net: Network;
  try {
    net = await Network.create({
      inputs: inputWidth(prep.features),
      layers: [
        ...args.layers.map((units) => ({ units, activation: args.activation })),
        { units: outputWidth(prep.target), activation: classification ? 'softmax' : 'linear' },
      ],
      loss: classification ? 'categoricalCrossentropy' : 'mse',
      optimizer: { type: args.optimizer, learningRate: args.learningRate },
      seed: args.seed,
    });
  } catch (error) {
    throw new CliError(`cannot build the network: ${(error as Error).message}`);
  }

  describeSetup(print, args, prep, net, trainCount, validationCount);

  const xVal = x.slice(trainCount);
  const yVal = y.slice(trainCount);
  const progress = createProgress(args.epochs, stdout);
  const started = Date.now();
  let result: TrainResult;
  try {
    result = await net.trainAsync(x, y, {
      epochs: args.epochs,
      batchSize: args.batchSize,
      validationSplit: validationCount > 0 ? args.validation : 0,
      onEpochEnd: ({ epoch, loss, valLoss }) => {
        const report: EpochReport = { epoch: epoch + 1, loss, valLoss };
        // Between epochs the network is idle, so scoring the validation rows is safe.
        if (classification && validationCount > 0) report.valAccuracy = net.evaluate(xVal, yVal).accuracy;
        progress.update(report);
      },
    });
  } catch (error) {
    throw new CliError(`training stopped: ${(error as Error).message}`);
  } finally {
    progress.stop();
  }
  const seconds = (Date.now() - started) / 1000;

  print();
  print(`trained ${plural(result.epochs, 'epoch')} in ${seconds.toFixed(1)} s: ${STOP_REASONS[result.stopReason]}`);
  const parts: [string, number, number][] = [['training', 0, trainCount]];
  if (validationCount > 0) parts.push(['validation', trainCount, n]);
  let valAccuracy: number | undefined;
  for (const [name, from, to] of parts) {
    const loss = net.evaluate(x.slice(from, to), y.slice(from, to)).loss;
    const outputs = net.predictBatch(x.slice(from, to));
    const predicted = outputs.map((o) => decodeOutput(o, prep.target));
    const actual = y.slice(from, to).map((t) => decodeOutput(t, prep.target));
    let line = `  ${name.padEnd(10)}  ${plural(to - from, 'row').padStart(8)}  loss ${num(loss)}`;
    if (classification) {
      const scores = classificationScores(actual, predicted, outputWidth(prep.target));
      line += `  accuracy ${percent(scores.accuracy)} (${scores.correct}/${to - from})`;
      if (name === 'validation') valAccuracy = scores.accuracy;
    } else {
      const scores = regressionScores(actual, predicted);
      line += `  MAE ${num(scores.mae)}  RMSE ${num(scores.rmse)}  R² ${num(scores.r2, 3)}`;
    }
    print(line);
  }
  const chart = lossChart(result.history, result.valHistory, useColour(stdout));
  if (chart) {
    print();
    print(chart);
  }

  const training: TrainingSummary = {
    file: basename(args.data),
    rows: n,
    trainRows: trainCount,
    validationRows: validationCount,
    epochs: result.epochs,
    stopReason: result.stopReason,
    loss: result.loss,
    history: result.history.map(round),
  };
  if (result.valLoss !== undefined) training.valLoss = result.valLoss;
  if (valAccuracy !== undefined) training.valAccuracy = valAccuracy;
  if (result.valHistory) training.valHistory = result.valHistory.map(round);
  writeModel(args.out, { format: CLI_FORMAT, version: CLI_VERSION, preprocessing: prep, training, network: net.toJSON() });
  print();
  print(`wrote ${args.out}`);
  if (args.onnx !== undefined) for (const line of writeONNX(args.onnx, net, prep)) print(line);
  print(`next: engram evaluate ${args.out} <test.csv>   engram predict ${args.out} <new.csv>`);
}

function describeSetup(
  print: (line?: string) => void, args: TrainArgs, prep: Preprocessing, net: Network, trainCount: number, validationCount: number,
): void {
  const { target, features } = prep;
  const numeric = features.filter((f) => f.kind === 'numeric').length;
  const categorical = features.length - numeric;
  print(`${args.data}: ${plural(trainCount + validationCount, 'row')}, target "${target.name}"`);
  print(
    target.task === 'classification'
      ? `  classification into ${plural(target.classes.length, 'class', 'classes')}: ${target.classes.join(', ')}`
      : `  regression (target mean ${num(target.mean)}, std ${num(target.std)})`,
  );
  print(
    `  features: ${numeric} numeric (standardized)` +
      (categorical > 0 ? `, ${categorical} categorical (one-hot)` : '') +
      ` → ${plural(net.inputs, 'input')}`,
  );
  const shape = [String(net.inputs), ...net.layers.map((l) => `${l.units} ${l.activation}`)].join(' → ');
  print(`  network: ${shape}; ${plural(net.parameterCount, 'parameter')}; ${net.loss}; ${args.optimizer} (learning rate ${args.learningRate}); seed ${args.seed}; ${net.backend} backend`);
  print(`  split: ${trainCount} training rows, ${validationCount} validation rows (shuffled with the seed)`);
  // Names and identifiers are the usual culprits: a category per row generalizes to nothing.
  for (const f of features) {
    const rows = trainCount + validationCount;
    if (f.kind === 'categorical' && f.categories.length > 20 && f.categories.length * 2 > rows) {
      print(`  note: column "${f.name}" has ${f.categories.length} different values in ${rows} rows, too many to learn from as categories; --features can leave it out`);
    }
  }
  print();
}

/** 0…n−1 in a random order fixed by the seed (Fisher–Yates). */
function shuffledIndices(n: number, seed: number): number[] {
  const rng = new Rng(seed ^ 0x5eed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** Loss histories are stored to 6 significant digits: enough for a chart, a fraction of the size. */
function round(x: number): number {
  return Number(x.toPrecision(6));
}
