// Several standalone figures tiled into one SVG (matplotlib's plt.subplot(rows, cols, i)): the
// book's 2×2 optimizer paths, 4×4 Batch Normalization runs, 4×5 best hyperparameters, 1×5
// activation histograms. Each panel keeps its own coordinates in a nested <svg>; ids inside
// panel i are prefixed "p<i>-" so two panels never share a clip path.
import { FONT_SIZE, esc, n } from "./svg.js";

export interface PanelGridOptions {
  /** Panels per row. */
  cols: number;
  /** A line of text above the grid (matplotlib's suptitle). */
  title?: string;
}

/** Size of a standalone SVG from its root element's width/height attributes. */
function sizeOf(svg: string, i: number): { width: number; height: number } {
  const root = /^\s*<svg\b[^>]*>/.exec(svg)?.[0];
  const width = Number(/\swidth="([\d.]+)"/.exec(root ?? "")?.[1]);
  const height = Number(/\sheight="([\d.]+)"/.exec(root ?? "")?.[1]);
  if (!root || !(width > 0) || !(height > 0)) throw new Error(`panelGrid: panel ${i} is not an <svg> with a width and a height`);
  return { width, height };
}

/** The panels, row by row, `cols` per row; each cell as large as the largest panel. */
export function panelGrid(panels: readonly string[], options: PanelGridOptions): string {
  if (panels.length === 0) throw new Error("panelGrid: no panels");
  const cols = Math.max(1, Math.min(panels.length, Math.floor(options.cols)));
  const rows = Math.ceil(panels.length / cols);
  const sizes = panels.map(sizeOf);
  const cellW = Math.max(...sizes.map((s) => s.width)), cellH = Math.max(...sizes.map((s) => s.height));
  const head = options.title ? Math.round(FONT_SIZE * 2.5) : 0;
  const width = cols * cellW, height = head + rows * cellH;
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(options.title ?? `${panels.length} panels`)}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="${FONT_SIZE}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`];
  if (options.title) out.push(`<text class="suptitle" x="${n(width / 2)}" y="${n(FONT_SIZE * 1.7)}" text-anchor="middle" font-size="${FONT_SIZE * 1.3}">${esc(options.title)}</text>`);
  panels.forEach((svg, i) => {
    const x = (i % cols) * cellW, y = head + Math.floor(i / cols) * cellH;
    const prefix = `p${i}-`;
    const inner = svg.trim()
      .replace(/\sid="([^"]*)"/g, ` id="${prefix}$1"`)
      .replace(/url\(#([^)]*)\)/g, `url(#${prefix}$1)`)
      .replace(/^<svg\b/, `<svg class="panel" data-panel="${i}" x="${x}" y="${y}"`)
      .replace(/\s(role="img"|xmlns="http:\/\/www\.w3\.org\/2000\/svg")/g, "");
    out.push(inner);
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}
