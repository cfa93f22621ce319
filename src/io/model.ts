// Whole models as safetensors bytes (browser-safe): a net's tensors plus metadata saying how to
// rebuild it (format, architecture, config as JSON, dtype, library version). Tensor bytes are
// copied straight between wasm memory and the file: wasm memory is little-endian by definition,
// which is exactly the file's byte order, so values round-trip bit for bit on any host.
import { checkDType, type DType } from "../dtype.js";
import { fail, formatShape, sameShape } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { describeValue } from "../check.js";
import { clip, listNames, quote } from "../quote.js";
import { decodeSafetensors, type SafetensorsFile, type SafetensorsTensor } from "./safetensors.js";
import { architectureOf, modelArchitecture, registeredArchitectureNames, type ModelNet, type NetClass } from "./model-registry.js";
import { FILE_DTYPE, MODEL_FORMAT, bytesOf, checkTensors } from "./model-serialize.js";

export { MODEL_FORMAT, serializeModel } from "./model-serialize.js";

/**
 * A ready net rebuilt from serializeModel's bytes. `name` (a path, say) is used in errors.
 * Pass the class you expect (`deserializeModel(bytes, name, TwoLayerNet)`) to get that type
 * back, checked: a file holding another architecture is an error naming both.
 */
export function deserializeModel(bytes: Uint8Array, name?: string): ModelNet;
export function deserializeModel<Net extends ModelNet>(bytes: Uint8Array, name: string | undefined, expected: NetClass<Net>): Net;
export function deserializeModel(bytes: Uint8Array, name = "model", expected?: NetClass): ModelNet {
  if (!(bytes instanceof Uint8Array)) fail("deserializeModel", `bytes must be a Uint8Array (a model file's contents), got ${describeValue(bytes)}`);
  if (typeof name !== "string") fail("deserializeModel", `name must be a string, got ${describeValue(name)}`);
  const file = decodeSafetensors(bytes, name);
  const meta = file.metadata;
  if (meta.format !== MODEL_FORMAT) {
    throw new Error(`${name}: not a scratchnet model (metadata format is ${meta.format === undefined ? "missing" : quote(meta.format, 60)}); load plain safetensors into a net you built with loadParamsInto`);
  }
  const archName = meta.architecture;
  const arch = archName === undefined ? undefined : modelArchitecture(archName);
  if (!arch) {
    throw new Error(`${name}: unknown architecture ${quote(archName, 60)} (known: ${registeredArchitectureNames().join(", ")})`);
  }
  let dtype: DType;
  try {
    dtype = checkDType(meta.dtype, "metadata");
  } catch (e) {
    throw new Error(`${name}: ${(e as Error).message}`);
  }
  let config: unknown;
  try {
    config = JSON.parse(meta.config ?? "");
  } catch (e) {
    throw new Error(`${name}: metadata config is not valid JSON (${clip((e as Error).message, 200)}): ${quote(meta.config)}`);
  }
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new Error(`${name}: metadata config must be a JSON object, got ${quote(meta.config)}`);
  }
  const configText = clip(meta.config as string, 200);
  const missing = (arch.configKeys ?? []).filter((path) => !hasPath(config, path));
  if (missing.length > 0) {
    throw new Error(`${name}: the model config lacks ${missing.map((k) => `'${k}'`).join(", ")} (a ${archName} config has ${(arch.configKeys ?? []).join(", ")}): ${configText}`);
  }
  if (expected && !(arch.netClass === expected || arch.netClass.prototype instanceof expected)) {
    throw new Error(`${name}: the file holds a ${archName}, not a ${expected.name}`);
  }
  let shapes: Readonly<Record<string, readonly number[]>> | undefined;
  try {
    shapes = arch.shapes?.(config);
  } catch (e) {
    // a config of the wrong types (inputDim: 5): whatever the architecture's code says, name the file
    throw new Error(`${name}: config ${configText} does not make a ${archName}: ${clip((e as Error).message, 300)}`, { cause: e });
  }
  checkConfigShapes(shapes, file, name, configText);
  let net: ModelNet;
  try {
    net = arch.create(config, dtype);
  } catch (e) {
    throw new Error(`${name}: config ${configText} does not make a ${archName}: ${clip((e as Error).message, 300)}`, { cause: e });
  }
  copyInto(net, file, name);
  return net;
}

