// The library's own nets, registered for model files. (Nets written later register themselves
// the same way, next to their class.)
import { TwoLayerNet } from "../nets/two-layer-net.js";
import { registerModelArchitecture } from "./model-registry.js";
import "../nets/simple-conv-net.js"; // registers SimpleConvNet (next to its class), so every loader knows it
import "../nets/deep-conv-net.js"; // registers DeepConvNet

interface TwoLayerNetConfig {
  inputSize: number;
  hiddenSize: number;
  outputSize: number;
  activation: "relu" | "sigmoid";
}

registerModelArchitecture<TwoLayerNet, TwoLayerNetConfig>("TwoLayerNet", {
  netClass: TwoLayerNet,
  configKeys: ["inputSize", "hiddenSize", "outputSize"],
  shapes: (c) => ({ W1: [c.inputSize, c.hiddenSize], b1: [c.hiddenSize], W2: [c.hiddenSize, c.outputSize], b2: [c.outputSize] }),
  config: (net) => ({ inputSize: net.inputSize, hiddenSize: net.hiddenSize, outputSize: net.outputSize, activation: net.activation }),
  // weightInitStd 0: the initial draw is overwritten by the file anyway.
  create: (c, dtype) => new TwoLayerNet({ inputSize: c.inputSize, hiddenSize: c.hiddenSize, outputSize: c.outputSize, activation: c.activation, dtype, weightInitStd: 0 }),
});
