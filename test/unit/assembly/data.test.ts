// The minibatch kernels (assembly/data.ts: the uint8 gather, one-hot rows, the label gather)
// in both dtypes against the reference (src/reference/data.ts). All exact, bit for bit: v/255
// is one correctly rounded division in the reference (float64 → float32 double rounding of a
// quotient is innocuous because 53 ≥ 2·24 + 2); the float32 kernel computes it as two products
// and a sum (assembly/gather.ts), so every byte value is checked, in the vector body and alone.
import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/internal.js";
import * as ref from "../../../src/reference/index.js";
import { DTYPES, copy, int32s, outBuffer, testRng, uint8s } from "../../helpers/wasm.js";

describe.each(DTYPES)("data kernels (%s)", (dtype) => {
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

  it("uint8 gather normalises every byte value 0..255 exactly (vector body, tail, scalar loop alone)", () => {
    const rowLen = 257; // 32 vector steps of 8 + a scalar tail of 1
    const pixels = Uint8Array.from({ length: 2 * rowLen }, (_, i) => i % 256);
    const src = uint8s(pixels), idx = int32s([1, 0]);
    const out = outBuffer(2 * rowLen, dtype);
    k().gatherRowsU8(out.ptr, src.ptr, idx.ptr, 2, rowLen, 1);
    const e = dtype === "float32" ? new Float32Array(2 * rowLen) : new Float64Array(2 * rowLen);
    ref.gatherRowsU8(e, pixels, [1, 0], 2, rowLen, true);
    expect(Array.from(copy(out).subarray(0, 2 * rowLen))).toEqual(Array.from(e));
    // rows of one byte: every value through the scalar loop
    const bytes = Uint8Array.from({ length: 256 }, (_, v) => v);
    const order = Array.from({ length: 256 }, (_, i) => 255 - i);
    const single = outBuffer(256, dtype);
    k().gatherRowsU8(single.ptr, uint8s(bytes).ptr, int32s(order).ptr, 256, 1, 1);
    const want = order.map((v) => (dtype === "float32" ? Math.fround(v / 255) : v / 255));
    expect(Array.from(copy(single).subarray(0, 256))).toEqual(want);
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
});
