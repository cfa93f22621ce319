// The lecture, step by step (chapters 3–5 of the book), with the book's printed numbers.
import { describe, expect, it } from "vitest";
import {
  AddLayer, MulLayer, SimpleNet, SoftmaxWithLoss, Tensor, TwoLayerNet, crossEntropyError,
  gradientDescent, identityFunction, meanSquaredError, numericalDiff, numericalGradient, oneHot,
  relu, sigmoid, softmax, stepFunction, sumSquaredError,
} from "../../src/index.node.js";
import * as ref from "../../src/reference/index.js";
import { mnistRows } from "../helpers/mnist.js";

/** Every element of `actual` within `tol` of `expected` (flattened). */
function expectClose(actual: unknown, expected: unknown, tol: number, label = ""): void {
  const a = [actual].flat(Infinity) as number[], e = [expected].flat(Infinity) as number[];
  expect(a.length, label).toBe(e.length);
  for (let i = 0; i < a.length; i++) {
    expect(Math.abs(a[i] - e[i]), `${label}[${i}]: ${a[i]} vs ${e[i]}`).toBeLessThanOrEqual(tol);
  }
}

describe("§5.4 buy_apple_orange.py: the computational graph", () => {
  it("forward price 715 and every backward value", () => {
    const apple = 100, appleNum = 2, orange = 150, orangeNum = 3, tax = 1.1;
    const mulAppleLayer = new MulLayer(), mulOrangeLayer = new MulLayer();
    const addAppleOrangeLayer = new AddLayer(), mulTaxLayer = new MulLayer();

    const applePrice = mulAppleLayer.forward(apple, appleNum);
    const orangePrice = mulOrangeLayer.forward(orange, orangeNum);
    const allPrice = addAppleOrangeLayer.forward(applePrice, orangePrice);
    const price = mulTaxLayer.forward(allPrice, tax);

    const dprice = 1;
    const [dallPrice, dTax] = mulTaxLayer.backward(dprice);
    const [dapplePrice, dorangePrice] = addAppleOrangeLayer.backward(dallPrice);
    const [dorange, dorangeNum] = mulOrangeLayer.backward(dorangePrice);
    const [dapple, dappleNum] = mulAppleLayer.backward(dapplePrice);

    // float64 arithmetic as in Python: 650 * 1.1 = 715.0000000000001, the book prints int(price)
    expect(Math.trunc(price)).toBe(715);
    expect(price).toBeCloseTo(715, 10);
    expect(dapple).toBeCloseTo(2.2, 12);
    expect(dappleNum).toBeCloseTo(110, 10);
    expect(dorange).toBeCloseTo(3.3, 12);
    expect(dorangeNum).toBeCloseTo(165, 10);
    expect(dTax).toBe(650);
  });

  it("MulLayer.backward before forward is an error", () => {
    expect(() => new MulLayer().backward(1)).toThrow(/MulLayer\.backward/);
  });
});

describe("§3 activation functions", () => {
  it("stepFunction, sigmoid, relu, identityFunction", () => {
    expect(stepFunction([-1.0, 1.0, 2.0]).toArray()).toEqual([0, 1, 1]);
    expect(stepFunction([0]).toArray()).toEqual([0]); // x > 0, strictly
    expectClose(sigmoid(Tensor.from([-1.0, 1.0, 2.0], undefined, "float64")).toArray(), [0.2689414213699951, 0.7310585786300049, 0.8807970779778823], 1e-15);
    expectClose(sigmoid([-1.0, 1.0, 2.0]).toArray(), [0.26894142, 0.73105858, 0.88079708], 1e-7); // float32
    expect(relu([-1.0, 0, 2.5]).toArray()).toEqual([0, 0, 2.5]);
    const x = Tensor.from([1, 2]);
    expect(identityFunction(x)).toBe(x);
  });

  it("softmax sums to 1 and survives the book's overflow example", () => {
    const y = softmax(Tensor.from([0.3, 2.9, 4.0], undefined, "float64"));
    expectClose(y.toArray(), [0.01821127329554753, 0.24519181293507392, 0.7365969137693786], 1e-15);
    // np.exp(1010) overflows; subtracting the max does not (the book prints 9.99954600e-01 …)
    const big = softmax(Tensor.from([1010, 1000, 990], undefined, "float64")).toArray() as number[];
    expectClose(big, [9.99954600070331e-01, 4.539786860886666e-05, 2.061060046209062e-09], 1e-15);
    const big32 = softmax([1010, 1000, 990]).toArray() as number[];
    expect(big32.every(Number.isFinite)).toBe(true);
    expectClose(big32, big, 1e-6);
    // batches are row-wise
    const rows = softmax(Tensor.from([[1, 2, 3], [1000, 1000, 1000]], undefined, "float64")).toArray() as number[][];
    expectClose(rows[1], [1 / 3, 1 / 3, 1 / 3], 1e-15);
  });
});

