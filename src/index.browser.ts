// Browser / worker / edge entry: no `node:` imports. Call `await init()` once; by default it
// fetches the .wasm that sits next to this package (bundlers follow `new URL(..., import.meta.url)`).
import { configureCoreLoading } from "./core/core.js";
import { spawnWebWorker } from "./core/spawn-worker.browser.js";

configureCoreLoading({
  // two literal URLs so bundlers pick up both files; the threaded one only loads for init({ threads })
  defaultUrl: (variant) => variant === "threads"
    ? new URL("../build/scratchnet.threads.wasm", import.meta.url)
    : new URL("../build/scratchnet.wasm", import.meta.url),
  spawnWorker: spawnWebWorker,
});

export * from "./index.js";
