// Plain-TypeScript float64 reference kernels: the oracle for tests and the baseline in bench/.
// One file per kernel file of assembly/, by the same name (assembly/batchnorm.ts ↔
// batchnorm.ts ↔ test/unit/assembly/batchnorm.test.ts). Not part of the public API: tests
// import src/reference, the benchmarks reach it as `reference` from the internal entry
// (dist/internal.js).
export { gemmAB, gemmAtB, gemmABt, addBias } from "./gemm.js";
export { reluForward, reluBackward, sigmoidForward, sigmoidBackward, columnSum } from "./elementwise.js";
export {
  CROSS_ENTROPY_DELTA, softmaxRows, crossEntropyOneHot, crossEntropyLabels,
  softmaxLossBackwardOneHot, softmaxLossBackwardLabels, argmaxRows, countCorrect,
} from "./softmax.js";
export { gatherRowsU8 } from "./data.js";
export { type ConvGeometry, convOutSize, im2col, col2im } from "./im2col.js";
export { convForward } from "./conv.js";
export { maxPoolForward, maxPoolBackward } from "./pooling.js";
export { batchNormForwardTrain, batchNormForwardTest, batchNormBackward, type ReferenceBatchNormState } from "./batchnorm.js";
export {
  sgdUpdate, referenceMomentum, referenceNesterov, referenceAdaGrad, referenceRMSprop, referenceAdam, type Arrays,
} from "./optimizers.js";
export { ReferenceRng } from "./random.js";
export { seededRandom, uniformArray } from "./seeded.js";
export { ReferenceTwoLayerNet, type ReferenceParams } from "./twolayer.js";
