// SimpleConvNet (§7.5): gradient check on real MNIST digits, input handling, batching, errors,
// and saving/loading through the model registry.
//
// Gradient check (float64, mean |backprop − numerical| ≤ 1e-6, as the book's gradient_check).
// Central differences are only valid if no probe W ± h moves a pre-activation across a ReLU
// kink or changes a pooling argmax. The test asserts sufficient conditions first, using how far
// one probe can move each quantity (first order, which is exact for these piecewise-linear paths):
//   - conv output z1 = W1·patch + b1: a probe of one W1 entry moves it by ≤ h·max|x|, of b1 by h,
//     so m1 = h·max(1, max|x|) and every |z1| must exceed m1;
//   - pooling: every window whose maximum is positive must beat its runner-up by > 2·m1
//     (windows of zeros after the ReLU stay all-zero, their argmax is then irrelevant);
//   - hidden pre-activation z2 = pool·W2 + b2: a W2/b2 probe moves it by ≤ h·max(1, max pool);
//     a W1/b1 probe moves each pooled value by ≤ m1, hence z2 by ≤ m1·max_j Σ_i |W2[i, j]|.
//     Every |z2| must exceed the larger of the two.
// The digits are real (the first test images); the net is a reduced SimpleConvNet on a 12×12
// centre crop (the book's gradient_check.py also shrinks it, to (1, 10, 10)), with b1 set below
// zero so the blank background gives exact ReLU zeros rather than values sitting on the kink.
// weightInitStd 0.2 / seed 1 were picked because they satisfy the preconditions (other seeds
// that fail do so on a precondition, never on the comparison).
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { Adam, SimpleConvNet, Tensor, serializeModel, deserializeModel, loadMnist } from "../../../src/index.node.js";
import { blockOf } from "../../../src/internal.js";
import { FASHION_DIR, mnistImages, mnistRows } from "../../helpers/mnist.js";
import { have } from "../../helpers/prerequisites.js";
import { testRng } from "../../helpers/wasm.js";

const H_STEP = 1e-4;

function meanAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / a.length;
}

function maxAbs(d: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < d.length; i++) m = Math.max(m, Math.abs(d[i]));
  return m;
}

/** Checks the no-kink conditions of the header; returns the margins for the failure message. */
function assertNoKinkCrossed(net: SimpleConvNet, x: Tensor): void {
  const L = net.layers;
  const z1 = L.Conv1.forward(x).clone();
  const m1 = H_STEP * Math.max(1, maxAbs(x.data));
  let minZ1 = Infinity;
  for (const v of z1.data) minZ1 = Math.min(minZ1, Math.abs(v));
  expect(minZ1, "precondition: every conv output is further than h·max|x| from the ReLU kink").toBeGreaterThan(m1);

  const a1 = L.Relu1.forward(z1);
  const [N, C, Hc, Wc] = a1.shape;
  let minGap = Infinity;
  const d = a1.data;
  for (let p = 0; p < N * C; p++) for (let oy = 0; oy < Hc / 2; oy++) for (let ox = 0; ox < Wc / 2; ox++) {
    const base = p * Hc * Wc + 2 * oy * Wc + 2 * ox;
    const w = [d[base], d[base + 1], d[base + Wc], d[base + Wc + 1]].sort((a, b) => b - a);
    if (w[0] > 0) minGap = Math.min(minGap, w[0] - w[1]);
  }
  expect(minGap, "precondition: no pooling window with a positive maximum has a runner-up within 2·m1").toBeGreaterThan(2 * m1);

  const pooled = L.Pool1.forward(a1);
  const z2 = L.Affine1.forward(pooled);
  const W2 = net.params.W2;
  const [D, Hd] = W2.shape;
  let colAbs = 0;
  for (let j = 0; j < Hd; j++) {
    let s = 0;
    for (let i = 0; i < D; i++) s += Math.abs(W2.data[i * Hd + j]);
    colAbs = Math.max(colAbs, s);
  }
  const m2 = Math.max(H_STEP * Math.max(1, maxAbs(pooled.data)), m1 * colAbs);
  let minZ2 = Infinity;
  for (const v of z2.data) minZ2 = Math.min(minZ2, Math.abs(v));
  expect(minZ2, `precondition: every hidden pre-activation is further than ${m2} from the ReLU kink`).toBeGreaterThan(m2);
}

/**
 * The book's loss is −log(y_t + 1e-7) while backward uses (y − t)/N, the derivative without the
 * 1e-7: the two differ by a relative 1e-7/y_t. Require y_t ≥ 0.05 (≤ 2e-6 relative) so the
 * check measures backprop, not that known offset.
 */
