// The parallel jobs of issue 12 give the bits of one thread: the fused accuracy pass over a
// uint8 dataset (TwoLayerNet's evaluateAccuracy) against net.predict's path, the minibatch
// gather, the convolution jobs (SimpleConvNet and DeepConvNet gradients), and the optimizer
// updates of a big parameter block. Each runs on 1 and on 2 threads (the same threaded build)
// and, where the worker may take part, checks that it did. Real MNIST digits throughout.
import { beforeAll, describe, expect, it } from "vitest";
import {
  init, setThreads, Adam, AdaGrad, BatchSampler, DeepConvNet, ImageDataset, Momentum, Nesterov, RMSprop, Rng, SGD,
  SimpleConvNet, TwoLayerNet, evaluateAccuracy, type DType, type Optimizer,
} from "../../../src/index.node.js";
import { getCore } from "../../../src/internal.js";
import { floats, outBuffer, testRng, uniformArray } from "../../helpers/wasm.js";
import { mnistTestSet } from "../../helpers/mnist.js";
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { parseIdx } from "../../../src/data/idx.js";

const FASHION_SAMPLE = new URL("../../../data-sample/fashion-mnist/", import.meta.url);

/** sha-256 of the bytes (comparing megabytes with toEqual takes vitest seconds). */
function bytes(a: Float32Array | Float64Array): string {
  return createHash("sha256").update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest("hex");
}

/**
 * Runs `fn` on 1 thread, then on 2 until the worker has taken a chunk (a busy machine may keep
 * it off the core for a whole short job; at most 20 tries): the 2-thread results, all of them.
 */
async function oneAndTwo<R>(fn: () => R | Promise<R>): Promise<{ one: R; two: R[]; workerChunks: number }> {
  await setThreads(1);
  const one = await fn();
  await setThreads(2);
  const before = getCore().exports.workerChunks();
  const two: R[] = [];
  while (two.length < 20 && (two.length === 0 || getCore().exports.workerChunks() === before)) two.push(await fn());
  return { one, two, workerChunks: getCore().exports.workerChunks() - before };
}

let digits: ImageDataset;
let fashion: ImageDataset;

beforeAll(async () => {
  await init({ threads: 2 });
  const { images, labels } = mnistTestSet();
  digits = ImageDataset.fromBytes("mnist-t10k", images, labels, 28, 28);
  const idx = (name: string, rank: number) => parseIdx(gunzipSync(readFileSync(new URL(name, FASHION_SAMPLE))), name, rank).data;
  fashion = ImageDataset.fromBytes("fashion-sample", idx("train-images-idx3-ubyte.gz", 3), idx("train-labels-idx1-ubyte.gz", 1), 28, 28);
});

describe("the fused accuracy pass (one job over the whole dataset)", () => {
  for (const dtype of ["float32", "float64"] as const) {
    for (const activation of ["relu", "sigmoid"] as const) {
      it(`counts what net.predict counts, on 1 and 2 threads (${dtype}, ${activation}, MNIST digits and Fashion-MNIST items)`, async () => {
        const net = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, dtype, activation, seed: 3, weightInitStd: 0.1 });
        // a few steps, so the net predicts more than one class
        const sgd = new SGD(0.5), sampler = new BatchSampler(digits, 100, dtype), rng = new Rng(1);
        for (let i = 0; i < 40; i++) { net.gradient(sampler.sample(rng), sampler.labelBatch); sgd.updateBlock(net.paramBlock, net.gradBlock); }
        for (const data of [digits, fashion, digits.slice(37, 1000)]) {
          net.fused = false; // evaluateAccuracy then goes through net.predict, 1000 rows at a time
          const viaPredict = evaluateAccuracy(net, data);
          net.fused = true;
          const { one, two, workerChunks } = await oneAndTwo(() => evaluateAccuracy(net, data));
          expect(one).toBe(viaPredict);
          for (const t of two) expect(t).toBe(viaPredict);
          if (data === digits) expect(viaPredict).toBeGreaterThan(0.3); // it learned digits (Fashion items it calls anything)
          if (data.count >= 1000) expect(workerChunks, "the worker took rows").toBeGreaterThan(0);
        }
        sampler.dispose();
        net.dispose();
      });
    }
  }

  it("takes no wasm memory for good (its per-thread rows are freed after the pass)", async () => {
    await setThreads(2);
    const net = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10 });
    evaluateAccuracy(net, digits);
    const used = getCore().allocator.bytesInUse;
    for (let i = 0; i < 5; i++) evaluateAccuracy(net, digits);
    expect(getCore().allocator.bytesInUse).toBe(used);
    net.dispose();
  });

  it("still refuses labels the net has no output for", () => {
    const net = new TwoLayerNet({ inputSize: 784, hiddenSize: 20, outputSize: 5 });
    expect(() => evaluateAccuracy(net, digits)).toThrow(/label/);
    net.dispose();
  });
});

