// Checks on tensors at the public boundary: is it a real Tensor, is it finite. Kept beside
// tensor.ts (which re-exports them) so the class file stays about storage.
import { getCore } from "../core/core.js";
import { Tensor, heapOf, isTensor, ptrOf, type TensorData } from "../tensor.js";
import type { DType } from "../dtype.js";
import { fail, formatShape } from "../shape.js";
import { describeValue } from "../check.js";

/** `x` as a Tensor: Tensors pass through, anything else is copied by Tensor.from. */
export function asTensor(x: TensorData, dtype?: DType, where = "Tensor.from"): Tensor {
  if (isTensor(x)) return x;
  if (typeof x === "object" && x !== null && !Array.isArray(x) && !ArrayBuffer.isView(x)) {
    fail(where, `expected a Tensor, an array or a typed array, got ${describeValue(x)}`);
  }
  return Tensor.from(x, undefined, dtype);
}

/** A named error unless `x` is a real Tensor. */
export function checkTensor(x: unknown, name: string, where: string): Tensor {
  if (!isTensor(x)) fail(where, `${name} must be a Tensor (make one with Tensor.from), got ${describeValue(x)}`);
  return x;
}

// Tensors the library filled itself from finite sources (uint8 images gathered by a sampler).
// Input checks skip them: the training loop must not rescan every batch it just built.
const trustedInputs = new WeakSet<Tensor>();

/** Internal: mark a tensor whose contents are finite by construction. */
export function markTrusted(t: Tensor): void {
  trustedInputs.add(t);
}

/** Index of the first NaN/±Infinity in `t`, or -1 (one SIMD pass in wasm; a JS loop on the heap). */
export function firstNonFinite(t: Tensor): number {
  const heap = heapOf(t);
  if (heap === null) return getCore().kernels(t.dtype).firstNonFinite(ptrOf(t), t.size);
  for (let i = 0; i < heap.length; i++) if (!Number.isFinite(heap[i])) return i;
  return -1;
}

/** Throws if `t` holds NaN or ±Infinity, naming the caller and the position. */
export function assertFinite(t: Tensor, where: string, name: string): void {
  if (typeof where !== "string") where = "assertFinite";
  if (typeof name !== "string") name = "x";
  checkTensor(t, name, where);
  if (trustedInputs.has(t)) return;
  const i = firstNonFinite(t);
  if (i >= 0) fail(where, `${name} ${formatShape(t.shape)} holds ${t.data[i]} at flat index ${i}; inputs must be finite`);
}
