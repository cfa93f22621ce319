// "Nice" axis ticks (1, 2, 2.5, 5 × 10^k, like matplotlib's MaxNLocator), computed with exact
// arithmetic only: powers of ten by repeated ×10 (and one correctly rounded division), never
// Math.log10/Math.pow, whose last bits may differ between engines — the SVG must be the same
// bytes everywhere.
import { fail } from "../errors.js";
import { describeValue } from "../check.js";

export interface Ticks {
  values: number[];
  labels: string[];
  step: number;
}

/** Ticks an axis may ask for: more is no axis, and the work is bounded by it. */
const MAX_INTERVALS = 1000;

/** Smallest nice step giving at most `maxIntervals` intervals over [min, max]. */
export function niceTicks(min: number, max: number, maxIntervals: number, integer = false): Ticks {
  const where = "niceTicks";
  if (typeof min !== "number" || typeof max !== "number") fail(where, `min and max must be numbers, got ${describeValue(min)} and ${describeValue(max)}`);
  if (typeof maxIntervals !== "number" || !Number.isInteger(maxIntervals) || maxIntervals < 1 || maxIntervals > MAX_INTERVALS) {
    fail(where, `maxIntervals must be an integer in [1, ${MAX_INTERVALS}], got ${describeValue(maxIntervals)}`);
  }
  if (typeof integer !== "boolean") fail(where, `integer must be true or false, got ${describeValue(integer)}`);
  const span = max - min;
  if (!(span > 0) || !Number.isFinite(span)) return { values: [min], labels: [formatTick(min, 6)], step: 0 };
  const raw = span / Math.max(1, maxIntervals);
  let k = 0;
  while (pow10(k + 1) <= raw) k++;
  while (pow10(k) > raw) k--;
  let step = 0;
  let decimals = 0;
  for (const m of [1, 2, 2.5, 5, 10]) {
    if (integer && m === 2.5 && k <= 0) continue; // 2.5, 0.25 … are no integers
    const s = m === 10 ? pow10(k + 1) : m * pow10(k);
    if (s < raw || (integer && s < 1)) continue;
    step = s;
    const e = m === 10 ? k + 1 : k;
    decimals = Math.max(0, -e) + (m === 2.5 && e <= 0 ? 1 : 0);
    break;
  }
  if (step === 0 && integer) step = 1; // every nice step below 1 was refused: whole numbers
  if (!(step > 0) || !Number.isFinite(min / step) || !Number.isFinite(max / step)) {
    return { values: [min], labels: [formatTick(min, 6)], step: 0 }; // beyond float range: one tick
  }
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  const values: number[] = [];
  const labels: string[] = [];
  for (let i = first; i <= last && values.length <= 2 * maxIntervals + 2; i++) {
    const v = i * step; // index × step: no drift from repeated addition
    values.push(v);
    labels.push(formatTick(v, decimals));
  }
  return { values, labels, step };
}

/** 10^k exactly for integers in [-22, 22] (10^k for k < 0 as 1 / 10^-k, one rounding). */
function pow10(k: number): number {
  let p = 1;
  for (let i = 0; i < Math.abs(k); i++) p *= 10;
  return k >= 0 ? p : 1 / p;
}

function formatTick(v: number, decimals: number): string {
  const s = v.toFixed(Math.min(decimals, 100)); // toFixed refuses more than 100 digits
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s; // no "-0.0"
}
