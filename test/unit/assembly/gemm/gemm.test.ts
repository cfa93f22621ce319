// The matrix products (assembly/gemm/: the tiled recipe, packing, the sparse paths) in both
// dtypes against the plain-TypeScript float64 reference (src/reference/gemm.ts).
//
// Inputs are seeded random values rounded to the kernel's dtype first, so kernel and reference
// see the same numbers; the reference then computes in float64 and only the kernel's own
// arithmetic is being measured.
//
// Tolerances (u = unit roundoff: 2⁻²⁴ float32, 2⁻⁵³ float64; γ_n = n·u/(1 − n·u)):
//  - float64: |ŷ − y| ≤ 1e-12 · Σ|a_k·b_k|. The real float64 error is ~1e-13 at K = 784, so
//    1e-12 still fails on any wrong formula.
//  - float32 (all three layouts): a length-K dot product plus a bias is K+1 rounded operations
//    in some order; for ANY order (the lane-split and tiled paths reorder the sums) the error is
//    ≤ γ_{K+1} · (Σ_k |a_k b_k| + |bias|). The float64 reference's own error (γ_K with u = 2⁻⁵³)
//    is added, it is 2⁻²⁹ times smaller.
import { describe, expect, it } from "vitest";
import type { DType } from "../../../../src/index.node.js";
import { getCore } from "../../../../src/internal.js";
import * as ref from "../../../../src/reference/index.js";
import {
  DTYPES, F64_REL, UNIT_ROUNDOFF, copy, expectWithin, floats, gamma, outBuffer, testRng, uniformArray,
} from "../../../helpers/wasm.js";
import { mnistRows } from "../../../helpers/mnist.js";

/** Sizes chosen to hit every path of assembly/gemm/tiles.ts and abt.ts:
 *  gemmAB  rows: 4-row tiles + M%4 tail rows (4-vector, 1-vector, partial-vector passes);
 *          columns: 2-vector tiles (8 f32 / 4 f64), 1-vector
 *          tiles (4 / 2), scalar tail; gemmABt rows: 4-row tiles + tail, column pairs + odd
 *          column, K: vector body (4 / 2 lanes) + K%lanes tail. */
const M_SIZES = [1, 3, 4, 5, 8, 17];
const N_SIZES = [1, 2, 3, 4, 5, 7, 8, 9, 12, 17, 33];
const K_SIZES = [1, 2, 3, 4, 5, 17];

/** Σ_k |a(i,k)·b(k,j)| for each output of A·B, with A read through (sai, sak) strides. */
function absDotScale(A: Float64Array, B: Float64Array, M: number, N: number, K: number, sai: number, sak: number): Float64Array {
  const out = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += Math.abs(A[i * sai + k * sak] * B[k * N + j]);
      out[i * N + j] = s;
    }
  }
  return out;
}

function dotBound(dtype: DType, K: number, scale: Float64Array, bias: Float64Array | null, N: number): (i: number) => number {
  const terms = bias ? K + 1 : K;
  return (i) => {
    const s = scale[i] + (bias ? Math.abs(bias[i % N]) : 0);
    if (dtype === "float64") return F64_REL * s;
    return (gamma(terms, UNIT_ROUNDOFF.float32) + gamma(terms, UNIT_ROUNDOFF.float64)) * s;
  };
}

