// Issue 14 items 1 and 2, reproducer by reproducer: each call that reached a user as a raw
// engine error, hung, or was silently accepted is now a ScratchnetError naming the function and
// what was wrong; and no public object hands out a pointer or a writable field that a kernel
// trusts. After the corruption attempts a seeded net still gives its exact bits.
import { describe, expect, it } from "vitest";
import {
  Affine, BatchSampler, ImageDataset, ParamBlock, Pooling, Rng, SGD, ScratchnetError, Tensor, TwoLayerNet, MultiLayerNet,
  accuracyOf, deserializeModel, niceTicks, numericalGradient, parseIdx, registerModelArchitecture, serializeModel, trainNet,
} from "../../src/index.node.js";
import * as api from "../../src/index.node.js";
import { mnistTestSet } from "../helpers/mnist.js";

/** `f` throws a ScratchnetError whose message matches. */
function refused(f: () => unknown, message: RegExp): void {
  let error: unknown = null;
  try { f(); } catch (e) { error = e; }
  expect(error, "expected a ScratchnetError").toBeInstanceOf(ScratchnetError);
  expect((error as Error).message).toMatch(message);
}

const { images, labels } = mnistTestSet();
const digits = ImageDataset.fromBytes("t10k", images.subarray(0, 200 * 784), labels.subarray(0, 200), 28, 28);

/** A seeded float64 net's loss and gradient, as exact numbers. */
function fingerprint(): number[] {
  using net = new TwoLayerNet({ inputSize: 784, hiddenSize: 8, outputSize: 10, dtype: "float64", seed: 3, weightInitStd: 0.1 });
  const x = digits.toTensor(0, 20, "float64").x;
  const t = Array.from(labels.subarray(0, 20));
  const g = net.gradient(x, t);
  return [net.lastLayer.loss as number, ...g.W2.data, ...g.b1.data];
}
const before = fingerprint();

