// BatchNormalization, the layer (src/layers/batch-normalization.ts): what training-mode output
// looks like, rank > 2 inputs, its errors, and backward against numerical gradients on real
// MNIST pixels. (Its kernels against the book's formulas: test/unit/assembly/batchnorm.test.ts.)
import { describe, expect, it } from "vitest";
import { BatchNormalization, Tensor, numericalGradient } from "../../../src/index.node.js";
import { testRng, uniformArray } from "../../helpers/wasm.js";
import { mnistRows } from "../../helpers/mnist.js";
import { D, N, setup } from "../../helpers/batchnorm.js";

function meanAbsDiff(a: Tensor, b: Tensor): number {
  expect(a.shape).toEqual(b.shape);
  let s = 0;
  for (let i = 0; i < a.size; i++) s += Math.abs(a.data[i] - b.data[i]);
  return s / a.size;
}

describe("BatchNormalization", () => {
  it("normalises each feature: training-mode output has mean beta and std ≈ gamma", () => {
    const { x, gamma, beta, layer } = setup("float64", 9);
    const out = layer.forward(Tensor.from(x, [N, D], "float64"), true).data;
    for (let j = 0; j < D; j++) {
      let m = 0, v = 0;
      for (let i = 0; i < N; i++) m += out[i * D + j] / N;
      for (let i = 0; i < N; i++) v += (out[i * D + j] - m) ** 2 / N;
      expect(m).toBeCloseTo(beta[j], 12);
      expect(Math.sqrt(v)).toBeCloseTo(gamma[j], 5); // 10e-7 in the denominator keeps it just below
    }
  });

  it("flattens inputs of rank > 2 per sample, as the book", () => {
    const { x, gamma, beta } = setup("float64");
    const flat = new BatchNormalization(Tensor.from(gamma, [D], "float64"), Tensor.from(beta, [D], "float64"));
    const shaped = new BatchNormalization(Tensor.from(gamma, [D], "float64"), Tensor.from(beta, [D], "float64"));
    const a = flat.forward(Tensor.from(x, [N, D], "float64"), true);
    const b = shaped.forward(Tensor.from(x, [N, 1, 1, D], "float64"), true);
    expect(b.shape).toEqual([N, 1, 1, D]);
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
    expect(shaped.backward(Tensor.from(x, [N, 1, 1, D], "float64")).shape).toEqual([N, 1, 1, D]);
  });

  it("names what is wrong", () => {
    const { gamma, beta, layer } = setup("float32");
    expect(() => layer.backward(Tensor.zeros([N, D]))).toThrow(/BatchNormalization\.backward: call forward\(x, true\) before backward/);
    expect(() => layer.forward(Tensor.zeros([N, D + 1]), true)).toThrow(/BatchNormalization\.forward: x has shape \[5, 8\]: 8 features per sample, but gamma has 7/);
    expect(() => layer.forward(Tensor.zeros([N, D], "float64"), true)).toThrow(/x is float64 but gamma is float32/);
    layer.forward(Tensor.zeros([N, D]), true);
    expect(() => layer.backward(Tensor.zeros([N + 1, D]))).toThrow(/dout has shape \[6, 7\] but forward produced \[5, 7\]/);
    layer.forward(Tensor.zeros([N, D]), false);
    expect(() => layer.backward(Tensor.zeros([N, D]))).toThrow(/last forward ran in test mode/);
    expect(() => new BatchNormalization(Tensor.from(gamma, [D]), Tensor.from(beta.subarray(1), [D - 1]))).toThrow(/beta must be a float64 Tensor of 7 values to match gamma \[7\], got \[6\] float64/);
  });
});

describe("BatchNormalization gradient check (float64, real MNIST pixels)", () => {
  it("dx, dgamma, dbeta match central differences (mean abs diff ≤ 1e-6)", () => {
    // 4 digits, 12 pixels across the middle of the image (row 14, columns 8–19): real data
    // with spread in every column (a constant column has variance 0 and a 1/√1e-6 slope)
    const rows = 4, cols = 12;
    const { x: all } = mnistRows(0, rows);
    const x = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) x[i * cols + j] = all[i * 784 + 14 * 28 + 8 + j];
    for (let j = 0; j < cols; j++) {
      const col = [0, 1, 2, 3].map((i) => x[i * cols + j]);
      expect(Math.max(...col) - Math.min(...col)).toBeGreaterThan(0.05); // precondition: no flat column
    }
    const rand = testRng(21);
    const gamma = Tensor.from(uniformArray(rand, cols, 0.5, 1.5), [cols], "float64");
    const beta = Tensor.from(uniformArray(rand, cols, -0.5, 0.5), [cols], "float64");
    const R = Tensor.from(uniformArray(rand, rows * cols), [rows, cols], "float64");
    const xt = Tensor.from(x, [rows, cols], "float64");
    const layer = new BatchNormalization(gamma, beta);
    // L = Σ out ⊙ R, so dL/dout = R
    const L = (): number => {
      const out = layer.forward(xt, true).data, r = R.data;
      let s = 0;
      for (let i = 0; i < out.length; i++) s += out[i] * r[i];
      return s;
    };
    layer.forward(xt, true);
    const dx = layer.backward(R).clone();
    const dgamma = layer.dgamma.clone(), dbeta = layer.dbeta.clone();
    expect(meanAbsDiff(numericalGradient(L, xt), dx)).toBeLessThanOrEqual(1e-6);
    expect(meanAbsDiff(numericalGradient(L, gamma), dgamma)).toBeLessThanOrEqual(1e-6);
    expect(meanAbsDiff(numericalGradient(L, beta), dbeta)).toBeLessThanOrEqual(1e-6);
    // the gradients are not trivially zero (dx sums to 0 per column, but is not 0)
    expect(Math.max(...Array.from(dx.data, Math.abs))).toBeGreaterThan(0.1);
  });
});