describe.each(DTYPES)("gemm kernels (%s) vs reference", (dtype) => {
  const k = () => getCore().kernels(dtype);

  function checkAB(M: number, N: number, K: number, withBias: boolean, seed: number): void {
    const rand = testRng(seed);
    const A = floats(uniformArray(rand, M * K), dtype);
    const B = floats(uniformArray(rand, K * N), dtype);
    const bias = withBias ? floats(uniformArray(rand, N), dtype) : null;
    const C = outBuffer(M * N, dtype);
    k().gemmAB(C.ptr, A.ptr, B.ptr, bias ? bias.ptr : 0, M, N, K, K, 1);
    const a = copy(A), b = copy(B), bb = bias ? copy(bias) : null;
    const expected = new Float64Array(M * N);
    ref.gemmAB(expected, a, b, bb, M, N, K);
    expectWithin(`gemmAB ${M}×${K}·${K}×${N}${withBias ? "+bias" : ""}`, copy(C).subarray(0, M * N), expected,
      dotBound(dtype, K, absDotScale(a, b, M, N, K, K, 1), bb, N));
  }

  function checkAtB(M: number, N: number, K: number, seed: number): void {
    const rand = testRng(seed);
    const A = floats(uniformArray(rand, K * M), dtype); // stored [K×M], used transposed
    const B = floats(uniformArray(rand, K * N), dtype);
    const C = outBuffer(M * N, dtype);
    k().gemmAB(C.ptr, A.ptr, B.ptr, 0, M, N, K, 1, M);
    const a = copy(A), b = copy(B);
    const expected = new Float64Array(M * N);
    ref.gemmAtB(expected, a, b, M, N, K);
    expectWithin(`gemmAB transposed-A ${K}×${M}ᵀ·${K}×${N}`, copy(C).subarray(0, M * N), expected,
      dotBound(dtype, K, absDotScale(a, b, M, N, K, 1, M), null, N));
  }

  function checkABt(M: number, N: number, K: number, seed: number): void {
    const rand = testRng(seed);
    const A = floats(uniformArray(rand, M * K), dtype);
    const B = floats(uniformArray(rand, N * K), dtype); // stored [N×K]
    const C = outBuffer(M * N, dtype);
    k().gemmABt(C.ptr, A.ptr, B.ptr, M, N, K);
    const a = copy(A), b = copy(B);
    const expected = new Float64Array(M * N);
    ref.gemmABt(expected, a, b, M, N, K);
    // Σ|a_ik b_jk|: B's row j is column j of Bᵀ, so transpose it into a [K×N] scale input
    const bt = new Float64Array(K * N);
    for (let j = 0; j < N; j++) for (let kk = 0; kk < K; kk++) bt[kk * N + j] = b[j * K + kk];
    expectWithin(`gemmABt ${M}×${K}·(${N}×${K})ᵀ`, copy(C).subarray(0, M * N), expected,
      dotBound(dtype, K, absDotScale(a, bt, M, N, K, K, 1), null, N));
  }

  it("A·B (+bias) on every tile/tail combination", () => {
    let seed = 1;
    for (const M of M_SIZES) for (const N of N_SIZES) for (const K of K_SIZES) {
      checkAB(M, N, K, false, seed++);
      checkAB(M, N, K, true, seed++);
    }
  });

  it("Aᵀ·B on every tile/tail combination", () => {
    let seed = 1000;
    for (const M of M_SIZES) for (const N of N_SIZES) for (const K of K_SIZES) checkAtB(M, N, K, seed++);
  });

  it("A·Bᵀ on every tile/tail combination", () => {
    let seed = 2000;
    for (const M of M_SIZES) for (const N of N_SIZES) for (const K of K_SIZES) checkABt(M, N, K, seed++);
  });

  // gemmAB skips k-steps whose A values are all ±0 when B is finite (exact: they add ±0) and
  // packs B into panels. Uniform random A never triggers that, so: real MNIST digits (mostly
  // background zeros) and synthetic A with ~85% zeros and some −0, in both A layouts; and a
  // non-finite B, where 0·∞ = NaN must still reach C (skipping would hide it).
  it("sparse A (real MNIST digits, ±0 blocks) and non-finite B, both A layouts", () => {
    const { x } = mnistRows(0, 100);
    const rand = testRng(99);
    const sparse = (n: number) => uniformArray(rand, n).map((v) => (rand() < 0.85 ? (rand() < 0.3 ? -0 : 0) : v));
    const cases: [string, Float64Array, number, number, number][] = [
      ["MNIST x·W", x, 100, 50, 784],
      ["sparse 17×33", sparse(17 * 33), 17, 9, 33],
      ["sparse 8×40", sparse(8 * 40), 8, 17, 40],
    ];
    for (const [label, aValues, M, N, K] of cases) {
      for (const poison of [false, true]) {
        const bValues = uniformArray(rand, K * N);
        const A = floats(aValues, dtype), B = floats(bValues, dtype), bias = floats(uniformArray(rand, N), dtype);
        // written past Tensor.from's finiteness check; A has zero steps at k = 0 and k = K−1
        if (poison) { B.data[0] = Infinity; B.data[(K - 1) * N + N - 1] = NaN; }
        const a = copy(A), b = copy(B), bb = copy(bias);
        // A·B + bias, A row-major [M×K]
        const C = outBuffer(M * N, dtype);
        k().gemmAB(C.ptr, A.ptr, B.ptr, bias.ptr, M, N, K, K, 1);
        const e = new Float64Array(M * N);
        ref.gemmAB(e, a, b, bb, M, N, K);
        if (poison) expect(Number.isNaN(e[0]), "the poisoned case must make NaN in the reference").toBe(true);
        expectWithin(`${label} A·B+bias${poison ? " non-finite B" : ""}`, copy(C).subarray(0, M * N), e,
          dotBound(dtype, K, absDotScale(a, b, M, N, K, K, 1), bb, N));
        // Aᵀ·B with the same values read as A stored [K×M]: dW = xᵀ·dout, x sparse
        const At = new Float64Array(K * M);
        for (let i = 0; i < M; i++) for (let kk = 0; kk < K; kk++) At[kk * M + i] = a[i * K + kk];
        const ATt = floats(At, dtype);
        const Ct = outBuffer(M * N, dtype);
        k().gemmAB(Ct.ptr, ATt.ptr, B.ptr, 0, M, N, K, 1, M);
        const et = new Float64Array(M * N);
        ref.gemmAtB(et, At, b, M, N, K);
        expectWithin(`${label} (Aᵀ)ᵀ·B${poison ? " non-finite B" : ""}`, copy(Ct).subarray(0, M * N), et,
          dotBound(dtype, K, absDotScale(At, b, M, N, K, 1, M), null, N));
      }
    }
  });

  it("the Affine shapes of a 784-50-10 net at batch 100", () => {
    checkAB(100, 50, 784, true, 7); // x·W1 + b1
    checkAtB(784, 50, 100, 8); // dW1 = xᵀ·dout
    checkABt(100, 784, 50, 9); // dx = dout·W1ᵀ
    checkAB(100, 10, 50, true, 10); // x·W2 + b2
    checkAtB(50, 10, 100, 11);
    checkABt(100, 50, 10, 12);
  });
});
