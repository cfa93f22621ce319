// Node entry: the wasm is read and compiled synchronously on first use, so `init()` is optional.
import "./core/node-loading.js";

export * from "./index.js";
export { saveModel, loadModel } from "./io/model-file.node.js";
export { loadMnist, mnistCacheDir, DATA_DIR_ENV, type LoadMnistOptions } from "./data/load-mnist.node.js";
