// Node entry: the wasm is read and compiled synchronously on first use, so `init()` is optional.
import { readFileSync } from "node:fs";
import { configureCoreLoading } from "./core/core.js";

const wasmUrl = (): URL =>
  new URL(process.env.SCRATCHNET_WASM_DEBUG === "1" ? "../build/scratchnet.debug.wasm" : "../build/scratchnet.wasm", import.meta.url);

configureCoreLoading({ sync: () => readFileSync(wasmUrl()), defaultUrl: wasmUrl });

export * from "./index.js";
