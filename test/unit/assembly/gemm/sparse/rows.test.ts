// The row-by-row zero-skipping path of gemmAB (assembly/gemm/sparse/rows.ts) must give the same
// bits as the dense recipe: blocks of rows under 40% nonzero (MNIST digits: ~18%) go one row at
// a time over their nonzero steps, and leaving out steps with a = ±0 is exact when B is finite.
// The dense recipe is gemmABRows_<t> (assembly/gemm/tiles.ts: no packing, skipping or threads);
// gemmAB is the dispatcher the layers call, and lastGemmPlan() says which path it took. dW =
// xᵀ·dout with x under 50% nonzero goes through assembly/gemm/sparse/scatter.ts instead (each
// sample's nonzero pixels added into dW's rows, in L1-sized slices of rows), which must give the
// same bits too. Every column split the row path uses (6-, 4-, 2-, 1-vector passes and a
// partial last vector) is covered by the N sweep.
import { describe, expect, it } from "vitest";
import type { DType } from "../../../../../src/index.node.js";
import { getCore } from "../../../../../src/internal.js";
import { GEMM_PLAN } from "../../../../../src/core/kernels.generated.js";
import { floats, outBuffer, testRng, uniformArray } from "../../../../helpers/wasm.js";
import { mnistRows } from "../../../../helpers/mnist.js";

const DTYPES: DType[] = ["float32", "float64"];
const N_SWEEP = [1, 2, 3, 4, 5, 7, 8, 10, 12, 16, 23, 24, 25, 27, 28, 49, 50, 51, 64];

type RowKernel = (C: number, A: number, B: number, bias: number, N: number, K: number, sai: number, sak: number, i0: number, i1: number) => void;

function denseRows(dtype: DType): RowKernel {
  const exports = getCore().exports as unknown as Record<string, RowKernel>;
  return exports[dtype === "float32" ? "gemmABRows_f32" : "gemmABRows_f64"];
}

/** Values as comparable keys: the bit pattern, with every NaN one key (payloads may differ). */
function bits(values: ArrayLike<number>, dtype: DType): string[] {
  const one = dtype === "float32" ? new Float32Array(1) : new Float64Array(1);
  const asInt = dtype === "float32" ? new Uint32Array(one.buffer) : new BigUint64Array(one.buffer);
  return Array.from(values, (v) => {
    if (Number.isNaN(v)) return "NaN";
    one[0] = v;
    return asInt[0].toString(16);
  });
}

/** C = A·B + bias through gemmAB (sparse rows where they apply) and through the dense recipe. */
function bothPaths(dtype: DType, a: ArrayLike<number>, M: number, N: number, K: number, seed: number): { auto: string[]; dense: string[]; plan: number } {
  const rand = testRng(seed);
  // Tensor.from refuses NaN, so NaN values are written into wasm memory afterwards
  const A = floats(Array.from(a, (v) => (Number.isNaN(v) ? 0 : v)), dtype);
  Array.from(a).forEach((v, i) => { if (Number.isNaN(v)) A.data[i] = NaN; });
  const B = floats(uniformArray(rand, K * N), dtype), bias = floats(uniformArray(rand, N), dtype);
  const auto = outBuffer(M * N, dtype), dense = outBuffer(M * N, dtype);
  getCore().kernels(dtype).gemmAB(auto.ptr, A.ptr, B.ptr, bias.ptr, M, N, K, K, 1);
  const plan = getCore().exports.lastGemmPlan(); // which path gemmAB took (assembly/gemm/plan.ts)
  denseRows(dtype)(dense.ptr, A.ptr, B.ptr, bias.ptr, N, K, K, 1, 0, M);
  return { auto: bits(auto.data.subarray(0, M * N), dtype), dense: bits(dense.data.subarray(0, M * N), dtype), plan };
}

