// The hot path: a batch's forward pass and backward pass, as a sequence of kernel calls over buffers the
// layout placed once. Nothing here allocates, validates or reads memory from JavaScript.

import { ACTIVATIONS, LOSSES } from './codes.js';
import type { Kernels } from './backends/backend.js';
import type { LayerLayout, Layout } from './layout.js';

/** Runs `rows` samples from x through every layer; returns the pointer of the last layer's output. */
export function forward(k: Kernels, layout: Layout, x: number, rows: number): number {
  let input = x;
  for (const layer of layout.layers) {
    k.dense(layer.output, input, layer.kernel, layer.bias, rows, layer.inputs, layer.units, layer.activation);
    input = layer.output;
  }
  return input;
}

/**
 * Fills every parameter's gradient with ∂(mean loss over the rows)/∂parameter, from the layer outputs that
 * the forward pass over the same x left behind. y holds the targets.
 */
export function backward(k: Kernels, layout: Layout, x: number, y: number, rows: number, loss: number, fused: boolean): void {
  const layers = layout.layers;
  const last = layers[layers.length - 1];
  const toGrad = layout.gradOffset;
  let [grad, spare] = layout.scratch;
  k.lossBackward(grad, last.output, y, rows, last.units, loss, fused ? 1 : 0);
  if (!fused) activationBackward(k, grad, last, rows);
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i];
    const input = i > 0 ? layers[i - 1].output : x;
    k.matmulTN(layer.kernel + toGrad, input, grad, layer.inputs, rows, layer.units);
    k.columnSums(layer.bias + toGrad, grad, rows, layer.units);
    if (i === 0) break;
    // The gradient reaching the previous layer's output, then through its activation.
    k.matmulNT(spare, grad, layer.kernel, rows, layer.units, layer.inputs);
    activationBackward(k, spare, layers[i - 1], rows);
    const next = spare;
    spare = grad;
    grad = next;
  }
}

/** Whether the loss gradient can be taken with respect to the last layer's pre-activation directly. */
export function isFused(lastActivation: number, loss: number): boolean {
  return (
    (lastActivation === ACTIVATIONS.softmax && loss === LOSSES.categoricalCrossentropy) ||
    (lastActivation === ACTIVATIONS.sigmoid && loss === LOSSES.binaryCrossentropy)
  );
}

/** In place: grad ← grad ⊙ act′ for the layer's activation. */
function activationBackward(k: Kernels, grad: number, layer: LayerLayout, rows: number): void {
  if (layer.activation === ACTIVATIONS.softmax) k.softmaxBackward(grad, grad, layer.output, rows, layer.units);
  else if (layer.activation !== ACTIVATIONS.linear) {
    k.activationBackward(grad, grad, layer.output, rows * layer.units, layer.activation);
  }
}