describe("§4.2 loss functions, the book's \"2\" example", () => {
  const t = [0, 0, 1, 0, 0, 0, 0, 0, 0, 0];
  const yGood = [0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0];
  const yBad = [0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0];
  const f64 = (a: number[]) => Tensor.from(a, undefined, "float64");

  it("sumSquaredError 0.0975 / 0.5975 (meanSquaredError is the book's name for it)", () => {
    expect(Math.abs(sumSquaredError(f64(yGood), f64(t)) - 0.0975)).toBeLessThan(1e-15);
    expect(Math.abs(meanSquaredError(f64(yBad), f64(t)) - 0.5975)).toBeLessThan(1e-15);
  });

  it("crossEntropyError 0.510825457099338 / 2.302584092994546, one-hot and label forms", () => {
    expect(Math.abs(crossEntropyError(f64(yGood), f64(t)) - 0.510825457099338)).toBeLessThan(1e-12);
    expect(Math.abs(crossEntropyError(f64(yBad), f64(t)) - 2.302584092994546)).toBeLessThan(1e-12);
    expect(Math.abs(crossEntropyError(f64(yGood), [2]) - 0.510825457099338)).toBeLessThan(1e-12);
    // plain arrays are float32: log(0.6 + 1e-7) in float32 is within a few ulps
    expect(Math.abs(crossEntropyError(yGood, t) - 0.510825457099338)).toBeLessThan(1e-6);
    // a batch is averaged over rows
    const batch = Tensor.from([yGood, yBad], undefined, "float64");
    expect(Math.abs(crossEntropyError(batch, [2, 2]) - (0.510825457099338 + 2.302584092994546) / 2)).toBeLessThan(1e-12);
  });

  it("oneHot", () => {
    expect(oneHot([2, 0], 3).toArray()).toEqual([[0, 0, 1], [1, 0, 0]]);
    expect(oneHot([1], 2, "float64").dtype).toBe("float64");
  });
});

describe("§4.3–4.4 numerical differentiation and gradient descent", () => {
  const function2 = (x: ArrayLike<number>): number => x[0] ** 2 + x[1] ** 2;

  it("numericalDiff of 0.01x² + 0.1x at 5 and 10 (book: 0.1999999999990898, 0.2999999999986347)", () => {
    const function1 = (x: number) => 0.01 * x ** 2 + 0.1 * x;
    expect(Math.abs(numericalDiff(function1, 5) - 0.2)).toBeLessThan(1e-9);
    expect(Math.abs(numericalDiff(function1, 10) - 0.3)).toBeLessThan(1e-9);
  });

  it("numericalGradient of x0² + x1²: (3,4)→(6,8), (0,2)→(0,4), (3,0)→(6,0) within 1e-6", () => {
    expectClose(Array.from(numericalGradient(function2, [3.0, 4.0])), [6, 8], 1e-6);
    expectClose(Array.from(numericalGradient(function2, [0.0, 2.0])), [0, 4], 1e-6);
    expectClose(Array.from(numericalGradient(function2, [3.0, 0.0])), [6, 0], 1e-6);
    // any shape, Tensor in → Tensor out, and x is restored afterwards
    const x = Tensor.from([[3, 4]], undefined, "float64");
    const g = numericalGradient((w: Tensor) => function2(w.data), x);
    expectClose(g.toArray(), [[6, 8]], 1e-6);
    expect(x.toArray()).toEqual([[3, 4]]);
  });

  it("gradientDescent from (−3, 4), lr 0.1, 100 steps ends within 1e-8 of 0", () => {
    const x = gradientDescent(function2, [-3.0, 4.0], 0.1, 100);
    expect(Math.abs(x[0])).toBeLessThan(1e-8); // the book prints -6.11110793e-10
    expect(Math.abs(x[1])).toBeLessThan(1e-8); // and 8.14814391e-10
    // lr too large diverges, too small barely moves (the book's two counter-examples)
    expect(Math.abs(gradientDescent(function2, [-3.0, 4.0], 10.0, 100)[0])).toBeGreaterThan(1e6);
    expect(gradientDescent(function2, [-3.0, 4.0], 1e-10, 100)[0]).toBeCloseTo(-3, 6);
  });
});

