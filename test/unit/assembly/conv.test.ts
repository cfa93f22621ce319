// The convolution products (assembly/conv.ts) in both dtypes against sums written out by their
// definition: forward out_n = W·col_n + b, dW = Σ_n dout_n·col_nᵀ, db, dcol_n = Wᵀ·dout_n.
// Inputs are rounded to the kernel's dtype first. Each is a dot product of CK (+ bias), N·OH·OW
// or FN terms: in float64 |ŷ − y| ≤ 1e-12·Σ|terms|; in float32 within γ_n·Σ|terms| (plus the
// reference's own float64 error, 2⁻²⁹ times smaller).
import { describe, it } from "vitest";
import { getCore } from "../../../src/internal.js";
import { rounded } from "../../helpers/conv.js";
import { DTYPES, UNIT_ROUNDOFF, expectWithin, floats, gamma, outBuffer, testRng, uniformArray } from "../../helpers/wasm.js";

describe.each(DTYPES)("conv kernels (%s)", (dtype) => {
  const k = () => getCore().kernels(dtype);

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
      const kdW = outBuffer(FN * CK, dtype), kdb = outBuffer(FN, dtype);
      k().convBackwardParams(kdW.ptr, kdb.ptr, floats(doutv, dtype).ptr, floats(colv, dtype).ptr, N, FN, CK, P);
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
