// The book's common/util.py smooth_curve: a loss curve smoothed with an 11-point Kaiser
// window (β = 2), the ends mirrored so the output has the input's length. Used by the
// chapter 6 comparison figures. Only + × ÷ and √ (IEEE-exact), so every engine gives the same bits.
import { fail } from "../shape.js";
import { describeValue, isDetached, isNumberList } from "../check.js";

const WINDOW_LEN = 11;
const BETA = 2;

/** Modified Bessel function of the first kind, order 0, by its power series (numpy's i0 to ~1 ulp for small x). */
function besselI0(x: number): number {
  const q = (x * x) / 4;
  let term = 1, sum = 1;
  for (let k = 1; k < 60 && term > sum * 1e-17; k++) {
    term *= q / (k * k);
    sum += term;
  }
  return sum;
}

/** np.kaiser(len, beta). */
export function kaiserWindow(len: number, beta: number): Float64Array {
  if (typeof len !== "number" || !Number.isInteger(len) || len < 1 || len > 1_000_000) fail("kaiserWindow", `len must be an integer in [1, 10^6], got ${describeValue(len)}`);
  if (typeof beta !== "number" || !Number.isFinite(beta) || beta < 0 || beta > 700) fail("kaiserWindow", `beta must be a finite number in [0, 700], got ${describeValue(beta)}`);
  if (len === 1) return Float64Array.of(1); // np.kaiser(1, beta)
  const w = new Float64Array(len);
  const alpha = (len - 1) / 2;
  for (let n = 0; n < len; n++) {
    const r = (n - alpha) / alpha;
    w[n] = besselI0(beta * Math.sqrt(1 - r * r)) / besselI0(beta);
  }
  return w;
}

/** smooth_curve(x): same length as x (at least 11 points). */
export function smoothCurve(x: ArrayLike<number>): Float64Array {
  if (!isNumberList(x) || (ArrayBuffer.isView(x) && isDetached(x))) fail("smoothCurve", `x must be an array of numbers, got ${describeValue(x)}`);
  const n = x.length;
  if (n < WINDOW_LEN) fail("smoothCurve", `needs at least ${WINDOW_LEN} points, got ${n}`);
  // s = np.r_[x[10:0:-1], x, x[-1:-11:-1]]
  const s = new Float64Array(n + 2 * (WINDOW_LEN - 1));
  for (let i = 0; i < WINDOW_LEN - 1; i++) s[i] = x[WINDOW_LEN - 1 - i];
  for (let i = 0; i < n; i++) s[WINDOW_LEN - 1 + i] = x[i];
  for (let i = 0; i < WINDOW_LEN - 1; i++) s[WINDOW_LEN - 1 + n + i] = x[n - 1 - i];
  const w = kaiserWindow(WINDOW_LEN, BETA);
  let total = 0;
  for (const v of w) total += v;
  // y = np.convolve(w / w.sum(), s, 'valid'), then y[5:len(y)-5]; the window is symmetric
  const out = new Float64Array(n);
  const half = (WINDOW_LEN - 1) / 2;
  for (let i = 0; i < n; i++) {
    let acc = 0;
    for (let k = 0; k < WINDOW_LEN; k++) acc += (w[k] / total) * s[i + half + k];
    out[i] = acc;
  }
  return out;
}
