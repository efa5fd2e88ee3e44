// The Saliency panel's classifier in Node: a few epochs on the generated digits beat chance by far,
// and its explanations name the predicted class and give one attribution per pixel.
import { describe, expect, it } from 'vitest';
import { DigitClassifier } from '../../playground/classifier.js';
import { decodeSet } from '../../playground/digits.js';
import { OUTPUT, writeDigits } from '../../scripts/playground-digits.mjs';

writeDigits(OUTPUT);
const { TRAIN, TEST } = await import('../../playground/digits.generated.js');
const train = decodeSet(TRAIN);
const test = decodeSet(TEST);

describe('DigitClassifier', () => {
  it('has 3,000 training and 200 test digits at 14×14, every class in both', () => {
    expect(train.images).toHaveLength(3000);
    expect(test.images).toHaveLength(200);
    expect(train.images[0]).toHaveLength(196);
    expect(new Set(test.labels).size).toBe(10);
  });

  it.each(['wasm', 'js'] as const)('on %s: trains with trainAsync, reports each epoch, and explains', async (backend) => {
    const classifier = await DigitClassifier.create({ inputs: 196, backend });
    const seen: number[] = [];
    await classifier.train(train, { epochs: 3, onEpochEnd: ({ epoch }) => seen.push(epoch) });
    expect(seen).toEqual([1, 2, 3]);
    expect(classifier.accuracy(test)).toBeGreaterThan(0.7);

    for (const method of ['integratedGradients', 'gradientTimesInput']) {
      const { predicted, probability, attributions } = classifier.explain(test.images[0], method);
      expect(predicted).toBeGreaterThanOrEqual(0);
      expect(probability).toBeGreaterThan(0.1);
      expect(attributions).toHaveLength(196);
      expect(attributions.some((a) => a !== 0)).toBe(true);
    }
    classifier.dispose();
  });
});
