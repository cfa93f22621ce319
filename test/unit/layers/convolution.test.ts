// The Convolution layer: forward against the plain-TS reference, backward against numerical
// gradients (float64, mean |analytic − numerical| ≤ 1e-6), and the shape errors.
//
// The gradient check uses the loss L = Σ out ⊙ R for a fixed random R, so dL/dout = R is what
// backward receives. Convolution is linear in W, b and x, so central differences are exact up to
// rounding.
import { describe, expect, it } from "vitest";
import { Convolution, Tensor, numericalGradient, type DType } from "../../../src/index.node.js";
import * as ref from "../../../src/reference/index.js";
import { UNIT_ROUNDOFF, gamma, testRng, uniformArray, worstRatio } from "../../helpers/wasm.js";
import { dotWith, meanAbsDiff } from "../../helpers/gradcheck.js";

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
});
