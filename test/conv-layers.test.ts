// Convolution and Pooling layers: forward against the plain-TS reference, backward against
// numerical gradients (float64, mean |analytic − numerical| ≤ 1e-6), and the shape errors.
//
// The gradient checks use the loss L = Σ out ⊙ R for a fixed random R, so dL/dout = R is what
// backward receives. Convolution is linear in W, b and x, so central differences are exact up to
// rounding. Max pooling is piecewise linear: the check is only meaningful where no perturbation
// of ±h changes a window's argmax, so the test asserts that every window's maximum beats its
// runner-up (padding zeros included) by more than 2h before comparing.
import { describe, expect, it } from "vitest";
import { Convolution, Pooling, Tensor, numericalGradient, type DType } from "../src/index.node.js";
import * as ref from "../src/reference/conv.js";
import { UNIT_ROUNDOFF, gamma, testRng, uniformArray, worstRatio } from "./helpers/wasm.js";

const H_STEP = 1e-4; // numericalGradient's h

function meanAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / a.length;
}

/** Σ out ⊙ R, the scalar the numerical gradient differentiates. */
function dotWith(out: Tensor, R: Float64Array): number {
  const d = out.data;
  let s = 0;
  for (let i = 0; i < R.length; i++) s += d[i] * R[i];
  return s;
}

const CONV_CASES = [
  { x: [2, 3, 7, 5], W: [4, 3, 3, 3], stride: 2, pad: 1 },
  { x: [2, 2, 6, 6], W: [3, 2, 5, 5], stride: 1, pad: 2 },
  { x: [3, 1, 8, 9], W: [2, 1, 2, 3], stride: 1, pad: 0 },
];

describe.each(CONV_CASES)("Convolution x $x W $W stride $stride pad $pad", ({ x: xs, W: ws, stride, pad }) => {
  const g: ref.ConvGeometry = { N: xs[0], C: xs[1], H: xs[2], W: xs[3], FH: ws[2], FW: ws[3], stride, pad };
  const { OH, OW } = ref.convOutSize(g);
  const outShape = [xs[0], ws[0], OH, OW];
  const nx = xs.reduce((a, b) => a * b), nw = ws.reduce((a, b) => a * b), nout = outShape.reduce((a, b) => a * b);
  const xv = uniformArray(testRng(1), nx), wv = uniformArray(testRng(2), nw), bv = uniformArray(testRng(3), ws[0]);
  const R = uniformArray(testRng(4), nout);

  it.each(["float32", "float64"] as DType[])("forward matches the direct convolution (%s)", (dtype) => {
    const round = (v: Float64Array) => (dtype === "float32" ? Float64Array.from(Float32Array.from(v)) : v);
    const [x, w, b] = [round(xv), round(wv), round(bv)];
    const expected = new Float64Array(nout), scale = new Float64Array(nout);
    ref.convForward(expected, x, w, b, ws[0], g);
    ref.convForward(scale, x.map(Math.abs), w.map(Math.abs), b.map(Math.abs), ws[0], g);
    const conv = new Convolution(Tensor.from(w, ws, dtype), Tensor.from(b, [ws[0]], dtype), stride, pad);
    const out = conv.forward(Tensor.from(x, xs, dtype));
    expect(out.shape).toEqual(outShape);
    const terms = ws[1] * ws[2] * ws[3] + 1;
    const w2 = worstRatio(out.data, expected, (i) => (dtype === "float64" ? 1e-12 : gamma(terms, UNIT_ROUNDOFF.float32) + gamma(terms, UNIT_ROUNDOFF.float64)) * scale[i]);
    expect(w2.ratio, `element ${w2.at}: ${w2.actual} vs ${w2.expected}`).toBeLessThanOrEqual(1);
  });

  it("backward: dW, db and dx agree with numerical gradients (float64)", () => {
    const W = Tensor.from(wv, ws, "float64"), b = Tensor.from(bv, [ws[0]], "float64"), x = Tensor.from(xv, xs, "float64");
    const conv = new Convolution(W, b, stride, pad);
    conv.forward(x);
    const dx = conv.backward(Tensor.from(R, outShape, "float64"));
    expect(dx.shape).toEqual(xs);
    const loss = () => dotWith(conv.forward(x), R);
    expect(meanAbsDiff(conv.dW.data, numericalGradient(loss, W).data)).toBeLessThanOrEqual(1e-6);
    expect(meanAbsDiff(conv.db.data, numericalGradient(loss, b).data)).toBeLessThanOrEqual(1e-6);
    expect(meanAbsDiff(dx.data, numericalGradient(loss, x).data)).toBeLessThanOrEqual(1e-6);
    // and the analytic gradients are not trivially zero
    expect(Math.max(...Array.from(conv.dW.data, Math.abs))).toBeGreaterThan(0.1);
    // backwardParams alone gives the same dW/db
    const dW = Float64Array.from(conv.dW.data);
    conv.forward(x);
    conv.dW.data.fill(0);
    conv.backwardParams(Tensor.from(R, outShape, "float64"));
    expect(Array.from(conv.dW.data)).toEqual(Array.from(dW));
  });
});

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
  const W = Tensor.zeros([4, 3, 3, 3], "float64"), b = Tensor.zeros([4], "float64");

  it("Convolution", () => {
    const conv = new Convolution(W, b, 2, 1);
    expect(() => conv.forward(Tensor.zeros([2, 2, 7, 7], "float64"))).toThrow("Convolution.forward: x [2, 2, 7, 7] has 2 channels but W [4, 3, 3, 3] expects 3");
    expect(() => conv.forward(Tensor.zeros([2, 3, 8, 7], "float64"))).toThrow("Convolution.forward: output height (8 + 2·1 − 3) / 2 + 1 = 4.5 is not an integer (x [2, 3, 8, 7], filter 3×3 of W [4, 3, 3, 3], stride 2, pad 1)");
    expect(() => conv.forward(Tensor.zeros([2, 3, 7, 7], "float32"))).toThrow("Convolution.forward: x is float32 but W is float64");
    expect(() => conv.forward(Tensor.zeros([2, 147], "float64"))).toThrow("Convolution.forward: x must be 4-D [N, C, H, W], got shape [2, 147]");
    expect(() => new Convolution(W, b).backward(Tensor.zeros([2, 4, 5, 5], "float64"))).toThrow("Convolution.backward: call forward before backward");
    conv.forward(Tensor.zeros([2, 3, 7, 7], "float64"));
    expect(() => conv.backward(Tensor.zeros([2, 4, 3, 4], "float64"))).toThrow("Convolution.backward: dout has shape [2, 4, 3, 4] but forward produced [2, 4, 4, 4]");
    expect(() => new Convolution(W, Tensor.zeros([3], "float64"))).toThrow("Convolution: b must be a 1-D Tensor of length 4 (one per filter of W [4, 3, 3, 3]), got [3]");
    expect(() => new Convolution(Tensor.zeros([4, 27], "float64"), b)).toThrow("Convolution: W must be a 4-D Tensor [FN, C, FH, FW], got [4, 27]");
    expect(() => new Convolution(W, b, 0)).toThrow("Convolution: stride must be an integer ≥ 1, got 0");
    expect(() => new Convolution(W, b, 1, 5).forward(Tensor.zeros([1, 3, 2, 2], "float64"))).not.toThrow();
    expect(() => new Convolution(W, b, 1, 0).forward(Tensor.zeros([1, 3, 2, 2], "float64"))).toThrow("Convolution.forward: filter 3×3 of W [4, 3, 3, 3] is larger than the padded input height 2 (x [1, 3, 2, 2], pad 0)");
  });

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
