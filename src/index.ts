// The public API, shared by the Node and browser entry points.
export { init, isCoreReady, setThreads, getThreads, type CoreInfo, type CoreSource, type InitOptions } from "./core/core.js";
export { ScratchnetError } from "./errors.js";
export { Tensor, asTensor, assertFinite, type TensorData, type NestedArray } from "./tensor.js";
export { DTYPES, type DType, type FloatArray } from "./dtype.js";
export { Rng } from "./random.js";
export type { Targets, LabelBatch } from "./targets.js";
export {
  identityFunction, stepFunction, sigmoid, relu, softmax, crossEntropyError,
  sumSquaredError, meanSquaredError, oneHot, dot, accuracyOf,
} from "./math/functions.js";
export { numericalDiff, numericalGradient, gradientDescent } from "./math/gradient.js";
export { MulLayer } from "./layers/mul-layer.js";
export { AddLayer } from "./layers/add-layer.js";
export { Relu } from "./layers/relu.js";
export { Sigmoid } from "./layers/sigmoid.js";
export { Affine } from "./layers/affine.js";
export { SoftmaxWithLoss } from "./layers/softmax-with-loss.js";
export { BatchNormalization, type BatchNormalizationOptions } from "./layers/batch-normalization.js";
export { Dropout, type DropoutOptions } from "./layers/dropout.js";
export { weightInitScale, type WeightInitStd } from "./nets/weight-init.js";
export { smoothCurve, kaiserWindow } from "./math/smooth-curve.js";
export { Convolution } from "./layers/convolution.js";
export { Pooling } from "./layers/pooling.js";
export { im2col, col2im } from "./layers/im2col.js";
export type { Layer } from "./layers/layer.js";
export { SimpleNet, type SimpleNetOptions } from "./nets/simple-net.js";
export {
  TwoLayerNet, type TwoLayerNetOptions, type TwoLayerParams, type TwoLayerLayers, type ParamName,
} from "./nets/two-layer-net.js";
export { ParamBlock, type ParamSpec } from "./memory/param-block.js";
export { MultiLayerNet, type MultiLayerNetConfig } from "./nets/multi-layer-net.js";
export { MultiLayerNetExtend, type MultiLayerNetExtendConfig } from "./nets/multi-layer-net-extend.js";
export type { MultiLayerNetOptions, MultiLayerNetExtendOptions, Activation } from "./nets/multi-layer-net-base.js";
export {
  SimpleConvNet, type SimpleConvNetOptions, type SimpleConvParams, type SimpleConvLayers, type ConvParam, type ConvParamName,
} from "./nets/simple-conv-net.js";
export { DeepConvNet, type DeepConvNetOptions, type DeepConvParams } from "./nets/deep-conv-net.js";
export { deepConvGeometry, DEEP_CONV_DEFAULTS, DEEP_CONV_PARAM_LAYERS, type DeepConvParamName } from "./nets/deep-conv-geometry.js";
export type { Optimizer } from "./optim/optimizer.js";
export { SGD } from "./optim/sgd.js";
export { Momentum } from "./optim/momentum.js";
export { Nesterov } from "./optim/nesterov.js";
export { AdaGrad } from "./optim/adagrad.js";
export { RMSprop } from "./optim/rmsprop.js";
export { Adam } from "./optim/adam.js";
export { createOptimizer, OPTIMIZER_NAMES, type OptimizerName, type OptimizerOptions } from "./optim/create-optimizer.js";
export * from "./train/index.js";
export { encodeSafetensors, decodeSafetensors, MAX_HEADER_BYTES, type SafetensorsDType, type SafetensorsTensor, type SafetensorsFile } from "./io/safetensors.js";
export { serializeModel, deserializeModel, loadParamsInto, MODEL_FORMAT } from "./io/model.js";
export { registerModelArchitecture, type ModelArchitecture, type ModelNet, type NetClass } from "./io/model-registry.js";
export { FileFormatError, type ByteInput } from "./io/format-error.js";
export { NumpyArray, wasFloat16, type NumpyDType, type NumpyTypedArray, type NumpyValue } from "./io/ndarray.js";
export { decodePickle, DEFAULT_MAX_DEPTH, DEFAULT_MAX_MEMO, type PickleOptions } from "./io/pickle-reader.js";
export type { PickleValue, PickleDict } from "./io/pickle-values.js";
export { encodePickleParams } from "./io/pickle-writer.js";
export { decodeNpy, encodeNpy, MAX_NPY_HEADER } from "./io/npy.js";
export { decodeNpz, encodeNpz, type NpzReadOptions, type NpzWriteOptions } from "./io/npz.js";
export { DEFAULT_MAX_MEMBER_BYTES } from "./io/zip.js";
export {
  loadNetParams, saveNetParams, encodeNetParams, assignParams, paramsFileTensors, formatOfPath,
  type ParamsSource, type ParamsFileFormat, type LoadParamsOptions, type SaveParamsOptions,
} from "./io/net-params.js";
export { readParamsFile, sniffParamsFormat, type ParamsFormat, type ReadParamsOptions } from "./io/params-file.js";
// bytes only here; the Node entry replaces these three with versions that also take a path
export { loadPickle, loadNpy, loadNpz } from "./io/book-files.js";
export { float16Bits, float16ToNumber, roundToFloat16, toHalfPrecision, type HalfPrecisionTarget } from "./math/half-precision.js";
export { VERSION } from "./version.js";
export * from "./plot/index.js";
export { decimateM4 } from "./plot/decimate.js"; // the M4 point thinning the SVG charts use, for live charts of your own (the demo's canvas)
export { ImageDataset, type DatasetFlags, type DatasetOptions } from "./data/dataset.js";
export { parseIdx, decodeIdx, type IdxArray } from "./data/idx.js";
export { isGzip } from "./data/gzip.js";
export type { ByteSource } from "./data/byte-source.js";
export {
  loadMnistFromBytes, loadMnistFromFiles, loadMnistFromUrls, loadSplit, MAX_SPLIT_COUNT, type SplitLimits,
  type LoadedMnist, type MnistOptions, type MnistUrlOptions, type MnistBytes, type IdxInput,
} from "./data/mnist.js";
export { MNIST_SPECS, MNIST_PARTS, type MnistName, type MnistPart, type MnistSpec, type MnistFileSpec } from "./data/mnist-files.js";
