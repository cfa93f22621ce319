// SoftmaxWithLoss's kernels and the accuracy counts (assembly/softmax.ts) in both dtypes against
// the float64 reference (src/reference/softmax.ts). Inputs are rounded to the kernel's dtype
// first, so only the kernel's arithmetic is measured. float64: |ŷ − y| ≤ 1e-12 · |y|.
//
// float32 bounds (u = 2⁻²⁴; γ_n = n·u/(1 − n·u)):
//  - softmax: x − max rounds with error ≤ u·|x − max|, which exp turns into a relative
//    error ≤ u·|x − max|; Mathf.exp adds ≤ 1 ulp (≤ 2u relative); the row sum of C such terms
//    adds γ_{C−1}; the division adds u. y = e/s carries the numerator's and the sum's errors,
//    so |ŷ − y| ≤ (2·u·max|x − max| + 4u + γ_{C−1} + u)·y, and we allow 1% on top for
//    second-order terms.
//  - cross-entropy, per term t·log(y + δ): δ = 1e-7 rounded to float32 (≤ u relative)
//    and the addition (≤ u) perturb the log's argument by ≤ 2u relative, i.e. ≤ 2u absolute
//    after the log; logf adds ≤ 1 ulp (2u·|log|), the product with t one more u·|t·log|.
//    The batch mean is accumulated in float64 (negligible). Bound: (1/N)·Σ|t|·(2u + 3u·|log(y + δ)|).
//  - SoftmaxWithLoss backward (y − t)/N: two roundings → γ_2·|y − t|/N.
//  - exact (bit for bit, both dtypes): argmax, count-correct.
import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/internal.js";
import * as ref from "../../../src/reference/index.js";
import { DTYPES, F64_REL, UNIT_ROUNDOFF, copy, expectWithin, floats, gamma, int32s, outBuffer, testRng, uniformArray } from "../../helpers/wasm.js";

describe.each(DTYPES)("softmax / loss / accuracy kernels (%s) vs reference", (dtype) => {
  const k = () => getCore().kernels(dtype);
  const u = UNIT_ROUNDOFF[dtype];
  const SHAPES: [number, number][] = [[1, 1], [1, 3], [3, 5], [5, 10], [17, 3], [100, 10], [3, 17]];

  it("softmax rows, including inputs far beyond exp's overflow", () => {
    for (const [N, C] of SHAPES) {
      for (const spread of [1, 30, 1000]) {
        const rand = testRng(N * 1000 + C + spread);
        const xs = uniformArray(rand, N * C, -spread, spread);
        const x = floats(xs, dtype), y = outBuffer(N * C, dtype);
        k().softmaxRows(y.ptr, x.ptr, N, C);
        const xr = copy(x), e = new Float64Array(N * C);
        ref.softmaxRows(e, xr, N, C);
        const bound = (i: number): number => {
          const row = Math.floor(i / C) * C;
          let m = -Infinity;
          for (let c = 0; c < C; c++) m = Math.max(m, xr[row + c]);
          let far = 0;
          for (let c = 0; c < C; c++) far = Math.max(far, m - xr[row + c]);
          if (dtype === "float64") return F64_REL * Math.max(e[i], 1e-300); // u·|x − max| ≤ 2.2e-13 even at spread 1000
          // below 2⁻¹²⁶ float32 is subnormal: absolute precision 2⁻¹⁴⁹, allow a few of those
          return 1.01 * (2 * u * far + 5 * u + gamma(C - 1, u)) * e[i] + 8 * 2 ** -149;
        };
        expectWithin(`softmax ${N}×${C} spread ${spread}`, copy(y).subarray(0, N * C), e, bound);
      }
    }
  });

  it("cross-entropy, one-hot and labels, and SoftmaxWithLoss backward", () => {
    for (const [N, C] of SHAPES) {
      const rand = testRng(N * 31 + C);
      const x = floats(uniformArray(rand, N * C, -5, 5), dtype);
      const y = outBuffer(N * C, dtype);
      k().softmaxRows(y.ptr, x.ptr, N, C);
      const labelValues = Array.from({ length: N }, () => Math.floor(rand() * C));
      const labels = int32s(labelValues);
      const tValues = new Float64Array(N * C);
      labelValues.forEach((l, n) => { tValues[n * C + l] = 1; });
      const t = floats(tValues, dtype);
      const yv = copy(y).subarray(0, N * C);

      // loss: one term per row (the one-hot 1), bound summed over the rows and divided by N
      let termBound = 0;
      for (let n = 0; n < N; n++) termBound += 2 * u + 3 * u * Math.abs(Math.log(yv[n * C + labelValues[n]] + 1e-7));
      const eLoss = ref.crossEntropyLabels(yv, labelValues, N, C);
      const lossBound = dtype === "float64" ? F64_REL * Math.max(Math.abs(eLoss), 1e-300) : termBound / N + 1e-15;
      expect(Math.abs(k().crossEntropyLabels(y.ptr, labels.ptr, N, C) - eLoss), `CE labels ${N}×${C}`).toBeLessThanOrEqual(lossBound);
      expect(Math.abs(k().crossEntropyOneHot(y.ptr, t.ptr, N, C) - ref.crossEntropyOneHot(yv, tValues, N, C)), `CE one-hot ${N}×${C}`)
        .toBeLessThanOrEqual(lossBound);

      const dx = outBuffer(N * C, dtype), dxL = outBuffer(N * C, dtype);
      k().softmaxLossBackwardOneHot(dx.ptr, y.ptr, t.ptr, N, C);
      k().softmaxLossBackwardLabels(dxL.ptr, y.ptr, labels.ptr, N, C);
      const e = new Float64Array(N * C), eL = new Float64Array(N * C);
      ref.softmaxLossBackwardOneHot(e, yv, tValues, N, C);
      ref.softmaxLossBackwardLabels(eL, yv, labelValues, N, C);
      const f = dtype === "float64" ? F64_REL : gamma(2, u);
      expectWithin(`softmax-loss backward one-hot ${N}×${C}`, copy(dx).subarray(0, N * C), e, (i) => f * Math.abs(e[i]));
      expectWithin(`softmax-loss backward labels ${N}×${C}`, copy(dxL).subarray(0, N * C), eL, (i) => f * Math.abs(eL[i]));
      // the two target forms are the same formula: same bits
      expect(Array.from(copy(dx).subarray(0, N * C))).toEqual(Array.from(copy(dxL).subarray(0, N * C)));
    }
  });

  it("argmax and count-correct are exact, ties go to the first maximum", () => {
    for (const [N, C] of SHAPES) {
      const rand = testRng(N + 77 * C);
      // values from {0, 1, 2, 3}: many ties, which is where argmax implementations differ
      const ys = Float64Array.from({ length: N * C }, () => Math.floor(rand() * 4));
      const y = floats(ys, dtype);
      const out = int32s(new Array(N).fill(-1));
      k().argmaxRows(out.ptr, y.ptr, N, C);
      const e = new Int32Array(N);
      ref.argmaxRows(e, ys, N, C);
      expect(Array.from(out.view()), `argmax ${N}×${C}`).toEqual(Array.from(e));
      const labelValues = Array.from({ length: N }, () => Math.floor(rand() * C));
      const labels = int32s(labelValues);
      expect(k().countCorrect(y.ptr, labels.ptr, N, C), `countCorrect ${N}×${C}`).toBe(ref.countCorrect(ys, labelValues, N, C));
    }
  });
});