function assertTrueClassNotTiny(net: SimpleConvNet, x: Tensor, labels: number[]): void {
  net.loss(x, labels);
  const y = net.lastLayer.y as Tensor;
  const C = y.shape[1];
  const yt = labels.map((t, n) => y.data[n * C + t]);
  expect(Math.min(...yt), "precondition: softmax of the true class ≥ 0.05").toBeGreaterThanOrEqual(0.05);
}

describe("SimpleConvNet gradient check on real MNIST digits (float64)", () => {
  it("backprop matches numerical gradients for W1..W3, b1..b3 (mean abs diff ≤ 1e-6)", () => {
    const { x, labels } = mnistImages(0, 3, 12);
    const net = new SimpleConvNet({
      inputDim: [1, 12, 12], convParam: { filterNum: 4, filterSize: 3, pad: 1, stride: 1 },
      hiddenSize: 10, outputSize: 10, weightInitStd: 0.2, dtype: "float64", seed: 1,
    });
    const b1 = net.params.b1.data;
    for (let f = 0; f < b1.length; f++) b1[f] = -0.05 - 0.02 * f; // below zero: blank background → exact ReLU zeros
    const b2 = net.params.b2.data;
    for (let j = 0; j < b2.length; j++) b2[j] = 0.1 * ((j % 3) - 1) + 0.05;
    assertNoKinkCrossed(net, x);
    assertTrueClassNotTiny(net, x, labels);

    const numeric = net.numericalGradient(x, labels);
    const grad = net.gradient(x, labels);
    for (const key of ["W1", "b1", "W2", "b2", "W3", "b3"] as const) {
      const diff = meanAbsDiff(grad[key].data, numeric[key].data);
      expect(diff, `${key}: mean abs diff`).toBeLessThanOrEqual(1e-6);
      expect(maxAbs(grad[key].data), `${key} gradient is not trivially zero`).toBeGreaterThan(1e-4);
    }
  });
});

describe("SimpleConvNet (the book's default shape)", () => {
  const net = new SimpleConvNet({ seed: 3 });
  const { x: flat, labels } = mnistRows(0, 250);

  it("has the book's parameter shapes, in one block", () => {
    const p = net.params;
    expect([p.W1.shape, p.b1.shape, p.W2.shape, p.b2.shape, p.W3.shape, p.b3.shape]).toEqual([[30, 1, 5, 5], [30], [4320, 100], [100], [100, 10], [10]]);
    expect(blockOf(p.W1)).toBe(blockOf(net.paramBlock.all()));
    expect(net.gradBlock.length).toBe(net.paramBlock.length);
    expect(Object.keys(net.layers)).toEqual(["Conv1", "Relu1", "Pool1", "Affine1", "Relu2", "Affine2"]);
  });

  it("takes flat rows [N, 784] or images [N, 1, 28, 28] alike, and batches large inputs without changing results", () => {
    const x2 = Tensor.from(flat, [250, 784], "float32");
    const x4 = Tensor.from(flat, [250, 1, 28, 28], "float32");
    const y2 = Float64Array.from(net.predict(x2).data);
    const y4 = Float64Array.from(net.predict(x4).data);
    expect(Array.from(y4)).toEqual(Array.from(y2));
    // 250 rows run as 100 + 100 + 50: every row equals the same row predicted on its own
    const single = Tensor.from(flat.subarray(249 * 784, 250 * 784), [1, 784], "float32");
    expect(Array.from(net.predict(single).data)).toEqual(Array.from(y2.subarray(2490, 2500)));
    const acc = net.accuracy(x2, labels);
    expect(acc).toBeGreaterThanOrEqual(0);
    expect(acc).toBeLessThanOrEqual(1);
  });

  it("float32 gradients agree with float64 ones", () => {
    const n64 = new SimpleConvNet({ seed: 3, dtype: "float64" });
    const x = flat.subarray(0, 20 * 784);
    const g32 = net.gradient(Tensor.from(x, [20, 784], "float32"), labels.slice(0, 20));
    const g64 = n64.gradient(Tensor.from(x, [20, 784], "float64"), labels.slice(0, 20));
    for (const key of ["W1", "b1", "W2", "b2", "W3", "b3"] as const) {
      const a = g32[key].data, b = g64[key].data;
      const scale = maxAbs(b);
      expect(scale, key).toBeGreaterThan(0);
      let worst = 0;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
      expect(worst / scale, key).toBeLessThan(1e-3);
    }
  });

  it("rejects bad input and bad shapes with errors that say what is wrong", () => {
    expect(() => net.predict(Tensor.zeros([2, 783]))).toThrow("SimpleConvNet.predict: x has shape [2, 783]; expected [N, 1, 28, 28] or flat rows [N, 784] for inputDim [1, 28, 28]");
    expect(() => net.predict(Tensor.zeros([2, 784], "float64"))).toThrow("SimpleConvNet.predict: x is float64 but the net is float32");
    const bad = Tensor.zeros([1, 784]);
    bad.data[5] = Number.NaN;
    expect(() => net.gradient(bad, [1])).toThrow(/SimpleConvNet.gradient: x \[1, 784\] holds NaN at flat index 5/);
    expect(() => new SimpleConvNet({ inputDim: [1, 28, 28], convParam: { filterSize: 4 } })).toThrow("SimpleConvNet: conv output 25×25 is odd; the 2×2 stride-2 pooling needs an even size");
    expect(() => new SimpleConvNet({ convParam: { filterSize: 6, stride: 4 } })).toThrow("SimpleConvNet: conv output size (28 − 6 + 2·0) / 4 + 1 = 6.5 is not a positive integer for inputDim [1, 28, 28]");
    expect(() => new SimpleConvNet({ inputDim: [1, 28] as never })).toThrow("SimpleConvNet: inputDim must be [channels, height, width]");
  });

  it("saves and loads through the model registry (same predictions)", () => {
    const bytes = serializeModel(net);
    const back = deserializeModel(bytes) as SimpleConvNet;
    expect(back).toBeInstanceOf(SimpleConvNet);
    expect(back.convParam).toEqual(net.convParam);
    const x = Tensor.from(flat.subarray(0, 10 * 784), [10, 784], "float32");
    const a = Array.from(net.predict(x).data);
    expect(Array.from(back.predict(x).data)).toEqual(a);
  });
});

