// The Saliency panel's model, without the page: a small digit classifier (14×14 pixels → 32 relu → 10
// softmax) trained with trainAsync, so the page keeps drawing, and asked why it read a digit as it did.

import { Network } from 'engram';

const oneHot = (label) => Float32Array.from({ length: 10 }, (_, d) => (d === label ? 1 : 0));

export class DigitClassifier {
  static async create({ inputs, backend, seed = 7 }) {
    const net = await Network.create({
      inputs,
      layers: [{ units: 32, activation: 'relu' }, { units: 10, activation: 'softmax' }],
      loss: 'categoricalCrossentropy',
      optimizer: { type: 'adam', learningRate: 0.003 },
      seed,
      backend,
    });
    return new DigitClassifier(net);
  }

  /** @param {import('engram').Network} net */
  constructor(net) {
    this.net = net;
    this.epochs = 0;
  }

  /**
   * Trains on `train` ({ images, labels }); onEpochEnd({ epoch, loss }) after each epoch.
   * @param {{ images: Float32Array[], labels: number[] }} train
   * @param {{ epochs: number, batchSize?: number, onEpochEnd?: (info: { epoch: number, loss: number }) => void }} options
   */
  async train(train, { epochs, batchSize = 32, onEpochEnd }) {
    const targets = train.labels.map(oneHot);
    const result = await this.net.trainAsync(train.images, targets, {
      epochs,
      batchSize,
      onEpochEnd: ({ loss }) => {
        this.epochs++;
        onEpochEnd?.({ epoch: this.epochs, loss });
      },
    });
    return result;
  }

  /** Share of `set` ({ images, labels }) classified right. */
  accuracy(set) {
    return this.net.evaluate(set.images, set.labels.map(oneHot)).accuracy;
  }

  /** The predicted class of `image`, its probability, and each pixel's attribution to that class. */
  explain(image, method) {
    const probabilities = this.net.predict(image);
    let predicted = 0;
    for (let d = 1; d < 10; d++) if (probabilities[d] > probabilities[predicted]) predicted = d;
    const options = method === 'integratedGradients' ? { method, steps: 64, output: predicted } : { method, output: predicted };
    return { predicted, probability: probabilities[predicted], attributions: this.net.explain(image, options) };
  }

  dispose() {
    this.net.dispose();
  }
}
