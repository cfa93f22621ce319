// The canonical JSON form of a loaded value, the same form test/fixtures/numpy/make_fixtures.py
// writes from the Python side: arrays as dtype + shape + the hex of their C-ordered
// little-endian bytes, so comparing two canonical forms compares values bit for bit.
// Browser-safe (test/browser/book-files-page.ts uses it too): no Buffer, and the classes come
// from their own modules, which both entry points re-export.
import { Tensor } from "../../src/tensor.js";
import { NumpyArray, wasFloat16 } from "../../src/io/ndarray.js";

export function hexOf(view: ArrayBufferView): string {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

export function canon(v: unknown): unknown {
  if (v === null || typeof v === "boolean" || typeof v === "string" || typeof v === "number") return v;
  if (typeof v === "bigint") return { int: v.toString() };
  if (v instanceof Uint8Array) return { bytes: hexOf(v) };
  if (Array.isArray(v)) return v.map(canon);
  if (v instanceof Tensor) {
    return { ndarray: { shape: [...v.shape], dtype: v.dtype, hex: hexOf(v.data), ...(wasFloat16(v) ? { widened_from: "float16" } : {}) } };
  }
  if (v instanceof NumpyArray) return { ndarray: { shape: [...v.shape], dtype: v.dtype, hex: hexOf(v.data) } };
  if (v instanceof Map) return { map: [...v].map(([k, x]) => [canon(k), canon(x)]) };
  if (v instanceof Set) return { set: [...v].map(canon).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)) };
  if (typeof v === "object") return { dict: Object.entries(v as object).map(([k, x]) => [k, canon(x)]) };
  throw new Error(`canon: unexpected ${typeof v}`);
}
