// Threads and the fused step must not change a single bit: the products are split over output
// rows only, and the fused TwoLayerNet step calls the same kernels as the layer classes.
// Everything runs on real MNIST digits (the t10k set read in place).
import { readFileSync } from "node:fs";
import { describe, it, expect, beforeAll } from "vitest";
import {
  init, setThreads, getThreads, TwoLayerNet, SGD, Tensor, ImageDataset, trainNet, oneHot,
} from "../../../../src/index.node.js";
import { Arena, getCore, paramBlockPtr, ptrOf, setWorkerSpinMs, zerosIn } from "../../../../src/internal.js";
import { WORKER_SPIN_MS } from "../../../../src/core/thread-pool.js";
import { mnistTestSet } from "../../../helpers/mnist.js";

/** FNV-1a over the bytes of every parameter and every recorded number. */
function fnv(bytes: Uint8Array, h = 0x811c9dc5): number {
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  return h;
}
function bytesHash(a: Float32Array | Float64Array): number {
  return fnv(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}
function hashRun(net: TwoLayerNet, numbers: number[]): string {
  const p = net.paramBlock.all().data;
  const h1 = fnv(new Uint8Array(p.buffer, p.byteOffset, p.byteLength));
  const h2 = fnv(new Uint8Array(Float64Array.from(numbers).buffer));
  return `${h1.toString(16)}-${h2.toString(16)}`;
}

function mnistDatasets(): { train: ImageDataset; test: ImageDataset } {
  const { images, labels } = mnistTestSet();
  return {
    train: ImageDataset.fromBytes("mnist-t10k-a", images.subarray(0, 8000 * 784), labels.subarray(0, 8000), 28, 28),
    test: ImageDataset.fromBytes("mnist-t10k-b", images.subarray(8000 * 784), labels.subarray(8000), 28, 28),
  };
}

/** 200 steps of the book's training loop (80 steps per epoch → two 8000+2000-row evaluations). */
async function train200(threads: number, dtype: "float32" | "float64" = "float32"): Promise<string> {
  expect(await setThreads(threads)).toBe(threads);
  expect(getThreads()).toBe(threads);
  expect(getCore().exports.threadCount()).toBe(threads); // what the wasm side splits over
  const net = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, dtype, seed: 7 });
  const history = await trainNet(net, mnistDatasets(), { itersNum: 200, batchSize: 100, learningRate: 0.1, seed: 3 });
  expect(history.trainLossList.length).toBe(200);
  expect(history.trainLossList[199]).toBeLessThan(history.trainLossList[0] * 0.5); // it learned
  return hashRun(net, [...history.trainLossList, ...history.trainAccList, ...history.testAccList]);
}

beforeAll(async () => {
  await init({ threads: 2 });
});

describe("threads", () => {
  it("runs the threaded build with a worker", () => {
    expect(getCore().pool).not.toBeNull();
    expect(getCore().memory.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it("trains to the same bits on 1 and 2 threads (200 steps + evaluations, float32)", async () => {
    const one = await train200(1);
    const before = getCore().exports.workerChunks();
    const two = await train200(2);
    expect(getCore().exports.workerChunks()).toBeGreaterThan(before); // the worker really took rows
    expect(two).toBe(one);
    expect(await train200(1)).toBe(one); // and the pool can shrink again
  });

  it("trains to the same bits on 1 and 2 threads (float64)", async () => {
    expect(await train200(2, "float64")).toBe(await train200(1, "float64"));
  });

  it("gives the threaded build on one thread the same bits as the default build", async () => {
    // the default (non-shared-memory) build, driven through its raw exports
    await setThreads(2);
    const { images, labels } = mnistTestSet();
    const net = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, seed: 11 });
    const plain = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(new URL("../../../../build/scratchnet.wasm", import.meta.url))), { env: { abort() { throw new Error("abort"); } } });
    const e = plain.exports as Record<string, CallableFunction> & { memory: WebAssembly.Memory };
    const base = Math.ceil((e.heapBase() as number) / 16) * 16;
    const n = net.paramBlock.length, B = 100;
    const bytes = n * 4;
    const P = base, G = P + bytes, X = G + bytes, T = X + B * 784 * 4, S = T + B * 4;
    e.memory.grow(Math.ceil((S + 4 * B * 64 * 4 - e.memory.buffer.byteLength) / 65536) + 1);
    const f32 = () => new Float32Array(e.memory.buffer);
    f32().set(net.paramBlock.all().data, P / 4);
    // offsets of W1, b1, W2, b2 inside the block, as the net laid them out
    const off = (t: Tensor) => ptrOf(t) - paramBlockPtr(net.paramBlock);
    const p = net.params;
    const sgd = new SGD(0.1);
    const x = Tensor.zeros([B, 784]);
    const plainLosses: number[] = [], netLosses: number[] = [];
    for (let step = 0; step < 60; step++) {
      const start = (step * 37 * B) % (10000 - B);
      const rows = Float32Array.from(images.subarray(start * 784, (start + B) * 784), (v) => v / 255);
      const t = Int32Array.from(labels.subarray(start, start + B));
      x.data.set(rows);
      net.gradient(x, t);
      netLosses.push(net.lastLayer.loss as number);
      sgd.updateBlock(net.paramBlock, net.gradBlock);
      f32().set(rows, X / 4);
      new Int32Array(e.memory.buffer).set(t, T / 4);
      const h = S, y = h + B * 64 * 4, dA2 = y + B * 64 * 4, dH = dA2 + B * 64 * 4;
      plainLosses.push(e.twoLayerGradient_f32(
        G + off(p.W1), G + off(p.b1), G + off(p.W2), G + off(p.b2), P + off(p.W1), P + off(p.b1), P + off(p.W2), P + off(p.b2),
        X, T, 0, h, y, dA2, dH, B, 784, 50, 10, 0, 0, 0, 0) as number);
      e.sgdUpdate_f32(P, G, 0.1, n);
    }
    expect(netLosses).toEqual(plainLosses);
    expect(bytesHash(f32().subarray(P / 4, P / 4 + n))).toBe(bytesHash(net.paramBlock.all().data as Float32Array));
  });
});

