// im2col / col2im / pooling / conv-product kernels (assembly/im2col.ts, pooling.ts, conv.ts) in both dtypes against the
// plain-TS float64 reference (src/reference/conv.ts, written from the book's util.py/layers.py).
//
// Inputs are rounded to the kernel's dtype first, so kernel and reference see the same numbers.
// Bounds: im2col and max pooling (values and argMax) only move numbers, so they must match bit
// for bit, and so must the 2×2 pool backward (its windows never overlap). col2im and the general
// pool backward add up to FH·FW overlapping contributions per pixel; the conv products are dot
// products of CK (+ bias), FN or N·OH·OW terms. In float64 |ŷ − y| ≤ 1e-12·Σ|terms|; in float32 a
// sum of n terms in any order is within γ_n·Σ|terms| (plus the reference's own float64 error,
// 2⁻²⁹ times smaller).
import { describe, expect, it } from "vitest";
import { im2col as im2colT, col2im as col2imT, Tensor, type DType } from "../src/index.node.js";
import { getCore } from "../src/internal.js";
import * as ref from "../src/reference/conv.js";
import { UNIT_ROUNDOFF, floats, gamma, int32s, outBuffer, testRng, uniformArray, worstRatio } from "./helpers/wasm.js";

const DTYPES: DType[] = ["float32", "float64"];

/** Odd sizes, stride 2, pad 1, multi-channel, windows larger than stride (overlap) and smaller (gaps). */
const CONV_CASES: ref.ConvGeometry[] = [
  { N: 1, C: 1, H: 5, W: 5, FH: 3, FW: 3, stride: 1, pad: 0 },
  { N: 2, C: 3, H: 7, W: 5, FH: 3, FW: 3, stride: 2, pad: 1 },
  { N: 3, C: 2, H: 6, W: 9, FH: 2, FW: 4, stride: 1, pad: 1 },
  { N: 2, C: 2, H: 8, W: 11, FH: 5, FW: 5, stride: 1, pad: 2 },
  { N: 2, C: 3, H: 4, W: 7, FH: 3, FW: 3, stride: 3, pad: 2 },
  { N: 2, C: 3, H: 9, W: 7, FH: 1, FW: 3, stride: 2, pad: 0 },
  { N: 3, C: 1, H: 28, W: 28, FH: 5, FW: 5, stride: 1, pad: 0 },
  { N: 2, C: 2, H: 3, W: 1, FH: 3, FW: 7, stride: 1, pad: 3 }, // pad wider than the row: taps entirely in the padding
  { N: 2, C: 1, H: 2, W: 2, FH: 5, FW: 5, stride: 2, pad: 3 },
];

const POOL_CASES: ref.ConvGeometry[] = [
  { N: 2, C: 3, H: 6, W: 8, FH: 2, FW: 2, stride: 2, pad: 0 }, // SimpleConvNet's pool (fast path)
  { N: 2, C: 3, H: 24, W: 24, FH: 2, FW: 2, stride: 2, pad: 0 },
  { N: 2, C: 2, H: 7, W: 5, FH: 3, FW: 3, stride: 2, pad: 1 },
  { N: 1, C: 3, H: 5, W: 6, FH: 2, FW: 3, stride: 1, pad: 0 },
  { N: 2, C: 2, H: 7, W: 7, FH: 3, FW: 3, stride: 3, pad: 1 },
  { N: 2, C: 2, H: 4, W: 4, FH: 2, FW: 2, stride: 2, pad: 1 },
];

const describeGeometry = (g: ref.ConvGeometry): string =>
  `N${g.N} C${g.C} ${g.H}×${g.W} window ${g.FH}×${g.FW} stride ${g.stride} pad ${g.pad}`;

function rounded(values: Float64Array, dtype: DType): Float64Array {
  return dtype === "float32" ? Float64Array.from(Float32Array.from(values)) : values;
}

function sumBound(dtype: DType, terms: number, scale: Float64Array): (i: number) => number {
  return (i) => dtype === "float64"
    ? 1e-12 * scale[i]
    : (gamma(terms, UNIT_ROUNDOFF.float32) + gamma(terms, UNIT_ROUNDOFF.float64)) * scale[i];
}

