// A small, dependency-free SVG line chart in matplotlib's default look (640×480, tab10
// colours, boxed axes, ticks outside), enough for the book's figures. Output is a standalone
// SVG string and the same bytes for the same input on every engine (no ids from counters or
// clocks, numbers rounded to 0.01 px, ticks without Math.log10).
import { decimateM4 } from "./decimate.js";
import { checkChartOptions } from "./chart-options.js";
import { renderAxes, type AxesOptions, type Frame, type LegendEntry, type PlotLayer } from "./axes.js";
import { markerPaint, markerPath, type MarkerShape } from "./markers.js";
import { DASH, LINE_WIDTH, TAB10, esc, extent, n } from "./svg.js";

export type { LegendPosition } from "./axes.js";

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
  /** A marker at every `markEvery`-th point (plt.plot(…, marker='o', markevery=10)). */
  marker?: MarkerShape;
  /** Mark points 0, k, 2k …; default 1 (every point). */
  markEvery?: number;
  /** false: markers only, no line (the book's plt.plot(x, y, 'o')). Default true. */
  line?: boolean;
  /** Leave this series out of the legend (the book's unlabelled helper lines). */
  noLegend?: boolean;
}

export interface LineChartOptions extends AxesOptions {
  series: readonly LineSeries[];
  /** Keep only the points that change the picture (see decimate.ts). Default true. */
  decimate?: boolean;
}

export function lineChart(options: LineChartOptions): string {
  checkChartOptions(options);
  const series = options.series.map((s, i) => ({ ...s, color: s.color ?? TAB10[i % TAB10.length] }));
  return renderAxes(options, series.map((s) => lineLayer(s, options.decimate ?? true)), "line chart");
}

/** One series as a layer of an axes (a line, markers, or both). */
export function lineLayer(s: LineSeries & { color: string }, decimate = true): PlotLayer {
  const xOf = (i: number): number => (s.x ? s.x[i] : i);
  const entry: LegendEntry = { label: s.label, color: s.color, dashed: s.dashed, marker: s.marker, line: s.line };
  return {
    xExtent: () => extent([{ length: s.y.length, at: xOf }]),
    yExtent: () => extent([{ length: s.y.length, at: (i) => s.y[i] }]),
    legend: s.noLegend ? [] : [entry],
    outline: () => [{ x: s.x ?? Array.from({ length: s.y.length }, (_, i) => i), y: s.y }],
    draw: (f) => [s.line === false ? "" : linePath(s, xOf, f, decimate), markers(s, xOf, f)].filter(Boolean).join("\n"),
  };
}

function linePath(s: LineSeries & { color: string }, xOf: (i: number) => number, f: Frame, decimate: boolean): string {
  const count = s.y.length;
  const plotW = f.right - f.left;
  const finiteAt = (i: number): boolean => Number.isFinite(xOf(i)) && Number.isFinite(s.y[i]);
  const column = (i: number): number => (finiteAt(i) ? Math.floor(((xOf(i) - f.x0) / (f.x1 - f.x0)) * plotW) : NaN);
  const indices = !decimate || count <= 4 * plotW
    ? Array.from({ length: count }, (_, i) => i)
    : decimateM4(count, column, (i) => s.y[i]);
  let d = "";
  let pen = false;
  for (const i of indices) {
    if (!finiteAt(i)) { pen = false; continue; }
    d += `${pen ? "L" : "M"}${n(f.px(xOf(i)))} ${n(f.py(s.y[i]))}`;
    pen = true;
  }
  return `<path class="series" data-label="${esc(s.label)}" d="${d}" fill="none" stroke="${esc(s.color)}" stroke-width="${LINE_WIDTH}" stroke-linejoin="round" stroke-linecap="butt"${s.dashed ? ` stroke-dasharray="${DASH}"` : ""}${f.clip}/>`;
}

/** Markers of a series: one path, a subpath per marked point (class "series" when there is no line). */
function markers(s: LineSeries & { color: string }, xOf: (i: number) => number, f: Frame): string {
  if (!s.marker) return "";
  const every = Math.max(1, Math.floor(s.markEvery ?? 1));
  let d = "";
  for (let i = 0; i < s.y.length; i += every) {
    if (Number.isFinite(xOf(i)) && Number.isFinite(s.y[i])) d += markerPath(s.marker, f.px(xOf(i)), f.py(s.y[i]));
  }
  const cls = s.line === false ? "series markers" : "markers";
  return `<path class="${cls}" data-label="${esc(s.label)}" data-marker="${s.marker}" d="${d}" ${markerPaint(s.marker, esc(s.color))}${f.clip}/>`;
}
