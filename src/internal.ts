// The one internal entry point: for the tests and the benchmarks, never for users (the
// package's `exports` map does not list it, and nothing public re-exports it). It hands out
// what the public API deliberately hides — the core with its raw kernels and allocator, and
// the wasm addresses of tensors — so kernels can be tested and timed on their own, the
// plain-TypeScript reference kernels (the benchmarks' baseline), and a reset of the dataset
// cache's verification (Node only; to time a first load). bench/ imports nothing else of dist/
// but the public entry.
export { getCore, type Core } from "./core/core.js";
export { setWorkerSpinMs } from "./core/thread-pool.js";
export { gradientOfPendingRows } from "./nets/pending-rows.js";
export { ptrOf, heapOf, isTensor, wasmTensor } from "./tensor.js";
export { Arena } from "./memory/arena.js";
export { WasmBlock } from "./memory/block.js";
export { scratchCapacity } from "./memory/scratch.js";
export { paramBlockPtr } from "./memory/param-block.js";
export { datasetMemory } from "./data/dataset.js";
export { setInflater, type Inflater } from "./data/gzip.js";
export { inflateWithZlib } from "./data/inflate.node.js";
export { zerosIn } from "./memory/workspace.js";
export { blockOf, subView } from "./tensor.js";
export * as reference from "./reference/index.js";
export { forgetVerifiedCacheFiles } from "./data/cache-verify.node.js";