function expectWithin(label: string, actual: ArrayLike<number>, expected: ArrayLike<number>, bound: (i: number) => number): void {
  const w = worstRatio(actual, expected, bound);
  expect(w.ratio, `${label}: element ${w.at} is ${w.actual}, reference ${w.expected}`).toBeLessThanOrEqual(1);
}

/** The book's col [N·Q × K] → Convolution's layout [N × K × Q] (each image's rows transposed). */
function perImageTranspose(a: ArrayLike<number>, N: number, Q: number, K: number): Float64Array {
  const out = new Float64Array(N * Q * K);
  for (let n = 0; n < N; n++) for (let q = 0; q < Q; q++) for (let k = 0; k < K; k++) out[(n * K + k) * Q + q] = a[(n * Q + q) * K + k];
  return out;
}

describe.each(DTYPES)("conv kernels (%s)", (dtype) => {
  const k = () => getCore().kernels(dtype);

  describe.each(CONV_CASES)("geometry %#", (g) => {
    const { OH, OW } = ref.convOutSize(g);
    const Q = OH * OW, P = g.N * Q, K = g.C * g.FH * g.FW;
    const label = describeGeometry(g);

    it("im2col matches util.py bit for bit, in the book's layout and transposed", () => {
      const xv = rounded(uniformArray(testRng(11), g.N * g.C * g.H * g.W), dtype);
      const expected = new Float64Array(P * K);
      ref.im2col(expected, xv, g);
      const x = floats(xv, dtype);
      const book = outBuffer(P * K, dtype);
      k().im2col(book.ptr, x.ptr, g.N, g.C, g.H, g.W, g.FH, g.FW, g.stride, g.pad, Q * K, K, 1);
      expect(Array.from(book.data), label).toEqual(Array.from(expected));
      const convLayout = outBuffer(P * K, dtype);
      k().im2col(convLayout.ptr, x.ptr, g.N, g.C, g.H, g.W, g.FH, g.FW, g.stride, g.pad, K * Q, 1, Q);
      expect(Array.from(convLayout.data), label).toEqual(Array.from(perImageTranspose(expected, g.N, Q, K)));
    });

    it("col2im adds overlapping patches like util.py, in both layouts", () => {
      const colv = rounded(uniformArray(testRng(12), P * K), dtype);
      const expected = new Float64Array(g.N * g.C * g.H * g.W);
      ref.col2im(expected, colv, g);
      const scale = new Float64Array(expected.length);
      ref.col2im(scale, colv.map(Math.abs), g);
      const bound = sumBound(dtype, g.FH * g.FW, scale);
      const dx = outBuffer(expected.length, dtype);
      k().col2im(dx.ptr, floats(colv, dtype).ptr, g.N, g.C, g.H, g.W, g.FH, g.FW, g.stride, g.pad, Q * K, K, 1);
      expectWithin(`${label} book layout`, dx.data, expected, bound);
      const dx2 = outBuffer(expected.length, dtype);
      k().col2im(dx2.ptr, floats(perImageTranspose(colv, g.N, Q, K), dtype).ptr, g.N, g.C, g.H, g.W, g.FH, g.FW, g.stride, g.pad, K * Q, 1, Q);
      expectWithin(`${label} conv layout`, dx2.data, expected, bound);
    });
  });

  describe.each(POOL_CASES)("pool %#", (g) => {
    const { OH, OW } = ref.convOutSize(g);
    const nOut = g.N * g.C * OH * OW, nIn = g.N * g.C * g.H * g.W;
    const label = describeGeometry(g);
    // continuous values (no ties) and small integers (many ties: argMax must be the first maximum)
    const inputs: [string, Float64Array][] = [
      ["uniform", rounded(uniformArray(testRng(21), nIn), dtype)],
      ["ties", Float64Array.from(uniformArray(testRng(22), nIn, -2, 3), Math.floor)],
    ];

    it.each(inputs)("forward (%s input): values and argMax bit for bit; backward within bound", (_name, xv) => {
      const out = new Float64Array(nOut);
      const arg = new Int32Array(nOut);
      ref.maxPoolForward(out, arg, xv, g);
      const x = floats(xv, dtype);
      const kOut = outBuffer(nOut, dtype);
      const kArg = int32s(new Int32Array(nOut).fill(-7));
      k().maxPoolForward(kOut.ptr, kArg.ptr, x.ptr, g.N, g.C, g.H, g.W, g.FH, g.FW, g.stride, g.pad);
      expect(Array.from(kOut.data), label).toEqual(Array.from(out));
      expect(Array.from(kArg.view()), label).toEqual(Array.from(arg));
      if (g.FH === 2 && g.FW === 2 && g.stride === 2 && g.pad === 0) {
        const fOut = outBuffer(nOut, dtype);
        const fArg = int32s(new Int32Array(nOut).fill(-7));
        k().maxPool2x2Forward(fOut.ptr, fArg.ptr, x.ptr, g.N, g.C, g.H, g.W);
        expect(Array.from(fOut.data), `${label} 2×2 path`).toEqual(Array.from(out));
        expect(Array.from(fArg.view()), `${label} 2×2 path`).toEqual(Array.from(arg));
      }
      const doutv = rounded(uniformArray(testRng(23), nOut), dtype);
      const dx = new Float64Array(nIn);
      ref.maxPoolBackward(dx, doutv, arg, g);
      const scale = new Float64Array(nIn);
      ref.maxPoolBackward(scale, doutv.map(Math.abs), arg, g);
      const kdx = outBuffer(nIn, dtype);
      k().maxPoolBackward(kdx.ptr, floats(doutv, dtype).ptr, kArg.ptr, g.N, g.C, g.H, g.W, g.FH, g.FW, g.stride, g.pad);
      expectWithin(label, kdx.data, dx, sumBound(dtype, g.FH * g.FW, scale));
      if (g.FH === 2 && g.FW === 2 && g.stride === 2 && g.pad === 0) {
        const fdx = outBuffer(nIn, dtype); // sentinel-filled: every element must be written
        k().maxPool2x2Backward(fdx.ptr, floats(doutv, dtype).ptr, kArg.ptr, g.N, g.C, g.H, g.W);
        expect(Array.from(fdx.data), `${label} 2×2 backward`).toEqual(Array.from(dx)); // windows do not overlap: no sums
      }
    });
  });

  describe.each([
    { N: 3, FN: 5, CK: 7, P: 9 },
    { N: 2, FN: 30, CK: 25, P: 576 }, // SimpleConvNet's layer, two images
    { N: 1, FN: 1, CK: 1, P: 1 },
    { N: 4, FN: 6, CK: 27, P: 13 },
  ])("conv products N=$N FN=$FN CK=$CK P=$P", ({ N, FN, CK, P }) => {
    const colv = rounded(uniformArray(testRng(61), N * CK * P), dtype);
    const wv = rounded(uniformArray(testRng(62), FN * CK), dtype);
    const bv = rounded(uniformArray(testRng(63), FN), dtype);
    const doutv = rounded(uniformArray(testRng(64), N * FN * P), dtype);
    const u = (terms: number) => (dtype === "float64" ? 1e-12 : gamma(terms, UNIT_ROUNDOFF.float32) + gamma(terms, UNIT_ROUNDOFF.float64));

    it("convForward: out_n = W·col_n + b, NCHW", () => {
      const expected = new Float64Array(N * FN * P), scale = new Float64Array(N * FN * P);
      for (let n = 0; n < N; n++) for (let f = 0; f < FN; f++) for (let q = 0; q < P; q++) {
        let s = 0, a = 0;
        for (let c = 0; c < CK; c++) { const t = wv[f * CK + c] * colv[(n * CK + c) * P + q]; s += t; a += Math.abs(t); }
        expected[(n * FN + f) * P + q] = s + bv[f];
        scale[(n * FN + f) * P + q] = a + Math.abs(bv[f]);
      }
      const out = outBuffer(N * FN * P, dtype);
      k().convForward(out.ptr, floats(colv, dtype).ptr, floats(wv, dtype).ptr, floats(bv, dtype).ptr, N, FN, CK, P);
      expectWithin("convForward", out.data, expected, (i) => u(CK + 1) * scale[i]);
    });

    it("convBackwardParams: dW = Σ_n dout_n·col_nᵀ, db = Σ dout (overwritten)", () => {
      const dW = new Float64Array(FN * CK), dWs = new Float64Array(FN * CK), db = new Float64Array(FN), dbs = new Float64Array(FN);
      for (let n = 0; n < N; n++) for (let f = 0; f < FN; f++) for (let q = 0; q < P; q++) {
        const g = doutv[(n * FN + f) * P + q];
        db[f] += g; dbs[f] += Math.abs(g);
        for (let c = 0; c < CK; c++) { const t = g * colv[(n * CK + c) * P + q]; dW[f * CK + c] += t; dWs[f * CK + c] += Math.abs(t); }
      }
      const kdW = outBuffer(FN * CK, dtype), kdb = outBuffer(FN, dtype), tmp = outBuffer(FN * CK, dtype);
      k().convBackwardParams(kdW.ptr, kdb.ptr, tmp.ptr, floats(doutv, dtype).ptr, floats(colv, dtype).ptr, N, FN, CK, P);
      expectWithin("dW", kdW.data, dW, (i) => u(N * P) * dWs[i]);
      expectWithin("db", kdb.data, db, (i) => u(N * P) * dbs[i]);
    });

    it("convBackwardData: dcol_n = Wᵀ·dout_n", () => {
      const expected = new Float64Array(N * CK * P), scale = new Float64Array(N * CK * P);
      for (let n = 0; n < N; n++) for (let c = 0; c < CK; c++) for (let q = 0; q < P; q++) {
        let s = 0, a = 0;
        for (let f = 0; f < FN; f++) { const t = wv[f * CK + c] * doutv[(n * FN + f) * P + q]; s += t; a += Math.abs(t); }
        expected[(n * CK + c) * P + q] = s;
        scale[(n * CK + c) * P + q] = a;
      }
      const dcol = outBuffer(N * CK * P, dtype);
      k().convBackwardData(dcol.ptr, floats(wv, dtype).ptr, floats(doutv, dtype).ptr, N, FN, CK, P);
      expectWithin("dcol", dcol.data, expected, (i) => u(FN) * scale[i]);
    });
  });
});