describe("the minibatch gather", () => {
  it("gives the same rows on 1 and 2 threads (random rows, float32 and float64)", async () => {
    for (const dtype of ["float32", "float64"] as const) {
      const sampler = new BatchSampler(digits, 1000, dtype); // 784 000 bytes: not a "small" job, it wakes the worker
      const { one, two, workerChunks } = await oneAndTwo(() => {
        const rng = new Rng(9);
        return [0, 1, 2].map(() => bytes(sampler.sample(rng).data as Float32Array));
      });
      for (const t of two) expect(t).toEqual(one);
      expect(new Set(one).size).toBe(3); // three different batches
      expect(workerChunks).toBeGreaterThan(0);
      sampler.dispose();
    }
  });
});

/** `steps` Adam steps of a net on batches of `batch` digit images; the parameter bytes and losses. */
async function convRun(make: () => SimpleConvNet | DeepConvNet, steps: number, batch: number): Promise<{ params: string; losses: number[] }> {
  const images = ImageDataset.fromBytes("digits", mnistTestSet().images.subarray(0, 2000 * 784), mnistTestSet().labels.subarray(0, 2000), 28, 28, { flatten: false });
  const net = make();
  const adam = new Adam(0.001);
  const sampler = new BatchSampler(images, batch, net.dtype);
  const rng = new Rng(4);
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    net.gradient(sampler.sample(rng), sampler.labelBatch);
    losses.push(net.lastLayer.loss as number);
    adam.updateBlock(net.paramBlock, net.gradBlock);
  }
  const params = bytes(net.paramBlock.all().data as Float32Array);
  for (const o of [sampler, adam, net, images]) o.dispose();
  return { params, losses };
}

