// engram: neural networks for TypeScript, with SIMD WebAssembly kernels and a pure-JS twin.

export { Network } from './network.js';
export { permutationImportance } from './importance.js';
export type { PermutationImportanceOptions, FeatureImportance } from './importance.js';
export type { ExplainOptions, ExplainMethod } from './explain.js';
export type { EvaluateResult, FromJSONOptions } from './network.js';
export type { FromONNXOptions, ToONNXOptions } from './network.js';
export type {
  NetworkOptions, LayerOptions, OptimizerOptions, OptimizerName, SgdOptions, AdamOptions, RmspropOptions,
  OptimizerConfig, LayerConfig,
} from './config.js';
export type { Activation, Loss } from './codes.js';
export type { BackendName } from './backends/backend.js';
export type { TrainOptions, TrainResult, EpochInfo, StopReason } from './training.js';
export type { LayerWeights } from './model.js';
export type { NetworkJSON, LayerJSON } from './serialize.js';
export { wasmSimdSupported } from './backends/wasm.js';
export { HopfieldMemory } from './hopfield/memory.js';
export type { RecallOptions, HopfieldFromJSONOptions } from './hopfield/memory.js';
export type { HopfieldOptions, HopfieldKind, HopfieldRule, HopfieldUpdate } from './hopfield/config.js';
export type { RecallResult } from './hopfield/dynamics.js';
export type { HopfieldJSON } from './hopfield/serialize.js';
