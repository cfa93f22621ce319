// The book's load_params / save_params for every net, in one place: each net's loadParams and
// saveParams is a one-line call into here. Reads the book's pickle, numpy's .npz or safetensors
// (format sniffed from the bytes, readParamsFile); writes the book's pickle (default), .npz or
// our safetensors model file. Browser-safe: paths work once the Node entry has installed file
// access (params-file-access.node.ts); elsewhere pass bytes, or use encodeNetParams.
import type { Tensor } from "../tensor.js";
import { formatShape, sameShape } from "../shape.js";
import { clip, listNames, quote } from "../quote.js";
import { asBytes, type ByteInput } from "./format-error.js";
import { architectureOf, type ModelNet } from "./model-registry.js";
import { serializeModel } from "./model-serialize.js";
import { encodeNpz } from "./npz.js";
import { readParamsFile, sniffParamsFormat } from "./params-file.js";
import { decodeSafetensors } from "./safetensors.js";
import { encodePickleParams } from "./pickle-writer.js";

/** A path (Node) or the file's bytes. */
export type ParamsSource = string | ByteInput;
/** What saveParams can write. */
export type ParamsFileFormat = "pickle" | "npz" | "safetensors";

export interface LoadParamsOptions {
  /** Names the source in errors (default: the path, or "parameter file"). */
  name?: string;
  /**
   * Round float64 values into a float32 net (as numpy's astype(float32)). Default false: a
   * float64 file in a float32 net is an error, since it would lose precision silently.
   * Widening (float16/float32 file into a float64 net) is exact and always allowed.
   */
  cast?: boolean;
}

export interface SaveParamsOptions {
  /** Default: from the extension (.pkl/.pickle, .npz, .safetensors); "pickle" if there is none to go by. */
  format?: ParamsFileFormat;
  /** .npz only: deflate the members (np.savez_compressed). Default false (np.savez). */
  compress?: boolean;
}

export interface ParamsFileAccess {
  read(path: string): Promise<Uint8Array>;
  /** Atomic: a reader sees the old file or the whole new one. */
  write(path: string, bytes: Uint8Array): Promise<void>;
}

let fileAccess: ParamsFileAccess | null = null;

/** Installed by the Node entry; browsers have no paths. */
export function setParamsFileAccess(access: ParamsFileAccess): void {
  fileAccess = access;
}

/**
 * Every tensor a params file of this net holds: its params (W1, b1, …, gamma1, beta1, …) and
 * any state a model file keeps beside them (BatchNorm's runningMean1/runningVar1 …).
 */
export function paramsFileTensors(net: ModelNet): Readonly<Record<string, Tensor>> {
  return architectureOf(net)?.arch.tensors?.(net) ?? net.params;
}

/** net.loadParams: read the file (path or bytes) and copy it into the net; nothing is written unless every check passes. */
export async function loadNetParams(net: ModelNet, source: ParamsSource, options: LoadParamsOptions = {}): Promise<void> {
  const where = `${net.constructor.name}.loadParams`;
  let bytes: Uint8Array;
  let name: string;
  if (typeof source === "string") {
    if (fileAccess === null) throw new Error(`${where}: a path (${quote(source, 80)}) needs Node; in a browser pass the file's bytes, e.g. new Uint8Array(await (await fetch(url)).arrayBuffer())`);
    try {
      bytes = await fileAccess.read(source);
    } catch (e) {
      throw new Error(`${where}: cannot read ${source}: ${(e as Error).message}`, { cause: e });
    }
    name = options.name ?? source;
  } else {
    bytes = asBytes(source, where);
    name = options.name ?? "parameter file";
  }
  if (sniffParamsFormat(bytes) === "safetensors") checkArchitecture(net, bytes, name);
  // the decoded copies live on the JS heap (docs/memory.md): nothing to free by hand
  const params = await readParamsFile(bytes, { name });
  assignParams(net, params, { name, cast: options.cast ?? false });
}

/**
 * Copy named tensors into the net's parameters (and saved state). Every key, shape, dtype and
 * value is checked first; the net is only written when all passed.
 */
