// Which output activation and loss pairs take the stable fused gradient p − y with respect to the
// pre-activation, instead of the loss gradient followed by the activation's.

import { ACTIVATIONS, LOSSES } from './codes.js';

export function isFused(lastActivation: number, loss: number): boolean {
  return (
    (lastActivation === ACTIVATIONS.softmax && loss === LOSSES.categoricalCrossentropy) ||
    (lastActivation === ACTIVATIONS.sigmoid && loss === LOSSES.binaryCrossentropy)
  );
}
