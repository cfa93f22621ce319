// serializeModel on its own (browser-safe): a net's tensors plus the metadata that rebuilds it,
// as safetensors bytes. Split from model.ts so the nets' saveParams can use it without importing
// model.ts, which imports every built-in net to register it (a cycle through each net's module).
import { getCore } from "../core/core.js";
import { bytesPerElement, type DType } from "../dtype.js";
import { clip } from "../quote.js";
import { VERSION } from "../version.js";
import { encodeSafetensors, type SafetensorsDType, type SafetensorsTensor } from "./safetensors.js";
import { architectureOf, registeredArchitectureNames, type ModelNet } from "./model-registry.js";

/** The value of the `format` metadata key in every file scratchnet writes. */
export const MODEL_FORMAT = "scratchnet";

export const FILE_DTYPE: Record<DType, SafetensorsDType> = { float32: "F32", float64: "F64" };

/** The net's tensors and its metadata as one safetensors file. */
export function serializeModel(net: ModelNet): Uint8Array {
  const found = architectureOf(net);
  if (!found) {
    const known = registeredArchitectureNames().join(", ");
    throw new Error(`serializeModel: ${clip(net.constructor.name, 60)} is not a registered architecture (known: ${known}); call registerModelArchitecture first`);
  }
  const { name, arch } = found;
  const tensors = arch.tensors?.(net) ?? net.params;
  const memory = getCore().memory;
  // Views of wasm memory, created after every allocation: encoding copies each once.
  const entries = Object.entries(tensors).map(([key, t]): [string, SafetensorsTensor] => [
    key,
    { dtype: FILE_DTYPE[t.dtype], shape: t.shape, data: new Uint8Array(memory.buffer, t.ptr, t.size * bytesPerElement(t.dtype)) },
  ]);
  return encodeSafetensors(entries, {
    format: MODEL_FORMAT,
    architecture: name,
    config: JSON.stringify(arch.config(net)),
    dtype: net.dtype,
    version: VERSION,
  });
}
