// Memory that never waits for the garbage collector (docs/memory.md). No test here calls gc():
//  - JS-heap tensors and the results of the book's functions take no wasm memory at all (the
//    per-call scratch grows once to the largest operand set and is reused);
//  - nets, samplers, datasets and optimizers give their wasm memory back at dispose()/`using`,
//    so 2 000 nets made and dropped in a synchronous loop need the memory of one;
//  - a request that cannot fit leaves wasm memory exactly as it was, and a normal net works after;
//  - near the maximum, geometric growth falls back to the exact need.
import { beforeAll, describe, expect, it } from "vitest";
import {
  Adam, Affine, BatchSampler, ImageDataset, MultiLayerNetExtend, Relu, Rng, ScratchnetError, SimpleConvNet, SoftmaxWithLoss,
  Tensor, TwoLayerNet, dot, relu, setThreads, softmax, trainNet,
} from "../../../src/index.node.js";
import { threadsFromEnv } from "../../../src/core/spawn-worker.node.js";
import { getCore } from "../../../src/internal.js";
import { Allocator, PAGE } from "../../../src/memory/allocator.js";
import { mnistRows, mnistTestSet } from "../../helpers/mnist.js";

const core = getCore();
// getCore() starts the workers in the background and runs on one thread until they are up. The
// thread count decides some memory (an accuracy pass takes a slot per thread; trainNet's
// background counting takes its own), so a warm-up run on one thread followed by a measured
// run on two grew wasm memory once: seen in CI on a loaded machine, where the workers took
// longer to start. Every test here measures with the workers up.
beforeAll(async () => {
  if (core.pool !== null) await setThreads(threadsFromEnv());
});
const wasmBytes = (): number => core.memory.buffer.byteLength;
const inUse = (): number => core.allocator.bytesInUse;
const { x: rows, labels } = mnistRows(0, 10);

describe("JS-heap tensors need no garbage collection of wasm memory", () => {
  it("20 000 × Tensor.zeros([100, 784]) in a synchronous loop: wasm memory untouched, JS heap bounded", () => {
    const wasm = wasmBytes(), used = inUse(), rss = process.memoryUsage().rss;
    let peak = 0;
    for (let i = 0; i < 20_000; i++) {
      const t = Tensor.zeros([100, 784]); // 313.6 KB each, 6.3 GB in all
      t.data[i % t.size] = 1;
      if (i % 1000 === 0) peak = Math.max(peak, process.memoryUsage().rss - rss);
    }
    expect(wasmBytes()).toBe(wasm);
    expect(inUse()).toBe(used);
    // V8 sees every ArrayBuffer's bytes and collects them as it goes: measured 40 MB here
    expect(peak).toBeLessThan(400e6);
  });

  it("2 000 rounds of dot → relu → softmax: the scratch grows once, then wasm memory stays put", () => {
    const x = Tensor.from(rows, [10, 784], "float32"), W = Tensor.zeros([784, 50]);
    new Rng(1).fillNormal(W, 0.1);
    softmax(relu(dot(x, W))); // grows the scratch to this call's operands
    const wasm = wasmBytes(), used = inUse();
    let sum = 0;
    for (let i = 0; i < 2000; i++) sum += softmax(relu(dot(x, W))).data[i % 500];
    expect(Number.isFinite(sum)).toBe(true);
    expect(wasmBytes()).toBe(wasm);
    expect(inUse()).toBe(used);
  });

  it("standalone layers (user-made Affine, Relu, SoftmaxWithLoss) hold no wasm memory between calls", () => {
    const W = Tensor.zeros([784, 20]), b = Tensor.zeros([20]), x = Tensor.from(rows, [10, 784], "float32");
    new Rng(2).fillNormal(W, 0.1);
    const round = (): number => {
      const a = new Affine(W, b), r = new Relu(), s = new SoftmaxWithLoss();
      const loss = s.forward(r.forward(a.forward(x)), labels);
      a.backward(r.backward(s.backward()));
      return loss + a.dW.data[0];
    };
    round();
    const wasm = wasmBytes(), used = inUse();
    for (let i = 0; i < 500; i++) round();
    expect(wasmBytes()).toBe(wasm);
    expect(inUse()).toBe(used);
  });
});

