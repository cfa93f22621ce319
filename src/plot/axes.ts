// One matplotlib axes as a standalone SVG: the boxed plot area, ticks outside, axis labels,
// title, optional grid and legend, and whatever layers draw inside it (lines, arrows,
// contours, bars). Layers say which data range they need; the axes picks the ranges
// (matplotlib's 5 % margins unless fixed), then hands each layer the mapping to pixels.
import { niceTicks, type Ticks } from "./ticks.js";
import { DASH, FONT_SIZE, LINE_WIDTH, TICK, esc, n, padded, svgOpen, textWidth, union } from "./svg.js";
import { markerPaint, markerPath, type MarkerShape } from "./markers.js";

export type LegendPosition = "upper right" | "upper left" | "lower right" | "lower left" | "best" | "none";
type Corner = Exclude<LegendPosition, "best" | "none">;

/** One row of the legend: a line sample (solid or dashed), a marker, both, or a filled patch. */
export interface LegendEntry {
  label: string;
  color: string;
  dashed?: boolean;
  marker?: MarkerShape;
  /** Draw the line sample (default true). */
  line?: boolean;
  /** A filled square instead of a line (bars). */
  patch?: boolean;
}

/** Where the plot area sits and how data maps onto it; given to each layer's draw(). */
export interface Frame {
  left: number;
  right: number;
  top: number;
  bottom: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  px(x: number): number;
  py(y: number): number;
  /** ` clip-path="url(#…)"`, to keep data inside the box. */
  clip: string;
}

export interface PlotLayer {
  /** The x / y range this layer wants visible (for automatic ranges); null when it has none. */
  xExtent?: () => [number, number] | null;
  yExtent?: () => [number, number] | null;
  legend?: readonly LegendEntry[];
  /** Polylines in data coordinates that a legend placed at "best" should avoid covering. */
  outline?: () => { x: ArrayLike<number>; y: ArrayLike<number> }[];
  draw(frame: Frame): string;
}

export interface AxesOptions {
  xLabel?: string;
  yLabel?: string;
  title?: string;
  /** Fixed axis ranges; default the layers' range plus 5 % on each side (matplotlib's margins). */
  xDomain?: readonly [number, number];
  yDomain?: readonly [number, number];
  /** Integer ticks only on x (epochs, iterations). */
  integerX?: boolean;
  /**
   * Default 'upper right'. 'best' (matplotlib's default for plt.legend()) takes the first corner,
   * in matplotlib's order, whose legend box covers the fewest data points and line segments.
   */
  legend?: LegendPosition;
  width?: number;
  height?: number;
  /** Prefix of the ids inside the SVG, so several charts can be inlined in one page. */
  idPrefix?: string;
  /** Light grid lines at the ticks (plt.grid()). Default false. */
  grid?: boolean;
  /** false hides an axis's ticks and tick labels (plt.xticks([]) in the book's subplots). */
  xTicks?: boolean;
  yTicks?: boolean;
  /**
   * The plot area as fractions of the figure (matplotlib's subplots_adjust). Default
   * matplotlib's { left: 0.125, right: 0.9, top: 0.12, bottom: 0.89 }, top and bottom measured
   * from the top edge; narrow panels need a larger `left` to fit their tick labels.
   */
  box?: { left?: number; right?: number; top?: number; bottom?: number };
}

