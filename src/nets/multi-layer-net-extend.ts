// MultiLayerNetExtend (the book's common/multi_layer_net_extend.py, §6.3–6.4): MultiLayerNet
// plus optional BatchNorm (before each hidden activation) and Dropout (after it).
// predict/loss take `trainFlg` (default false: inference); gradient trains (true).
import { MultiLayerNetBase, multiLayerShapes, type MultiLayerNetExtendOptions } from "./multi-layer-net-base.js";
import { registerModelArchitecture } from "../io/model-registry.js";

export class MultiLayerNetExtend extends MultiLayerNetBase {
  constructor(options: MultiLayerNetExtendOptions) {
    super(options, "MultiLayerNetExtend");
  }
}

export interface MultiLayerNetExtendConfig {
  inputSize: number;
  hiddenSizeList: number[];
  outputSize: number;
  activation: "relu" | "sigmoid";
  weightDecayLambda: number;
  useDropout: boolean;
  dropoutRatio: number;
  useBatchnorm: boolean;
}

registerModelArchitecture<MultiLayerNetExtend, MultiLayerNetExtendConfig>("MultiLayerNetExtend", {
  netClass: MultiLayerNetExtend,
  configKeys: ["inputSize", "hiddenSizeList", "outputSize"],
  shapes: (c) => multiLayerShapes(c, "MultiLayerNetExtend model"),
  config: (net) => ({
    inputSize: net.inputSize, hiddenSizeList: [...net.hiddenSizeList], outputSize: net.outputSize,
    activation: net.activation, weightDecayLambda: net.weightDecayLambda,
    useDropout: net.useDropout, dropoutRatio: net.dropoutRatio, useBatchnorm: net.useBatchnorm,
  }),
  create: (c, dtype) => new MultiLayerNetExtend({ ...c, dtype, weightInitStd: 0 }),
  // running mean/var are not parameters but are part of the model: saved and loaded too
  tensors: (net) => net.stateTensors(),
});
