// Node entry: the wasm is read and compiled synchronously on first use, so `init()` is optional.
import "./core/node-loading.js";
import "./io/params-file-access.node.js"; // paths for net.loadParams / net.saveParams
import "./data/inflate.node.js"; // gzip through node:zlib (faster than DecompressionStream here)

export * from "./index.js";
export { saveModel, loadModel } from "./io/model-file.node.js";
export { loadMnist, type LoadMnistOptions } from "./data/load-mnist.node.js";
export { mnistCacheDir, findMnistFiles, DATA_DIR_ENV } from "./data/mnist-dirs.node.js";
// these replace the bytes-only loaders of ./index.js (an explicit export wins over `export *`)
export {
  loadPickle, loadNpy, loadNpz, saveNpy, saveNpz, savePickleParams, type FileSource,
} from "./io/book-files.node.js";
export {
  bookWeightsFile, BOOK_WEIGHTS, BOOK_REPO_RAW, BOOK_DIR_ENV, BOOK_URL_ENV,
  type BookWeightsName, type BookWeightsSpec, type BookWeightsOptions,
} from "./data/book-weights.node.js";
