// What every figure shares: matplotlib's default look (the tab10 colours, 12 px text, ticks
// 3.5 px long, lines 1.5 px wide), and exact number/text formatting so a figure is the same
// bytes for the same input on every engine.

export const TAB10 = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
export const FONT_SIZE = 12;
export const TICK = 3.5;
export const LINE_WIDTH = 1.5;
/** matplotlib's '--' (3.7, 1.6) × line width 1.5. */
export const DASH = "5.55,2.4";
export const FONT_FAMILY = "DejaVu Sans, Helvetica, Arial, sans-serif";

/** A coordinate rounded to 0.01 px (Math.round is exact, so this is engine-independent). */
export function n(v: number): string {
  const r = Math.round(v * 100) / 100;
  return Object.is(r, -0) ? "0" : String(r);
}

/** Text and attribute values, XML-escaped. */
export function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** The opening tag of a standalone figure and its white background. */
export function svgOpen(width: number, height: number, label: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(label)}" font-family="${FONT_FAMILY}" font-size="${FONT_SIZE}">\n`
    + `<rect width="${width}" height="${height}" fill="#ffffff"/>`;
}

/**
 * Approximate width of `text` in px at `fontSize`, from DejaVu Sans's advance widths by glyph
 * class (there is no DOM to measure with, and the same bytes are wanted everywhere): wide
 * letters such as m, M, W count 0.9–1 em, narrow ones such as i, l, t, r 0.3–0.4 em.
 */
export function textWidth(text: string, fontSize = FONT_SIZE): number {
  let em = 0;
  for (const c of text) {
    if ("mwMW".includes(c)) em += 0.95;
    else if ("iljI.,:;'|!".includes(c)) em += 0.3;
    else if ("tfr ()[]-".includes(c)) em += 0.4;
    else if (c >= "A" && c <= "Z") em += 0.72;
    else em += 0.62;
  }
  return em * fontSize;
}

/** [min, max] over all finite values, or null if there is none. */
export function extent(columns: { length: number; at: (i: number) => number }[]): [number, number] | null {
  let lo = Infinity, hi = -Infinity;
  for (const c of columns) {
    for (let i = 0; i < c.length; i++) {
      const v = c.at(i);
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo <= hi ? [lo, hi] : null;
}

/** The union of ranges (nulls skipped), or null. */
export function union(ranges: readonly ([number, number] | null)[]): [number, number] | null {
  let lo = Infinity, hi = -Infinity;
  for (const r of ranges) if (r) { lo = Math.min(lo, r[0]); hi = Math.max(hi, r[1]); }
  return lo <= hi ? [lo, hi] : null;
}

/** matplotlib's 5 % margins; a flat or empty range is widened so the axis has a length. */
export function padded(range: [number, number] | null): [number, number] {
  if (!range) return [0, 1];
  const [lo, hi] = range;
  if (lo === hi) {
    const half = lo === 0 ? 0.5 : Math.abs(lo) * 0.1;
    return [lo - half, hi + half];
  }
  const m = (hi - lo) * 0.05;
  return [lo - m, hi + m];
}