describe("raw engine errors become named errors (issue 14 item 1)", () => {
  it("the reproducers", async () => {
    refused(() => accuracyOf([[1, 2]] as never, [1]), /^accuracyOf: y must be a Tensor/);
    const affine = new Affine(Tensor.zeros([2, 3]), Tensor.zeros([3]));
    affine.forward(Tensor.zeros([1, 2]));
    refused(() => affine.backward(undefined as never), /^Affine\.backward: dout must be a Tensor/);
    refused(() => deserializeModel({} as never), /^deserializeModel: bytes must be a Uint8Array/);
    const buffer = new ArrayBuffer(8);
    const view = new Float32Array(buffer);
    structuredClone(buffer, { transfer: [buffer] });
    refused(() => Tensor.from(view), /^Tensor\.from: the typed array's buffer is detached/);
    refused(() => new SGD(0.1).updateBlock({} as never, {} as never), /^SGD\.updateBlock: expected two ParamBlocks/);
    refused(() => parseIdx("x" as never, "f"), /^parseIdx: bytes must be a Uint8Array/);
    refused(() => numericalGradient((x: unknown) => Number(x), 5 as never), /^numericalGradient: x must be a Tensor/);
    await expect(trainNet({} as never, { train: digits, test: digits }, { optimizer: "adam" })).rejects.toThrow(/^trainNet: net must be a net|^trainNet: net\.dtype/);
  });

  it("invalid input that was accepted is refused", () => {
    refused(() => Tensor.zeros([2]).clone("int8" as never), /^Tensor\.clone: dtype must be 'float32' or 'float64', got "int8"/);
    refused(() => new BatchSampler(digits, 10, ["float32"] as never), /^BatchSampler: dtype must be/);
    // a sampler's labels (10 classes) fed to a net with 5 outputs: refused, not a silent loss
    using sampler = new BatchSampler(digits, 50);
    using small = new TwoLayerNet(784, 8, 5);
    const x = sampler.range(0, 50);
    refused(() => small.gradient(x, sampler.labelBatch), /^TwoLayerNet\.gradient: label \d at index \d+ is not a class index in \[0, 4\]/);
    small.fused = false;
    refused(() => small.loss(x, sampler.labelBatch), /^SoftmaxWithLoss\.forward: label \d/);
    sampler.labelView[3] = -7; // the live view: a negative label must not index memory either
    using net = new TwoLayerNet(784, 8, 10);
    refused(() => net.gradient(x, sampler.labelBatch), /label -7 at index 3/);
  });

  it("work is bounded: niceTicks with a billion intervals is refused at once", () => {
    const t0 = performance.now();
    refused(() => niceTicks(0, 1, 1e9), /^niceTicks: maxIntervals must be an integer in \[1, 1000\]/);
    expect(niceTicks(0.1, 0.2, 10, true).values.length).toBeLessThanOrEqual(2); // used to loop forever (step 0)
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe("no writable internals or raw pointers on public objects (issue 14 item 2)", () => {
  it("a Tensor has no pointer, block or public constructor; its shape, size and dtype are read-only", () => {
    const t = Tensor.zeros([2, 3]);
    for (const name of ["ptr", "block", "byteOffset"]) expect(name in t).toBe(false);
    refused(() => { (t as unknown as { size: number }).size = 1e9; }, /^Tensor\.size: is read-only/);
    refused(() => { (t as unknown as { dtype: string }).dtype = "float64"; }, /^Tensor\.dtype: is read-only/);
    expect(Object.isFrozen(t.shape)).toBe(true);
    refused(() => new (Tensor as unknown as new (...a: unknown[]) => Tensor)({ ptr: 0, byteLength: 1e9 }, 0, [1e6], "float32"), /^Tensor: tensors are made with Tensor\.from/);
    expect("getCore" in api).toBe(false);
  });

  it("forged and duck-typed tensors get a named error and never reach a kernel", () => {
    const duck = { shape: [100, 784], size: 78400, dtype: "float32", data: new Float32Array(1), ptr: 0 };
    const forged = Object.create(Tensor.prototype);
    using net = new TwoLayerNet(784, 8, 10);
    refused(() => net.predict(duck as never), /^TwoLayerNet\.predict: expected a Tensor, an array or a typed array/);
    refused(() => new Affine(forged, Tensor.zeros([3])).forward(Tensor.zeros([1, 2])), /^Affine: W must be a 2-D Tensor/);
    refused(() => forged.toArray(), /^Tensor\.toArray: called on a Tensor that is not a Tensor made by Tensor\.from/);
    refused(() => Tensor.prototype.clone.call(duck), /^Tensor\.clone: called on an object that is not a Tensor made by/);
  });

  it("Rng writes only into tensors: no choiceInto(pointer), no state address", () => {
    const rng = new Rng(1);
    expect("choiceInto" in rng).toBe(false);
    expect("statePtr" in rng).toBe(false);
    const c = rng.choice(10, 5);
    expect(c.every((v) => v >= 0 && v < 10)).toBe(true);
    refused(() => rng.fillNormal({ ptr: 0, size: 1e6, dtype: "float32" } as never), /^Rng\.fillNormal: t must be a Tensor/);
  });

  it("layers, blocks and datasets keep what kernels read private", () => {
    const pool = new Pooling(2, 2, 2);
    pool.forward(Tensor.from(Array.from({ length: 16 }, (_, i) => i), [1, 1, 4, 4]));
    const arg = pool.argMax as Int32Array;
    arg.fill(1e9); // a copy: the layer's own indices stay as they were
    expect(Array.from(pool.backward(Tensor.zeros([1, 1, 2, 2])).data).every((v) => v === 0)).toBe(true);
    using block = new ParamBlock([["w", [3]]], "float32");
    expect(() => { (block as unknown as { length: number }).length = 1e9; }).toThrow(TypeError); // getter only: no silent change
    expect(block.length).toBe(4);
    expect("imagesPtr" in digits || "labelsPtr" in digits || "images" in digits).toBe(false);
    const affine = new Affine(Tensor.zeros([2, 3]), Tensor.zeros([3]));
    expect(() => { (affine as unknown as { dW: Tensor }).dW = Tensor.zeros([1]); }).toThrow(TypeError);
  });

  it("registerModelArchitecture(name, null) is refused and leaves every later save and load working", () => {
    refused(() => registerModelArchitecture("Broken", null as never), /^registerModelArchitecture: the architecture must be an object/);
    refused(() => registerModelArchitecture("TwoLayerNet", { netClass: TwoLayerNet, config: () => ({}), create: () => new TwoLayerNet(1, 1, 1) } as never),
      /already registered with other functions/);
    for (const make of [() => new TwoLayerNet(4, 3, 2), () => new MultiLayerNet({ inputSize: 4, hiddenSizeList: [3], outputSize: 2 })]) {
      using net = make();
      using back = deserializeModel(serializeModel(net)) as TwoLayerNet;
      expect(Array.from(back.params.W1.data)).toEqual(Array.from(net.params.W1.data));
    }
  });

  it("after all of the above, a seeded net gives the same bits", () => {
    expect(fingerprint()).toEqual(before);
  });
});
