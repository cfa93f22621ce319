// Histograms (plt.hist(values, bins, range=(lo, hi))): the counts as numpy's np.histogram
// computes them, and the bars as a layer of an axes. The book uses them to show how the
// activations of each layer spread out under different initial weights (§6.2.2).
import type { PlotLayer } from "./axes.js";
import { esc, n } from "./svg.js";

export interface Histogram {
  /** bins + 1 edges, evenly spaced from lo to hi (np.linspace). */
  edges: number[];
  counts: number[];
}

/**
 * np.histogram(values, bins, range=(lo, hi)): equal-width bins, each half-open [a, b) except
 * the last, which includes hi; values outside [lo, hi] and NaN are not counted.
 */
export function histogram(values: ArrayLike<number>, bins: number, range: readonly [number, number]): Histogram {
  const [lo, hi] = range;
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`histogram: bins must be a positive integer, got ${bins}`);
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && hi > lo)) throw new Error(`histogram: range must be finite with lo < hi, got [${lo}, ${hi}]`);
  const step = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : i * step + lo));
  const counts = new Array<number>(bins).fill(0);
  const norm = bins / (hi - lo);
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (!(v >= lo && v <= hi)) continue;
    // numpy's rule: a first guess from the scaled value, corrected against the exact edges
    let i = Math.min(bins - 1, Math.floor((v - lo) * norm));
    if (v < edges[i]) i--;
    else if (i < bins - 1 && v >= edges[i + 1]) i++;
    counts[i]++;
  }
  return { edges, counts };
}

export interface BarsOptions extends Histogram {
  /** Default tab:blue. */
  color?: string;
  label?: string;
}

/** The histogram's bars, touching as matplotlib draws them (rwidth 1, no edges). */
export function histogramLayer(options: BarsOptions): PlotLayer {
  const { edges, counts } = options;
  if (edges.length !== counts.length + 1) throw new Error(`histogramLayer: ${edges.length} edges for ${counts.length} bins (need bins + 1)`);
  const color = options.color ?? "#1f77b4";
  return {
    xExtent: () => (edges.length ? [edges[0], edges[edges.length - 1]] : null),
    yExtent: () => (counts.length ? [0, Math.max(...counts)] : null),
    legend: options.label ? [{ label: options.label, color, patch: true }] : [],
    draw(f) {
      const rects = counts.map((c, i) => {
        const x0 = f.px(edges[i]), x1 = f.px(edges[i + 1]);
        const yTop = f.py(c), yBase = f.py(0);
        return `<rect x="${n(x0)}" y="${n(Math.min(yTop, yBase))}" width="${n(x1 - x0)}" height="${n(Math.abs(yBase - yTop))}" data-count="${c}"/>`;
      });
      return `<g class="bars" fill="${esc(color)}"${f.clip}>\n${rects.join("\n")}\n</g>`;
    },
  };
}
