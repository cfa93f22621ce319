// What a fuzz case may end in, and the float64 comparisons its successes must pass.
import { ScratchnetError } from "../../../src/index.node.js";
import { UserThrow } from "./gen.js";

/** A result that differs from the float64 reference: always a failure. */
export class Mismatch extends Error {}

export type Outcome = "ok" | "named" | "user" | "raw";

/**
 * A library refusal is a ScratchnetError, or (in the file and network layers, which keep
 * their `path: …` messages) a plain Error whose message starts with what it is about.
 * Anything else — TypeError, RangeError, WebAssembly.RuntimeError, InternalError, a stack
 * overflow — is a raw engine error reaching the user.
 */
export function classify(error: unknown): Outcome {
  if (error instanceof UserThrow) return "user";
  if (error instanceof Mismatch) return "raw";
  if (error instanceof ScratchnetError) return error.message.length < 5000 ? "named" : "raw";
  if (error instanceof Error && error.constructor === Error && /^\S[^\n]{0,500}?: \S/.test(error.message) && error.message.length < 5000 &&
      !/^(alloc|release): /.test(error.message)) {
    return "named";
  }
  return "raw";
}

/** Throws Mismatch unless `actual` equals `expected` within the dtype's tolerance (scaled by the values' size). */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, dtype: "float32" | "float64", what: string, scale = 1): void {
  if (actual.length !== expected.length) throw new Mismatch(`${what}: ${actual.length} values, reference has ${expected.length}`);
  const tol = (dtype === "float32" ? 2e-5 : 1e-11) * scale;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i], e = expected[i];
    if (Object.is(a, e)) continue;
    if (!(Math.abs(a - e) <= tol * (1 + Math.abs(e)))) throw new Mismatch(`${what}: value ${i} is ${a}, reference ${e}`);
  }
}

export function expectTrue(ok: boolean, what: string): void {
  if (!ok) throw new Mismatch(what);
}

/** Values rounded to the dtype (what a tensor of that dtype holds). */
export function rounded(values: ArrayLike<number>, dtype: "float32" | "float64"): Float64Array {
  return dtype === "float32" ? Float64Array.from(Float32Array.from(values)) : Float64Array.from(values);
}
