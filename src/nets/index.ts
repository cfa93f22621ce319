// Every net class of the library. Importing a net's module registers its model architecture
// (registerModelArchitecture, next to each class), so whoever loads model files without naming
// a net (the CLI's eval) imports this first.
export { SimpleNet } from "./simple-net.js";
export { TwoLayerNet } from "./two-layer-net.js";
export { MultiLayerNet } from "./multi-layer-net.js";
export { MultiLayerNetExtend } from "./multi-layer-net-extend.js";
export { SimpleConvNet } from "./simple-conv-net.js";
export { DeepConvNet } from "./deep-conv-net.js";
