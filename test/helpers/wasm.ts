// Test helpers: seeded test data and raw buffers in wasm memory for calling kernels directly.
import { Tensor, getCore, type DType } from "../../src/index.node.js";
import { WasmBlock } from "../../src/core/block.js";

/** Seeded test data (mulberry32, not the library's Rng): see src/reference/seeded.ts. */
export { seededRandom as testRng, uniformArray } from "../../src/reference/seeded.js";

/** A tensor in wasm memory holding `values` rounded to `dtype`. */
export function floats(values: ArrayLike<number>, dtype: DType): Tensor {
  return Tensor.from(Float64Array.from(values), [values.length], dtype);
}

/** An uninitialised float tensor of n elements (filled with a sentinel so stale data shows). */
export function outBuffer(n: number, dtype: DType): Tensor {
  const t = Tensor.zeros([Math.max(n, 1)], dtype);
  t.data.fill(-12345);
  return t;
}

/** int32 values in wasm memory; `view()` re-derives the array after memory growth. */
export function int32s(values: ArrayLike<number>): { ptr: number; view: () => Int32Array; block: WasmBlock } {
  const block = new WasmBlock(Math.max(16, values.length * 4));
  const view = () => new Int32Array(getCore().memory.buffer, block.ptr, values.length);
  view().set(values);
  return { ptr: block.ptr, view, block };
}

/** uint8 values in wasm memory. */
export function uint8s(values: ArrayLike<number>): { ptr: number; block: WasmBlock } {
  const block = new WasmBlock(Math.max(16, values.length));
  new Uint8Array(getCore().memory.buffer, block.ptr, values.length).set(values);
  return { ptr: block.ptr, block };
}

/** Unit roundoff of each dtype: 2^-24 (float32), 2^-53 (float64). */
export const UNIT_ROUNDOFF: Record<DType, number> = { float32: 2 ** -24, float64: 2 ** -53 };

/** γ_n = n·u / (1 − n·u): the classic bound factor for n rounded operations (Higham §3.1). */
export function gamma(n: number, u: number): number {
  return (n * u) / (1 - n * u);
}

/**
 * Largest |actual − expected| / bound over all elements; ≤ 1 means every element is inside its
 * bound. Also returns where the worst element is, for the failure message.
 */
export function worstRatio(actual: ArrayLike<number>, expected: ArrayLike<number>, bound: (i: number) => number): { ratio: number; at: number; actual: number; expected: number } {
  let ratio = 0, at = -1;
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} ≠ ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    // NaN where the reference has NaN and the same infinity count as agreement (IEEE semantics)
    if (Object.is(actual[i], expected[i]) || (Number.isNaN(actual[i]) && Number.isNaN(expected[i]))) continue;
    const err = Math.abs(actual[i] - expected[i]);
    const r = err === 0 ? 0 : err / bound(i);
    if (!(r <= ratio)) { ratio = r; at = i; } // NaN counts as worst
    if (Number.isNaN(r)) { ratio = Infinity; at = i; break; }
  }
  return { ratio, at, actual: actual[at], expected: expected[at] };
}
