// @ts-check
// The worked example's network written out by hand for exactly its shape: 2 inputs, 2 sigmoid hidden
// units, 1 linear output, mean squared error over the 4 samples, full-batch gradient descent. This is
// the speed a person writing it themselves would get; engram's target is to stay within 1.5× of it.

/**
 * Parameters of the 2-2-1 network, in one Float64Array:
 * [w11, w12, w21, w22 (input i → hidden j at 2i + j), b1, b2, v1, v2 (hidden → output), c].
 */
export const PARAMS = 9;

/**
 * Runs `steps` full-batch gradient-descent steps on X (n×2, flat) and y (n), in place on p.
 * Returns the mean squared error before the last step's update.
 * @param {Float64Array} p @param {Float64Array} x @param {Float64Array} y @param {number} steps @param {number} learningRate
 */
export function trainWorkedExample(p, x, y, steps, learningRate) {
  const n = y.length;
  let loss = 0;
  for (let step = 0; step < steps; step++) {
    let g11 = 0, g12 = 0, g21 = 0, g22 = 0, gb1 = 0, gb2 = 0, gv1 = 0, gv2 = 0, gc = 0;
    loss = 0;
    for (let s = 0; s < n; s++) {
      const x1 = x[2 * s];
      const x2 = x[2 * s + 1];
      // forward
      const h1 = 1 / (1 + Math.exp(-(x1 * p[0] + x2 * p[2] + p[4])));
      const h2 = 1 / (1 + Math.exp(-(x1 * p[1] + x2 * p[3] + p[5])));
      const out = h1 * p[6] + h2 * p[7] + p[8];
      const err = out - y[s];
      loss += err * err;
      // backward: d(mean of err²)/d(out) = 2·err/n
      const d = (2 * err) / n;
      gv1 += d * h1;
      gv2 += d * h2;
      gc += d;
      const d1 = d * p[6] * h1 * (1 - h1);
      const d2 = d * p[7] * h2 * (1 - h2);
      g11 += d1 * x1;
      g21 += d1 * x2;
      gb1 += d1;
      g12 += d2 * x1;
      g22 += d2 * x2;
      gb2 += d2;
    }
    // update
    p[0] -= learningRate * g11;
    p[1] -= learningRate * g12;
    p[2] -= learningRate * g21;
    p[3] -= learningRate * g22;
    p[4] -= learningRate * gb1;
    p[5] -= learningRate * gb2;
    p[6] -= learningRate * gv1;
    p[7] -= learningRate * gv2;
    p[8] -= learningRate * gc;
  }
  return loss / n;
}
