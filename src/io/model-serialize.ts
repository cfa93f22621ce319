// serializeModel on its own (browser-safe): a net's tensors plus the metadata that rebuilds it,
// as safetensors bytes. Split from model.ts so the nets' saveParams can use it without importing
// model.ts, which imports every built-in net to register it (a cycle through each net's module).
import type { DType } from "../dtype.js";
import { fail } from "../shape.js";
import { isTensor, type Tensor } from "../tensor.js";
import { describeValue } from "../check.js";
import { clip } from "../quote.js";
import { VERSION } from "../version.js";
import { encodeSafetensors, type SafetensorsDType, type SafetensorsTensor } from "./safetensors.js";
import { architectureOf, registeredArchitectureNames, type ModelNet } from "./model-registry.js";

/** The value of the `format` metadata key in every file scratchnet writes. */
export const MODEL_FORMAT = "scratchnet";

export const FILE_DTYPE: Record<DType, SafetensorsDType> = { float32: "F32", float64: "F64" };

/** Metadata keys scratchnet writes itself; `extra` metadata may not use them. */
const RESERVED_KEYS = ["format", "architecture", "config", "dtype", "version"];

/**
 * The net's tensors and its metadata as one safetensors file. `extra` adds string entries to
 * the metadata, e.g. `{ data: JSON.stringify({ dataset: "mnist", normalize: true }) }` (the
 * CLI records the dataset and its preprocessing this way, and `scratchnet eval` reads them).
 */
export function serializeModel(net: ModelNet, extra: Readonly<Record<string, string>> = {}): Uint8Array {
  if (typeof net !== "object" || net === null) fail("serializeModel", `net must be a net (TwoLayerNet, MultiLayerNet …), got ${describeValue(net)}`);
  if (typeof extra !== "object" || extra === null) fail("serializeModel", `extra metadata must be an object of strings, got ${describeValue(extra)}`);
  for (const [key, value] of Object.entries(extra)) {
    if (RESERVED_KEYS.includes(key)) fail("serializeModel", `metadata key '${clip(key, 60)}' is written by scratchnet itself`);
    if (typeof value !== "string") fail("serializeModel", `metadata '${clip(key, 60)}' must be a string (safetensors metadata is string → string), got ${typeof value}`);
  }
  const found = architectureOf(net);
  if (!found) {
    const known = registeredArchitectureNames().join(", ");
    throw new Error(`serializeModel: ${clip(net.constructor.name, 60)} is not a registered architecture (known: ${known}); call registerModelArchitecture first`);
  }
  const { name, arch } = found;
  const tensors = checkTensors(arch.tensors?.(net) ?? net.params, "serializeModel");
  // Views of the tensors' storage (wasm memory for a net), taken after every allocation:
  // encoding copies each once.
  const entries = Object.entries(tensors).map(([key, t]): [string, SafetensorsTensor] => [key, { dtype: FILE_DTYPE[t.dtype], shape: t.shape, data: bytesOf(t) }]);
  return encodeSafetensors(entries, {
    ...extra,
    format: MODEL_FORMAT,
    architecture: name,
    config: JSON.stringify(arch.config(net)),
    dtype: net.dtype,
    version: VERSION,
  });
}

/** The bytes of a tensor's elements (a view of its storage: wasm memory for a net's parameters). */
export function bytesOf(t: Tensor): Uint8Array {
  const d = t.data;
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

/** A net's tensors must be real Tensors (a forged object must never be read or written through). */
export function checkTensors(tensors: unknown, where: string): Readonly<Record<string, Tensor>> {
  if (typeof tensors !== "object" || tensors === null) fail(where, `the net's params must be an object of Tensors, got ${describeValue(tensors)}`);
  for (const [key, t] of Object.entries(tensors)) if (!isTensor(t)) fail(where, `params.${key} is ${describeValue(t)}, not a Tensor`);
  return tensors as Readonly<Record<string, Tensor>>;
}
