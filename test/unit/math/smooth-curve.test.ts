// smoothCurve against numpy running the book's common/util.py smooth_curve (values printed by
// numpy 2.4 for the input below: x[i] = ((37·i) mod 23) / 7, i < 15).
import { describe, expect, it } from "vitest";
import { kaiserWindow, smoothCurve } from "../../../src/math/smooth-curve.js";

const NUMPY_KAISER_11_2 = [0.4386762798370488, 0.6113943543616491, 0.7676749968275236, 0.8921614338542881, 0.9723298008693713, 1.0, 0.9723298008693713, 0.8921614338542881, 0.7676749968275236, 0.6113943543616491, 0.4386762798370488];
const NUMPY_SMOOTHED = [1.339401801452978, 1.4177801774134382, 1.3785926969888442, 1.3949692845218966, 1.4660322671061468, 1.416985521499645, 1.5207420823630349, 1.4792579176369651, 1.583014478500355, 1.5714285714285714, 1.627272173719281, 1.7875461283720666, 1.774391331973783, 1.8600564933498829, 1.7665156886853146];

describe("smoothCurve (the book's smooth_curve)", () => {
  it("np.kaiser(11, 2)", () => {
    const w = kaiserWindow(11, 2);
    w.forEach((v, i) => expect(Math.abs(v - NUMPY_KAISER_11_2[i])).toBeLessThan(1e-15));
  });

  it("matches numpy on 15 points, ends included", () => {
    const x = Array.from({ length: 15 }, (_, i) => ((37 * i) % 23) / 7);
    const y = smoothCurve(x);
    expect(y.length).toBe(15);
    y.forEach((v, i) => expect(Math.abs(v - NUMPY_SMOOTHED[i])).toBeLessThan(1e-13));
  });

  it("needs 11 points", () => {
    expect(() => smoothCurve([1, 2, 3])).toThrow(/smoothCurve: needs at least 11 points, got 3/);
  });
});
