// A live line chart drawn on a <canvas>. Why not the library's SVG `lineChart`: that builds a
// whole SVG document per call, fine for a file but too much DOM churn to redraw many times a
// second while 10 000 losses stream in. Here a redraw is one canvas pass over at most ~4
// points per pixel column (the library's M4 decimation), with the same "nice" ticks and
// matplotlib colours as the SVG figures.
import { decimateM4, niceTicks } from "scratchnet";

export interface CanvasSeries {
  label: string;
  color: string;
  dashed?: boolean;
  /** Draw a marker at each point (the book's 'o' / 's' accuracy markers). */
  marker?: "circle" | "square";
  /** Point count and accessors (the data may live in a growing typed array). */
  length: () => number;
  x: (i: number) => number;
  y: (i: number) => number;
}

export interface CanvasChartOptions {
  xLabel: string;
  yLabel: string;
  /** Fixed y range, or computed from the data. */
  yDomain?: [number, number];
  /** x range: the axis does not jump while data arrives. */
  xDomain: () => [number, number];
  legend?: "upper right" | "lower right";
}

export const TAB10 = { blue: "#1f77b4", orange: "#ff7f0e", green: "#2ca02c", red: "#d62728" };

export class CanvasChart {
  private dirty = true;
  private frame = 0;

  constructor(
    readonly canvas: HTMLCanvasElement, readonly series: CanvasSeries[], readonly options: CanvasChartOptions,
    /** Wraps each redraw (the page uses it to time its own work). */
    private readonly wrap: (draw: () => void) => () => void = (draw) => draw,
  ) {}

  /** Ask for a redraw on the next animation frame (many calls per frame cost one draw). */
  invalidate(): void {
    this.dirty = true;
    if (this.frame === 0) this.frame = requestAnimationFrame(this.wrap(() => { this.frame = 0; if (this.dirty) this.draw(); }));
  }

  draw(): void {
    this.dirty = false;
    const { canvas, options } = this;
    const dpr = globalThis.devicePixelRatio || 1;
    const cssW = canvas.clientWidth || canvas.width, cssH = canvas.clientHeight || canvas.height;
    if (canvas.width !== Math.round(cssW * dpr)) { canvas.width = Math.round(cssW * dpr); canvas.height = Math.round(cssH * dpr); }
    const g = canvas.getContext("2d")!;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, cssW, cssH);
    const left = 52, right = cssW - 12, top = 10, bottom = cssH - 38;
    const [x0, x1] = options.xDomain();
    const [y0, y1] = options.yDomain ?? this.yExtent();
    const px = (x: number) => left + ((x - x0) / (x1 - x0 || 1)) * (right - left);
    const py = (y: number) => bottom - ((y - y0) / (y1 - y0 || 1)) * (bottom - top);

    g.font = "11px system-ui, sans-serif";
    g.fillStyle = "#333";
    g.strokeStyle = "#ccc";
    g.lineWidth = 1;
    const xt = niceTicks(x0, x1, 6, true), yt = niceTicks(y0, y1, 5);
    g.textAlign = "center";
    // a label centred on the last tick can stick out past the canvas edge ("10000" at the right
    // end): slide it inwards so it is whole; the drawn extents go to data-x-ticks for tests
    const drawn: { label: string; left: number; right: number }[] = [];
    xt.values.forEach((v, i) => {
      if (v < x0 || v > x1) return;
      const half = g.measureText(xt.labels[i]).width / 2;
      const cx = Math.min(Math.max(px(v), half + 1), cssW - half - 1);
      g.fillText(xt.labels[i], cx, bottom + 14);
      drawn.push({ label: xt.labels[i], left: cx - half, right: cx + half });
    });
    canvas.dataset.xTicks = JSON.stringify({ width: cssW, ticks: drawn });
    g.textAlign = "right";
    yt.values.forEach((v, i) => {
      if (v < y0 || v > y1) return;
      g.fillText(yt.labels[i], left - 5, py(v) + 4);
      g.beginPath(); g.moveTo(left, py(v)); g.lineTo(right, py(v)); g.stroke();
    });
    g.strokeStyle = "#333";
    g.strokeRect(left, top, right - left, bottom - top);
    g.textAlign = "center";
    g.fillText(options.xLabel, (left + right) / 2, cssH - 6);
    g.save(); g.translate(12, (top + bottom) / 2); g.rotate(-Math.PI / 2); g.fillText(options.yLabel, 0, 0); g.restore();

    g.save();
    g.beginPath(); g.rect(left, top, right - left, bottom - top); g.clip();
    for (const s of this.series) {
      const n = s.length();
      if (n === 0) continue;
      const keep = decimateM4(n, (i) => Math.floor(px(s.x(i))), s.y);
      g.strokeStyle = s.color; g.fillStyle = s.color; g.lineWidth = 1.5;
      g.setLineDash(s.dashed ? [5.5, 2.4] : []);
      g.beginPath();
      keep.forEach((i, k) => (k === 0 ? g.moveTo(px(s.x(i)), py(s.y(i))) : g.lineTo(px(s.x(i)), py(s.y(i)))));
      g.stroke();
      g.setLineDash([]);
      if (s.marker && n <= 200) for (let i = 0; i < n; i++) marker(g, s.marker, px(s.x(i)), py(s.y(i)));
    }
    g.restore();
    if (options.legend) this.drawLegend(g, options.legend === "lower right" ? bottom - 8 - 16 * this.series.length : top + 8, right - 120);
  }

  private drawLegend(g: CanvasRenderingContext2D, y: number, x: number): void {
    g.fillStyle = "rgba(255,255,255,0.85)";
    g.fillRect(x - 6, y - 4, 118, 16 * this.series.length + 6);
    g.textAlign = "left";
    this.series.forEach((s, i) => {
      const yy = y + 8 + 16 * i;
      g.strokeStyle = s.color; g.lineWidth = 1.5; g.setLineDash(s.dashed ? [5.5, 2.4] : []);
      g.beginPath(); g.moveTo(x, yy); g.lineTo(x + 24, yy); g.stroke(); g.setLineDash([]);
      g.fillStyle = "#333"; g.fillText(s.label, x + 30, yy + 4);
    });
  }

  private yExtent(): [number, number] {
    let lo = Infinity, hi = -Infinity;
    for (const s of this.series) for (let i = 0, n = s.length(); i < n; i++) { const v = s.y(i); if (v < lo) lo = v; if (v > hi) hi = v; }
    return lo <= hi ? [Math.min(0, lo), hi * 1.05] : [0, 1];
  }
}

function marker(g: CanvasRenderingContext2D, kind: "circle" | "square", x: number, y: number): void {
  g.beginPath();
  if (kind === "circle") g.arc(x, y, 3, 0, 2 * Math.PI);
  else g.rect(x - 3, y - 3, 6, 6);
  g.fill();
}
