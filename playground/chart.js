// The loss chart: uPlot, drawing a LossCurve (curve.js) as log-scaled loss against epochs.

import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** 1, 0.1, 0.01, 0.001, then 1e-4: uPlot's default would round the small ones to 0. */
function formatTick(value) {
  if (value == null) return '';
  return value >= 1e-3 ? String(Number(value.toPrecision(1))) : value.toExponential(0);
}

/** A uPlot chart in `element`; draw(curve) shows a LossCurve as it is now. */
export function createLossChart(element) {
  const plot = new uPlot(
    {
      width: element.clientWidth,
      height: 180,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: false }, y: { distr: 3 } },
      axes: [
        { label: 'epoch', size: 36, labelSize: 16 },
        { label: 'loss', size: 52, labelSize: 16, values: (_plot, ticks) => ticks.map(formatTick) },
      ],
      series: [{}, { label: 'loss', stroke: '#0877bd', width: 2 }],
    },
    [[], []],
    element,
  );
  return {
    draw(curve) {
      plot.setData([curve.epochs, curve.losses]);
    },
  };
}
