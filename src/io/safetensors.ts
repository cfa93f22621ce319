// The safetensors container (Hugging Face), pure bytes, no I/O, browser-safe:
//   [8-byte little-endian u64 N][N bytes of JSON header, space-padded to 8-byte alignment][data]
// header = { "__metadata__": { string: string }, name: { dtype, shape, data_offsets: [begin, end] } }
// with offsets relative to the start of the data region. Decoding trusts nothing: every check
// happens before the bytes it guards are looked at, and every error names the file and the problem.

import { clip, quote } from "../quote.js";

/** The element types scratchnet reads and writes. */
export type SafetensorsDType = "F32" | "F64";

export interface SafetensorsTensor {
  dtype: SafetensorsDType;
  shape: readonly number[];
  /** Raw little-endian element bytes. */
  data: Uint8Array;
}

export interface SafetensorsFile {
  /** Tensors in file order (by data offset). `data` views the input bytes (no copy). */
  tensors: Map<string, SafetensorsTensor>;
  metadata: Record<string, string>;
}

/** A header larger than this is corruption, not a model (the reference implementation's limit). */
export const MAX_HEADER_BYTES = 100_000_000;

const ITEM_SIZE: Record<SafetensorsDType, number> = { F32: 4, F64: 8 };
// Every dtype the format defines, so a valid file we cannot read gets "unsupported", not "unknown".
const OTHER_FORMAT_DTYPES = new Set(["BOOL", "U8", "I8", "I16", "U16", "F16", "BF16", "I32", "U32", "I64", "U64", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2", "C64"]);
const METADATA_KEY = "__metadata__";

/**
 * Encode tensors (written in the given order, back to back) and string metadata into one
 * safetensors file. `data` may view wasm memory: it is copied exactly once, into the result.
 */
export function encodeSafetensors(
  tensors: Iterable<readonly [name: string, tensor: SafetensorsTensor]>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const where = "encodeSafetensors";
  if (typeof metadata !== "object" || metadata === null) throw new Error(`${where}: metadata must be an object of strings, got ${metadata === null ? "null" : typeof metadata}`);
  if (typeof tensors !== "object" || tensors === null || typeof (tensors as Iterable<unknown>)[Symbol.iterator] !== "function") {
    throw new Error(`${where}: tensors must be an iterable of [name, { dtype, shape, data }] pairs`);
  }
  const header: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== "string") throw new Error(`${where}: metadata '${clip(key, 60)}' must be a string, got ${typeof value}`);
  }
  if (Object.keys(metadata).length > 0) header[METADATA_KEY] = metadata;
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const entry of tensors) {
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== "string" || typeof entry[1] !== "object" || entry[1] === null) {
      throw new Error(`${where}: each entry must be [name, { dtype, shape, data }]`);
    }
    const [name, t] = entry as readonly [string, SafetensorsTensor];
    if (!(t.data instanceof Uint8Array)) throw new Error(`${where}: tensor '${name.slice(0, 100)}' data must be a Uint8Array`);
    if (name === METADATA_KEY) throw new Error(`${where}: '${METADATA_KEY}' is reserved and cannot name a tensor`);
    if (Object.hasOwn(header, name)) throw new Error(`${where}: two tensors are named '${clip(name, 60)}'`);
    if (!(t.dtype in ITEM_SIZE)) throw new Error(`${where}: tensor '${clip(name, 60)}' has unsupported dtype ${quote(t.dtype, 40)}`);
    const count = elementCount(t.shape);
    if (count === null) throw new Error(`${where}: tensor '${clip(name, 60)}' has a bad shape ${compact(t.shape)}`);
    const bytes = count * ITEM_SIZE[t.dtype];
    if (t.data.byteLength !== bytes) {
      throw new Error(`${where}: tensor '${clip(name, 60)}' ${t.dtype} ${compact(t.shape)} needs ${bytes} bytes, got ${t.data.byteLength}`);
    }
    header[name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + bytes] };
    parts.push(t.data);
    offset += bytes;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  // Pad with spaces (valid JSON whitespace) so the data region starts 8-byte aligned, as the
  // reference writer does: readers can then view F64 data in place.
  const headerLength = Math.ceil(json.byteLength / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.byteLength, 8 + headerLength);
  let at = 8 + headerLength;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/** Decode and fully validate a safetensors file. `name` (a path, say) is used in errors. */