export function assignParams(net: ModelNet, source: Readonly<Record<string, Tensor>>, options: { name?: string; cast?: boolean } = {}): void {
  const name = options.name ?? "parameters";
  const targets = paramsFileTensors(net);
  const pairs: [Tensor, Tensor][] = [];
  for (const [key, t] of Object.entries(targets)) {
    if (!Object.hasOwn(source, key)) {
      const state = Object.hasOwn(net.params, key) ? "" : ` (${key} is not a trained parameter but part of the net's state, e.g. BatchNorm's running statistics, which the book keeps inside its layers; a file for this net must hold it too)`;
      throw new Error(`${name}: ${key} is missing (the file has ${listNames(Object.keys(source)) || "nothing"}; the net needs ${listNames(Object.keys(targets))})${state}`);
    }
    const f = source[key];
    if (!sameShape(f.shape, t.shape)) throw new Error(`${name}: ${key} has shape ${formatShape(f.shape)} in the file, but the net's ${key} is ${formatShape(t.shape)}`);
    if (f.dtype === "float64" && t.dtype === "float32" && !options.cast) {
      throw new Error(`${name}: ${key} is float64 in the file but the net is float32; build the net with dtype 'float64', or pass { cast: true } to round the values to float32`);
    }
    const bad = firstNonFinite(f);
    if (bad >= 0) throw new Error(`${name}: ${key} holds ${f.data[bad]} at flat index ${bad}; a net's parameters must be finite`);
    pairs.push([t, f]);
  }
  for (const key of Object.keys(source)) {
    if (!Object.hasOwn(targets, key)) throw new Error(`${name}: unexpected array ${clip(key, 60)} in the file (the net has ${listNames(Object.keys(targets))})`);
  }
  // Nothing below allocates wasm memory, so the views stay attached. Float64Array → Float32Array
  // rounds to nearest-even, as numpy's astype(float32).
  for (const [t, f] of pairs) t.data.set(f.data);
}

/** The file's bytes in `format` (default the book's pickle): for browsers, downloads, or your own storage. */
export async function encodeNetParams(net: ModelNet, options: SaveParamsOptions = {}): Promise<Uint8Array> {
  const format = options.format ?? "pickle";
  switch (format) {
    case "pickle": return encodePickleParams(paramsFileTensors(net));
    case "npz": return encodeNpz(paramsFileTensors(net), { compress: options.compress ?? false });
    case "safetensors": return serializeModel(net); // the whole model: loadModel rebuilds it, loadParams reads it
    default: throw new Error(`${net.constructor.name}.saveParams: format must be 'pickle', 'npz' or 'safetensors', got ${quote(format)}`);
  }
}

/** net.saveParams: write the file atomically, its format from `options.format` or the extension. */
export async function saveNetParams(net: ModelNet, target: string, options: SaveParamsOptions = {}): Promise<void> {
  const where = `${net.constructor.name}.saveParams`;
  if (typeof target !== "string" || target === "") throw new Error(`${where}: target must be a file path, got ${quote(target)}; for bytes use encodeNetParams(net, { format })`);
  if (fileAccess === null) throw new Error(`${where}: writing a file needs Node; in a browser use encodeNetParams(net, { format }) for the bytes`);
  const format = options.format ?? formatOfPath(target, where);
  const bytes = await encodeNetParams(net, { ...options, format });
  try {
    await fileAccess.write(target, bytes);
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`, { cause: e });
  }
}

/** .pkl / .pickle → pickle, .npz → npz, .safetensors → safetensors; no extension → pickle (the book's default). */
export function formatOfPath(path: string, where = "saveParams"): ParamsFileFormat {
  const base = path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
  const dot = base.lastIndexOf(".");
  if (dot <= 0) return "pickle";
  const ext = base.slice(dot + 1).toLowerCase();
  if (ext === "pkl" || ext === "pickle") return "pickle";
  if (ext === "npz") return "npz";
  if (ext === "safetensors") return "safetensors";
  throw new Error(`${where}: cannot tell the format from the extension .${clip(ext, 40)} of ${quote(path, 80)}; use .pkl, .npz or .safetensors, or pass { format: 'pickle' | 'npz' | 'safetensors' }`);
}

/** A scratchnet model file of another architecture is a clear error, not a list of missing keys. */
function checkArchitecture(net: ModelNet, bytes: Uint8Array, name: string): void {
  const fileArch = decodeSafetensors(bytes, name).metadata.architecture;
  const found = architectureOf(net);
  if (found && fileArch !== undefined && fileArch !== found.name) {
    throw new Error(`${name}: the file holds a ${clip(fileArch, 60)}, the net is a ${found.name}`);
  }
}

function firstNonFinite(t: Tensor): number {
  const d = t.data;
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) return i;
  return -1;
}