describe("§4.4.2 simpleNet", () => {
  const W = [[0.47355232, 0.9977393, 0.84668094], [0.85557411, 0.03563661, 0.69422093]];
  const x = [0.6, 0.9];
  const t = [0, 0, 1];

  it("predict, loss 0.9280682857864075 (float64, 1e-12) and the numerical dW", () => {
    const net = new SimpleNet({ W });
    expect(net.W.dtype).toBe("float64");
    expectClose(net.predict(x).toArray(), [1.054148091, 0.630716529, 1.132807401], 1e-9);
    expect(Math.abs(net.loss(x, t) - 0.9280682857864075)).toBeLessThanOrEqual(1e-12);
    const f = (_W: Tensor) => net.loss(x, t);
    const dW = numericalGradient(f, net.W);
    const expected = [[0.21924757, 0.14356243, -0.36281], [0.32887136, 0.21534364, -0.544215]];
    expectClose(dW.toArray(), expected, 1e-6, "dW");
    // The analytic gradient from the float64 reference kernels agrees too. The loss is
    // −log(y₂ + δ), δ = 1e-7, so its exact gradient is xᵀ(y − t)·y₂/(y₂ + δ); without that factor
    // (what backprop computes) the two differ by ~δ/y₂ ≈ 2.5e-7 relative, 5.5e-8 absolute here.
    const y = new Float64Array(3);
    ref.softmaxRows(y, net.predict(x).data, 1, 3);
    const analytic = new Float64Array(6);
    const shrink = y[2] / (y[2] + ref.CROSS_ENTROPY_DELTA);
    const dy = y.map((v, j) => (v - t[j]) * shrink);
    ref.gemmAtB(analytic, x, dy, 2, 3, 1);
    expectClose(Array.from(dW.data), Array.from(analytic), 1e-8, "numerical vs analytic");
  });

  it("random initialisation is seeded", () => {
    expect(new SimpleNet({ seed: 3 }).W.toArray()).toEqual(new SimpleNet({ seed: 3 }).W.toArray());
    expect(new SimpleNet({ seed: 3 }).W.toArray()).not.toEqual(new SimpleNet({ seed: 4 }).W.toArray());
  });
});

