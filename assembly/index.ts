// The module's exports: every kernel the host calls, and the code tables it checks against.
// Kernels take pointers (byte offsets into this module's memory) and sizes; they never allocate and
// never validate. src/backends/backend.ts lists the same functions as the `Kernels` interface.

export * from './codes';
export { matmul, matmulNT, matmulTN, panelBytes, setPanel, setBlockScratch } from './matmul';
export { dense } from './dense';
export { activationForward, activationBackward, softmaxForward, softmaxBackward } from './activation';
export { lossForward, lossBackward } from './loss';
export { sgd, sgdMomentum, adam, rmsprop } from './optimizer';
export { columnSums, addScaled, allFinite, clip, sumSquares, scale } from './reduce';
export { hopfieldField, hopfieldSweep, hopfieldSync, hopfieldOuter, hopfieldStorkey, hopfieldAttend } from './hopfield';

/** First byte past the module's static data: the host lays its buffers out from here. */
export function heapBase(): usize {
  return __heap_base;
}
export * from './descriptor';
export { trainEpochs, trainStep, forward, backward, inputGradient, update } from './train';