// A reference dump (after llm.c): test/fixtures/simple-conv-net-numpy.py runs the book's numpy
// code (bench/numpy/simple_convnet.py, float64) for 12 Adam steps on real Fashion-MNIST batches
// from weights both sides derive from one formula, and stores the losses and parameter sums.
// Our float64 net must follow the same trajectory: same layers, same Adam, same batches.
// Tolerance 1e-12 relative: float64 rounding differs only in summation order (BLAS vs our gemm).
describe.runIf(have("fashion"))("SimpleConvNet follows the book's numpy code", () => {
  it("12 Adam steps on Fashion-MNIST: identical losses and parameters (float64, ≤ 1e-12 relative)", async () => {
    const ref = JSON.parse(readFileSync(new URL("../../fixtures/simple-conv-net-numpy.json", import.meta.url), "utf8"));
    const { train } = await loadMnist({ dataset: "fashion-mnist", dataDir: FASHION_DIR, download: false, useSample: false });
    const net = new SimpleConvNet({ dtype: "float64" });
    for (const [key, t] of Object.entries(net.params)) {
      const rand = testRng(ref.seeds[key]);
      const d = t.data;
      for (let i = 0; i < d.length; i++) d[i] = ref.scale[key] * (rand() - 0.5);
    }
    const adam = new Adam(0.001);
    const x = Tensor.zeros([100, 784], "float64");
    const labels = new Int32Array(100);
    const losses: number[] = [];
    for (let b = 0; b < ref.steps; b++) {
      const xd = x.data;
      for (let r = 0; r < 100; r++) {
        const row = ((b * 100 + r) * 7919) % train.count;
        const img = train.image(row);
        for (let c = 0; c < 784; c++) xd[r * 784 + c] = img[c] / 255;
        labels[r] = train.label(row);
      }
      net.gradient(x, labels);
      losses.push(net.lastLayer.loss as number);
      adam.updateBlock(net.paramBlock, net.gradBlock);
    }
    for (let i = 0; i < ref.steps; i++) expect(Math.abs(losses[i] - ref.losses[i]) / ref.losses[i], `loss ${i}: ${losses[i]} vs numpy ${ref.losses[i]}`).toBeLessThanOrEqual(1e-12);
    for (const [key, [sum, absSum]] of Object.entries(ref.paramSumAndAbsSum as Record<string, [number, number]>)) {
      const d = net.params[key as keyof typeof net.params].data;
      let s = 0, a = 0;
      for (let i = 0; i < d.length; i++) { s += d[i]; a += Math.abs(d[i]); }
      expect(Math.abs(s - sum), `${key} sum`).toBeLessThanOrEqual(1e-12 * absSum);
      expect(Math.abs(a - absSum), `${key} abs sum`).toBeLessThanOrEqual(1e-12 * absSum);
    }
  });
});
