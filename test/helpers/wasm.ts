// Test helpers: seeded test data and raw buffers in wasm memory for calling kernels directly.
// Kernels take addresses, which the public API never hands out; these buffers come from a
// test-owned arena through the internal entry (src/internal.ts) and carry their address.
import { expect } from "vitest";
import type { DType, FloatArray, Tensor } from "../../src/index.node.js";
import "../../src/index.node.js"; // Node: compiles the wasm on first use
import { Arena, getCore, ptrOf, wasmTensor } from "../../src/internal.js";

/** Seeded test data (mulberry32, not the library's Rng): see src/reference/seeded.ts. */
export { seededRandom as testRng, uniformArray } from "../../src/reference/seeded.js";

// one arena for every buffer of a test file: freed with the process
const arena = new Arena("kernel tests");

/** A float buffer in wasm memory: its address for kernels, and a live view of its values. */
export interface WasmFloats {
  readonly ptr: number;
  readonly data: FloatArray;
  readonly size: number;
  readonly dtype: DType;
  /** The same memory as a Tensor. */
  readonly tensor: Tensor;
}

function wasmFloats(n: number, dtype: DType): WasmFloats {
  const block = arena.alloc(Math.max(16, n * (dtype === "float32" ? 4 : 8)));
  const tensor = wasmTensor(block, 0, [n], dtype);
  return { ptr: ptrOf(tensor), get data() { return tensor.data; }, size: n, dtype, tensor };
}

/** `values` rounded to `dtype`, in wasm memory. */
export function floats(values: ArrayLike<number>, dtype: DType): WasmFloats {
  const f = wasmFloats(values.length, dtype);
  f.data.set(Float64Array.from(values));
  return f;
}

/** An uninitialised float buffer of n elements (filled with a sentinel so stale data shows). */
export function outBuffer(n: number, dtype: DType): WasmFloats {
  const f = wasmFloats(Math.max(n, 1), dtype);
  f.data.fill(-12345);
  return f;
}

/** int32 values in wasm memory; `view()` re-derives the array after memory growth. */
export function int32s(values: ArrayLike<number>): { ptr: number; view: () => Int32Array } {
  const block = arena.alloc(Math.max(16, values.length * 4));
  const view = () => new Int32Array(getCore().memory.buffer, block.ptr, values.length);
  view().set(values);
  return { ptr: block.ptr, view };
}

/** uint8 values in wasm memory. */
export function uint8s(values: ArrayLike<number>): { ptr: number } {
  const block = arena.alloc(Math.max(16, values.length));
  new Uint8Array(getCore().memory.buffer, block.ptr, values.length).set(values);
  return { ptr: block.ptr };
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

/** Both dtypes, for describe.each. */
export const DTYPES: DType[] = ["float32", "float64"];

/** The float64 bound relative to the error's scale (the real error is ~1e-13 at K = 784). */
export const F64_REL = 1e-12;

/** A copy of a buffer's values as float64. */
export function copy(t: { data: ArrayLike<number> }): Float64Array {
  return Float64Array.from(t.data);
}

/** Every element of `actual` within `bound(i)` of `expected` (see worstRatio). */
export function expectWithin(label: string, actual: ArrayLike<number>, expected: ArrayLike<number>, bound: (i: number) => number): void {
  const w = worstRatio(actual, expected, bound);
  expect(w.ratio, `${label}: element ${w.at} is ${w.actual}, reference ${w.expected} (error/bound = ${w.ratio})`).toBeLessThanOrEqual(1);
}