export function decodeSafetensors(bytes: Uint8Array, name = "safetensors data"): SafetensorsFile {
  if (typeof name !== "string") name = "safetensors data";
  if (!(bytes instanceof Uint8Array)) throw new Error(`decodeSafetensors: bytes must be a Uint8Array, got ${bytes === null ? "null" : typeof bytes}`);
  // every part quoting the file (keys, shapes, offsets) is kept short, and so is the whole
  const bad = (msg: string): never => {
    throw new Error(`${name}: ${clip(msg)}`);
  };
  if (bytes.byteLength < 8) bad(`truncated at byte ${bytes.byteLength}: a safetensors file starts with an 8-byte header length`);
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (headerLength > BigInt(MAX_HEADER_BYTES)) {
    bad(`header length ${headerLength} bytes is above the ${MAX_HEADER_BYTES}-byte limit (corrupt, or not a safetensors file)`);
  }
  const n = Number(headerLength);
  if (8 + n > bytes.byteLength) bad(`header length ${n} points past the end of the file (needs ${8 + n} bytes, the file has ${bytes.byteLength}): truncated?`);

  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    return bad(`header (bytes 8..${8 + n}) is not valid UTF-8`);
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    return bad(`header (bytes 8..${8 + n}) is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) {
    bad(`header must be a JSON object, got ${header === null ? "null" : Array.isArray(header) ? "an array" : typeof header}`);
  }

  const dataStart = 8 + n;
  const dataLength = bytes.byteLength - dataStart;
  const metadata: Record<string, string> = {};
  const entries: { name: string; dtype: SafetensorsDType; shape: number[]; begin: number; end: number }[] = [];
  for (const [key, value] of Object.entries(header as Record<string, unknown>)) {
    if (key === METADATA_KEY) {
      if (value === null) continue;
      if (typeof value !== "object" || Array.isArray(value)) bad(`${METADATA_KEY} must be an object of strings, got ${describe(value)}`);
      for (const [mk, mv] of Object.entries(value as Record<string, unknown>)) {
        if (typeof mv !== "string") bad(`${METADATA_KEY}.${clip(mk, 60)} must be a string, got ${describe(mv)}`);
        metadata[mk] = mv as string;
      }
      continue;
    }
    const t = `tensor '${clip(key, 60)}'`;
    if (typeof value !== "object" || value === null || Array.isArray(value)) bad(`${t}: entry must be an object, got ${describe(value)}`);
    const info = value as Record<string, unknown>;
    const dtype = info.dtype;
    if (typeof dtype !== "string") bad(`${t}: dtype must be a string, got ${describe(dtype)}`);
    if (!Object.hasOwn(ITEM_SIZE, dtype as string)) {
      if (OTHER_FORMAT_DTYPES.has(dtype as string)) bad(`${t}: dtype ${dtype} is not supported (scratchnet reads F32 and F64)`);
      bad(`${t}: unknown dtype ${quote(dtype, 40)}`);
    }
    const shape = info.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      bad(`${t}: shape must be an array of non-negative integers, got ${compact(shape)}`);
    }
    const offsets = info.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
      bad(`${t}: data_offsets must be two non-negative integers [begin, end], got ${compact(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    if (end < begin) bad(`${t}: data_offsets [${begin}, ${end}] end before they begin`);
    if (end > dataLength) {
      bad(`${t}: data_offsets [${begin}, ${end}] are out of range: the data region holds ${dataLength} bytes (file bytes ${dataStart}..${bytes.byteLength})`);
    }
    const itemSize = ITEM_SIZE[dtype as SafetensorsDType];
    const count = elementCount(shape as number[]);
    if (count === null || count * itemSize !== end - begin) {
      bad(`${t}: shape ${compact(shape)} × ${itemSize} bytes (${dtype}) = ${count === null ? "too many" : count * itemSize} bytes, but data_offsets [${begin}, ${end}] span ${end - begin}`);
    }
    entries.push({ name: key, dtype: dtype as SafetensorsDType, shape: shape as number[], begin, end });
  }

  // The tensors must tile the data region exactly: no gap, no overlap, nothing left over.
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  for (const e of entries) {
    if (e.begin > covered) bad(`gap in the data region: bytes ${covered}..${e.begin} belong to no tensor (tensor '${clip(e.name, 60)}' starts at ${e.begin})`);
    if (e.begin < covered) bad(`tensor '${clip(e.name, 60)}' data_offsets [${e.begin}, ${e.end}] overlap the previous tensor, which ends at ${covered}`);
    covered = e.end;
  }
  if (covered !== dataLength) bad(`the data region holds ${dataLength} bytes but the tensors cover only ${covered}: ${dataLength - covered} trailing bytes belong to no tensor`);

  const tensors = new Map<string, SafetensorsTensor>();
  for (const e of entries) {
    tensors.set(e.name, { dtype: e.dtype, shape: e.shape, data: bytes.subarray(dataStart + e.begin, dataStart + e.end) });
  }
  return { tensors, metadata };
}

/** Product of the dimensions, or null if the shape is invalid or the count is not a safe integer. */
function elementCount(shape: readonly number[]): number | null {
  if (!Array.isArray(shape)) return null;
  let count = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) return null;
    count *= d;
  }
  return Number.isSafeInteger(count) ? count : null;
}

/** A header value as compact JSON when it is small and flat ([784,50]), else a short quote (a file can nest or lengthen it at will). */
function compact(v: unknown): string {
  const flat = Array.isArray(v) && v.length <= 12 && v.every((x) => typeof x === "number" || (typeof x === "string" && x.length <= 40));
  return flat ? JSON.stringify(v) : quote(v, 80);
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return quote(v, 60);
  return typeof v === "object" ? "an object" : `${typeof v} ${String(v)}`;
}
