// Which path a matrix product takes is decided in one place, assembly/gemm/plan.ts, and every
// path gives the same bits (test/unit/assembly/gemm/sparse/rows.test.ts, test/unit/assembly/gemm/threads.test.ts). Here the plan
// itself is checked: `lastGemmPlan()` reports the GEMM_PLAN bits of the last gemmAB call, so the
// book's two big products on real MNIST digits and on denser images must take the paths the
// plan promises — on one thread and on two (the threaded build, whose workers now run the
// sparse paths too: they take the main thread's scratch with each job).
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { init, parseIdx, setThreads, Tensor, TwoLayerNet, type DType } from "../../../../src/index.node.js";
import { getCore } from "../../../../src/internal.js";
import { GEMM_PLAN } from "../../../../src/core/kernels.generated.js";
import { mnistRows } from "../../../helpers/mnist.js";
import { floats, outBuffer, testRng, uniformArray, type WasmFloats } from "../../../helpers/wasm.js";

const { SPARSE_ROWS, SKIP_STEPS, PACKED, SCATTER, THREADS } = GEMM_PLAN;
const DTYPES: DType[] = ["float32", "float64"];

/** The bundled Fashion-MNIST sample's first n items, ÷255 (~50% nonzero pixels: the dense paths). */
function fashionRows(n: number): Float64Array {
  const bytes = gunzipSync(readFileSync(new URL("../../../../data-sample/fashion-mnist/train-images-idx3-ubyte.gz", import.meta.url)));
  const images = parseIdx(bytes, "fashion sample", 3).data as Uint8Array;
  return Float64Array.from(images.subarray(0, n * 784), (v) => v / 255);
}

const plan = () => getCore().exports.lastGemmPlan();
const bits = (t: WasmFloats, n: number) => Array.from(t.data.subarray(0, n));

/** x·W1 + b1 ([B×784]·[784×50]) and dW1 = xᵀ·D ([784×B]·[B×50], x read transposed): their plans, and their results against the dense recipe. */
function bookProducts(x: Float64Array, B: number, dtype: DType): { forward: number; backward: number } {
  const rand = testRng(B);
  const X = floats(x, dtype), W1 = floats(uniformArray(rand, 784 * 50), dtype), b1 = floats(uniformArray(rand, 50), dtype);
  const D = floats(uniformArray(rand, B * 50), dtype);
  const k = getCore().kernels(dtype);
  const h = outBuffer(B * 50, dtype), hDense = outBuffer(B * 50, dtype);
  k.gemmAB(h.ptr, X.ptr, W1.ptr, b1.ptr, B, 50, 784, 784, 1);
  const forward = plan();
  k.gemmABRows(hDense.ptr, X.ptr, W1.ptr, b1.ptr, 50, 784, 784, 1, 0, B);
  expect(bits(h, B * 50)).toEqual(bits(hDense, B * 50));
  const dW = outBuffer(784 * 50, dtype), dWDense = outBuffer(784 * 50, dtype);
  k.gemmAB(dW.ptr, X.ptr, D.ptr, 0, 784, 50, B, 1, 784);
  const backward = plan();
  k.gemmABRows(dWDense.ptr, X.ptr, D.ptr, 0, 50, B, 1, 784, 0, 784);
  expect(bits(dW, 784 * 50)).toEqual(bits(dWDense, 784 * 50));
  return { forward, backward };
}

beforeAll(async () => {
  await init({ threads: 2 });
});

