// engram info: what a model file holds: its columns and their encoding, the network's architecture,
// and how training went.

import type { InfoArgs } from '../args.js';
import { lossChart } from '../chart.js';
import { num, percent, plural, table, useColour } from '../format.js';
import { readModel } from '../model-file.js';

export async function info(args: InfoArgs, stdout: NodeJS.WriteStream): Promise<void> {
  const print = (line = '') => stdout.write(line + '\n');
  const { cli, net } = await readModel(args.model, true);
  print(`${args.model}: ${cli ? 'engram command-line model (engram-cli-model, version 1)' : 'engram network file (no CSV preprocessing)'}`);

  if (cli) {
    const { features, target } = cli.preprocessing;
    print();
    print(
      target.task === 'classification'
        ? `predicts "${target.name}": classification into ${plural(target.classes.length, 'class', 'classes')}: ${target.classes.join(', ')}`
        : `predicts "${target.name}": regression (standardized with mean ${num(target.mean)}, std ${num(target.std)})`,
    );
    print(`features (${plural(features.length, 'column')} → ${plural(net.inputs, 'input')}):`);
    print(
      table(
        features.map((f) =>
          f.kind === 'numeric'
            ? [f.name, 'numeric', `mean ${num(f.mean)}, std ${num(f.std)}`]
            : [f.name, 'categorical', `one-hot over ${f.categories.join(', ')}`],
        ),
        '  ',
        [0, 1, 2],
      ),
    );
  }

  print();
  print('network:');
  let fanIn = net.inputs;
  const rows = [['layer', 'units', 'activation', 'parameters']];
  net.layers.forEach((layer, i) => {
    rows.push([String(i + 1), String(layer.units), layer.activation, String(fanIn * layer.units + layer.units)]);
    fanIn = layer.units;
  });
  print(table(rows, '  ', [0, 2]));
  const optimizer = net.optimizer;
  print(`  ${plural(net.inputs, 'input')}, ${plural(net.parameterCount, 'parameter')}; loss ${net.loss}; optimizer ${optimizer.type} (learning rate ${optimizer.learningRate}); seed ${net.seed}`);

  if (cli) {
    const t = cli.training;
    print();
    const stopped = t.stopReason === 'epochs' ? '' : ` (stopped early: ${t.stopReason})`;
    print(`training: ${t.file}, ${plural(t.rows, 'row')} (${t.trainRows} training, ${t.validationRows} validation); ${plural(t.epochs, 'epoch')}${stopped}`);
    let line = `  final loss ${num(t.loss)}`;
    if (t.valLoss !== undefined) line += `, validation loss ${num(t.valLoss)}`;
    if (t.valAccuracy !== undefined) line += `, validation accuracy ${percent(t.valAccuracy)}`;
    print(line);
    const chart = lossChart(t.history, t.valHistory, useColour(stdout));
    if (chart) {
      print();
      print(chart);
    }
  }
}
