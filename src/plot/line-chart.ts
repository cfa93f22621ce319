// A small, dependency-free SVG line chart in matplotlib's default look (640×480, tab10
// colours, boxed axes, ticks outside), enough for the book's figures. Output is a standalone
// SVG string and the same bytes for the same input on every engine (no ids from counters or
// clocks, numbers rounded to 0.01 px, ticks without Math.log10).
import { niceTicks, type Ticks } from "./ticks.js";
import { decimateM4 } from "./decimate.js";
import { checkChartOptions } from "./chart-options.js";

export interface LineSeries {
  /** Legend text. */
  label: string;
  y: ArrayLike<number>;
  /** Default 0, 1, 2 … (numpy's arange(len(y)), as the book plots). */
  x?: ArrayLike<number>;
  /** A dashed line (matplotlib's '--'). */
  dashed?: boolean;
  /** CSS colour; default the next of matplotlib's tab10 colours. */
  color?: string;
}

export type LegendPosition = "upper right" | "upper left" | "lower right" | "lower left" | "none";

export interface LineChartOptions {
  series: readonly LineSeries[];
  xLabel?: string;
  yLabel?: string;
  title?: string;
  /** Fixed axis ranges; default the data range plus 5 % on each side (matplotlib's margins). */
  xDomain?: readonly [number, number];
  yDomain?: readonly [number, number];
  /** Integer ticks only on x (epochs, iterations). */
  integerX?: boolean;
  /** Default 'upper right' (matplotlib's 'best' is data-dependent; we keep it predictable). */
  legend?: LegendPosition;
  width?: number;
  height?: number;
  /** Keep only the points that change the picture (see decimate.ts). Default true. */
  decimate?: boolean;
  /** Prefix of the ids inside the SVG, so several charts can be inlined in one page. */
  idPrefix?: string;
}

const TAB10 = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
const FONT_SIZE = 12;
const TICK = 3.5;
const LINE_WIDTH = 1.5;
const DASH = "5.55,2.4"; // matplotlib's '--' (3.7, 1.6) × line width 1.5

export function lineChart(options: LineChartOptions): string {
  checkChartOptions(options);
  const width = options.width ?? 640;
  const height = options.height ?? 480;
  const id = `${options.idPrefix ?? "scratchnet-chart"}-area`;
  // matplotlib's default subplot box: left .125, right .9, bottom .11, top .88
  const left = width * 0.125, right = width * 0.9, top = height * 0.12, bottom = height * 0.89;
  const plotW = right - left, plotH = bottom - top;
  const series = options.series.map((s, i) => ({ ...s, color: s.color ?? TAB10[i % TAB10.length] }));
  const xOf = (s: LineSeries, i: number): number => (s.x ? s.x[i] : i);

  const [x0, x1] = options.xDomain ?? padded(extent(series.map((s) => ({ length: s.y.length, at: (i: number) => xOf(s, i) }))));
  const [y0, y1] = options.yDomain ?? padded(extent(series.map((s) => ({ length: s.y.length, at: (i: number) => s.y[i] }))));
  const px = (x: number): number => left + ((x - x0) / (x1 - x0)) * plotW;
  const py = (y: number): number => bottom - ((y - y0) / (y1 - y0)) * plotH;
  const xTicks = niceTicks(x0, x1, Math.min(9, Math.max(3, Math.floor(plotW / 50))), options.integerX ?? false);
  const yTicks = niceTicks(y0, y1, Math.min(9, Math.max(3, Math.floor(plotH / 50))));

  const out: string[] = [];
  const label = options.title ?? (options.yLabel && options.xLabel ? `${options.yLabel} vs ${options.xLabel}` : "line chart");
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(label)}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="${FONT_SIZE}">`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<defs><clipPath id="${esc(id)}"><rect x="${n(left)}" y="${n(top)}" width="${n(plotW)}" height="${n(plotH)}"/></clipPath></defs>`);
  if (options.title) out.push(`<text class="title" x="${n((left + right) / 2)}" y="${n(top - 8)}" text-anchor="middle" font-size="${FONT_SIZE * 1.2}">${esc(options.title)}</text>`);
  out.push(axisTicks(xTicks, "x", (v) => px(v), bottom, left, right));
  out.push(axisTicks(yTicks, "y", (v) => py(v), left, bottom, top));
  if (options.xLabel) out.push(`<text class="x-label" x="${n((left + right) / 2)}" y="${n(bottom + TICK + FONT_SIZE * 2.6)}" text-anchor="middle">${esc(options.xLabel)}</text>`);
  if (options.yLabel) {
    const lx = left - TICK - FONT_SIZE * 3.2, ly = (top + bottom) / 2;
    out.push(`<text class="y-label" x="${n(lx)}" y="${n(ly)}" text-anchor="middle" transform="rotate(-90 ${n(lx)} ${n(ly)})">${esc(options.yLabel)}</text>`);
  }
  for (const s of series) {
    const count = s.y.length;
    const finiteAt = (i: number): boolean => Number.isFinite(xOf(s, i)) && Number.isFinite(s.y[i]);
    const column = (i: number): number => (finiteAt(i) ? Math.floor(((xOf(s, i) - x0) / (x1 - x0)) * plotW) : NaN);
    const indices = options.decimate === false || count <= 4 * plotW
      ? Array.from({ length: count }, (_, i) => i)
      : decimateM4(count, column, (i) => s.y[i]);
    let d = "";
    let pen = false;
    for (const i of indices) {
      if (!finiteAt(i)) { pen = false; continue; }
      d += `${pen ? "L" : "M"}${n(px(xOf(s, i)))} ${n(py(s.y[i]))}`;
      pen = true;
    }
    out.push(`<path class="series" data-label="${esc(s.label)}" d="${d}" fill="none" stroke="${esc(s.color)}" stroke-width="${LINE_WIDTH}" stroke-linejoin="round" stroke-linecap="butt"${s.dashed ? ` stroke-dasharray="${DASH}"` : ""} clip-path="url(#${esc(id)})"/>`);
  }
  out.push(`<rect class="frame" x="${n(left)}" y="${n(top)}" width="${n(plotW)}" height="${n(plotH)}" fill="none" stroke="#000000" stroke-width="0.8"/>`);
  const position = options.legend ?? "upper right";
  if (position !== "none" && series.length > 0) out.push(legend(series, position, left, right, top, bottom));
  out.push("</svg>");
  return out.join("\n") + "\n";
}

