// Shared by the convolution tests (test/unit/assembly/im2col, pooling, conv; test/unit/layers):
// geometries that reach every edge of the kernels, and the bound of an n-term sum.
import type { DType } from "../../src/index.node.js";
import type { ConvGeometry } from "../../src/reference/index.js";
import { UNIT_ROUNDOFF, gamma } from "./wasm.js";

/** Odd sizes, stride 2, pad 1, multi-channel, windows larger than stride (overlap) and smaller (gaps). */
export const CONV_CASES: ConvGeometry[] = [
  { N: 1, C: 1, H: 5, W: 5, FH: 3, FW: 3, stride: 1, pad: 0 },
  { N: 2, C: 3, H: 7, W: 5, FH: 3, FW: 3, stride: 2, pad: 1 },
  { N: 3, C: 2, H: 6, W: 9, FH: 2, FW: 4, stride: 1, pad: 1 },
  { N: 2, C: 2, H: 8, W: 11, FH: 5, FW: 5, stride: 1, pad: 2 },
  { N: 2, C: 3, H: 4, W: 7, FH: 3, FW: 3, stride: 3, pad: 2 },
  { N: 2, C: 3, H: 9, W: 7, FH: 1, FW: 3, stride: 2, pad: 0 },
  { N: 3, C: 1, H: 28, W: 28, FH: 5, FW: 5, stride: 1, pad: 0 },
  { N: 2, C: 2, H: 3, W: 1, FH: 3, FW: 7, stride: 1, pad: 3 }, // pad wider than the row: taps entirely in the padding
  { N: 2, C: 1, H: 2, W: 2, FH: 5, FW: 5, stride: 2, pad: 3 },
  // "same" convolutions (stride 1, output as wide as the input: im2col's one-run path), as DeepConvNet's
  { N: 2, C: 2, H: 7, W: 7, FH: 3, FW: 3, stride: 1, pad: 1 },
  { N: 2, C: 3, H: 5, W: 6, FH: 3, FW: 3, stride: 1, pad: 1 },
  { N: 1, C: 2, H: 4, W: 3, FH: 5, FW: 3, stride: 1, pad: 1 }, // taller window than padding: output rows fewer than input rows
];

export const POOL_CASES: ConvGeometry[] = [
  { N: 2, C: 3, H: 6, W: 8, FH: 2, FW: 2, stride: 2, pad: 0 }, // SimpleConvNet's pool (fast path)
  { N: 2, C: 3, H: 24, W: 24, FH: 2, FW: 2, stride: 2, pad: 0 },
  { N: 2, C: 2, H: 7, W: 5, FH: 3, FW: 3, stride: 2, pad: 1 },
  { N: 1, C: 3, H: 5, W: 6, FH: 2, FW: 3, stride: 1, pad: 0 },
  { N: 2, C: 2, H: 7, W: 7, FH: 3, FW: 3, stride: 3, pad: 1 },
  { N: 2, C: 2, H: 4, W: 4, FH: 2, FW: 2, stride: 2, pad: 1 },
];

export const describeGeometry = (g: ConvGeometry): string =>
  `N${g.N} C${g.C} ${g.H}×${g.W} window ${g.FH}×${g.FW} stride ${g.stride} pad ${g.pad}`;

/** `values` rounded to `dtype` and back (what the kernel sees). */
export function rounded(values: Float64Array, dtype: DType): Float64Array {
  return dtype === "float32" ? Float64Array.from(Float32Array.from(values)) : values;
}

/** A sum of `terms` terms in any order: 1e-12 relative in float64, γ_terms in float32 (plus the reference's own error). */
export function sumBound(dtype: DType, terms: number, scale: Float64Array): (i: number) => number {
  return (i) => dtype === "float64"
    ? 1e-12 * scale[i]
    : (gamma(terms, UNIT_ROUNDOFF.float32) + gamma(terms, UNIT_ROUNDOFF.float64)) * scale[i];
}

/** The book's col [N·Q × K] → Convolution's layout [N × K × Q] (each image's rows transposed). */
export function perImageTranspose(a: ArrayLike<number>, N: number, Q: number, K: number): Float64Array {
  const out = new Float64Array(N * Q * K);
  for (let n = 0; n < N; n++) for (let q = 0; q < Q; q++) for (let k = 0; k < K; k++) out[(n * K + k) * Q + q] = a[(n * Q + q) * K + k];
  return out;
}
