// Every wasm kernel, in both dtypes, against the plain-TypeScript float64 reference (src/reference).
//
// Inputs are seeded random values rounded to the kernel's dtype first, so kernel and reference
// see the same numbers; the reference then computes in float64 and only the kernel's own
// arithmetic is being measured.
//
// Tolerances (u = unit roundoff: 2⁻²⁴ float32, 2⁻⁵³ float64; γ_n = n·u/(1 − n·u)):
//  - float64: |ŷ − y| ≤ 1e-12 · scale, where scale is the magnitude the rounding error is
//    proportional to (Σ|a_k·b_k| for a dot product, |y| for an elementwise result, …). The real
//    float64 error is ~1e-13 at K = 784, so 1e-12 still fails on any wrong formula.
//  - float32, dot products (all three gemm layouts): a length-K dot product plus a bias is K+1
//    rounded operations in some order; for ANY order (the lane-split and tiled paths reorder
//    the sums) the error is ≤ γ_{K+1} · (Σ_k |a_k b_k| + |bias|). The float64 reference's own
//    error (γ_K with u = 2⁻⁵³) is added, it is 2⁻²⁹ times smaller.
//  - float32 softmax: x − max rounds with error ≤ u·|x − max|, which exp turns into a relative
//    error ≤ u·|x − max|; Mathf.exp adds ≤ 1 ulp (≤ 2u relative); the row sum of C such terms
//    adds γ_{C−1}; the division adds u. y = e/s carries the numerator's and the sum's errors,
//    so |ŷ − y| ≤ (2·u·max|x − max| + 4u + γ_{C−1} + u)·y, and we allow 1% on top for
//    second-order terms.
//  - float32 cross-entropy, per term t·log(y + δ): δ = 1e-7 rounded to float32 (≤ u relative)
//    and the addition (≤ u) perturb the log's argument by ≤ 2u relative, i.e. ≤ 2u absolute
//    after the log; logf adds ≤ 1 ulp (2u·|log|), the product with t one more u·|t·log|.
//    The batch mean is accumulated in float64 (negligible). Bound: (1/N)·Σ|t|·(2u + 3u·|log(y + δ)|).
//  - float32 sigmoid 1/(1 + e^{−x}): exp ≤ 2u, the addition u, the division u → γ_4·y.
//    sigmoid backward dout·(1 − y)·y: three roundings → γ_3·|result|.
//    SoftmaxWithLoss backward (y − t)/N: two roundings → γ_2·|y − t|/N.
//    column sum over R rows: γ_{R−1}·Σ|dout|.
//    SGD p − lr·g: lr itself is passed as float32 (one rounding), then a product and a
//    difference → γ_3·(|p| + |lr·g|).
//  - exact (bit for bit, both dtypes): ReLU forward/backward, argmax, count-correct, the uint8
//    gather (v/255 is one correctly rounded division; float64 → float32 double rounding of a
//    quotient is innocuous because 53 ≥ 2·24 + 2), one-hot rows, first-non-finite, and the
//    random generator's integer and uniform outputs against a BigInt xoshiro256**.
import { describe, expect, it } from "vitest";
import { type DType } from "../src/index.node.js";
import { getCore } from "../src/internal.js";
import * as ref from "../src/reference/index.js";
import {
  UNIT_ROUNDOFF, floats, gamma, int32s, outBuffer, testRng, uint8s, uniformArray, worstRatio,
} from "./helpers/wasm.js";
import { mnistRows } from "./helpers/mnist.js";

const DTYPES: DType[] = ["float32", "float64"];
const F64_REL = 1e-12;

/** Sizes chosen to hit every path of assembly/gemm/tiles.ts and abt.ts:
 *  gemmAB  rows: 4-row tiles + M%4 tail rows (4-vector, 1-vector, partial-vector passes);
 *          columns: 2-vector tiles (8 f32 / 4 f64), 1-vector
 *          tiles (4 / 2), scalar tail; gemmABt rows: 4-row tiles + tail, column pairs + odd
 *          column, K: vector body (4 / 2 lanes) + K%lanes tail. */
const M_SIZES = [1, 3, 4, 5, 8, 17];
const N_SIZES = [1, 2, 3, 4, 5, 7, 8, 9, 12, 17, 33];
const K_SIZES = [1, 2, 3, 4, 5, 17];

function copy(t: { data: ArrayLike<number> }): Float64Array {
  return Float64Array.from(t.data);
}

