// Contour lines of z = f(x, y) on a grid (matplotlib's plt.contour), by marching squares: each
// grid cell whose corners straddle a level gets a segment between the two crossed edges (the
// crossing found by linear interpolation), and segments sharing an edge point are joined into
// polylines. The book draws them under the optimizers' paths (optimizer_compare_naive.py).
import type { PlotLayer } from "./axes.js";
import { viridis } from "./colormap.js";
import { esc, n } from "./svg.js";

export interface ContourOptions {
  /** Grid coordinates, increasing. */
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
  /** z at (xs[i], ys[j]), or a row-major array with z[j·xs.length + i]. */
  z: ((x: number, y: number) => number) | ArrayLike<number>;
  /** The values to draw lines at. */
  levels: readonly number[];
  /** One colour per level; default viridis from the lowest level to the highest (matplotlib's default). */
  colors?: readonly string[];
  lineWidth?: number;
}

/** The polylines of one level: arrays of [x, y] points in data coordinates; `closed` rings repeat no point. */
export interface ContourLine {
  points: [number, number][];
  closed: boolean;
}

/** Marching squares for one level. */
export function contourLines(xs: ArrayLike<number>, ys: ArrayLike<number>, zAt: (i: number, j: number) => number, level: number): ContourLine[] {
  const nx = xs.length, ny = ys.length;
  const points = new Map<string, [number, number]>();
  const segments: [string, string][] = [];
  const cross = (key: string, i0: number, j0: number, i1: number, j1: number): string => {
    if (!points.has(key)) {
      const z0 = zAt(i0, j0), z1 = zAt(i1, j1);
      const t = (level - z0) / (z1 - z0);
      points.set(key, [xs[i0] + t * (xs[i1] - xs[i0]), ys[j0] + t * (ys[j1] - ys[j0])]);
    }
    return key;
  };
  for (let j = 0; j + 1 < ny; j++) {
    for (let i = 0; i + 1 < nx; i++) {
      const z00 = zAt(i, j), z10 = zAt(i + 1, j), z11 = zAt(i + 1, j + 1), z01 = zAt(i, j + 1);
      if (![z00, z10, z11, z01].every(Number.isFinite)) continue;
      const a00 = z00 > level, a10 = z10 > level, a11 = z11 > level, a01 = z01 > level;
      const bottom = a00 !== a10 ? cross(`h${i},${j}`, i, j, i + 1, j) : null;
      const right = a10 !== a11 ? cross(`v${i + 1},${j}`, i + 1, j, i + 1, j + 1) : null;
      const top = a01 !== a11 ? cross(`h${i},${j + 1}`, i, j + 1, i + 1, j + 1) : null;
      const left = a00 !== a01 ? cross(`v${i},${j}`, i, j, i, j + 1) : null;
      const crossed = [bottom, right, top, left].filter((e): e is string => e !== null);
      if (crossed.length === 2) {
        segments.push([crossed[0], crossed[1]]);
      } else if (crossed.length === 4) {
        // a saddle: the cell centre decides which corners the lines cut off
        const centreAbove = (z00 + z10 + z11 + z01) / 4 > level;
        const cutCorners00And11 = a00 ? !centreAbove : centreAbove;
        if (cutCorners00And11) segments.push([bottom as string, left as string], [right as string, top as string]);
        else segments.push([bottom as string, right as string], [left as string, top as string]);
      }
    }
  }
  return joinSegments(segments, points);
}

/** Chain segments that share an edge point into polylines. */
function joinSegments(segments: [string, string][], points: Map<string, [number, number]>): ContourLine[] {
  const at = new Map<string, number[]>();
  segments.forEach(([a, b], s) => {
    for (const key of [a, b]) {
      const list = at.get(key);
      if (list) list.push(s);
      else at.set(key, [s]);
    }
  });
  const used = new Uint8Array(segments.length);
  const next = (key: string): number => (at.get(key) ?? []).find((s) => !used[s]) ?? -1;
  const lines: ContourLine[] = [];
  for (let s0 = 0; s0 < segments.length; s0++) {
    if (used[s0]) continue;
    used[s0] = 1;
    const chain = [segments[s0][0], segments[s0][1]];
    for (const forward of [true, false]) {
      for (;;) {
        const end = forward ? chain[chain.length - 1] : chain[0];
        const s = next(end);
        if (s < 0) break;
        used[s] = 1;
        const other = segments[s][0] === end ? segments[s][1] : segments[s][0];
        if (forward) chain.push(other);
        else chain.unshift(other);
      }
    }
    const closed = chain.length > 2 && chain[0] === chain[chain.length - 1];
    if (closed) chain.pop();
    lines.push({ points: chain.map((k) => points.get(k) as [number, number]), closed });
  }
  return lines;
}

/** Contour lines as a layer: one path per level, coloured along viridis. */
export function contourLayer(options: ContourOptions): PlotLayer {
  const { xs, ys, levels } = options;
  const z = options.z;
  const zAt = typeof z === "function" ? (i: number, j: number) => z(xs[i], ys[j]) : (i: number, j: number) => z[j * xs.length + i];
  const lo = Math.min(...levels), hi = Math.max(...levels);
  const colors = options.colors ?? levels.map((l) => viridis(hi > lo ? (l - lo) / (hi - lo) : 0));
  return {
    xExtent: () => (xs.length ? [xs[0], xs[xs.length - 1]] : null),
    yExtent: () => (ys.length ? [ys[0], ys[ys.length - 1]] : null),
    draw(f) {
      return levels.map((level, k) => {
        const d = contourLines(xs, ys, zAt, level).map((line) => line.points
          .map(([x, y], i) => `${i === 0 ? "M" : "L"}${n(f.px(x))} ${n(f.py(y))}`).join("") + (line.closed ? "Z" : "")).join("");
        return `<path class="contour" data-level="${level}" d="${d}" fill="none" stroke="${esc(colors[k % colors.length])}" stroke-width="${options.lineWidth ?? 1.5}" stroke-linejoin="round"${f.clip}/>`;
      }).join("\n");
    },
  };
}
