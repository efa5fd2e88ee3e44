// The numeric codes the host passes to name an activation or a loss. src/codes.ts holds the same table
// for TypeScript; test/kernels/codes.test.ts reads these exported globals and checks the two agree.

export const ACTIVATION_LINEAR: i32 = 0;
export const ACTIVATION_SIGMOID: i32 = 1;
export const ACTIVATION_TANH: i32 = 2;
export const ACTIVATION_RELU: i32 = 3;
export const ACTIVATION_LEAKY_RELU: i32 = 4;
export const ACTIVATION_ELU: i32 = 5;
export const ACTIVATION_SOFTMAX: i32 = 6;

export const LOSS_MSE: i32 = 0;
export const LOSS_MAE: i32 = 1;
export const LOSS_HUBER: i32 = 2;
export const LOSS_BINARY_CROSSENTROPY: i32 = 3;
export const LOSS_CATEGORICAL_CROSSENTROPY: i32 = 4;
