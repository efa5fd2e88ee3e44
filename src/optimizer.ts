// An optimizer step over the whole network: weight decay into the kernels' gradients, then one update
// kernel over every parameter at once (the layout keeps them contiguous).

import type { Kernels } from './backends/backend.js';
import type { OptimizerConfig } from './config.js';
import type { Layout } from './layout.js';

/** How many buffers of optimizer state, each the size of the parameters, an optimizer keeps. */
export function slotCount(optimizer: OptimizerConfig): number {
  switch (optimizer.type) {
    case 'sgd': return optimizer.momentum > 0 ? 1 : 0;
    case 'adam': return 2;
    case 'rmsprop': return 1;
  }
}

/** Applies update number `step` (1 for the first) with the given learning rate. */
export function applyUpdate(k: Kernels, layout: Layout, optimizer: OptimizerConfig, step: number, learningRate: number): void {
  const w = layout.params;
  const g = w + layout.gradOffset;
  const count = layout.paramBytes >> 2;
  if (optimizer.weightDecay > 0) {
    for (const layer of layout.layers) {
      k.addScaled(layer.kernel + layout.gradOffset, layer.kernel, layer.inputs * layer.units, optimizer.weightDecay);
    }
  }
  switch (optimizer.type) {
    case 'sgd':
      if (optimizer.momentum > 0) {
        k.sgdMomentum(w, g, layout.slots[0], count, learningRate, optimizer.momentum, optimizer.nesterov ? 1 : 0);
      } else {
        k.sgd(w, g, count, learningRate);
      }
      break;
    case 'adam': {
      const { beta1, beta2, epsilon } = optimizer;
      const correction1 = 1 / (1 - beta1 ** step);
      const correction2 = 1 / (1 - beta2 ** step);
      k.adam(w, g, layout.slots[0], layout.slots[1], count, learningRate, beta1, beta2, epsilon, correction1, correction2);
      break;
    }
    case 'rmsprop':
      k.rmsprop(w, g, layout.slots[0], count, learningRate, optimizer.rho, optimizer.epsilon);
      break;
  }
}