describe.each(DTYPES)("the GEMM plan (%s)", (dtype) => {
  it("MNIST digits: x·W1 takes the sparse rows, dW1 the scatter; two threads split both", async () => {
    const { x } = mnistRows(0, 100);
    await setThreads(1);
    expect(bookProducts(x, 100, dtype)).toEqual({ forward: SPARSE_ROWS | SKIP_STEPS, backward: SCATTER });
    await setThreads(2);
    expect(bookProducts(x, 100, dtype)).toEqual({ forward: SPARSE_ROWS | SKIP_STEPS | THREADS, backward: SCATTER | THREADS });
  });

  it("dense images (Fashion-MNIST items) take the plain tiles: B packed, no step skipped, no row alone", async () => {
    const x = fashionRows(100);
    await setThreads(1);
    expect(bookProducts(x, 100, dtype).forward).toBe(PACKED);
    await setThreads(2);
    expect(bookProducts(x, 100, dtype).forward).toBe(PACKED | THREADS);
  });

  it("a dense batch is judged by sample blocks, not by its first item: a sparse first item changes nothing", async () => {
    const x = fashionRows(100);
    const ink = (r: number) => x.subarray(r * 784, r * 784 + 784).filter((v) => v !== 0).length / 784;
    const sparse = Array.from({ length: 100 }, (_, r) => r).find((r) => ink(r) < 0.4);
    expect(sparse, "the sample holds an item under 40% ink").toBeDefined();
    const first = x.slice((sparse as number) * 784, (sparse as number) * 784 + 784);
    x.copyWithin((sparse as number) * 784, 0, 784);
    x.set(first, 0);
    expect(ink(0)).toBeLessThan(0.4);
    await setThreads(1);
    expect(bookProducts(x, 100, dtype).forward).toBe(PACKED);
  });

  it("rows whose sample block is idle keep the sparse paths: four blank rows first (a conv's background patches)", async () => {
    const x = fashionRows(100);
    x.fill(0, 0, 4 * 784);
    await setThreads(1);
    expect(bookProducts(x, 100, dtype).forward).toBe(SPARSE_ROWS | SKIP_STEPS);
  });

  it("dense products: the narrow columns, two blocks at a time from packed panels, give the dense recipe's bits", async () => {
    const rand = testRng(11);
    const k = getCore().kernels(dtype);
    for (const threads of [1, 2]) {
      await setThreads(threads);
      for (const M of [8, 12, 20, 100]) {
        for (const K of [5, 300, 600, 784]) { // under and over a panel slot's steps (512 f32, 256 f64)
          for (const N of [1, 2, 3, 5, 9, 10, 13, 50]) {
            const A = floats(uniformArray(rand, M * K), dtype), B = floats(uniformArray(rand, K * N), dtype);
            const bias = floats(uniformArray(rand, N), dtype);
            const got = outBuffer(M * N, dtype), want = outBuffer(M * N, dtype);
            k.gemmAB(got.ptr, A.ptr, B.ptr, bias.ptr, M, N, K, K, 1);
            expect(plan() & (SKIP_STEPS | SPARSE_ROWS), `M=${M} K=${K} N=${N}: the plain tiles`).toBe(0);
            k.gemmABRows(want.ptr, A.ptr, B.ptr, bias.ptr, N, K, K, 1, 0, M);
            expect(bits(got, M * N), `M=${M} K=${K} N=${N}, ${threads} thread(s)`).toEqual(bits(want, M * N));
          }
        }
      }
    }
  });

  it("dW1 of a mostly nonzero x takes the tiles that skip idle steps, not the scatter", async () => {
    await setThreads(1);
    const rand = testRng(3);
    const x = uniformArray(rand, 100 * 784).map((v) => (rand() < 0.3 ? 0 : v)); // 70% nonzero
    expect(bookProducts(x, 100, dtype).backward).toBe(SKIP_STEPS);
  });

  it("B with an Infinity: nothing is skipped (0·Inf must reach the sum), plain tiles", async () => {
    await setThreads(1);
    const { x } = mnistRows(0, 20);
    const X = floats(x, dtype), W = floats(new Array(784 * 8).fill(0.5), dtype), C = outBuffer(20 * 8, dtype);
    W.data[3] = Infinity;
    getCore().kernels(dtype).gemmAB(C.ptr, X.ptr, W.ptr, 0, 20, 8, 784, 784, 1);
    expect(plan()).toBe(0);
    const D = floats(uniformArray(testRng(4), 20 * 8), dtype), dW = outBuffer(784 * 8, dtype);
    D.data[0] = -Infinity;
    getCore().kernels(dtype).gemmAB(dW.ptr, X.ptr, D.ptr, 0, 784, 8, 20, 1, 784);
    expect(plan()).toBe(0);
  });

  it("a product with a bias never scatters (the scatter has no bias), and keeps the bias", async () => {
    await setThreads(1);
    const { x } = mnistRows(200, 100);
    const rand = testRng(5);
    const X = floats(x, dtype), D = floats(uniformArray(rand, 100 * 10), dtype), bias = floats(uniformArray(rand, 10), dtype);
    const got = outBuffer(784 * 10, dtype), want = outBuffer(784 * 10, dtype);
    getCore().kernels(dtype).gemmAB(got.ptr, X.ptr, D.ptr, bias.ptr, 784, 10, 100, 1, 784);
    expect(plan() & SCATTER).toBe(0);
    getCore().kernels(dtype).gemmABRows(want.ptr, X.ptr, D.ptr, bias.ptr, 10, 100, 1, 784, 0, 784);
    expect(bits(got, 7840)).toEqual(bits(want, 7840));
  });

  it("small products (under 4 rows, little work) stay plain and on one thread", async () => {
    await setThreads(2);
    const { x } = mnistRows(0, 3);
    const X = floats(x, dtype), W = floats(uniformArray(testRng(6), 784 * 10), dtype), C = outBuffer(3 * 10, dtype);
    getCore().kernels(dtype).gemmAB(C.ptr, X.ptr, W.ptr, 0, 3, 10, 784, 784, 1);
    expect(plan()).toBe(0);
  });

  it("the fused TwoLayerNet step ends on dW1 = xᵀ·dH, scattered on MNIST digits", async () => {
    for (const threads of [1, 2]) {
      await setThreads(threads);
      const net = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, dtype, seed: 1 });
      const { x, labels } = mnistRows(300, 100);
      net.gradient(Tensor.from(x, [100, 784], dtype), Int32Array.from(labels));
      expect(plan()).toBe(threads === 1 ? SCATTER : SCATTER | THREADS);
    }
  });
});