/** Render the axes and its layers as a standalone SVG document. */
export function renderAxes(options: AxesOptions, layers: readonly PlotLayer[], fallbackLabel = "chart"): string {
  const width = options.width ?? 640;
  const height = options.height ?? 480;
  const id = `${options.idPrefix ?? "scratchnet-chart"}-area`;
  // matplotlib's default subplot box: left .125, right .9, bottom .11, top .88
  const box = options.box ?? {};
  const left = width * (box.left ?? 0.125), right = width * (box.right ?? 0.9);
  const top = height * (box.top ?? 0.12), bottom = height * (box.bottom ?? 0.89);
  const plotW = right - left, plotH = bottom - top;
  const [x0, x1] = options.xDomain ?? padded(union(layers.map((l) => (l.xExtent ? l.xExtent() : null))));
  const [y0, y1] = options.yDomain ?? padded(union(layers.map((l) => (l.yExtent ? l.yExtent() : null))));
  const px = (x: number): number => left + ((x - x0) / (x1 - x0)) * plotW;
  const py = (y: number): number => bottom - ((y - y0) / (y1 - y0)) * plotH;
  const xTicks = niceTicks(x0, x1, Math.min(9, Math.max(3, Math.floor(plotW / 50))), options.integerX ?? false);
  const yTicks = niceTicks(y0, y1, Math.min(9, Math.max(3, Math.floor(plotH / 50))));
  const frame: Frame = { left, right, top, bottom, x0, x1, y0, y1, px, py, clip: ` clip-path="url(#${esc(id)})"` };

  const out: string[] = [];
  const label = options.title ?? (options.yLabel && options.xLabel ? `${options.yLabel} vs ${options.xLabel}` : fallbackLabel);
  out.push(svgOpen(width, height, label));
  out.push(`<defs><clipPath id="${esc(id)}"><rect x="${n(left)}" y="${n(top)}" width="${n(plotW)}" height="${n(plotH)}"/></clipPath></defs>`);
  if (options.title) out.push(`<text class="title" x="${n((left + right) / 2)}" y="${n(top - 8)}" text-anchor="middle" font-size="${FONT_SIZE * 1.2}">${esc(options.title)}</text>`);
  if (options.grid) out.push(gridLines(xTicks, yTicks, frame));
  if (options.xTicks !== false) out.push(axisTicks(xTicks, "x", px, bottom, left, right));
  if (options.yTicks !== false) out.push(axisTicks(yTicks, "y", py, left, bottom, top));
  if (options.xLabel) out.push(`<text class="x-label" x="${n((left + right) / 2)}" y="${n(bottom + TICK + FONT_SIZE * 2.6)}" text-anchor="middle">${esc(options.xLabel)}</text>`);
  if (options.yLabel) {
    const lx = left - TICK - FONT_SIZE * 3.2, ly = (top + bottom) / 2;
    out.push(`<text class="y-label" x="${n(lx)}" y="${n(ly)}" text-anchor="middle" transform="rotate(-90 ${n(lx)} ${n(ly)})">${esc(options.yLabel)}</text>`);
  }
  for (const layer of layers) {
    const drawn = layer.draw(frame);
    if (drawn) out.push(drawn);
  }
  out.push(`<rect class="frame" x="${n(left)}" y="${n(top)}" width="${n(plotW)}" height="${n(plotH)}" fill="none" stroke="#000000" stroke-width="0.8"/>`);
  const entries = layers.flatMap((l) => l.legend ?? []);
  const wanted = options.legend ?? "upper right";
  if (wanted !== "none" && entries.length > 0) {
    const position = wanted === "best" ? bestCorner(entries, layers, frame) : wanted;
    out.push(legend(entries, position, frame));
  }
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

/** matplotlib's grid: thin light-grey lines at the major ticks, under the data. */
function gridLines(xTicks: Ticks, yTicks: Ticks, f: Frame): string {
  const d: string[] = [];
  for (const v of xTicks.values) {
    const p = f.px(v);
    if (p >= f.left - 0.01 && p <= f.right + 0.01) d.push(`M${n(p)} ${n(f.top)}V${n(f.bottom)}`);
  }
  for (const v of yTicks.values) {
    const p = f.py(v);
    if (p >= f.top - 0.01 && p <= f.bottom + 0.01) d.push(`M${n(f.left)} ${n(p)}H${n(f.right)}`);
  }
  return `<path class="grid" d="${d.join("")}" fill="none" stroke="#b0b0b0" stroke-width="0.8"/>`;
}

const PAD = 6, SAMPLE = 24, GAP = 6, ROW = FONT_SIZE * 1.5, INSET = 8;

/** The legend's box at a corner of the plot area, in pixels. */
function legendBox(entries: readonly LegendEntry[], position: Corner, f: Frame): { x: number; y: number; w: number; h: number } {
  const w = PAD * 2 + SAMPLE + GAP + Math.max(...entries.map((s) => textWidth(s.label)));
  const h = PAD * 2 + ROW * entries.length - (ROW - FONT_SIZE) / 2;
  const x = position.endsWith("right") ? f.right - INSET - w : f.left + INSET;
  const y = position.startsWith("lower") ? f.bottom - INSET - h : f.top + INSET;
  return { x, y, w, h };
}

/** matplotlib's 'best', over the four corners: fewest covered vertices plus crossing segments. */
function bestCorner(entries: readonly LegendEntry[], layers: readonly PlotLayer[], f: Frame): Corner {
  const lines = layers.flatMap((l) => (l.outline ? l.outline() : []));
  let best: Corner = "upper right", fewest = Infinity;
  for (const corner of ["upper right", "upper left", "lower left", "lower right"] as const) {
    const b = legendBox(entries, corner, f);
    const inside = (x: number, y: number): boolean => x >= b.x && x <= b.x + b.w && y >= b.y && y <= b.y + b.h;
    let badness = 0;
    for (const line of lines) {
      let px = NaN, py = NaN;
      for (let i = 0; i < line.y.length; i++) {
        const x = f.px(line.x[i]), y = f.py(line.y[i]);
        if (!Number.isFinite(x) || !Number.isFinite(y)) { px = NaN; continue; }
        if (inside(x, y)) badness++;
        else if (Number.isFinite(px) && crosses(px, py, x, y, b)) badness++;
        px = x; py = y;
      }
    }
    if (badness < fewest) { fewest = badness; best = corner; }
  }
  return best;
}

/** Whether the segment (x0, y0)–(x1, y1) passes through the box (sampled finely enough for a legend). */
function crosses(x0: number, y0: number, x1: number, y1: number, b: { x: number; y: number; w: number; h: number }): boolean {
  if (Math.max(x0, x1) < b.x || Math.min(x0, x1) > b.x + b.w || Math.max(y0, y1) < b.y || Math.min(y0, y1) > b.y + b.h) return false;
  const steps = Math.ceil(Math.hypot(x1 - x0, y1 - y0) / 2);
  for (let k = 1; k < steps; k++) {
    const x = x0 + ((x1 - x0) * k) / steps, y = y0 + ((y1 - y0) * k) / steps;
    if (x >= b.x && x <= b.x + b.w && y >= b.y && y <= b.y + b.h) return true;
  }
  return false;
}

function legend(entries: readonly LegendEntry[], position: Corner, f: Frame): string {
  const pad = PAD, sample = SAMPLE, gap = GAP, row = ROW;
  const { x, y, w, h } = legendBox(entries, position, f);
  const parts = [`<g class="legend" data-position="${position}" transform="translate(${n(x)} ${n(y)})">`,
    `<rect width="${n(w)}" height="${n(h)}" rx="3" fill="#ffffff" fill-opacity="0.8" stroke="#cccccc"/>`];
  entries.forEach((s, i) => {
    const cy = pad + row * i + FONT_SIZE / 2 + 1;
    const color = esc(s.color);
    if (s.patch) {
      parts.push(`<rect x="${pad + 4}" y="${n(cy - 5)}" width="${sample - 8}" height="10" fill="${color}"/>`);
    } else if (s.line !== false) {
      parts.push(`<line x1="${pad}" y1="${n(cy)}" x2="${pad + sample}" y2="${n(cy)}" stroke="${color}" stroke-width="${LINE_WIDTH}"${s.dashed ? ` stroke-dasharray="${DASH}"` : ""}/>`);
    }
    if (s.marker) parts.push(`<path d="${markerPath(s.marker, pad + sample / 2, cy)}" ${markerPaint(s.marker, color)}/>`);
    parts.push(`<text x="${pad + sample + gap}" y="${n(cy)}" dy="0.35em">${esc(s.label)}</text>`);
  });
  parts.push("</g>");
  return parts.join("\n");
}