describe("fused TwoLayerNet step", () => {
  const { images, labels } = mnistTestSet();
  const batch = (start: number, dtype: "float32" | "float64") => ({
    x: Tensor.from(Float64Array.from(images.subarray(start * 784, (start + 100) * 784), (v) => v / 255), [100, 784], dtype),
    t: Int32Array.from(labels.subarray(start, start + 100)),
  });

  for (const dtype of ["float32", "float64"] as const) {
    for (const activation of ["relu", "sigmoid"] as const) {
      for (const targets of ["labels", "one-hot"] as const) {
        it(`gives the layer path's bits (${dtype}, ${activation}, ${targets}, 30 SGD steps)`, async () => {
          await setThreads(2);
          const make = () => new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, dtype, activation, seed: 5, weightInitStd: 0.1 });
          const fused = make(), layered = make();
          layered.fused = false;
          const sgd = new SGD(0.5);
          for (let step = 0; step < 30; step++) {
            const { x, t } = batch((step * 300) % 9900, dtype);
            const tt = targets === "labels" ? t : oneHot(Array.from(t), 10, dtype);
            fused.gradient(x, tt);
            layered.gradient(x, tt);
            expect(fused.lastLayer.loss).toBe(layered.lastLayer.loss);
            expect(bytesHash(fused.gradBlock.all().data)).toBe(bytesHash(layered.gradBlock.all().data));
            sgd.updateBlock(fused.paramBlock, fused.gradBlock);
            sgd.updateBlock(layered.paramBlock, layered.gradBlock);
          }
          expect(fused.lastLayer.loss as number).toBeLessThan(2.0);
        });
      }
    }
  }

  it("checks shapes and labels like the layer path", () => {
    const net = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10 });
    const { x, t } = batch(0, "float32");
    expect(() => net.gradient(Tensor.zeros([100, 783]), t)).toThrow(/TwoLayerNet\.gradient: x has shape \[100, 783\]/);
    expect(() => net.gradient(x, t.subarray(0, 99))).toThrow(/99 labels for a batch of 100/);
    const bad = Int32Array.from(t); bad[5] = 10;
    expect(() => net.gradient(x, bad)).toThrow(/label 10 at index 5/);
  });

  it("allocates no wasm memory after the first step", async () => {
    await setThreads(2);
    const net = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10 });
    const sgd = new SGD(0.1);
    const { x, t } = batch(0, "float32");
    net.gradient(x, t);
    sgd.updateBlock(net.paramBlock, net.gradBlock);
    const used = getCore().allocator.bytesInUse, size = getCore().memory.buffer.byteLength;
    for (let i = 0; i < 50; i++) { net.gradient(x, t); sgd.updateBlock(net.paramBlock, net.gradBlock); }
    expect(getCore().allocator.bytesInUse).toBe(used);
    expect(getCore().memory.buffer.byteLength).toBe(size);
  });
});

