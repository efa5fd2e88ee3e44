// Names users write, and the numeric codes the kernels take. assembly/codes.ts holds the same table;
// test/kernels/codes.test.ts checks that the two agree.

export const ACTIVATIONS = {
  linear: 0,
  sigmoid: 1,
  tanh: 2,
  relu: 3,
  leakyRelu: 4,
  elu: 5,
  softmax: 6,
} as const;

export const LOSSES = {
  mse: 0,
  mae: 1,
  huber: 2,
  binaryCrossentropy: 3,
  categoricalCrossentropy: 4,
} as const;

export type Activation = keyof typeof ACTIVATIONS;
export type Loss = keyof typeof LOSSES;

export const ACTIVATION_NAMES = Object.keys(ACTIVATIONS) as Activation[];
export const LOSS_NAMES = Object.keys(LOSSES) as Loss[];