describe("the convolution layer's kernels (patches and product image by image, the product stored transposed)", () => {
  // [N, C, H, W, FN, FH, FW, stride, pad]: DeepConvNet's conv1, conv3, conv6, SimpleConvNet's, odd ones, and one
  // whose Wᵀ (512×576) outgrows the 1 MiB GEMM scratch, so its product is not stored transposed.
  // Output pixels P = 784, 196, 49, 576, 30, 25, 9, 15 and 3: every remainder mod 4 (the last rows
  // go as an overlapping 4-row tile) and fewer than 4 (one-row tiles)
  const shapes = [[5, 1, 28, 28, 16, 3, 3, 1, 1], [3, 16, 14, 14, 32, 3, 3, 1, 1], [4, 64, 7, 7, 64, 3, 3, 1, 1],
    [6, 1, 28, 28, 30, 5, 5, 1, 0], [3, 3, 9, 11, 7, 3, 2, 2, 1], [2, 2, 5, 5, 1, 1, 1, 1, 0], [2, 64, 5, 5, 512, 3, 3, 1, 0],
    [3, 2, 5, 7, 6, 3, 3, 1, 0], [2, 3, 3, 3, 5, 3, 1, 1, 0], [2, 3, 9, 11, 4, 5, 5, 1, 2], [3, 2, 6, 5, 3, 3, 3, 1, 1]];
  it.each(["float32", "float64"] as const)("give im2col + convForward's (+ reluForward's) and convBackwardData + col2im's bits, on 1 and 2 threads; convBackwardParams the same bits on both, and the layer's backward job its dW and db (%s)", async (dtype) => {
    for (const [N, C, H, Wd, FN, FH, FW, stride, pad] of shapes) {
      const OH = Math.floor((H + 2 * pad - FH) / stride) + 1, OW = Math.floor((Wd + 2 * pad - FW) / stride) + 1;
      const CK = C * FH * FW, P = OH * OW;
      const rand = testRng(N * 100 + FN);
      const x = floats(uniformArray(rand, N * C * H * Wd), dtype), W = floats(uniformArray(rand, FN * CK), dtype);
      const b = floats(uniformArray(rand, FN), dtype), dout = floats(uniformArray(rand, N * FN * P), dtype);
      const k = getCore().kernels(dtype);
      const hash = (f: { data: Float32Array | Float64Array }, n: number) => bytes(f.data.subarray(0, n) as Float32Array);
      // the reference: the exported per-step kernels, whole batch
      const colRef = outBuffer(N * CK * P, dtype), outRef = outBuffer(N * FN * P, dtype), dcolRef = outBuffer(N * CK * P, dtype), dxRef = outBuffer(N * C * H * Wd, dtype);
      k.im2col(colRef.ptr, x.ptr, N, C, H, Wd, FH, FW, stride, pad, CK * P, 1, P);
      k.convForward(outRef.ptr, colRef.ptr, W.ptr, b.ptr, N, FN, CK, P);
      const reluRef = outBuffer(N * FN * P, dtype);
      k.reluForward(reluRef.ptr, outRef.ptr, N * FN * P);
      k.convBackwardData(dcolRef.ptr, W.ptr, dout.ptr, N, FN, CK, P);
      k.col2im(dxRef.ptr, dcolRef.ptr, N, C, H, Wd, FH, FW, stride, pad, CK * P, 1, P);
      const { one, two } = await oneAndTwo(() => {
        const col = outBuffer(N * CK * P, dtype), out = outBuffer(N * FN * P, dtype), dx = outBuffer(N * C * H * Wd, dtype);
        k.convLayerForward(out.ptr, col.ptr, x.ptr, W.ptr, b.ptr, N, C, H, Wd, FN, FH, FW, stride, pad, 0);
        const relu = outBuffer(N * FN * P, dtype); // the ReLU in the product's epilogue (or over each image's output)
        k.convLayerForward(relu.ptr, col.ptr, x.ptr, W.ptr, b.ptr, N, C, H, Wd, FN, FH, FW, stride, pad, 1);
        // the layer's backward: dx, dW and db, on several threads one job of dW's ranges and dx's
        // images. dcol with room for one image per thread (the layer's), and for one only (one
        // thread then does it all); past the rooms a guard that must stay untouched
        const dWl = outBuffer(FN * CK, dtype), dbl = outBuffer(FN, dtype);
        const dxs: string[] = [];
        for (const rooms of [2, 1]) {
          const dcol = outBuffer((rooms + 1) * CK * P, dtype);
          k.convLayerBackward(dx.ptr, dcol.ptr, dWl.ptr, dbl.ptr, W.ptr, dout.ptr, colRef.ptr, N, C, H, Wd, FN, FH, FW, stride, pad, rooms);
          expect(dcol.data.subarray(rooms * CK * P, (rooms + 1) * CK * P).every((v) => v === -12345), `dcol past ${rooms} rooms`).toBe(true);
          dxs.push(hash(dx, N * C * H * Wd));
        }
        expect(dxs[1], "dx with one room").toBe(dxs[0]);
        // dW's rows (CK of them: 2, 9, 18, 25, 144, 576 here) dealt out over the threads in 4-row tiles
        const dW = outBuffer(FN * CK, dtype), db = outBuffer(FN, dtype);
        k.convBackwardParams(dW.ptr, db.ptr, dout.ptr, colRef.ptr, N, FN, CK, P);
        return [hash(col, N * CK * P), hash(out, N * FN * P), hash(relu, N * FN * P), hash(dx, N * C * H * Wd), hash(dWl, FN * CK), hash(dbl, FN), hash(dW, FN * CK), hash(db, FN)];
      });
      const want = [hash(colRef, N * CK * P), hash(outRef, N * FN * P), hash(reluRef, N * FN * P), hash(dxRef, N * C * H * Wd)];
      expect(one.slice(0, 4), `${[N, C, H, Wd, FN, FH, FW, stride, pad]}`).toEqual(want);
      expect(one.slice(4, 6), "the layer's backward gives convBackwardParams' dW and db").toEqual(one.slice(6, 8));
      expect(Array.from(reluRef.data).some((v) => v === 0) && Array.from(reluRef.data).some((v) => v > 0)).toBe(true); // the ReLU had both cases
      for (const t of two) expect(t).toEqual(one);
    }
  });
  it.each(["float32", "float64"] as const)("drop the taps that fall on the padding also when dout is ±Inf or NaN at the border (a \"same\" convolution's col2im in long runs, %s)", async (dtype) => {
    for (const [N, C, H, Wd, FN, FH, FW, pad] of [[3, 4, 7, 7, 8, 3, 3, 1], [2, 2, 14, 12, 5, 5, 5, 2]]) {
      const CK = C * FH * FW, P = H * Wd;
      const rand = testRng(7 * N + FN);
      const W = floats(uniformArray(rand, FN * CK), dtype), col = floats(uniformArray(rand, N * CK * P), dtype);
      const d = uniformArray(rand, N * FN * P);
      // non-finite values on the edges of the output (filter 0 only, so that most of dx stays
      // finite): their taps on the padding must add nothing, also to the neighbouring row
      for (let n = 0; n < N; n++) {
        const o = n * FN * P;
        d[o + (n + 1) % Wd] = Infinity; // top row
        d[o + (H - 1) * Wd + (n + 3) % Wd] = -Infinity; // bottom row
        d[o + ((n + 2) % H) * Wd] = Number.NaN; // left column
        d[o + ((n + 4) % H) * Wd + Wd - 1] = Infinity; // right column
      }
      const dout = floats(d, dtype);
      const k = getCore().kernels(dtype);
      const hash = (f: { data: Float32Array | Float64Array }, n: number) => bytes(f.data.subarray(0, n) as Float32Array);
      const dcolRef = outBuffer(N * CK * P, dtype), dxRef = outBuffer(N * C * P, dtype);
      k.convBackwardData(dcolRef.ptr, W.ptr, dout.ptr, N, FN, CK, P);
      k.col2im(dxRef.ptr, dcolRef.ptr, N, C, H, Wd, FH, FW, 1, pad, CK * P, 1, P);
      const finite = Array.from(dxRef.data.subarray(0, N * C * P)).filter(Number.isFinite).length;
      expect(finite, "some of dx stays finite, some not").toBeGreaterThan(0);
      expect(finite).toBeLessThan(N * C * P);
      const { one, two } = await oneAndTwo(() => {
        const dcol = outBuffer(2 * CK * P, dtype), dx = outBuffer(N * C * P, dtype), dW = outBuffer(FN * CK, dtype), db = outBuffer(FN, dtype);
        k.convLayerBackward(dx.ptr, dcol.ptr, dW.ptr, db.ptr, W.ptr, dout.ptr, col.ptr, N, C, H, Wd, FN, FH, FW, 1, pad, 2);
        return hash(dx, N * C * P);
      });
      expect(one, `${[N, C, H, Wd, FN, FH, FW, pad]}`).toBe(hash(dxRef, N * C * P));
      for (const t of two) expect(t).toBe(one);
    }
  });
});

