// The CLI's --relaxed-simd: Node 20 has relaxed SIMD behind --experimental-wasm-relaxed-simd, a
// V8 flag that NODE_OPTIONS refuses, so a user of the `scratchnet` command could not pass it.
// Asking for --relaxed-simd is the opt-in: the CLI turns the flag on itself before the wasm is
// compiled (V8 reads wasm feature flags per compile). Library users pass it to node themselves.
import { setFlagsFromString } from "node:v8";
import { hasRelaxedSimd } from "../core/variant.js";

export function allowRelaxedSimd(): void {
  if (hasRelaxedSimd()) return;
  setFlagsFromString("--experimental-wasm-relaxed-simd");
  hasRelaxedSimd(true);
}