describe("§5.7 TwoLayerNet keeps the book's shape", () => {
  it("params, ordered layers, lastLayer", () => {
    const net = new TwoLayerNet(784, 50, 10);
    expect(Object.keys(net.params)).toEqual(["W1", "b1", "W2", "b2"]);
    expect(net.params.W1.shape).toEqual([784, 50]);
    expect(net.params.b1.shape).toEqual([50]);
    expect(net.params.W2.shape).toEqual([50, 10]);
    expect(net.params.b2.shape).toEqual([10]);
    expect(Object.keys(net.layers)).toEqual(["Affine1", "Relu1", "Affine2"]);
    expect(net.lastLayer).toBeInstanceOf(SoftmaxWithLoss);
    expect(net.dtype).toBe("float32");
    expect(Array.from(net.params.b1.data).every((v) => v === 0)).toBe(true);
    // weightInitStd 0.01: the sample std of 39 200 normals is within 2% of it
    const w = net.params.W1.data;
    let ss = 0;
    for (let i = 0; i < w.length; i++) ss += w[i] * w[i];
    expect(Math.abs(Math.sqrt(ss / w.length) / 0.01 - 1)).toBeLessThan(0.02);
    expect(Object.keys(new TwoLayerNet({ inputSize: 4, hiddenSize: 3, outputSize: 2, activation: "sigmoid" }).layers))
      .toEqual(["Affine1", "Sigmoid1", "Affine2"]);
  });

  it("both constructor forms give the same net; the seed decides the weights", () => {
    const a = new TwoLayerNet(784, 50, 10, 0.01, { seed: 5, dtype: "float64" });
    const b = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, weightInitStd: 0.01, seed: 5, dtype: "float64" });
    expect(a.dtype).toBe("float64");
    expect(a.params.W1.dtype).toBe("float64");
    expect(Array.from(a.params.W1.data)).toEqual(Array.from(b.params.W1.data));
    expect(Array.from(a.params.W2.data)).toEqual(Array.from(b.params.W2.data));
    const c = new TwoLayerNet(784, 50, 10, 0.01, { seed: 6, dtype: "float64" });
    expect(Array.from(c.params.W1.data)).not.toEqual(Array.from(a.params.W1.data));
    // float32 weights are the float64 draws rounded once
    const f32 = new TwoLayerNet(784, 50, 10, 0.01, { seed: 5 });
    expect(Array.from(f32.params.W1.data)).toEqual(Array.from(Float32Array.from(a.params.W1.data)));
  });

  it("writable params: weights loaded into params.W1.data drive predict", () => {
    const net = new TwoLayerNet(3, 4, 2, 0.01, { dtype: "float64" });
    const W1 = [0.1, -0.2, 0.3, 0.4, 0.5, -0.6, 0.7, 0.8, -0.9, 1.0, 1.1, -1.2];
    const b1 = [0.01, 0.02, -0.03, 0.04];
    const W2 = [0.5, -0.5, 0.25, 0.75, -1, 1, 0.3, 0.2];
    const b2 = [0.1, -0.1];
    net.params.W1.data.set(W1); net.params.b1.data.set(b1); net.params.W2.data.set(W2); net.params.b2.data.set(b2);
    const x = [[1, 2, 3], [-1, 0.5, 2]];
    const h = new Float64Array(8), z = new Float64Array(8), out = new Float64Array(4);
    ref.gemmAB(h, x.flat(), W1, b1, 2, 4, 3);
    ref.reluForward(z, h, 8);
    ref.gemmAB(out, z, W2, b2, 2, 2, 4);
    expectClose(net.predict(Tensor.from(x, undefined, "float64")).toArray(), Array.from(out), 1e-15);
  });

  it("accuracy with labels and with one-hot targets, on real MNIST digits", () => {
    const { x, labels } = mnistRows(0, 20);
    const net = new TwoLayerNet(784, 50, 10, 0.01, { dtype: "float64", seed: 1 });
    const xt = Tensor.from(x, [20, 784], "float64");
    // expected: argmax of predict vs label, computed here from the scores
    const scores = net.predict(xt).toArray() as number[][];
    const correct = scores.filter((row, i) => row.indexOf(Math.max(...row)) === labels[i]).length;
    expect(net.accuracy(xt, labels)).toBe(correct / 20);
    expect(net.accuracy(xt, oneHot(labels, 10, "float64"))).toBe(correct / 20);
    expect(net.accuracy(xt, Int32Array.from(labels))).toBe(correct / 20);
    // a net whose scores are made to equal the one-hot label is always right
    net.params.W1.data.fill(0); net.params.W2.data.fill(0);
    net.params.b2.data.set([0, 0, 0, 0, 0, 0, 0, 1, 0, 0]); // always predicts 7
    expect(net.accuracy(xt, labels)).toBe(labels.filter((l) => l === 7).length / 20);
  });

  it("loss and gradient match the float64 reference net", () => {
    const { x, labels } = mnistRows(100, 10);
    const net = new TwoLayerNet(784, 50, 10, 0.01, { dtype: "float64", seed: 2 });
    const p = net.params;
    const refNet = new ref.ReferenceTwoLayerNet(784, 50, 10, 10, { W1: p.W1.data, b1: p.b1.data, W2: p.W2.data, b2: p.b2.data });
    const xt = Tensor.from(x, [10, 784], "float64");
    const refLoss = refNet.gradient(x, labels);
    expect(Math.abs(net.loss(xt, labels) - refLoss)).toBeLessThanOrEqual(1e-12 * refLoss);
    const g = net.gradient(xt, labels);
    for (const key of ["W1", "b1", "W2", "b2"] as const) {
      const scale = refNet.grads[key].reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expectClose(Array.from(g[key].data), Array.from(refNet.grads[key]), 1e-12 * scale, key);
    }
  });
});