describe("the convolution jobs", () => {
  it.each(["float32", "float64"] as const)("SimpleConvNet: 5 Adam steps give the same bits on 1 and 2 threads (%s)", async (dtype: DType) => {
    const { one, two, workerChunks } = await oneAndTwo(() => convRun(() => new SimpleConvNet({ dtype, seed: 2 }), 5, 50));
    for (const t of two) {
      expect(t.losses).toEqual(one.losses);
      expect(t.params).toEqual(one.params);
    }
    expect(one.losses[4]).toBeLessThan(one.losses[0]);
    expect(workerChunks).toBeGreaterThan(0);
  });

  it("DeepConvNet: 2 Adam steps give the same bits on 1 and 2 threads (float32)", async () => {
    const { one, two, workerChunks } = await oneAndTwo(() => convRun(() => new DeepConvNet({ seed: 2 }), 2, 20));
    for (const t of two) {
      expect(t.losses).toEqual(one.losses);
      expect(t.params).toEqual(one.params);
    }
    expect(workerChunks).toBeGreaterThan(0);
  });
});

describe("optimizer updates of a big parameter block (over the threads from 32768 elements)", () => {
  const makers: [string, () => Optimizer][] = [
    ["SGD", () => new SGD(0.1)], ["Momentum", () => new Momentum(0.01)], ["Nesterov", () => new Nesterov(0.01)],
    ["AdaGrad", () => new AdaGrad(0.01)], ["RMSprop", () => new RMSprop(0.01)], ["Adam", () => new Adam(0.001)],
  ];
  it.each(makers)("%s: 3 updates of a 784-300-10 net give the same bits on 1 and 2 threads", async (_name, make) => {
    const { one, two, workerChunks } = await oneAndTwo(() => {
      const net = new TwoLayerNet({ inputSize: 784, hiddenSize: 300, outputSize: 10, seed: 8 }); // 238 510 parameters: not a "small" job
      const opt = make();
      const sampler = new BatchSampler(digits, 100, "float32"), rng = new Rng(2);
      for (let i = 0; i < 3; i++) { net.gradient(sampler.sample(rng), sampler.labelBatch); opt.updateBlock(net.paramBlock, net.gradBlock); }
      const out = bytes(net.paramBlock.all().data as Float32Array);
      opt.dispose?.();
      sampler.dispose();
      net.dispose();
      return out;
    });
    for (const t of two) expect(t).toEqual(one);
    expect(workerChunks).toBeGreaterThan(0);
  });
});
