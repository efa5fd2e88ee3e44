// engram evaluate: how well a model does on a labelled CSV file it has not seen.

import type { EvaluateArgs } from '../args.js';
import { readCsv } from '../csv.js';
import { num, percent, plural, table as formatTable } from '../format.js';
import { classificationScores, regressionScores } from '../metrics.js';
import { readModel } from '../model-file.js';
import { decodeOutput, encodeFeatures, encodeTargets, targetAnswers } from '../preprocess.js';

export async function evaluate(args: EvaluateArgs, stdout: NodeJS.WriteStream): Promise<void> {
  const print = (line = '') => stdout.write(line + '\n');
  const { cli, net } = await readModel(args.model);
  const { features, target } = cli!.preprocessing;
  const table = readCsv(args.data);
  const x = encodeFeatures(table, features);
  const actual = targetAnswers(table, target);
  const predicted = net.predictBatch(x).map((o) => decodeOutput(o, target));
  const loss = net.evaluate(x, encodeTargets(table, target)).loss;

  print(`${args.data}: ${plural(table.rows.length, 'row')}, target "${target.name}"`);
  if (target.task === 'classification') {
    const scores = classificationScores(actual, predicted, target.classes.length);
    print(`accuracy ${percent(scores.accuracy)} (${scores.correct}/${actual.length})   loss ${num(loss)} (${net.loss})`);
    print();
    print('confusion matrix (rows: actual, columns: predicted)');
    const rows = [['', ...target.classes], ...target.classes.map((c, i) => [c, ...scores.confusion[i].map(String)])];
    print(formatTable(rows));
  } else {
    const scores = regressionScores(actual, predicted);
    print(`MAE ${num(scores.mae)}   RMSE ${num(scores.rmse)}   R² ${num(scores.r2, 3)}   loss ${num(loss)} (${net.loss}, standardized target)`);
  }
}