describe("im2col / col2im functions (book layout)", () => {
  it("match the reference and name bad shapes", () => {
    const g = CONV_CASES[1];
    const xv = uniformArray(testRng(51), g.N * g.C * g.H * g.W);
    const x = Tensor.from(xv, [g.N, g.C, g.H, g.W], "float64");
    const col = im2colT(x, g.FH, g.FW, g.stride, g.pad);
    const { OH, OW } = ref.convOutSize(g);
    const expected = new Float64Array(g.N * OH * OW * g.C * g.FH * g.FW);
    ref.im2col(expected, xv, g);
    expect(col.shape).toEqual([g.N * OH * OW, g.C * g.FH * g.FW]);
    expect(Array.from(col.data)).toEqual(Array.from(expected));
    const back = col2imT(col, x.shape, g.FH, g.FW, g.stride, g.pad);
    const dx = new Float64Array(xv.length);
    ref.col2im(dx, expected, g);
    expectWithin("col2im", back.data, dx, (i) => 1e-12 * Math.max(1, Math.abs(dx[i]) * 9));
    expect(() => im2colT(x, 2, 2, 2, 0)).toThrow("im2col: output height (7 + 2·0 − 2) / 2 + 1 = 3.5 is not an integer (x [2, 3, 7, 5], filter 2×2, stride 2, pad 0)");
    expect(() => im2colT(x, 9, 3, 1, 0)).toThrow("im2col: filter 9×3 is larger than the padded input height 7");
    expect(() => col2imT(col, [2, 3, 7, 7], 3, 3, 2, 1)).toThrow("col2im: col has shape [24, 27]; input [2, 3, 7, 7] with a 3×3 filter, stride 2, pad 1 needs [32, 27]");
  });
});
