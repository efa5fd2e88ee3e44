// The loss curve drawn in the terminal (asciichart), on a log scale because losses fall by orders of
// magnitude. In colour (a terminal) both curves are drawn; in plain text only the training curve,
// since two uncoloured curves cannot be told apart.

import * as asciichart from 'asciichart';
import { num } from './format.js';

const WIDTH = 60;
const HEIGHT = 8;

export function lossChart(history: readonly number[], valHistory: readonly number[] | undefined, colour: boolean): string {
  if (history.length < 2) return '';
  const series = [resample(history)];
  if (colour && valHistory && valHistory.length === history.length) series.push(resample(valHistory));
  const chart = asciichart.plot(
    series.map((s) => s.map((x) => Math.log10(Math.max(x, 1e-12)))),
    {
      height: HEIGHT,
      format: (y: number) => num(10 ** y, 3).padStart(9),
      colors: colour ? [asciichart.blue, asciichart.yellow] : undefined,
    },
  );
  const legend = colour && series.length > 1
    ? `${asciichart.blue}──${asciichart.reset} training loss   ${asciichart.yellow}──${asciichart.reset} validation loss`
    : 'training loss';
  return `${chart}\n${' '.repeat(11)}epoch 1 … ${history.length}   ${legend} (log scale)`;
}

/** At most WIDTH points: each the mean of its share of the epochs. */
function resample(values: readonly number[]): number[] {
  if (values.length <= WIDTH) return [...values];
  const out: number[] = [];
  for (let i = 0; i < WIDTH; i++) {
    const from = Math.floor((i * values.length) / WIDTH);
    const to = Math.floor(((i + 1) * values.length) / WIDTH);
    let sum = 0;
    for (let j = from; j < to; j++) sum += values[j];
    out.push(sum / (to - from));
  }
  return out;
}
