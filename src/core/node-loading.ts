// Node: read and compile the wasm synchronously on first use, so `init()` is optional there.
// Imported for its effect by every Node entry point (the package's index.node and the CLI).
import { readFileSync } from "node:fs";
import { configureCoreLoading, type CoreVariant } from "./core.js";
import { spawnNodeWorker, threadsFromEnv } from "./spawn-worker.node.js";

// threads: shared memory, the default in Node (one thread per core); relaxed: init({ simd: "relaxed" })
const wasmUrl = (variant: CoreVariant = "default"): URL =>
  variant === "default"
    ? new URL(process.env.SCRATCHNET_WASM_DEBUG === "1" ? "../../build/scratchnet.debug.wasm" : "../../build/scratchnet.wasm", import.meta.url)
    : new URL(`../../build/scratchnet.${variant}.wasm`, import.meta.url);

configureCoreLoading({
  sync: (variant) => readFileSync(wasmUrl(variant)),
  defaultUrl: wasmUrl,
  spawnWorker: spawnNodeWorker,
  defaultThreads: threadsFromEnv,
});
