// A vector field as arrows (matplotlib's plt.quiver(X, Y, U, V, angles="xy")), for the
// book's picture of −∇f pointing downhill (gradient_2d.py). Arrow sizes follow matplotlib's
// defaults so the figure reads the same: lengths autoscaled so that the mean arrow is
// 1/(1.8·max(10, √N)) of the axes width, shaft width 0.06/max(10, √N) of it, heads 3 shaft
// widths wide and 5 long; arrows shorter than a head shrink as a whole.
import type { PlotLayer } from "./axes.js";
import { esc, extent, n } from "./svg.js";

export interface QuiverOptions {
  /** Arrow tails. */
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Arrow directions and lengths (data units; only the ratio between arrows matters). */
  u: ArrayLike<number>;
  v: ArrayLike<number>;
  /** Default tab:blue, matplotlib's default (the book passes "#666666"). */
  color?: string;
  label?: string;
}

const HEAD_WIDTH = 3, HEAD_LENGTH = 5, HEAD_AXIS_LENGTH = 4.5;

/** The arrows as one layer: a single filled path with one closed subpath per arrow. */
export function quiverLayer(options: QuiverOptions): PlotLayer {
  const { x, y, u, v } = options;
  const count = x.length;
  if (y.length !== count || u.length !== count || v.length !== count) {
    throw new Error(`quiverLayer: x, y, u and v must have the same length, got ${count}, ${y.length}, ${u.length}, ${v.length}`);
  }
  const color = options.color ?? "#1f77b4";
  return {
    xExtent: () => extent([{ length: count, at: (i) => x[i] }]),
    yExtent: () => extent([{ length: count, at: (i) => y[i] }]),
    legend: options.label ? [{ label: options.label, color, patch: true }] : [],
    draw(f) {
      const plotW = f.right - f.left;
      const sn = Math.max(10, Math.sqrt(count));
      let sum = 0, finite = 0;
      for (let i = 0; i < count; i++) {
        const m = Math.hypot(u[i], v[i]);
        if (Number.isFinite(m)) { sum += m; finite++; }
      }
      const mean = finite > 0 ? sum / finite : 0;
      const shaft = (0.06 * plotW) / sn; // pixels
      const pxPerUnit = mean > 0 ? plotW / (1.8 * mean * sn) : 0; // arrow length per unit of |(u, v)|
      let d = "";
      for (let i = 0; i < count; i++) {
        const length = Math.hypot(u[i], v[i]) * pxPerUnit;
        if (!Number.isFinite(length) || !Number.isFinite(x[i]) || !Number.isFinite(y[i])) continue;
        // angles="xy": the arrow points along (u, v) as drawn on screen, not as data units
        const sx = f.px(x[i] + u[i]) - f.px(x[i]), sy = f.py(y[i] + v[i]) - f.py(y[i]);
        const norm = Math.hypot(sx, sy);
        d += arrow(f.px(x[i]), f.py(y[i]), norm > 0 ? sx / norm : 1, norm > 0 ? sy / norm : 0, length, shaft);
      }
      return `<path class="quiver" data-arrows="${count}" d="${d}" fill="${esc(color)}" stroke="none"${f.clip}/>`;
    },
  };
}

/** One arrow from (x0, y0) in direction (dx, dy) (unit), `length` px long, shaft `w` px wide. */
function arrow(x0: number, y0: number, dx: number, dy: number, length: number, w: number): string {
  const L = length / w; // in shaft widths, as matplotlib computes it
  let pts: [number, number][];
  if (L < 1) {
    // matplotlib draws a hexagonal dot of one shaft width for arrows shorter than that
    pts = Array.from({ length: 6 }, (_, k) => [0.5 * Math.cos((k * Math.PI) / 3), 0.5 * Math.sin((k * Math.PI) / 3)] as [number, number]);
  } else {
    const full = Math.max(L, HEAD_LENGTH);
    const shrink = L / full; // short arrows: the whole shape scaled down
    pts = ([
      [0, -0.5], [full - HEAD_AXIS_LENGTH, -0.5], [full - HEAD_LENGTH, -HEAD_WIDTH / 2], [full, 0],
      [full - HEAD_LENGTH, HEAD_WIDTH / 2], [full - HEAD_AXIS_LENGTH, 0.5], [0, 0.5],
    ] as [number, number][]).map(([a, b]) => [a * shrink, b * shrink]);
  }
  let s = "";
  pts.forEach(([a, b], k) => {
    // rotate (along, across) into screen space; `across` is perpendicular to (dx, dy)
    const px = x0 + (a * dx - b * dy) * w, py = y0 + (a * dy + b * dx) * w;
    s += `${k === 0 ? "M" : "L"}${n(px)} ${n(py)}`;
  });
  return s + "Z";
}
