// Max pooling (assembly/pooling.ts) in both dtypes against the plain-TS float64 reference
// (src/reference/pooling.ts, the book's layers.py Pooling). Inputs are rounded to the kernel's
// dtype first. Forward (values and argMax) only moves numbers, so it must match bit for bit,
// and so must the 2×2 pool backward (its windows never overlap); the general backward adds up
// to FH·FW overlapping contributions per pixel (1e-12·Σ|terms| in float64, γ_n·Σ|terms| in float32).
// With the ReLU before the pool taken along (`maxima`, the forward's output), the backward must
// give reluBackward(that backward, x) bit for bit, and match the reference masked by x > 0.
import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/internal.js";
import * as ref from "../../../src/reference/index.js";
import { POOL_CASES, describeGeometry, rounded, sumBound } from "../../helpers/conv.js";
import { DTYPES, expectWithin, floats, int32s, outBuffer, testRng, uniformArray } from "../../helpers/wasm.js";

describe.each(DTYPES)("pooling kernels (%s)", (dtype) => {
  const k = () => getCore().kernels(dtype);

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
      k().maxPoolBackward(kdx.ptr, floats(doutv, dtype).ptr, kArg.ptr, 0, g.N, g.C, g.H, g.W, g.FH, g.FW, g.stride, g.pad);
      expectWithin(label, kdx.data, dx, sumBound(dtype, g.FH * g.FW, scale));
      // the ReLU before the pool taken along: the reference masked by x > 0, and reluBackward's bits
      const masked = dx.map((v, i) => (xv[i] > 0 ? v : 0));
      const maskedScale = scale.map((v, i) => (xv[i] > 0 ? v : 0));
      const mdx = outBuffer(nIn, dtype), viaRelu = outBuffer(nIn, dtype);
      k().maxPoolBackward(mdx.ptr, floats(doutv, dtype).ptr, kArg.ptr, kOut.ptr, g.N, g.C, g.H, g.W, g.FH, g.FW, g.stride, g.pad);
      k().reluBackward(viaRelu.ptr, kdx.ptr, x.ptr, nIn);
      expectWithin(`${label} with the ReLU`, mdx.data, masked, sumBound(dtype, g.FH * g.FW, maskedScale));
      expect(Array.from(mdx.data), `${label} with the ReLU: reluBackward's bits`).toEqual(Array.from(viaRelu.data));
      if (g.FH === 2 && g.FW === 2 && g.stride === 2 && g.pad === 0) {
        // 4-tap windows all ≤ 0 are common in both inputs: the mask must have stopped some gradient
        expect(masked.some((v, i) => v === 0 && dx[i] !== 0), `${label}: some gradient stopped by the ReLU`).toBe(true);
        const fdx = outBuffer(nIn, dtype); // sentinel-filled: every element must be written
        k().maxPool2x2Backward(fdx.ptr, floats(doutv, dtype).ptr, kArg.ptr, 0, g.N, g.C, g.H, g.W);
        expect(Array.from(fdx.data), `${label} 2×2 backward`).toEqual(Array.from(dx)); // windows do not overlap: no sums
        const fmdx = outBuffer(nIn, dtype);
        k().maxPool2x2Backward(fmdx.ptr, floats(doutv, dtype).ptr, kArg.ptr, kOut.ptr, g.N, g.C, g.H, g.W);
        expect(Array.from(fmdx.data), `${label} 2×2 backward with the ReLU`).toEqual(Array.from(masked));
      }
    });
  });
});
