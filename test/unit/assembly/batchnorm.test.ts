// The BatchNormalization kernels (assembly/batchnorm.ts), through the layer, against the book's
// formulas line for line in float64 (src/reference/batchnorm.ts): forward in training mode twice
// (the running statistics' momentum), test mode, backward. Bounds: 1e-12 in float64, 2e-5 in
// float32 (×10 for backward's longer chains).
import { describe, expect, it } from "vitest";
import { Tensor } from "../../../src/index.node.js";
import { batchNormForwardTrain, batchNormForwardTest, batchNormBackward } from "../../../src/reference/index.js";
import { uniformArray } from "../../helpers/wasm.js";
import { D, N, setup } from "../../helpers/batchnorm.js";

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe("BatchNormalization kernels vs the book's formulas", () => {
  it.each([["float64", 1e-12], ["float32", 2e-5]] as const)("%s: forward (train, twice), running stats, test mode, backward", (dtype, tol) => {
    const { rand, x, gamma, beta, layer, ref } = setup(dtype);
    const x2 = uniformArray(rand, N * D, -1, 1);
    for (const batch of [x, x2]) {
      const expected = batchNormForwardTrain(batch, gamma, beta, ref, 0.9, N, D);
      const out = layer.forward(Tensor.from(batch, [N, D], dtype), true);
      expect(out.shape).toEqual([N, D]);
      expect(maxAbsDiff(out.data, expected)).toBeLessThanOrEqual(tol);
    }
    expect(maxAbsDiff(layer.runningMean.data, ref.runningMean)).toBeLessThanOrEqual(tol);
    expect(maxAbsDiff(layer.runningVar.data, ref.runningVar)).toBeLessThanOrEqual(tol);
    expect(maxAbsDiff(layer.std.data, ref.std)).toBeLessThanOrEqual(tol);

    const dout = uniformArray(rand, N * D);
    const g = batchNormBackward(dout, gamma, ref, N, D);
    const dx = layer.backward(Tensor.from(dout, [N, D], dtype));
    expect(maxAbsDiff(dx.data, g.dx)).toBeLessThanOrEqual(tol * 10);
    expect(maxAbsDiff(layer.dgamma.data, g.dgamma)).toBeLessThanOrEqual(tol * 10);
    expect(maxAbsDiff(layer.dbeta.data, g.dbeta)).toBeLessThanOrEqual(tol * 10);

    const xt = uniformArray(rand, N * D, -2, 2);
    const outTest = layer.forward(Tensor.from(xt, [N, D], dtype), false);
    expect(maxAbsDiff(outTest.data, batchNormForwardTest(xt, gamma, beta, ref.runningMean, ref.runningVar, N, D))).toBeLessThanOrEqual(tol);
    // test mode leaves the running statistics alone
    expect(maxAbsDiff(layer.runningMean.data, ref.runningMean)).toBeLessThanOrEqual(tol);
  });
});
