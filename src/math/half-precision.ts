// Half precision inference (§8.3.4, the book's ch08/half_float_network.py): round every weight
// to the nearest IEEE 754 binary16 value and keep computing in float32/float64, to see how much
// accuracy 16-bit storage costs. The rounding is numpy's astype(float16), bit for bit: round to
// nearest, ties to even, straight from the float64 value (no double rounding through float32),
// subnormals below 2^-14, ±Infinity from 65520 up (the halfway point past 65504), NaN kept.
import { Tensor } from "../tensor.js";
import { fail } from "../shape.js";

const scratch = new DataView(new ArrayBuffer(8));
/** POW2[k + 64] = 2^k exactly, for |k| ≤ 64 (built by doubling/halving, never Math.pow). */
const POW2 = (() => {
  const t = new Float64Array(129);
  t[64] = 1;
  for (let k = 1; k <= 64; k++) { t[64 + k] = t[63 + k] * 2; t[64 - k] = t[65 - k] / 2; }
  return t;
})();

/** v rounded to an integer, ties to even (v ≥ 0; the subtraction v − ⌊v⌋ is exact). */
function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  return d > 0.5 || (d === 0.5 && f % 2 === 1) ? f + 1 : f;
}

/** The binary16 bits (0 … 0xffff) of the float16 nearest to x, as numpy's np.float16(x). */
export function float16Bits(x: number): number {
  scratch.setFloat64(0, x);
  const hi = scratch.getUint32(0);
  const sign = (hi >>> 16) & 0x8000;
  if (Number.isNaN(x)) {
    // numpy keeps the top mantissa bits of a NaN, and never lets it become Infinity
    const payload = ((hi & 0xfffff) >>> 10) & 0x3ff;
    return sign | 0x7c00 | (payload === 0 ? 1 : payload);
  }
  const a = Math.abs(x);
  if (a >= 65520) return sign | 0x7c00; // ≥ halfway between 65504 and 2^16: Infinity (ties go to the even 2^16)
  if (a < POW2[64 - 14]) return sign | roundHalfEven(a * POW2[64 + 24]); // subnormal: multiples of 2^-24 (1024 = the smallest normal, bits 0x0400)
  const e = ((hi >>> 20) & 0x7ff) - 1023; // −14 … 15 here
  let m = roundHalfEven(a * POW2[64 + 10 - e]); // 1024 … 2048
  let exp = e + 15;
  if (m === 2048) { m = 1024; exp++; } // rounding carried into the next binade (never past 15: a < 65520)
  return sign | (exp << 10) | (m - 1024);
}

/** The value of binary16 bits. */
export function float16ToNumber(bits: number): number {
  if (!Number.isInteger(bits) || bits < 0 || bits > 0xffff) fail("float16ToNumber", `bits must be an integer in 0 … 0xffff, got ${String(bits)}`);
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * POW2[64 - 24];
  if (exp === 31) return mant === 0 ? sign * Infinity : NaN;
  return sign * (1024 + mant) * POW2[64 + exp - 25];
}

/** x rounded to float16 and back: np.float64(np.float16(x)). */
export function roundToFloat16(x: number): number {
  return float16ToNumber(float16Bits(x));
}

/** What toHalfPrecision rounds: a Tensor, or a net's `params`. */
export type HalfPrecisionTarget = Tensor | { readonly params: Readonly<Record<string, Tensor>> };

/**
 * Round in place to float16 values, as half_float_network.py's `param[...] = param.astype(np.float16)`:
 * a Tensor's elements, or every parameter of a net (its `params`: W1, b1, …). The dtype stays
 * float32/float64, so the net keeps computing as before, only with 16-bit weights. Returns the target.
 */
export function toHalfPrecision<T extends HalfPrecisionTarget>(target: T): T {
  const tensors = target instanceof Tensor ? [target] : Object.values((target as { params?: Record<string, Tensor> }).params ?? {});
  if (tensors.length === 0 || !tensors.every((t) => t instanceof Tensor)) {
    fail("toHalfPrecision", "expected a Tensor or a net with params (W1, b1, …)");
  }
  for (const t of tensors) {
    const d = t.data;
    for (let i = 0; i < d.length; i++) d[i] = roundToFloat16(d[i]);
  }
  return target;
}
