// engram export: a model file as an ONNX model, for ONNX Runtime and the other engines that read ONNX.
//
// The graph is the network alone. Its input is the encoded row, as `engram info` lists it: numeric
// columns standardized ((x − mean) / std), categorical ones one-hot; its output is the class
// probabilities, or the standardized target for a regression. The file's metadata carries what a
// program needs to build the input and read the output: the input and output names in order, and the
// whole preprocessing as JSON.

import type { ExportArgs } from '../args.js';
import { writeFileAtomic } from '../files.js';
import { plural } from '../format.js';
import { readModel } from '../model-file.js';
import type { Network } from '../../index.js';
import type { Feature, Preprocessing } from '../preprocess.js';

export async function exportModel(args: ExportArgs, stdout: NodeJS.WriteStream): Promise<void> {
  const { cli, net } = await readModel(args.model, true);
  for (const line of writeONNX(args.onnx, net, cli?.preprocessing)) stdout.write(line + '\n');
}

/** Writes the network as ONNX, with the preprocessing in its metadata; returns lines that describe the file. */
export function writeONNX(file: string, net: Network, preprocessing?: Preprocessing): string[] {
  const inputs = preprocessing ? inputNames(preprocessing.features) : undefined;
  const outputs = preprocessing ? outputNames(preprocessing) : undefined;
  const metadata: Record<string, string> = {};
  if (preprocessing) {
    metadata['engram.inputs'] = inputs!.join(',');
    metadata['engram.outputs'] = outputs!.join(',');
    metadata['engram.preprocessing'] = JSON.stringify(preprocessing);
  }
  writeFileAtomic(file, net.toONNX({ metadata }));
  const outputWidth = net.layers[net.layers.length - 1].units;
  const lines = [
    `wrote ${file}: ONNX (IR 8, opset 13), input "input" float32 [batch, ${net.inputs}] → output "output" float32 [batch, ${outputWidth}]`,
  ];
  if (!preprocessing) {
    lines.push(`  a bare network file: the input is ${plural(net.inputs, 'number')} per row, as the network was trained on`);
    return lines;
  }
  const standardized = preprocessing.features.some((f) => f.kind === 'numeric');
  const oneHot = preprocessing.features.some((f) => f.kind === 'categorical');
  const encoding = [standardized && 'numeric columns standardized ((x − mean) / std)', oneHot && 'categorical ones one-hot']
    .filter(Boolean).join(', ');
  lines.push(`  input, in order: ${inputs!.join(', ')} (${encoding}; engram info lists the means and stds)`);
  const { target } = preprocessing;
  lines.push(
    target.task === 'classification'
      ? `  output: the probability of each class of "${target.name}": ${target.classes.join(', ')}`
      : `  output: "${target.name}" standardized: multiply by ${target.std} and add ${target.mean}`,
  );
  lines.push('  metadata: engram.inputs, engram.outputs, and engram.preprocessing (the whole encoding, as JSON)');
  return lines;
}

/** One name per network input: the column, or column=category for a one-hot input. */
function inputNames(features: readonly Feature[]): string[] {
  return features.flatMap((f) => (f.kind === 'numeric' ? [f.name] : f.categories.map((c) => `${f.name}=${c}`)));
}

function outputNames({ target }: Preprocessing): string[] {
  return target.task === 'classification' ? target.classes.map((c) => `${target.name}=${c}`) : [target.name];
}
