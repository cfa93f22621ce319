// Plain-TypeScript float64 reference kernels: the oracle for tests and the baseline in bench/.
// Not part of the public API (import from "scratchnet/dist/reference/index.js" or src/reference).
export { gemmAB, gemmAtB, gemmABt } from "./gemm.js";
export { addBias, columnSum } from "./bias.js";
export { reluForward, reluBackward, sigmoidForward, sigmoidBackward } from "./activations.js";
export {
  CROSS_ENTROPY_DELTA, softmaxRows, crossEntropyOneHot, crossEntropyLabels,
  softmaxLossBackwardOneHot, softmaxLossBackwardLabels,
} from "./softmax.js";
export { argmaxRows, countCorrect } from "./accuracy.js";
export { sgdUpdate } from "./sgd.js";
export { gatherRowsU8 } from "./gather.js";
export { ReferenceRng } from "./random.js";
export { seededRandom, uniformArray } from "./seeded.js";
export { ReferenceTwoLayerNet, type ReferenceParams } from "./two-layer-net.js";
