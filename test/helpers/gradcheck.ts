// Gradient-check helpers shared by the layer tests: the numerical gradient's step, the mean
// absolute difference they bound, and the scalar loss Σ out ⊙ R whose gradient is R.
import { expect } from "vitest";
import type { Tensor } from "../../src/index.node.js";

/** numericalGradient's h (src/math/gradient.ts). */
export const H_STEP = 1e-4;

/** mean |a − b| (the lengths must agree). */
export function meanAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / a.length;
}

/** Σ out ⊙ R, the scalar the numerical gradient differentiates. */
export function dotWith(out: Tensor, R: Float64Array): number {
  const d = out.data;
  let s = 0;
  for (let i = 0; i < R.length; i++) s += d[i] * R[i];
  return s;
}
