// Browser / worker / edge entry: no `node:` imports. Call `await init()` once; by default it
// fetches the .wasm that sits next to this package (bundlers follow `new URL(..., import.meta.url)`).
import { configureCoreLoading } from "./core/core.js";

configureCoreLoading({ defaultUrl: () => new URL("../build/scratchnet.wasm", import.meta.url) });

export * from "./index.js";
