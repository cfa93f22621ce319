// Browser / worker / edge entry: no `node:` imports. Call `await init()` once; by default it
// fetches the .wasm that sits next to this package (bundlers follow `new URL(..., import.meta.url)`).
import { configureCoreLoading } from "./core/core.js";
import { browserDefaultThreads, spawnWebWorker } from "./core/spawn-worker.browser.js";

configureCoreLoading({
  // literal URLs so bundlers pick up every file; only the one init() picks is fetched
  defaultUrl: (variant) => {
    switch (variant) {
      case "threads": return new URL("../build/scratchnet.threads.wasm", import.meta.url);
      case "relaxed": return new URL("../build/scratchnet.relaxed.wasm", import.meta.url);
      case "relaxed-threads": return new URL("../build/scratchnet.relaxed-threads.wasm", import.meta.url);
      default: return new URL("../build/scratchnet.wasm", import.meta.url);
    }
  },
  spawnWorker: spawnWebWorker,
  // the page's cores when it is cross-origin isolated (shared memory exists), else one thread
  defaultThreads: browserDefaultThreads,
  threadedMaxPages: 16384, // 1 GiB of shared memory, reserved up front: what every 64-bit browser grants
});

export * from "./index.js";
