// The elementwise kernels (assembly/elementwise.ts: ReLU, Sigmoid, the bias column sum, the
// non-finite scan) in both dtypes against the float64 reference (src/reference/elementwise.ts).
// Inputs are rounded to the kernel's dtype first, so only the kernel's arithmetic is measured.
//
// Tolerances (u = unit roundoff: 2⁻²⁴ float32, 2⁻⁵³ float64; γ_n = n·u/(1 − n·u)); float64:
// |ŷ − y| ≤ 1e-12 · the error's scale (|y|, Σ|dout|):
//  - float32 sigmoid 1/(1 + e^{−x}): exp ≤ 2u, the addition u, the division u → γ_4·y.
//    sigmoid backward dout·(1 − y)·y: three roundings → γ_3·|result|.
//  - column sum over R rows: γ_{R−1}·Σ|dout|.
//  - exact (bit for bit, both dtypes): ReLU forward/backward, first-non-finite.
import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/internal.js";
import * as ref from "../../../src/reference/index.js";
import { DTYPES, F64_REL, UNIT_ROUNDOFF, copy, expectWithin, floats, gamma, outBuffer, testRng, uniformArray } from "../../helpers/wasm.js";

/** Element counts covering empty vector bodies, vector body + every tail length, and big. */
const LENGTHS = [1, 2, 3, 4, 5, 7, 8, 9, 17, 100, 5000];

describe.each(DTYPES)("elementwise kernels (%s) vs reference", (dtype) => {
  const k = () => getCore().kernels(dtype);
  const u = UNIT_ROUNDOFF[dtype];
  const rel = (n: number) => (dtype === "float64" ? F64_REL : gamma(n, u));

  it("ReLU forward and backward are exact", () => {
    for (const n of LENGTHS) {
      const rand = testRng(n);
      const xs = uniformArray(rand, n);
      if (n > 3) { xs[0] = 0; xs[1] = -0; } // the boundary: out must be +0 there
      const x = floats(xs, dtype), dout = floats(uniformArray(rand, n), dtype);
      const out = outBuffer(n, dtype), dx = outBuffer(n, dtype);
      k().reluForward(out.ptr, x.ptr, n);
      k().reluBackward(dx.ptr, dout.ptr, out.ptr, n);
      const eOut = new Float64Array(n), eDx = new Float64Array(n);
      ref.reluForward(eOut, copy(x), n);
      ref.reluBackward(eDx, copy(dout), eOut, n);
      expect(Array.from(copy(out).subarray(0, n)), `relu forward n=${n}`).toEqual(Array.from(eOut));
      expect(Array.from(copy(dx).subarray(0, n)), `relu backward n=${n}`).toEqual(Array.from(eDx));
    }
  });

  it("Sigmoid forward (γ_4·y) and backward (γ_3·|dx|)", () => {
    for (const n of LENGTHS) {
      const rand = testRng(100 + n);
      const x = floats(uniformArray(rand, n, -8, 8), dtype), dout = floats(uniformArray(rand, n), dtype);
      const out = outBuffer(n, dtype), dx = outBuffer(n, dtype);
      k().sigmoidForward(out.ptr, x.ptr, n);
      const eOut = new Float64Array(n);
      ref.sigmoidForward(eOut, copy(x), n);
      expectWithin(`sigmoid n=${n}`, copy(out).subarray(0, n), eOut, (i) => rel(4) * eOut[i]);
      // backward from the kernel's own forward output, so only the backward rounding is measured
      const y = copy(out).subarray(0, n);
      k().sigmoidBackward(dx.ptr, dout.ptr, out.ptr, n);
      const eDx = new Float64Array(n);
      ref.sigmoidBackward(eDx, copy(dout), y, n);
      expectWithin(`sigmoid backward n=${n}`, copy(dx).subarray(0, n), eDx, (i) => rel(3) * Math.abs(eDx[i]));
    }
  });

  it("column sum (γ_{R−1}·Σ|dout|) on odd rows×cols", () => {
    for (const rows of [1, 3, 5, 17, 100]) for (const cols of [1, 2, 3, 4, 5, 7, 9, 17, 50]) {
      const rand = testRng(rows * 100 + cols);
      const dout = floats(uniformArray(rand, rows * cols), dtype);
      const db = outBuffer(cols, dtype);
      k().columnSum(db.ptr, dout.ptr, rows, cols);
      const d = copy(dout), e = new Float64Array(cols), absSum = new Float64Array(cols);
      ref.columnSum(e, d, rows, cols);
      ref.columnSum(absSum, d.map(Math.abs), rows, cols);
      const f = dtype === "float64" ? F64_REL : gamma(Math.max(rows - 1, 1), u);
      expectWithin(`columnSum ${rows}×${cols}`, copy(db).subarray(0, cols), e, (j) => f * absSum[j]);
    }
  });

  it("firstNonFinite finds NaN/±Infinity in the vector body and in the tail", () => {
    for (const n of LENGTHS) {
      const x = floats(uniformArray(testRng(n), n), dtype);
      expect(k().firstNonFinite(x.ptr, n)).toBe(-1);
      for (const bad of [NaN, Infinity, -Infinity]) {
        for (const at of new Set([0, n >> 1, n - 1])) {
          const keep = x.data[at];
          x.data[at] = bad;
          expect(k().firstNonFinite(x.ptr, n), `${bad} at ${at} of ${n}`).toBe(at);
          x.data[at] = keep;
        }
      }
    }
  });
});