function expectWithin(label: string, actual: ArrayLike<number>, expected: ArrayLike<number>, bound: (i: number) => number): void {
  const w = worstRatio(actual, expected, bound);
  expect(w.ratio, `${label}: element ${w.at} is ${w.actual}, reference ${w.expected} (error/bound = ${w.ratio})`).toBeLessThanOrEqual(1);
}

/** Σ_k |a(i,k)·b(k,j)| for each output of A·B, with A read through (sai, sak) strides. */
function absDotScale(A: Float64Array, B: Float64Array, M: number, N: number, K: number, sai: number, sak: number): Float64Array {
  const out = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += Math.abs(A[i * sai + k * sak] * B[k * N + j]);
      out[i * N + j] = s;
    }
  }
  return out;
}

function dotBound(dtype: DType, K: number, scale: Float64Array, bias: Float64Array | null, N: number): (i: number) => number {
  const terms = bias ? K + 1 : K;
  return (i) => {
    const s = scale[i] + (bias ? Math.abs(bias[i % N]) : 0);
    if (dtype === "float64") return F64_REL * s;
    return (gamma(terms, UNIT_ROUNDOFF.float32) + gamma(terms, UNIT_ROUNDOFF.float64)) * s;
  };
}

describe.each(DTYPES)("gemm kernels (%s) vs reference", (dtype) => {
  const k = () => getCore().kernels(dtype);

  function checkAB(M: number, N: number, K: number, withBias: boolean, seed: number): void {
    const rand = testRng(seed);
    const A = floats(uniformArray(rand, M * K), dtype);
    const B = floats(uniformArray(rand, K * N), dtype);
    const bias = withBias ? floats(uniformArray(rand, N), dtype) : null;
    const C = outBuffer(M * N, dtype);
    k().gemmAB(C.ptr, A.ptr, B.ptr, bias ? bias.ptr : 0, M, N, K, K, 1);
    const a = copy(A), b = copy(B), bb = bias ? copy(bias) : null;
    const expected = new Float64Array(M * N);
    ref.gemmAB(expected, a, b, bb, M, N, K);
    expectWithin(`gemmAB ${M}×${K}·${K}×${N}${withBias ? "+bias" : ""}`, copy(C).subarray(0, M * N), expected,
      dotBound(dtype, K, absDotScale(a, b, M, N, K, K, 1), bb, N));
  }

  function checkAtB(M: number, N: number, K: number, seed: number): void {
    const rand = testRng(seed);
    const A = floats(uniformArray(rand, K * M), dtype); // stored [K×M], used transposed
    const B = floats(uniformArray(rand, K * N), dtype);
    const C = outBuffer(M * N, dtype);
    k().gemmAB(C.ptr, A.ptr, B.ptr, 0, M, N, K, 1, M);
    const a = copy(A), b = copy(B);
    const expected = new Float64Array(M * N);
    ref.gemmAtB(expected, a, b, M, N, K);
    expectWithin(`gemmAB transposed-A ${K}×${M}ᵀ·${K}×${N}`, copy(C).subarray(0, M * N), expected,
      dotBound(dtype, K, absDotScale(a, b, M, N, K, 1, M), null, N));
  }

  function checkABt(M: number, N: number, K: number, seed: number): void {
    const rand = testRng(seed);
    const A = floats(uniformArray(rand, M * K), dtype);
    const B = floats(uniformArray(rand, N * K), dtype); // stored [N×K]
    const C = outBuffer(M * N, dtype);
    k().gemmABt(C.ptr, A.ptr, B.ptr, M, N, K);
    const a = copy(A), b = copy(B);
    const expected = new Float64Array(M * N);
    ref.gemmABt(expected, a, b, M, N, K);
    // Σ|a_ik b_jk|: B's row j is column j of Bᵀ, so transpose it into a [K×N] scale input
    const bt = new Float64Array(K * N);
    for (let j = 0; j < N; j++) for (let kk = 0; kk < K; kk++) bt[kk * N + j] = b[j * K + kk];
    expectWithin(`gemmABt ${M}×${K}·(${N}×${K})ᵀ`, copy(C).subarray(0, M * N), expected,
      dotBound(dtype, K, absDotScale(a, bt, M, N, K, K, 1), null, N));
  }

  it("A·B (+bias) on every tile/tail combination", () => {
    let seed = 1;
    for (const M of M_SIZES) for (const N of N_SIZES) for (const K of K_SIZES) {
      checkAB(M, N, K, false, seed++);
      checkAB(M, N, K, true, seed++);
    }
  });

  it("Aᵀ·B on every tile/tail combination", () => {
    let seed = 1000;
    for (const M of M_SIZES) for (const N of N_SIZES) for (const K of K_SIZES) checkAtB(M, N, K, seed++);
  });

  it("A·Bᵀ on every tile/tail combination", () => {
    let seed = 2000;
    for (const M of M_SIZES) for (const N of N_SIZES) for (const K of K_SIZES) checkABt(M, N, K, seed++);
  });

  // gemmAB skips k-steps whose A values are all ±0 when B is finite (exact: they add ±0) and
  // packs B into panels. Uniform random A never triggers that, so: real MNIST digits (mostly
  // background zeros) and synthetic A with ~85% zeros and some −0, in both A layouts; and a
  // non-finite B, where 0·∞ = NaN must still reach C (skipping would hide it).
  it("sparse A (real MNIST digits, ±0 blocks) and non-finite B, both A layouts", () => {
    const { x } = mnistRows(0, 100);
    const rand = testRng(99);
    const sparse = (n: number) => uniformArray(rand, n).map((v) => (rand() < 0.85 ? (rand() < 0.3 ? -0 : 0) : v));
    const cases: [string, Float64Array, number, number, number][] = [
      ["MNIST x·W", x, 100, 50, 784],
      ["sparse 17×33", sparse(17 * 33), 17, 9, 33],
      ["sparse 8×40", sparse(8 * 40), 8, 17, 40],
    ];
    for (const [label, aValues, M, N, K] of cases) {
      for (const poison of [false, true]) {
        const bValues = uniformArray(rand, K * N);
        const A = floats(aValues, dtype), B = floats(bValues, dtype), bias = floats(uniformArray(rand, N), dtype);
        // written past Tensor.from's finiteness check; A has zero steps at k = 0 and k = K−1
        if (poison) { B.data[0] = Infinity; B.data[(K - 1) * N + N - 1] = NaN; }
        const a = copy(A), b = copy(B), bb = copy(bias);
        // A·B + bias, A row-major [M×K]
        const C = outBuffer(M * N, dtype);
        k().gemmAB(C.ptr, A.ptr, B.ptr, bias.ptr, M, N, K, K, 1);
        const e = new Float64Array(M * N);
        ref.gemmAB(e, a, b, bb, M, N, K);
        if (poison) expect(Number.isNaN(e[0]), "the poisoned case must make NaN in the reference").toBe(true);
        expectWithin(`${label} A·B+bias${poison ? " non-finite B" : ""}`, copy(C).subarray(0, M * N), e,
          dotBound(dtype, K, absDotScale(a, b, M, N, K, K, 1), bb, N));
        // Aᵀ·B with the same values read as A stored [K×M]: dW = xᵀ·dout, x sparse
        const At = new Float64Array(K * M);
        for (let i = 0; i < M; i++) for (let kk = 0; kk < K; kk++) At[kk * M + i] = a[i * K + kk];
        const ATt = floats(At, dtype);
        const Ct = outBuffer(M * N, dtype);
        k().gemmAB(Ct.ptr, ATt.ptr, B.ptr, 0, M, N, K, 1, M);
        const et = new Float64Array(M * N);
        ref.gemmAtB(et, At, b, M, N, K);
        expectWithin(`${label} (Aᵀ)ᵀ·B${poison ? " non-finite B" : ""}`, copy(Ct).subarray(0, M * N), et,
          dotBound(dtype, K, absDotScale(At, b, M, N, K, 1, M), null, N));
      }
    }
  });

  it("the Affine shapes of a 784-50-10 net at batch 100", () => {
    checkAB(100, 50, 784, true, 7); // x·W1 + b1
    checkAtB(784, 50, 100, 8); // dW1 = xᵀ·dout
    checkABt(100, 784, 50, 9); // dx = dout·W1ᵀ
    checkAB(100, 10, 50, true, 10); // x·W2 + b2
    checkAtB(50, 10, 100, 11);
    checkABt(100, 50, 10, 12);
  });
});

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

  it("SGD update p −= lr·g (γ_3·(|p| + |lr·g|))", () => {
    for (const n of LENGTHS) {
      const rand = testRng(200 + n);
      const p = floats(uniformArray(rand, n), dtype), g = floats(uniformArray(rand, n), dtype);
      const p0 = copy(p), lr = 0.1;
      k().sgdUpdate(p.ptr, g.ptr, lr, n);
      const e = Float64Array.from(p0);
      ref.sgdUpdate(e, copy(g), lr, n);
      const gs = copy(g);
      const f = dtype === "float64" ? F64_REL : gamma(3, u);
      expectWithin(`sgdUpdate n=${n}`, copy(p), e, (i) => f * (Math.abs(p0[i]) + Math.abs(lr * gs[i])));
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

describe.each(DTYPES)("data and random kernels (%s)", (dtype) => {
  const k = () => getCore().kernels(dtype);

  it("uint8 batch gather (normalised and raw) is exact", () => {
    for (const rowLen of [1, 7, 8, 9, 17, 784]) {
      const rows = 13, batch = 5;
      const rand = testRng(rowLen);
      const pixels = Uint8Array.from({ length: rows * rowLen }, () => Math.floor(rand() * 256));
      pixels[0] = 255; pixels[1 % pixels.length] = 0;
      const src = uint8s(pixels);
      const idxValues = [12, 0, 5, 5, 3];
      const idx = int32s(idxValues);
      for (const normalize of [true, false]) {
        const out = outBuffer(batch * rowLen, dtype);
        k().gatherRowsU8(out.ptr, src.ptr, idx.ptr, batch, rowLen, normalize ? 1 : 0);
        const e = dtype === "float32" ? new Float32Array(batch * rowLen) : new Float64Array(batch * rowLen);
        ref.gatherRowsU8(e, pixels, idxValues, batch, rowLen, normalize);
        expect(Array.from(copy(out).subarray(0, batch * rowLen)), `gather rowLen=${rowLen} normalize=${normalize}`).toEqual(Array.from(e));
      }
    }
  });

  it("uint8 gather normalises every byte value 0..255 exactly (vector body and tail)", () => {
    const rowLen = 257; // 32 vector steps of 8 + a scalar tail of 1
    const pixels = Uint8Array.from({ length: 2 * rowLen }, (_, i) => i % 256);
    const src = uint8s(pixels), idx = int32s([1, 0]);
    const out = outBuffer(2 * rowLen, dtype);
    k().gatherRowsU8(out.ptr, src.ptr, idx.ptr, 2, rowLen, 1);
    const e = dtype === "float32" ? new Float32Array(2 * rowLen) : new Float64Array(2 * rowLen);
    ref.gatherRowsU8(e, pixels, [1, 0], 2, rowLen, true);
    expect(Array.from(copy(out).subarray(0, 2 * rowLen))).toEqual(Array.from(e));
  });

  it("one-hot rows and label gather are exact", () => {
    const labelValues = [3, 0, 9, 9, 1];
    const labels = int32s(labelValues);
    const out = outBuffer(5 * 10, dtype);
    k().oneHotRows(out.ptr, labels.ptr, 5, 10);
    const e = new Float64Array(50);
    labelValues.forEach((l, n) => { e[n * 10 + l] = 1; });
    expect(Array.from(copy(out))).toEqual(Array.from(e));

    const src = uint8s([4, 8, 15, 16, 23, 42]);
    const idx = int32s([5, 0, 2]);
    const got = int32s([0, 0, 0]);
    getCore().exports.gatherLabelsU8(got.ptr, src.ptr, idx.ptr, 3);
    expect(Array.from(got.view())).toEqual([42, 4, 15]);
  });

  it("the generator matches a BigInt xoshiro256**: uniform and choice bit-exact, normal to 1e-12", () => {
    const core = getCore();
    const state = int32s(new Array(8).fill(0)); // 32 bytes
    const seed = 2 ** 40 + 12345; // exercises the high word of the seed
    core.exports.rngSeed(state.ptr, seed % 2 ** 32, Math.floor(seed / 2 ** 32));
    const r = new ref.ReferenceRng(seed);
    for (let i = 0; i < 100; i++) expect(core.exports.rngUniform(state.ptr)).toBe(r.uniform());
    const choice = int32s(new Array(1000).fill(-1));
    core.exports.fillChoice(choice.ptr, 1000, 60000, state.ptr);
    expect(Array.from(choice.view())).toEqual(Array.from({ length: 1000 }, () => r.below(60000)));

    const normals = outBuffer(1000, dtype);
    k().fillNormal(normals.ptr, 1000, 0.01, state.ptr);
    // the wasm value is <T>(std · normal): one float64 product, then the dtype rounding
    const e = Array.from({ length: 1000 }, () => 0.01 * r.normal());
    const f = dtype === "float64" ? F64_REL : 1.01 * UNIT_ROUNDOFF.float32;
    expectWithin("fillNormal", copy(normals), e, (i) => f * Math.abs(e[i]));

    const mask = outBuffer(1000, dtype);
    k().fillBernoulliMask(mask.ptr, 1000, 0.3, state.ptr);
    expect(Array.from(copy(mask))).toEqual(Array.from({ length: 1000 }, () => (r.uniform() > 0.3 ? 1 : 0)));
  });
});
