// Bad input → an Error naming the layer/function and what was wrong (shapes, dtypes, values),
// never a silent wrong answer. After every refused call, a valid computation on the same net
// must give bit-for-bit the result it gave before the bad call: the wasm heap is intact.
import { beforeAll, describe, expect, it } from "vitest";
import {
  Affine, Relu, SoftmaxWithLoss, Tensor, TwoLayerNet, crossEntropyError, oneHot, softmax,
} from "../../src/index.node.js";
import { mnistRows } from "../helpers/mnist.js";

interface Snapshot { loss: number; scores: number[]; dW1: number[]; db2: number[]; affine: number[] }

describe("bad input is refused with a precise Error and leaves the heap intact", () => {
  let net: TwoLayerNet; // float64 784-50-10
  let affine: Affine; // float32 784×50, standalone
  let x: Tensor; // 5 real MNIST digits, float64
  let x32: Tensor;
  let labels: number[];
  let before: Snapshot;

  /** A valid forward/backward through the net and the standalone layer. */
  function snapshot(): Snapshot {
    const loss = net.loss(x, labels);
    const scores = Array.from(net.predict(x).data);
    const g = net.gradient(x, labels);
    return {
      loss, scores, dW1: Array.from(g.W1.data.subarray(0, 2000)), db2: Array.from(g.b2.data),
      affine: Array.from(affine.forward(x32).data),
    };
  }

  beforeAll(() => {
    const rows = mnistRows(0, 5);
    labels = rows.labels;
    x = Tensor.from(rows.x, [5, 784], "float64");
    x32 = x.clone("float32");
    net = new TwoLayerNet(784, 50, 10, 0.01, { dtype: "float64", seed: 3 });
    const W = Tensor.zeros([784, 50]);
    const b = Tensor.zeros([50]);
    W.data.set(Float32Array.from({ length: 784 * 50 }, (_, i) => ((i * 7919) % 1000) / 1e5 - 0.005));
    b.data.set(Float32Array.from({ length: 50 }, (_, i) => i / 100));
    affine = new Affine(W, b);
    before = snapshot();
    expect(before.loss).toBeGreaterThan(2); // ≈ ln 10 for a fresh net: a real value to compare
  });

  /** `f` must throw an Error whose message matches every pattern; then the heap check. */
  function refuses(f: () => unknown, ...patterns: RegExp[]): void {
    let error: unknown = null;
    try { f(); } catch (e) { error = e; }
    expect(error, "expected an Error").toBeInstanceOf(Error);
    const message = (error as Error).message;
    for (const p of patterns) expect(message).toMatch(p);
    expect(snapshot()).toEqual(before); // the heap still computes exactly what it did
  }

  // net.gradient runs fused in one wasm call (its own checks, named TwoLayerNet.gradient) or layer
  // by layer (net.fused = false: the layer's checks); either way the message names who refused
  const GRADIENT = /^(TwoLayerNet\.(gradient|predict)|Affine\.forward|SoftmaxWithLoss\.forward):/;
  const batch = (rows: number, cols: number, dtype: "float32" | "float64" = "float64") => Tensor.zeros([rows, cols], dtype);

  it("x with 783 features into Affine(784×50)", () => {
    refuses(() => affine.forward(batch(100, 783, "float32")), /^Affine\.forward:/, /\[100, 783\]/, /\[784, 50\]/);
    refuses(() => net.predict(batch(100, 783)), /Affine\.forward/, /\[100, 783\]/, /\[784, 50\]/);
    refuses(() => net.gradient(batch(100, 783), new Array(100).fill(0)), GRADIENT, /\[100, 783\]/, /\[784, 50\]/);
  });

  it("dtype mix: float32 x into a float64 net, float64 x into a float32 Affine, one-hot of the other dtype", () => {
    refuses(() => net.predict(x32), /^TwoLayerNet\.predict:/, /float32/, /float64/);
    refuses(() => net.loss(x32, labels), /TwoLayerNet\.predict/, /float32/, /float64/);
    refuses(() => affine.forward(x), /^Affine\.forward:/, /x is float64/, /W is float32/);
    refuses(() => net.loss(x, oneHot(labels, 10, "float32")), /SoftmaxWithLoss\.forward/, /float32/, /float64/);
    refuses(() => new Affine(Tensor.zeros([2, 3]), Tensor.zeros([3], "float64")), /^Affine:/, /float32/, /float64/);
  });

  it("labels ≥ classes, < 0, non-integer, NaN; wrong label count", () => {
    const bad = (v: number) => labels.map((l, i) => (i === 3 ? v : l));
    refuses(() => net.loss(x, bad(10)), /SoftmaxWithLoss\.forward/, /label 10 at index 3/, /\[0, 9\]/);
    refuses(() => net.gradient(x, bad(-1)), GRADIENT, /label -1 at index 3/, /\[0, 9\]/);
    refuses(() => net.gradient(x, bad(2.5)), GRADIENT, /label 2\.5 at index 3/);
    refuses(() => net.loss(x, bad(NaN)), /label NaN at index 3/);
    refuses(() => net.gradient(x, Int32Array.from(bad(10))), GRADIENT, /label 10 at index 3/);
    refuses(() => net.gradient(x, Uint8Array.from(bad(200))), GRADIENT, /label 200 at index 3/);
    refuses(() => net.accuracy(x, bad(10)), /^TwoLayerNet\.accuracy:/, /label 10/);
    refuses(() => crossEntropyError(Tensor.from([[0.5, 0.5]]), [2]), /^crossEntropyError:/, /label 2 at index 0/, /\[0, 1\]/);
    refuses(() => net.loss(x, [1, 2, 3]), /SoftmaxWithLoss\.forward/, /\[3\]/, /\[5, 10\]/);
  });

  it("one-hot targets of the wrong width", () => {
    refuses(() => net.loss(x, oneHot(labels, 9, "float64")), /SoftmaxWithLoss\.forward/, /\[5, 9\]/, /\[5, 10\]/);
    refuses(() => net.gradient(x, Tensor.zeros([5, 11], "float64")), GRADIENT, /\[5, 11\]/, /\[5, 10\]/);
    refuses(() => oneHot([1, 12], 10), /^oneHot:/, /label 12 at index 1/);
  });

  it("NaN / ±Infinity in user-supplied input", () => {
    refuses(() => Tensor.from([1, NaN, 3]), /^Tensor\.from:/, /NaN/, /index 1/);
    refuses(() => Tensor.from(new Float32Array([0, 0, Infinity])), /Tensor\.from/, /Infinity/, /index 2/);
    refuses(() => Tensor.from([[1, 2], [-Infinity, 4]]), /Tensor\.from/, /-Infinity/, /index 2/);
    const poisoned = x.clone();
    for (const [value, at] of [[NaN, 0], [Infinity, 783], [-Infinity, 5 * 784 - 1]] as const) {
      poisoned.data[at] = value;
      refuses(() => net.predict(poisoned), /^TwoLayerNet\.predict:/, /\[5, 784\]/, new RegExp(`${String(value)} at flat index ${at}`));
      refuses(() => net.loss(poisoned, labels), /TwoLayerNet\.predict/, new RegExp(`index ${at}`));
      refuses(() => net.gradient(poisoned, labels), GRADIENT, new RegExp(`index ${at}`));
      refuses(() => net.numericalGradient(poisoned, labels), /^TwoLayerNet\.numericalGradient:/, new RegExp(`index ${at}`));
      refuses(() => net.accuracy(poisoned, labels), /TwoLayerNet\.predict/, new RegExp(`index ${at}`));
      poisoned.data[at] = 0;
    }
  });

  it("empty batches", () => {
    refuses(() => net.predict(batch(0, 784)), /Affine\.forward/, /empty batch/, /\[0, 784\]/);
    refuses(() => net.gradient(batch(0, 784), []), GRADIENT, /empty batch/, /\[0, 784\]/);
    refuses(() => affine.forward(Tensor.zeros([0])), /^Affine\.forward:/, /\[0\]/);
    refuses(() => new Relu().forward(Tensor.zeros([0, 5])), /^Relu\.forward:/, /\[0, 5\]/);
    refuses(() => softmax(Tensor.zeros([0, 10])), /^softmax:/, /\[0, 10\]/);
    refuses(() => new SoftmaxWithLoss().forward(Tensor.zeros([0, 10]), []), /^SoftmaxWithLoss\.forward:/, /\[0, 10\]/);
  });

  it("non-integer or negative sizes", () => {
    refuses(() => new TwoLayerNet(784.5, 50, 10), /^TwoLayerNet:/, /inputSize/, /784\.5/);
    refuses(() => new TwoLayerNet(784, -50, 10), /^TwoLayerNet:/, /hiddenSize/, /-50/);
    refuses(() => new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 0 }), /outputSize/, /got 0/);
    refuses(() => new TwoLayerNet(NaN, 50, 10), /inputSize/, /NaN/);
    refuses(() => Tensor.zeros([2.5]), /^Tensor\.zeros:/, /\[2\.5\]/);
    refuses(() => Tensor.zeros([3, -1]), /^Tensor\.zeros:/, /\[3, -1\]/);
    refuses(() => Tensor.from([1, 2, 3], [1.5, 2]), /^Tensor\.from:/, /\[1\.5, 2\]/);
    refuses(() => Tensor.from([1, 2, 3], [2, 2]), /^Tensor\.from:/, /3 values/, /\[2, 2\]/);
    refuses(() => x.reshape(3, -1), /^Tensor\.reshape:/, /\[5, 784\]/, /\[3, -1\]/);
    refuses(() => x.reshape(-1, -1), /^Tensor\.reshape:/, /\[-1, -1\]/);
    refuses(() => x.reshape(2.5, 1568), /^Tensor\.reshape:/, /2\.5/);
  });

  it("ragged nested arrays and non-numbers", () => {
    refuses(() => Tensor.from([[1, 2, 3], [4, 5]]), /^Tensor\.from:/, /ragged/, /\[1\]/, /length 3/);
    refuses(() => Tensor.from([[1, 2], 3] as never), /ragged/, /\[1\]/);
    refuses(() => Tensor.from([1, [2, 3]] as never), /ragged/, /\[1\]/, /expected a number/);
    refuses(() => net.predict([[0.5, 0.5], [0.5]]), /^Tensor\.from:/, /ragged/);
    refuses(() => Tensor.from(["1", 2] as never), /^Tensor\.from:/, /index 0/);
    refuses(() => Tensor.zeros([2], "int8" as never), /^Tensor\.zeros:/, /int8/);
  });

  it("the layer-by-layer gradient path (net.fused = false) refuses the same inputs", () => {
    net.fused = false;
    try {
      refuses(() => net.gradient(batch(100, 783), new Array(100).fill(0)), GRADIENT, /\[100, 783\]/, /\[784, 50\]/);
      refuses(() => net.gradient(x, labels.map((l, i) => (i === 3 ? 10 : l))), GRADIENT, /label 10 at index 3/);
      refuses(() => net.gradient(x, oneHot(labels, 9, "float64")), GRADIENT, /\[5, 9\]/, /\[5, 10\]/);
      refuses(() => net.gradient(batch(0, 784), []), GRADIENT, /empty batch/);
      const poisoned = x.clone();
      poisoned.data[17] = NaN;
      refuses(() => net.gradient(poisoned, labels), GRADIENT, /NaN at flat index 17/);
    } finally {
      net.fused = true;
    }
  });

  it("backward without or against the wrong forward", () => {
    refuses(() => new Relu().backward(Tensor.zeros([2, 3])), /^Relu\.backward:/, /forward/);
    refuses(() => new SoftmaxWithLoss().backward(), /^SoftmaxWithLoss\.backward:/, /forward/);
    refuses(() => { affine.forward(Tensor.zeros([3, 784])); affine.backward(Tensor.zeros([3, 49])); }, /^Affine\.backward:/, /\[3, 49\]/, /\[3, 50\]/);
  });
});
