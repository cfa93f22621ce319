// The book's im2col / col2im functions (src/layers/im2col.ts, book layout, new tensors) against
// the reference (src/reference/im2col.ts), and their shape errors.
import { describe, expect, it } from "vitest";
import { im2col as im2colT, col2im as col2imT, Tensor } from "../../../src/index.node.js";
import * as ref from "../../../src/reference/index.js";
import { CONV_CASES } from "../../helpers/conv.js";
import { expectWithin, testRng, uniformArray } from "../../helpers/wasm.js";

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
