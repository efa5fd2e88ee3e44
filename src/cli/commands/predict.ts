// engram predict: the input rows with the model's answers appended, as CSV on stdout or to --out.

import type { PredictArgs } from '../args.js';
import { readCsv } from '../csv.js';
import { toCsv } from '../csv-write.js';
import { writeFileAtomic } from '../files.js';
import { num } from '../format.js';
import { readModel } from '../model-file.js';
import { decodeOutput, encodeFeatures } from '../preprocess.js';

export async function predict(args: PredictArgs, stdout: NodeJS.WriteStream, stderr: NodeJS.WriteStream): Promise<void> {
  const { cli, net } = await readModel(args.model);
  const { features, target } = cli!.preprocessing;
  const table = readCsv(args.data);
  const outputs = net.predictBatch(encodeFeatures(table, features));

  const header = [...table.header, `predicted_${target.name}`];
  if (target.task === 'classification') header.push(...target.classes.map((c) => `probability_${c}`));
  const rows = table.rows.map((row, r) => {
    const answer = decodeOutput(outputs[r], target);
    if (target.task === 'regression') return [...row, num(answer, 6)];
    return [...row, target.classes[answer], ...Array.from(outputs[r], (p) => p.toFixed(4))];
  });
  const text = toCsv([header, ...rows]);
  if (args.out === undefined) {
    stdout.write(text);
  } else {
    writeFileAtomic(args.out, text);
    stderr.write(`wrote ${rows.length} predictions of "${target.name}" to ${args.out}\n`);
  }
}