/** Polls `done` every few milliseconds for up to `ms`; whether it came true. */
async function within(ms: number, done: () => boolean): Promise<boolean> {
  for (const end = performance.now() + ms; performance.now() < end;) {
    if (done()) return true;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return done();
}

describe("idle workers", () => {
  it("sleep as soon as a step's last job (the update) is done, and spin after any other job", async () => {
    const asleep = () => getCore().exports.sleepingWorkers() === 1;
    setWorkerSpinMs(10_000); // long enough that only the idle-after hint can put the worker to sleep
    try {
      await setThreads(1);
      await setThreads(2); // a new worker, with that spin
      const net = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, seed: 7 });
      const { images, labels } = mnistTestSet();
      const x = Tensor.from(Float64Array.from(images.subarray(0, 100 * 784), (v) => v / 255), [100, 784], "float32");
      const t = Int32Array.from(labels.subarray(0, 100));
      net.predict(x); // x·W1 on two threads: a job without the hint
      expect(getCore().exports.workerMaySpin()).toBeTruthy();
      expect(await within(300, asleep)).toBe(false); // it spins, as after any job
      net.gradient(x, t); // the fused step's jobs: the worker spins on for the update
      expect(getCore().exports.workerMaySpin()).toBeTruthy();
      expect(await within(300, asleep)).toBe(false);
      new SGD(0.1).updateBlock(net.paramBlock, net.gradBlock); // the update ends a step: published idle-after
      expect(getCore().exports.workerMaySpin()).toBeFalsy();
      expect(await within(3000, asleep)).toBe(true);
      net.predict(x); // the next job wakes it, and it spins again
      expect(await within(3000, () => !asleep())).toBe(true);
    } finally {
      setWorkerSpinMs(WORKER_SPIN_MS);
      await setThreads(1);
      await setThreads(2);
    }
  });
});

// kernels take addresses: their operands here are zeroed tensors in a test-owned arena
const testArena = new Arena("threads test");
const wasm = (shape: number[], dtype: "float32" | "float64"): Tensor => zerosIn(testArena, shape, dtype, "test buffers");

describe("packed B panels and zero skipping", () => {
  it("give the same bits as the plain dense loop (x·W1 + b1 and xᵀ·D on 1000 real digits, float32 and float64)", async () => {
    await setThreads(2);
    const { images } = mnistTestSet();
    for (const dtype of ["float32", "float64"] as const) {
      const x = wasm([1000, 784], dtype);
      x.data.set(Float64Array.from(images.subarray(0, 1000 * 784), (v) => v / 255));
      const net = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, dtype, seed: 2, weightInitStd: 0.1 });
      const k = getCore().kernels(dtype);
      const packed = wasm([1000, 50], dtype), strided = wasm([1000, 50], dtype);
      const dWfast = wasm([784, 50], dtype), dWdense = wasm([784, 50], dtype);
      // forward x·W1 + b1, then xᵀ·h (the dW1 layout: A read transposed) with h = that output
      k.gemmAB(ptrOf(packed), ptrOf(x), ptrOf(net.params.W1), ptrOf(net.params.b1), 1000, 50, 784, 784, 1);
      k.gemmAB(ptrOf(dWfast), ptrOf(x), ptrOf(packed), 0, 784, 50, 1000, 1, 784);
      const scratch = wasm([1], "float32"); // any valid pointer: 0 bytes = never pack, never skip
      getCore().exports.gemmScratch(ptrOf(scratch), 0);
      try {
        k.gemmAB(ptrOf(strided), ptrOf(x), ptrOf(net.params.W1), ptrOf(net.params.b1), 1000, 50, 784, 784, 1);
        k.gemmAB(ptrOf(dWdense), ptrOf(x), ptrOf(packed), 0, 784, 50, 1000, 1, 784);
      } finally {
        const fresh = wasm([(1 << 20) / 4], "float32"); // re-enable packing for the rest of the file
        getCore().exports.gemmScratch(ptrOf(fresh), 1 << 20);
        keep.push(fresh);
      }
      expect(bytesHash(packed.data)).toBe(bytesHash(strided.data));
      expect(bytesHash(dWfast.data)).toBe(bytesHash(dWdense.data));
      expect(packed.data.some((v) => v !== 0)).toBe(true);
    }
  });
});
const keep: Tensor[] = []; // scratch handed to wasm must outlive the test (its arena is never disposed)

describe("zero skipping", () => {
  it("is not used when B holds Inf or NaN (0·Inf must stay NaN, as in the dense loop)", () => {
    const dtype = "float32";
    const x = wasm([20, 16], dtype); // all background, except one pixel of row 16
    x.set(1, 16, 0);
    const W = wasm([16, 8], dtype);
    W.data.fill(0.5);
    W.data[1 * 8 + 3] = Infinity; // row k=1 is only ever multiplied by zeros
    const out = wasm([20, 8], dtype);
    getCore().kernels(dtype).gemmAB(ptrOf(out), ptrOf(x), ptrOf(W), 0, 20, 8, 16, 16, 1);
    expect(Number.isNaN(out.get(0, 3))).toBe(true); // 0·Inf = NaN reached the sum
    expect(Number.isNaN(out.get(16, 3))).toBe(true);
    expect(out.get(0, 0)).toBe(0);
    expect(out.get(16, 0)).toBe(0.5);
  });
});

describe("setThreads", () => {
  it("refuses nonsense thread counts", async () => {
    await expect(setThreads(0)).rejects.toThrow(/setThreads: threads must be an integer from 1 to 64, got 0/);
    await expect(setThreads(1.5)).rejects.toThrow(/got 1.5/);
  });
});
