// The Pooling layer (max pooling): forward and argMax against the plain-TS reference, backward
// against numerical gradients (float64, mean |analytic − numerical| ≤ 1e-6), and the shape errors.
//
// The gradient check uses the loss L = Σ out ⊙ R for a fixed random R, so dL/dout = R is what
// backward receives. Max pooling is piecewise linear: the check is only meaningful where no
// perturbation of ±h changes a window's argmax, so the test asserts that every window's maximum
// beats its runner-up (padding zeros included) by more than 2h before comparing.
import { describe, expect, it } from "vitest";
import { Pooling, Tensor, numericalGradient, type DType } from "../../../src/index.node.js";
import * as ref from "../../../src/reference/index.js";
import { testRng, uniformArray } from "../../helpers/wasm.js";
import { H_STEP, dotWith, meanAbsDiff } from "../../helpers/gradcheck.js";

const POOL_CASES = [
  { x: [2, 3, 6, 8], pool: [2, 2], stride: 2, pad: 0 },
  { x: [2, 2, 7, 5], pool: [3, 3], stride: 2, pad: 1 }, // overlapping windows + padding
  { x: [1, 2, 5, 6], pool: [2, 3], stride: 1, pad: 0 },
];

/** Smallest (max − runner-up) over all windows, padding zeros included: > 2h means no argmax flips. */
function smallestWindowGap(xv: Float64Array, g: ref.ConvGeometry): number {
  const { OH, OW } = ref.convOutSize(g);
  const K = g.FH * g.FW;
  const col = new Float64Array(g.N * g.C * OH * OW * K);
  let gap = Infinity;
  for (let n = 0; n < g.N; n++) for (let c = 0; c < g.C; c++) {
    // one channel at a time through the book's im2col (C = 1)
    const plane = xv.subarray(((n * g.C + c) * g.H) * g.W, ((n * g.C + c + 1) * g.H) * g.W);
    const g1 = { ...g, N: 1, C: 1 };
    ref.im2col(col, plane, g1);
    for (let w = 0; w < OH * OW; w++) {
      const vals = Array.from(col.subarray(w * K, (w + 1) * K)).sort((a, b) => b - a);
      gap = Math.min(gap, vals[0] - vals[1]);
    }
  }
  return gap;
}

describe.each(POOL_CASES)("Pooling x $x pool $pool stride $stride pad $pad", ({ x: xs, pool, stride, pad }) => {
  const g: ref.ConvGeometry = { N: xs[0], C: xs[1], H: xs[2], W: xs[3], FH: pool[0], FW: pool[1], stride, pad };
  const { OH, OW } = ref.convOutSize(g);
  const outShape = [xs[0], xs[1], OH, OW];
  const nx = xs.reduce((a, b) => a * b), nout = outShape.reduce((a, b) => a * b);
  const xv = uniformArray(testRng(5), nx);
  const R = uniformArray(testRng(6), nout);

  it("forward and argMax match the reference (both dtypes)", () => {
    for (const dtype of ["float32", "float64"] as DType[]) {
      const xr = dtype === "float32" ? Float64Array.from(Float32Array.from(xv)) : xv;
      const out = new Float64Array(nout), arg = new Int32Array(nout);
      ref.maxPoolForward(out, arg, xr, g);
      const layer = new Pooling(pool[0], pool[1], stride, pad);
      const y = layer.forward(Tensor.from(xr, xs, dtype));
      expect(y.shape).toEqual(outShape);
      expect(Array.from(y.data)).toEqual(Array.from(out));
      expect(Array.from(layer.argMax as Int32Array)).toEqual(Array.from(arg));
    }
  });

  it("backward agrees with numerical gradients away from ties (float64)", () => {
    const gap = smallestWindowGap(xv, g);
    expect(gap, "precondition: no window has two values within 2h").toBeGreaterThan(2 * H_STEP);
    const x = Tensor.from(xv, xs, "float64");
    const layer = new Pooling(pool[0], pool[1], stride, pad);
    layer.forward(x);
    const dx = layer.backward(Tensor.from(R, outShape, "float64"));
    const numeric = numericalGradient(() => dotWith(layer.forward(x), R), x);
    expect(meanAbsDiff(dx.data, numeric.data)).toBeLessThanOrEqual(1e-6);
    expect(Math.max(...Array.from(dx.data, Math.abs))).toBeGreaterThan(0.1);
  });
});

describe("shape and dtype errors name the layer and the shapes", () => {
  it("Pooling", () => {
    const pool = new Pooling(2, 2, 2);
    expect(() => pool.forward(Tensor.zeros([1, 3, 5, 6]))).toThrow("Pooling.forward: output height (5 + 2·0 − 2) / 2 + 1 = 2.5 is not an integer (x [1, 3, 5, 6], pool window 2×2, stride 2, pad 0)");
    expect(() => pool.forward(Tensor.zeros([3, 6, 6]))).toThrow("Pooling.forward: x must be 4-D [N, C, H, W], got shape [3, 6, 6]");
    pool.forward(Tensor.zeros([1, 3, 6, 6]));
    expect(() => pool.backward(Tensor.zeros([1, 3, 6, 6]))).toThrow("Pooling.backward: dout has shape [1, 3, 6, 6] but forward produced [1, 3, 3, 3]");
    expect(() => pool.backward(Tensor.zeros([1, 3, 3, 3], "float64"))).toThrow("Pooling.backward: dout is float64 but forward ran in float32");
    expect(() => new Pooling(0, 2)).toThrow("Pooling: poolH must be a positive integer, got 0");
  });
});
