// The public API, shared by the Node and browser entry points.
export { init, isCoreReady, getCore, type Core, type CoreSource } from "./core/core.js";
export { Tensor, asTensor, assertFinite, type TensorData, type NestedArray } from "./tensor.js";
export { DTYPES, type DType, type FloatArray } from "./dtype.js";
export { Rng } from "./random.js";
export type { Targets } from "./targets.js";
export {
  identityFunction, stepFunction, sigmoid, relu, softmax, crossEntropyError,
  sumSquaredError, meanSquaredError, oneHot, dot, accuracyOf,
} from "./functions.js";
export { numericalDiff, numericalGradient, gradientDescent } from "./gradient.js";
export { MulLayer } from "./layers/mul-layer.js";
export { AddLayer } from "./layers/add-layer.js";
export { Relu } from "./layers/relu.js";
export { Sigmoid } from "./layers/sigmoid.js";
export { Affine } from "./layers/affine.js";
export { SoftmaxWithLoss } from "./layers/softmax-with-loss.js";
export type { Layer } from "./layers/layer.js";
export { SimpleNet, type SimpleNetOptions } from "./nets/simple-net.js";
export {
  TwoLayerNet, type TwoLayerNetOptions, type TwoLayerParams, type TwoLayerLayers, type ParamName,
} from "./nets/two-layer-net.js";
export { ParamBlock } from "./nets/param-block.js";
export type { Optimizer } from "./optim/optimizer.js";
export { SGD } from "./optim/sgd.js";
export * from "./train/index.js";