/**
 * Overwrite a net's parameters with a file's (any safetensors file whose tensor names, dtypes
 * and shapes match the net's). Everything is checked before the first byte is written, so a
 * bad file leaves the net as it was.
 */
export function loadParamsInto(net: ModelNet, bytes: Uint8Array, name = "model"): void {
  if (typeof net !== "object" || net === null) fail("loadParamsInto", `net must be a net, got ${describeValue(net)}`);
  if (!(bytes instanceof Uint8Array)) fail("loadParamsInto", `bytes must be a Uint8Array (a safetensors file's contents), got ${describeValue(bytes)}`);
  if (typeof name !== "string") fail("loadParamsInto", `name must be a string, got ${describeValue(name)}`);
  copyInto(net, decodeSafetensors(bytes, name), name);
}

function copyInto(net: ModelNet, file: SafetensorsFile, name: string): void {
  const found = architectureOf(net);
  const fileArch = file.metadata.architecture;
  if (found && fileArch !== undefined && fileArch !== found.name) {
    throw new Error(`${name}: the file holds a ${clip(fileArch, 60)}, the net is a ${found.name}`);
  }
  const targets = checkTensors(found?.arch.tensors?.(net) ?? net.params, "loadParamsInto");
  const pairs: [Tensor, SafetensorsTensor][] = [];
  for (const [key, t] of Object.entries(targets)) {
    const f = file.tensors.get(key);
    if (!f) throw new Error(`${name}: tensor ${key} is missing (the file has ${listNames([...file.tensors.keys()]) || "no tensors"})`);
    const want = FILE_DTYPE[t.dtype];
    if (f.dtype !== want) throw new Error(`${name}: ${key}: dtype ${f.dtype} in file, net has ${want} (${t.dtype})`);
    if (!sameShape(f.shape, t.shape)) throw new Error(`${name}: ${key}: shape ${formatShape(f.shape)} in file, net has ${formatShape(t.shape)}`);
    const bad = firstNonFiniteValue(f);
    if (bad) throw new Error(`${name}: ${key} holds ${bad.value} at flat index ${bad.index}; a model's parameters must be finite`);
    pairs.push([t, f]);
  }
  for (const key of file.tensors.keys()) {
    if (!Object.hasOwn(targets, key)) throw new Error(`${name}: unexpected tensor ${clip(key, 60)} in file (the net has ${listNames(Object.keys(targets))})`);
  }
  for (const [t, f] of pairs) bytesOf(t).set(f.data); // nothing here allocates: each view stays attached while used
}



/** Before allocating: the shapes the config implies must be the file's (same names, same dims). */
function checkConfigShapes(shapes: Readonly<Record<string, readonly number[]>> | undefined, file: SafetensorsFile, name: string, config: string): void {
  if (!shapes) return;
  for (const [key, shape] of Object.entries(shapes)) {
    const f = file.tensors.get(key);
    if (!f || !sameShape(f.shape, shape)) {
      throw new Error(`${name}: config ${config} does not match the file's tensors: ${key} would be ${formatShape(shape)}, the file has ${f ? formatShape(f.shape) : "no such tensor"}`);
    }
  }
}

/** Whether `config` has the dotted `path` ("convParam.stride"). */
function hasPath(config: object, path: string): boolean {
  let node: unknown = config;
  for (const key of path.split(".")) {
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, key)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return node !== undefined && node !== null;
}

function firstNonFiniteValue(t: SafetensorsTensor): { index: number; value: number } | null {
  const Ctor = t.dtype === "F32" ? Float32Array : Float64Array;
  const aligned = t.data.byteOffset % Ctor.BYTES_PER_ELEMENT === 0;
  // Files we write are 8-byte aligned, so this views in place; others are copied once.
  const src = aligned ? t.data : t.data.slice();
  const values = new Ctor(src.buffer as ArrayBuffer, src.byteOffset, src.byteLength / Ctor.BYTES_PER_ELEMENT);
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return { index: i, value: values[i] };
  return null;
}
