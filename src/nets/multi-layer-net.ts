// MultiLayerNet (the book's common/multi_layer_net.py, §6.2–6.4): fully connected layers of
// any depth with ReLU or sigmoid, He/Xavier/std initialisation and L2 weight decay.
// The body is shared with MultiLayerNetExtend (multi-layer-net-base.ts).
import { MultiLayerNetBase, multiLayerShapes, type MultiLayerNetOptions, type MultiLayerNetExtendOptions } from "./multi-layer-net-base.js";
import { registerModelArchitecture } from "../io/model-registry.js";
import { fail } from "../shape.js";

export class MultiLayerNet extends MultiLayerNetBase {
  constructor(options: MultiLayerNetOptions) {
    for (const key of ["useDropout", "useBatchnorm", "dropoutRatio"] as const) {
      if (options && (options as MultiLayerNetExtendOptions)[key] !== undefined) {
        fail("MultiLayerNet", `option '${key}' belongs to MultiLayerNetExtend`);
      }
    }
    super(options, "MultiLayerNet");
  }
}

export interface MultiLayerNetConfig {
  inputSize: number;
  hiddenSizeList: number[];
  outputSize: number;
  activation: "relu" | "sigmoid";
  weightDecayLambda: number;
}

registerModelArchitecture<MultiLayerNet, MultiLayerNetConfig>("MultiLayerNet", {
  netClass: MultiLayerNet,
  configKeys: ["inputSize", "hiddenSizeList", "outputSize"],
  shapes: (c) => multiLayerShapes(c, "MultiLayerNet model"),
  config: (net) => ({
    inputSize: net.inputSize, hiddenSizeList: [...net.hiddenSizeList], outputSize: net.outputSize,
    activation: net.activation, weightDecayLambda: net.weightDecayLambda,
  }),
  // weightInitStd 0: the initial draw is overwritten by the file anyway
  create: (c, dtype) => new MultiLayerNet({ ...c, dtype, weightInitStd: 0 }),
});
