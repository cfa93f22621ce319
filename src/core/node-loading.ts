// Node: read and compile the wasm synchronously on first use, so `init()` is optional there.
// Imported for its effect by every Node entry point (the package's index.node and the CLI).
import { readFileSync } from "node:fs";
import { configureCoreLoading } from "./core.js";

const wasmUrl = (): URL =>
  new URL(process.env.SCRATCHNET_WASM_DEBUG === "1" ? "../../build/scratchnet.debug.wasm" : "../../build/scratchnet.wasm", import.meta.url);

configureCoreLoading({ sync: () => readFileSync(wasmUrl()), defaultUrl: wasmUrl });