function axisTicks(ticks: Ticks, axis: "x" | "y", at: (v: number) => number, base: number, from: number, to: number): string {
  const lo = Math.min(from, to) - 0.01, hi = Math.max(from, to) + 0.01;
  const parts: string[] = [`<g class="${axis}-ticks" stroke="#000000" stroke-width="0.8">`];
  const labels: string[] = [`<g class="${axis}-tick-labels" fill="#000000">`];
  ticks.values.forEach((v, i) => {
    const p = at(v);
    if (p < lo || p > hi) return;
    if (axis === "x") {
      parts.push(`<line x1="${n(p)}" y1="${n(base)}" x2="${n(p)}" y2="${n(base + TICK)}"/>`);
      labels.push(`<text x="${n(p)}" y="${n(base + TICK + FONT_SIZE * 1.1)}" text-anchor="middle">${ticks.labels[i]}</text>`);
    } else {
      parts.push(`<line x1="${n(base - TICK)}" y1="${n(p)}" x2="${n(base)}" y2="${n(p)}"/>`);
      labels.push(`<text x="${n(base - TICK - 3.5)}" y="${n(p)}" dy="0.35em" text-anchor="end">${ticks.labels[i]}</text>`);
    }
  });
  return [...parts, "</g>", ...labels, "</g>"].join("\n");
}

function legend(series: readonly (LineSeries & { color: string })[], position: LegendPosition, left: number, right: number, top: number, bottom: number): string {
  const pad = 6, sample = 24, gap = 6, row = FONT_SIZE * 1.5, inset = 8;
  // No DOM to measure text in: 0.62 em per character is DejaVu Sans's average advance, rounded up.
  const textWidth = Math.max(...series.map((s) => s.label.length)) * FONT_SIZE * 0.62;
  const w = pad * 2 + sample + gap + textWidth;
  const h = pad * 2 + row * series.length - (row - FONT_SIZE) / 2;
  const x = position.endsWith("right") ? right - inset - w : left + inset;
  const y = position.startsWith("lower") ? bottom - inset - h : top + inset;
  const parts = [`<g class="legend" data-position="${position}" transform="translate(${n(x)} ${n(y)})">`,
    `<rect width="${n(w)}" height="${n(h)}" rx="3" fill="#ffffff" fill-opacity="0.8" stroke="#cccccc"/>`];
  series.forEach((s, i) => {
    const cy = pad + row * i + FONT_SIZE / 2 + 1;
    parts.push(`<line x1="${pad}" y1="${n(cy)}" x2="${pad + sample}" y2="${n(cy)}" stroke="${esc(s.color)}" stroke-width="${LINE_WIDTH}"${s.dashed ? ` stroke-dasharray="${DASH}"` : ""}/>`);
    parts.push(`<text x="${pad + sample + gap}" y="${n(cy)}" dy="0.35em">${esc(s.label)}</text>`);
  });
  parts.push("</g>");
  return parts.join("\n");
}

/** [min, max] over all finite values, or null if there is none. */
function extent(columns: { length: number; at: (i: number) => number }[]): [number, number] | null {
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

/** matplotlib's 5 % margins; a flat or empty range is widened so the axis has a length. */
function padded(range: [number, number] | null): [number, number] {
  if (!range) return [0, 1];
  const [lo, hi] = range;
  if (lo === hi) {
    const half = lo === 0 ? 0.5 : Math.abs(lo) * 0.1;
    return [lo - half, hi + half];
  }
  const m = (hi - lo) * 0.05;
  return [lo - m, hi + m];
}

/** A coordinate rounded to 0.01 px (Math.round is exact, so this is engine-independent). */
function n(v: number): string {
  const r = Math.round(v * 100) / 100;
  return Object.is(r, -0) ? "0" : String(r);
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}
