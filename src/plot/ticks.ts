// "Nice" axis ticks (1, 2, 2.5, 5 × 10^k, like matplotlib's MaxNLocator), computed with exact
// arithmetic only: powers of ten by repeated ×10 (and one correctly rounded division), never
// Math.log10/Math.pow, whose last bits may differ between engines — the SVG must be the same
// bytes everywhere.

export interface Ticks {
  values: number[];
  labels: string[];
  step: number;
}

/** Smallest nice step giving at most `maxIntervals` intervals over [min, max]. */
export function niceTicks(min: number, max: number, maxIntervals: number, integer = false): Ticks {
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
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  const values: number[] = [];
  const labels: string[] = [];
  for (let i = first; i <= last; i++) {
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
  const s = v.toFixed(decimals);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s; // no "-0.0"
}
