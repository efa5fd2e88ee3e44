// The training descriptor: a small table in memory, written by the host once per network (and per
// train call for the data and settings), that tells `trainEpochs` where every buffer is and how to
// train. Byte offsets from the descriptor's start. src/descriptor.ts holds the same table;
// test/kernels/codes.test.ts checks that the two agree.

// i32 fields: the network.
export const DESC_LAYER_COUNT: i32 = 0;
export const DESC_LOSS: i32 = 4;
export const DESC_FUSED: i32 = 8;
export const DESC_PARAMS: i32 = 12;
export const DESC_PARAM_COUNT: i32 = 16;
export const DESC_GRAD_OFFSET: i32 = 20;
export const DESC_SNAPSHOT: i32 = 24;
export const DESC_OPTIMIZER: i32 = 28;
export const DESC_SLOT0: i32 = 32;
export const DESC_SLOT1: i32 = 36;
export const DESC_INPUT: i32 = 40;
export const DESC_TARGET: i32 = 44;
export const DESC_SCRATCH0: i32 = 48;
export const DESC_SCRATCH1: i32 = 52;
// i32 fields: the data and how to walk it.
export const DESC_X_DATA: i32 = 56;
export const DESC_Y_DATA: i32 = 60;
export const DESC_SAMPLE_COUNT: i32 = 64;
export const DESC_BATCH_SIZE: i32 = 68;
export const DESC_SHUFFLE: i32 = 72;
export const DESC_ORDER: i32 = 76;
// i32 fields: progress, carried from call to call.
export const DESC_RNG_STATE: i32 = 80;
export const DESC_CURSOR: i32 = 84;
export const DESC_STEP: i32 = 88;
export const DESC_NESTEROV: i32 = 92;
// f32 fields: the optimizer's settings.
export const DESC_LEARNING_RATE: i32 = 96;
export const DESC_HYPER1: i32 = 100;
export const DESC_HYPER2: i32 = 104;
export const DESC_EPSILON: i32 = 108;
export const DESC_WEIGHT_DECAY: i32 = 112;
export const DESC_CLIP_VALUE: i32 = 116;
// f64 field: the loss summed over the current epoch so far.
export const DESC_LOSS_SUM: i32 = 120;
export const DESC_CLIP_NORM: i32 = 128;
// f32 fields: 1 − HYPER1 and 1 − HYPER2, computed by the host in f64 (see optimizer.ts's adam).
export const DESC_COMPLEMENT1: i32 = 136;
export const DESC_COMPLEMENT2: i32 = 140;
// Then one record per layer.
export const DESC_LAYERS: i32 = 144;
export const DESC_LAYER_BYTES: i32 = 24;
export const LAYER_INPUTS: i32 = 0;
export const LAYER_UNITS: i32 = 4;
export const LAYER_ACTIVATION: i32 = 8;
export const LAYER_KERNEL: i32 = 12;
export const LAYER_BIAS: i32 = 16;
export const LAYER_OUTPUT: i32 = 20;

export const OPTIMIZER_SGD: i32 = 0;
export const OPTIMIZER_MOMENTUM: i32 = 1;
export const OPTIMIZER_ADAM: i32 = 2;
export const OPTIMIZER_RMSPROP: i32 = 3;

// trainEpochs returns the epochs it completed, with one of these flags when it stopped early.
export const STOP_PAUSED: i32 = 1 << 24;
export const STOP_DIVERGED: i32 = 1 << 25;
export const STOP_THRESHOLD: i32 = 1 << 26;
export const EPOCHS_MASK: i32 = (1 << 24) - 1;
