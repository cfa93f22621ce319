// One entry point for "a file of named parameters", whatever wrote it: the book's pickle
// (save_params / sample_weight.pkl), numpy's .npz, or safetensors (ours or Hugging Face's).
// The format is recognised from the first bytes, never from a file name.
import { Tensor } from "../tensor.js";
import { asBytes, FileFormatError, type ByteInput } from "./format-error.js";
import { NumpyArray } from "./ndarray.js";
import { isNpy } from "./npy.js";
import { decodeNpz } from "./npz.js";
import { decodePickle } from "./pickle-reader.js";
import { decodeSafetensors } from "./safetensors.js";
import { isZip } from "./zip.js";

export type ParamsFormat = "pickle" | "npz" | "npy" | "safetensors";

/** The format the bytes start like, or null. */
export function sniffParamsFormat(source: ByteInput): ParamsFormat | null {
  const bytes = asBytes(source, "sniffParamsFormat");
  if (bytes.byteLength >= 2 && bytes[0] === 0x80 && bytes[1] >= 2 && bytes[1] <= 5) return "pickle";
  if (isZip(bytes)) return "npz";
  if (isNpy(bytes)) return "npy";
  if (bytes.byteLength >= 9) {
    const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
    if (n <= BigInt(bytes.byteLength - 8) && bytes[8] === 0x7b) return "safetensors"; // '{'
  }
  return null;
}

export interface ReadParamsOptions {
  /** Used in error messages (a path, say). */
  name?: string;
}

/**
 * Named float parameters from a book pickle, an .npz or a safetensors file (detected from the
 * bytes), as Tensors in file order. Integer arrays, nested values and other content are errors.
 */
export async function readParamsFile(source: ByteInput, options: ReadParamsOptions = {}): Promise<Record<string, Tensor>> {
  const bytes = asBytes(source, "readParamsFile");
  const file = options.name ?? "parameter file";
  const format = sniffParamsFormat(bytes);
  let entries: [string, unknown][];
  switch (format) {
    case "pickle": {
      const value = decodePickle(bytes, { name: file });
      if (typeof value !== "object" || value === null || Object.getPrototypeOf(value) !== Object.prototype) {
        throw new FileFormatError(`${file}: the pickle holds ${describe(value)}, not a dict of named arrays (what the book's save_params writes)`);
      }
      entries = Object.entries(value);
      break;
    }
    case "npz":
      entries = Object.entries(await decodeNpz(bytes, { name: file }));
      break;
    case "safetensors":
      entries = [...decodeSafetensors(bytes, file).tensors].map(([key, t]) => {
        const tensor = Tensor.zeros(t.shape, t.dtype === "F32" ? "float32" : "float64");
        const d = tensor.data;
        new Uint8Array(d.buffer, d.byteOffset, d.byteLength).set(t.data); // little-endian file → wasm/JS (little-endian hosts)
        return [key, tensor];
      });
      break;
    case "npy":
      throw new FileFormatError(`${file}: a .npy file holds one unnamed array, not named parameters; read it with loadNpy, or save parameters with np.savez`);
    default:
      throw new FileFormatError(`${file}: not a parameter file: expected a pickle (protocol 2–5), an .npz or a safetensors file`, 0);
  }
  const params: Record<string, Tensor> = {};
  for (const [key, value] of entries) {
    if (!(value instanceof Tensor)) {
      throw new FileFormatError(`${file}: ${key} is ${describe(value)}; parameters must be float arrays (float16/32/64)`);
    }
    Object.defineProperty(params, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return params;
}

function describe(v: unknown): string {
  if (v === null) return "None";
  if (v instanceof NumpyArray) return `${v.dtype.startsWith("int") ? "an" : "a"} ${v.dtype} array`;
  if (v instanceof Map) return "a dict with non-string keys";
  if (Array.isArray(v)) return "a list or tuple";
  if (v instanceof Uint8Array) return "bytes";
  if (typeof v === "object") return v.constructor === Object ? "a dict" : `a ${v.constructor.name}`;
  return `a ${typeof v}`;
}
