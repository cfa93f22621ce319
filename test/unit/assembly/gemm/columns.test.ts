// dW = xᵀ·dout by output columns over dout's nonzeros (assembly/gemm/sparse/columns.ts, plan bit
// COLUMNS) must give the dense recipe's bits: on Fashion-MNIST items with a ReLU-shaped dout (half
// of it exactly zero), and on synthetic operands holding ±0, denormals and NaN in dout, at sizes
// that leave partial vectors and partial 24-row blocks, on 1 and 2 threads. The plan takes it
// only when it is exact and pays: dout sparser than x, x finite.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { init, parseIdx, setThreads, type DType } from "../../../../src/index.node.js";
import { getCore } from "../../../../src/internal.js";
import { GEMM_PLAN } from "../../../../src/core/kernels.generated.js";
import { mnistRows } from "../../../helpers/mnist.js";
import { floats, outBuffer, testRng, uniformArray } from "../../../helpers/wasm.js";

const { COLUMNS, SCATTER, THREADS } = GEMM_PLAN;
const plan = () => getCore().exports.lastGemmPlan();

function fashionRows(n: number): Float64Array {
  const bytes = gunzipSync(readFileSync(new URL("../../../../data-sample/fashion-mnist/train-images-idx3-ubyte.gz", import.meta.url)));
  return Float64Array.from((parseIdx(bytes, "fashion sample", 3).data as Uint8Array).subarray(0, n * 784), (v) => v / 255);
}

/** A dout of K×N values with about half exactly 0 (where a ReLU was off), some of them -0. */
function reluShaped(K: number, N: number, seed: number): Float64Array {
  const rand = testRng(seed);
  return Float64Array.from(uniformArray(rand, K * N), (v, i) => (rand() < 0.5 ? (i % 7 === 0 ? -0 : 0) : v * 0.01));
}

/** C = Aᵀ·B through gemmAB (x [K×M] read transposed) and through the dense recipe alone; their bits, and the plan. */
function both(x: ArrayLike<number>, d: ArrayLike<number>, M: number, N: number, K: number, dtype: DType) {
  const X = floats(x, dtype), Dm = floats(d, dtype);
  const got = outBuffer(M * N, dtype), want = outBuffer(M * N, dtype);
  const k = getCore().kernels(dtype);
  k.gemmAB(got.ptr, X.ptr, Dm.ptr, 0, M, N, K, 1, M);
  const taken = plan();
  k.gemmABRows(want.ptr, X.ptr, Dm.ptr, 0, N, K, 1, M, 0, M);
  const bits = (b: typeof got) => new Uint8Array(b.data.buffer, b.data.byteOffset, b.data.byteLength).slice();
  return { taken, got: bits(got), want: bits(want), values: Array.from(got.data) };
}

beforeAll(async () => {
  await init({ threads: 2 });
});

describe.each(["float32", "float64"] as const)("dW = xᵀ·dout by columns (%s)", (dtype) => {
  it("Fashion-MNIST items, a ReLU-shaped dout: the plan takes the columns, on 1 and 2 threads, with the dense bits", async () => {
    const x = fashionRows(100);
    const d = reluShaped(100, 50, 1);
    for (const threads of [1, 2]) {
      await setThreads(threads);
      const r = both(x, d, 784, 50, 100, dtype);
      expect(r.taken).toBe(threads === 1 ? COLUMNS : COLUMNS | THREADS);
      expect(r.got).toEqual(r.want);
      expect(r.values.some((v) => v !== 0)).toBe(true);
    }
  });

  it("awkward sizes (rows not a multiple of the 24-row block or the vector, 3 columns): the dense bits", async () => {
    await setThreads(2);
    let byColumns = 0;
    for (const [M, N, K] of [[61, 3, 17], [25, 50, 40], [13, 7, 9], [4, 1, 40], [101, 9, 64], [5, 2, 3]]) {
      const rand = testRng(M * N + K);
      const x = uniformArray(rand, K * M).map((v) => (rand() < 0.2 ? 0 : v)); // dense x: the columns win
      const d = reluShaped(K, N, M);
      const r = both(x, d, M, N, K, dtype);
      if (r.taken & COLUMNS) byColumns++; // the plan may keep a tiny product on the tiles
      expect(r.got, `${M}×${N}×${K}`).toEqual(r.want);
    }
    expect(byColumns).toBeGreaterThanOrEqual(4);
  });

  it("±0, denormals and NaN in dout: zeros left out, NaN and denormals kept (the dense bits)", async () => {
    await setThreads(1);
    const M = 50, N = 6, K = 30;
    const x = uniformArray(testRng(9), K * M);
    const d = reluShaped(K, N, 3);
    d[4] = dtype === "float32" ? 1e-40 : 1e-310; // denormal: not zero, must be multiplied in
    d[11] = NaN;
    d[12] = -0;
    const r = both(x, d, M, N, K, dtype);
    expect(r.taken & COLUMNS).toBe(COLUMNS);
    expect(r.got).toEqual(r.want);
  });

  it("an Infinity in x: dout's zeros cannot be left out (0·Inf = NaN), so no columns", async () => {
    await setThreads(1);
    const M = 50, N = 6, K = 30;
    const x = uniformArray(testRng(10), K * M);
    x[77] = Infinity;
    const r = both(x, reluShaped(K, N, 4), M, N, K, dtype);
    expect(r.taken & COLUMNS).toBe(0);
    expect(r.got).toEqual(r.want);
  });

  it("MNIST digits (x sparser than dout): the scatter, not the columns", async () => {
    await setThreads(1);
    const { x } = mnistRows(0, 100);
    const r = both(x, reluShaped(100, 50, 5), 784, 50, 100, dtype);
    expect(r.taken).toBe(SCATTER);
    expect(r.got).toEqual(r.want);
  });
});
