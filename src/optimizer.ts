// How an optimizer's configuration reaches the update kernels: its state buffers, and its settings as
// the descriptor stores them (assembly/train.ts `update` applies them).

import type { OptimizerConfig } from './config.js';
import { OPTIMIZERS } from './descriptor.js';

/** How many buffers of optimizer state, each the size of the parameters, an optimizer keeps. */
export function slotCount(optimizer: OptimizerConfig): number {
  switch (optimizer.type) {
    case 'sgd': return optimizer.momentum > 0 ? 1 : 0;
    case 'adam': return 2;
    case 'rmsprop': return 1;
  }
}

/** Which state buffer holds running means of squared gradients (Adam's v, RMSProp's ms), never negative; -1 if none. */
export function squaresSlot(optimizer: OptimizerConfig): number {
  switch (optimizer.type) {
    case 'sgd': return -1;
    case 'adam': return 1;
    case 'rmsprop': return 0;
  }
}

export interface OptimizerSettings {
  code: number;
  /** momentum (sgd), beta1 (adam) or rho (rmsprop) */
  hyper1: number;
  /** beta2 (adam) */
  hyper2: number;
  epsilon: number;
  nesterov: boolean;
}

export function optimizerSettings(optimizer: OptimizerConfig): OptimizerSettings {
  switch (optimizer.type) {
    case 'sgd':
      return {
        code: optimizer.momentum > 0 ? OPTIMIZERS.momentum : OPTIMIZERS.sgd,
        hyper1: optimizer.momentum,
        hyper2: 0,
        epsilon: 0,
        nesterov: optimizer.nesterov,
      };
    case 'adam':
      return { code: OPTIMIZERS.adam, hyper1: optimizer.beta1, hyper2: optimizer.beta2, epsilon: optimizer.epsilon, nesterov: false };
    case 'rmsprop':
      return { code: OPTIMIZERS.rmsprop, hyper1: optimizer.rho, hyper2: 0, epsilon: optimizer.epsilon, nesterov: false };
  }
}
