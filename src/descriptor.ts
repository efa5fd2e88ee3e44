// The training descriptor's table of byte offsets: the same as assembly/descriptor.ts (a test checks
// that the two agree). src/layout.ts writes the descriptor; trainEpochs and its twin read it.

export const DESC = {
  LAYER_COUNT: 0,
  LOSS: 4,
  FUSED: 8,
  PARAMS: 12,
  PARAM_COUNT: 16,
  GRAD_OFFSET: 20,
  SNAPSHOT: 24,
  OPTIMIZER: 28,
  SLOT0: 32,
  SLOT1: 36,
  INPUT: 40,
  TARGET: 44,
  SCRATCH0: 48,
  SCRATCH1: 52,
  X_DATA: 56,
  Y_DATA: 60,
  SAMPLE_COUNT: 64,
  BATCH_SIZE: 68,
  SHUFFLE: 72,
  ORDER: 76,
  RNG_STATE: 80,
  CURSOR: 84,
  STEP: 88,
  NESTEROV: 92,
  LEARNING_RATE: 96,
  HYPER1: 100,
  HYPER2: 104,
  EPSILON: 108,
  WEIGHT_DECAY: 112,
  CLIP_VALUE: 116,
  LOSS_SUM: 120,
  CLIP_NORM: 128,
  COMPLEMENT1: 136,
  COMPLEMENT2: 140,
  LAYERS: 144,
  LAYER_BYTES: 24,
} as const;

export const LAYER = { INPUTS: 0, UNITS: 4, ACTIVATION: 8, KERNEL: 12, BIAS: 16, OUTPUT: 20 } as const;

export const OPTIMIZERS = { sgd: 0, momentum: 1, adam: 2, rmsprop: 3 } as const;

export const STOP = { PAUSED: 1 << 24, DIVERGED: 1 << 25, THRESHOLD: 1 << 26, EPOCHS_MASK: (1 << 24) - 1 } as const;

/** Bytes a descriptor for `layers` layers takes. */
export function descriptorBytes(layers: number): number {
  return DESC.LAYERS + layers * DESC.LAYER_BYTES;
}