describe("worker threads use their own slot of the current GEMM scratch", () => {
  // assembly/gemm/scratch.ts: a 1 MB scratch holds the packed panels, then 16 list slots of
  // 16 KB (slot i for thread i). Before a worker took the main thread's scratch with each job,
  // its instance had none: its chunks skipped no zeros and the scatter wrote its lists at
  // slot·16 KB from address 0.
  it("after the scratch moves, a worker's scatter lists land in slot 1 of the new block, nothing else is touched", async () => {
    await setThreads(2);
    const bytes = 1 << 20, slot = 16 << 10, lists = bytes - 16 * slot;
    const scratch = outBuffer(bytes / 4, "float32");
    keep.push(scratch);
    const view = () => new Uint8Array(getCore().memory.buffer, scratch.ptr, bytes);
    view().fill(0xa5);
    getCore().exports.gemmScratch(scratch.ptr, bytes);
    const { x } = mnistRows(400, 100);
    const X = floats(x, "float32"), D = floats(uniformArray(testRng(7), 100 * 50), "float32");
    const dW = outBuffer(784 * 50, "float32"), want = outBuffer(784 * 50, "float32");
    const k = getCore().kernels("float32");
    k.gemmABRows(want.ptr, X.ptr, D.ptr, 0, 50, 100, 1, 784, 0, 784);
    const before = getCore().exports.workerChunks();
    for (let tries = 0; tries < 200 && getCore().exports.workerChunks() === before; tries++) {
      k.gemmAB(dW.ptr, X.ptr, D.ptr, 0, 784, 50, 100, 1, 784);
      expect(plan()).toBe(SCATTER | THREADS);
    }
    expect(getCore().exports.workerChunks(), "the worker took a chunk").toBeGreaterThan(before);
    expect(bits(dW, 784 * 50)).toEqual(bits(want, 784 * 50));
    const changed = (from: number, to: number) => view().subarray(from, to).some((b) => b !== 0xa5);
    expect(changed(lists + slot, lists + 2 * slot), "the worker's slot 1").toBe(true);
    expect(changed(lists + 2 * slot, bytes), "slots 2..15").toBe(false);
    expect(changed(0, lists), "the panels (a scatter packs nothing)").toBe(false);
  });
});
const keep: WasmFloats[] = []; // scratch handed to wasm must outlive the test (no finalizer may free it)