describe("owners free their wasm memory at dispose()", () => {
  const x = Tensor.from(rows, [10, 784], "float32");

  it("2 000 TwoLayerNets with `using` in a synchronous loop need the memory of one", () => {
    { using first = new TwoLayerNet(784, 50, 10); first.loss(x, labels); } // scratch and free ranges at their size
    const wasm = wasmBytes(), used = inUse();
    let loss = 0;
    for (let i = 0; i < 2000; i++) {
      using net = new TwoLayerNet(784, 50, 10, 0.01, { seed: i });
      loss += net.loss(x, labels);
    }
    expect(loss / 2000).toBeGreaterThan(2); // ≈ ln 10: real nets, really evaluated
    expect(wasmBytes()).toBe(wasm);
    expect(inUse()).toBe(used);
  });

  it("dispose() frees a MultiLayerNetExtend (BatchNorm, Dropout) and a SimpleConvNet with everything they allocated", () => {
    const images = Tensor.from(rows, [10, 1, 28, 28], "float32");
    const round = (): void => {
      const ext = new MultiLayerNetExtend({ inputSize: 784, hiddenSizeList: [30, 20], outputSize: 10, useBatchnorm: true, useDropout: true, seed: 1 });
      ext.gradient(x, labels);
      ext.dispose();
      const conv = new SimpleConvNet({ convParam: { filterNum: 4, filterSize: 5, pad: 0, stride: 1 }, hiddenSize: 20, seed: 1 });
      conv.gradient(images, labels);
      conv.dispose();
    };
    round();
    const wasm = wasmBytes(), used = inUse();
    for (let i = 0; i < 50; i++) round();
    expect(wasmBytes()).toBe(wasm);
    expect(inUse()).toBe(used);
  });

  it("trainNet disposes its samplers (and an optimizer it made from a name): two runs, memory back each time", async () => {
    const { images, labels: all } = mnistTestSet();
    using data = ImageDataset.fromBytes("t10k", images.subarray(0, 1200 * 784), all.subarray(0, 1200), 28, 28);
    const split = { train: data.slice(0, 1000), test: data.slice(1000) };
    using net = new TwoLayerNet(784, 30, 10);
    await trainNet(net, split, { itersNum: 20, batchSize: 50, optimizer: "adam", evalBatchSize: 500 });
    const wasm = wasmBytes(), used = inUse();
    const history = await trainNet(net, split, { itersNum: 20, batchSize: 50, optimizer: "adam", evalBatchSize: 500 });
    expect(history.settings.optimizer).toBe("Adam");
    expect(wasmBytes()).toBe(wasm);
    expect(inUse()).toBe(used);
  });

  it("a disposed owner and everything it handed out refuse use with a named error; dispose is idempotent", () => {
    const net = new TwoLayerNet(784, 20, 10);
    const W1 = net.params.W1, y = net.predict(x);
    net.dispose();
    net.dispose();
    expect(() => net.predict(x)).toThrow(/^TwoLayerNet\.predict: this TwoLayerNet was disposed/);
    expect(() => W1.data).toThrow(ScratchnetError);
    expect(() => y.toArray()).toThrow(/use of a freed memory block/);
    expect(() => Tensor.from(W1)).toThrow(/use of a freed memory block/);
    expect(String(W1)).toBe("Tensor([784, 20], float32) <freed>");

    const { images, labels: all } = mnistTestSet();
    const ds = ImageDataset.fromBytes("d", images.subarray(0, 100 * 784), all.subarray(0, 100), 28, 28);
    const sampler = new BatchSampler(ds, 10);
    const batch = sampler.sample(new Rng(0));
    sampler[Symbol.dispose]();
    expect(() => batch.data).toThrow(/freed/);
    expect(() => sampler.sample(new Rng(0))).toThrow(/^BatchSampler\.sample: this BatchSampler was disposed/);
    const other = new BatchSampler(ds, 10);
    ds.dispose();
    expect(() => other.range(0, 10)).toThrow(/this ImageDataset was disposed/);
    other.dispose();

    const net2 = new TwoLayerNet(784, 20, 10), adam = new Adam();
    net2.gradient(x, labels);
    adam.updateBlock(net2.paramBlock, net2.gradBlock);
    adam.dispose();
    expect(() => adam.updateBlock(net2.paramBlock, net2.gradBlock)).toThrow(/^Adam\.updateBlock: this Adam was disposed/);
    net2.dispose();
  });
});

describe("a request that cannot fit leaves memory as it was", () => {
  it("new TwoLayerNet(784, 1e6, 10) is refused before memory grows; a normal net works after", () => {
    const wasm = wasmBytes(), used = inUse();
    expect(() => new TwoLayerNet(784, 1e6, 10)).toThrow(/^TwoLayerNet: its parameters and gradients need 6\.36 GB of wasm memory/);
    expect(() => new MultiLayerNetExtend({ inputSize: 784, hiddenSizeList: [1e6], outputSize: 10, useBatchnorm: true }))
      .toThrow(/^MultiLayerNetExtend: its parameters and gradients need/);
    expect(wasmBytes()).toBe(wasm);
    expect(inUse()).toBe(used);
    using net = new TwoLayerNet(784, 50, 10);
    expect(net.loss(Tensor.from(rows, [10, 784], "float32"), labels)).toBeGreaterThan(2);
  });

  it("the allocator refuses past the maximum without growing, and near it grows by the exact need", () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 10 });
    const allocator = new Allocator(memory, 0, 10 * PAGE);
    allocator.alloc(8 * PAGE + PAGE / 2); // memory grows to 9 pages (geometric ⅛ is less than the need here)
    expect(memory.buffer.byteLength).toBe(9 * PAGE);
    // the next request fits only if memory grows by exactly one page: geometric growth (⅛ of 9
    // pages, rounded up: 2) would pass the maximum, so it must fall back to the need
    const ptr = allocator.alloc(PAGE);
    expect(memory.buffer.byteLength).toBe(10 * PAGE);
    expect(() => allocator.alloc(PAGE)).toThrow(/^scratchnet: out of wasm memory: a block of 65\.5 KB does not fit/);
    expect(memory.buffer.byteLength).toBe(10 * PAGE); // refused without growing
    expect(allocator.canAllocate([PAGE / 4, PAGE / 4])).toBe(true); // the half page left at the tail
    expect(allocator.canAllocate([PAGE / 2, 16])).toBe(false);
    allocator.release(ptr);
    expect(allocator.canAllocate([PAGE / 2, PAGE])).toBe(true);
    expect(allocator.largestPossibleBlock()).toBe(PAGE + PAGE / 2);
  });
});
