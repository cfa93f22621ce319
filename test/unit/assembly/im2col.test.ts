// im2col / col2im (assembly/im2col.ts) in both dtypes against the plain-TS float64 reference
// (src/reference/im2col.ts, written from the book's util.py), in the book's col layout and in
// Convolution's transposed one. Inputs are rounded to the kernel's dtype first, so kernel and
// reference see the same numbers. im2col only moves numbers: bit for bit. col2im adds up to
// FH·FW overlapping contributions per pixel: in float64 |ŷ − y| ≤ 1e-12·Σ|terms|, in float32 a
// sum of n terms in any order is within γ_n·Σ|terms| (plus the reference's own float64 error,
// 2⁻²⁹ times smaller).
import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/internal.js";
import * as ref from "../../../src/reference/index.js";
import { CONV_CASES, describeGeometry, perImageTranspose, rounded, sumBound } from "../../helpers/conv.js";
import { DTYPES, expectWithin, floats, outBuffer, testRng, uniformArray } from "../../helpers/wasm.js";

describe.each(DTYPES)("im2col kernels (%s)", (dtype) => {
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
});