describe.each(DTYPES)("gemmAB sparse rows (%s) equal the dense recipe bit for bit", (dtype) => {
  it("real MNIST digits (x·W + b at K = 784), every column split", () => {
    const { x } = mnistRows(0, 100);
    // precondition: every 4-row block is under the 40% threshold, so the row path really runs
    for (let i = 0; i < 100; i += 4) {
      let nz = 0;
      for (let j = i * 784; j < (i + 4) * 784; j++) nz += x[j] !== 0 ? 1 : 0;
      expect(nz / (4 * 784), `block ${i / 4} density`).toBeLessThan(0.4);
    }
    for (const N of N_SWEEP) {
      const { auto, dense, plan } = bothPaths(dtype, x, 100, N, 784, N);
      expect(auto, `N=${N}`).toEqual(dense);
      expect(plan, `N=${N}: the sparse-rows path ran`).toBe(GEMM_PLAN.SPARSE_ROWS | GEMM_PLAN.SKIP_STEPS);
    }
  });

  it("dW = xᵀ·dout on real MNIST digits (the scatter kernel, several row slices)", () => {
    const { x } = mnistRows(100, 100); // x [100×784] read as A = xᵀ: M = 784 pixels, K = 100 samples
    const rand = testRng(5);
    for (const N of [10, 50]) {
      const A = floats(x, dtype), B = floats(uniformArray(rand, 100 * N), dtype);
      const auto = outBuffer(784 * N, dtype), dense = outBuffer(784 * N, dtype);
      getCore().kernels(dtype).gemmAB(auto.ptr, A.ptr, B.ptr, 0, 784, N, 100, 1, 784);
      expect(getCore().exports.lastGemmPlan(), "the scatter path ran").toBe(GEMM_PLAN.SCATTER);
      denseRows(dtype)(dense.ptr, A.ptr, B.ptr, 0, N, 100, 1, 784, 0, 784);
      expect(bits(auto.data.subarray(0, 784 * N), dtype), `N=${N}`).toEqual(bits(dense.data.subarray(0, 784 * N), dtype));
    }
  });

  it("Aᵀ·B scatter with odd sizes, a row stride wider than M, every column split", () => {
    const rand = testRng(6);
    for (const [M, K, ld, N] of [[9, 13, 9, 6], [5, 7, 11, 1], [17, 6, 20, 27], [40, 9, 40, 50], [12, 30, 12, 10]] as const) {
      const a = uniformArray(rand, K * ld).map((v) => (rand() < 0.85 ? 0 : v)); // A(i,k) at i + k·ld
      const A = floats(a, dtype), B = floats(uniformArray(rand, K * N), dtype);
      const auto = outBuffer(M * N, dtype), dense = outBuffer(M * N, dtype);
      getCore().kernels(dtype).gemmAB(auto.ptr, A.ptr, B.ptr, 0, M, N, K, 1, ld);
      denseRows(dtype)(dense.ptr, A.ptr, B.ptr, 0, N, K, 1, ld, 0, M);
      expect(bits(auto.data.subarray(0, M * N), dtype), `M=${M} K=${K} ld=${ld}`).toEqual(bits(dense.data.subarray(0, M * N), dtype));
    }
  });

  it("synthetic rows: ±0, denormals, a NaN and an all-zero row; M not a multiple of 4", () => {
    const rand = testRng(7);
    for (const [M, K] of [[7, 33], [12, 5], [9, 130]] as const) {
      const a = uniformArray(rand, M * K).map((v) => (rand() < 0.8 ? (rand() < 0.5 ? -0 : 0) : v));
      a[1] = dtype === "float32" ? 1e-41 : 1e-310; // a denormal is not zero: it must be kept
      for (let k = 0; k < K; k++) a[2 * K + k] = 0; // row 2: nothing to add, C = bias
      if (M * K > 3 * K + 2) a[3 * K + 2] = NaN; // NaN in A reaches C in both paths
      for (const N of [1, 3, 6, 25, 50]) {
        const { auto, dense } = bothPaths(dtype, a, M, N, K, 100 * M + N);
        expect(auto, `M=${M} K=${K} N=${N}`).toEqual(dense);
        if (M * K > 3 * K + 2) expect(auto[3 * N], "row 3 carries the NaN").toBe("NaN");
      }
    }
  });

  it("dense rows (Fashion-like, 60% nonzero) keep the tiled path and the same bits", () => {
    const rand = testRng(11);
    const a = uniformArray(rand, 16 * 100).map((v) => (rand() < 0.4 ? 0 : v));
    for (const N of [10, 50]) {
      const { auto, dense, plan } = bothPaths(dtype, a, 16, N, 100, N);
      expect(auto, `N=${N}`).toEqual(dense);
      expect(plan & (GEMM_PLAN.SPARSE_ROWS | GEMM_PLAN.SCATTER), `N=${N}: the tiles ran`).toBe(0);
    }
  });
});
