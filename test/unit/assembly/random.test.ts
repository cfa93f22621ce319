// The random generator (assembly/random.ts) against an independent BigInt xoshiro256**
// (src/reference/random.ts): integer and uniform outputs and the dropout masks bit for bit,
// normals (Marsaglia's polar method, in wasm) to 1e-12 relative in float64 and one float32
// rounding in float32.
import { describe, expect, it } from "vitest";
import { getCore } from "../../../src/internal.js";
import * as ref from "../../../src/reference/index.js";
import { DTYPES, F64_REL, UNIT_ROUNDOFF, copy, expectWithin, int32s, outBuffer } from "../../helpers/wasm.js";

describe.each(DTYPES)("random kernels (%s)", (dtype) => {
  const k = () => getCore().kernels(dtype);

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
