// A grid of small greyscale images as one SVG: the book's imshow figures — an MNIST digit
// (mnist_show.py), the 30 first-layer filters of a ConvNet before and after training
// (visualize_filter.py), a filter applied to an image (apply_filter.py), misclassified digits
// (misclassified_mnist.py). Each image is a PNG scaled up with pixelated rendering, so every
// pixel shows as a crisp square, as with interpolation='nearest'; each sits in a thin frame,
// as matplotlib's axes without ticks do.
import { grayLevel, type GrayMap } from "./colormap.js";
import { base64, encodeGrayPng } from "./png.js";
import { FONT_SIZE, esc, n, svgOpen } from "./svg.js";

export interface GrayImage {
  /** Row-major values, width × height of them. */
  data: ArrayLike<number>;
  width: number;
  height: number;
}

export interface ImageGridOptions {
  /** Images per row (the book's nx). Default: all in one row. */
  cols?: number;
  /** Side of each image on screen, px. Default 64. */
  cellSize?: number;
  /** Space between images, px. Default 5 % of cellSize (the book's wspace/hspace = 0.05). */
  gap?: number;
  /** Default "gray_r" (the book's cmap=plt.cm.gray_r: low values white, high values black). */
  cmap?: GrayMap;
  /** Fixed [vmin, vmax]; default each image's own min and max, as imshow scales. */
  range?: readonly [number, number];
  /** A caption above each image (e.g. "7 → 2"). */
  titles?: readonly string[];
  /** Text above the whole grid; "\n" starts another line. */
  title?: string;
  /** Frame each image (default true). */
  frame?: boolean;
  /**
   * Small labels inside each image's corners, as the book's figure of misclassified digits
   * shows them: the true label top left (black), the network's answer bottom right (red).
   */
  corners?: readonly (CornerLabels | undefined)[];
}

export interface CornerLabels {
  topLeft?: string;
  bottomRight?: string;
}

/** The corner labels' colours: the true label black, the (wrong) answer matplotlib's tab:red. */
const CORNER_COLOURS = { topLeft: "#000000", bottomRight: "#d62728" } as const;

/** The images as a standalone SVG document. */
export function imageGrid(images: readonly GrayImage[], options: ImageGridOptions = {}): string {
  if (images.length === 0) throw new Error("imageGrid: no images");
  const cols = Math.max(1, Math.min(images.length, Math.floor(options.cols ?? images.length)));
  const rows = Math.ceil(images.length / cols);
  const cell = options.cellSize ?? 64;
  const gap = options.gap ?? Math.max(1, Math.round(cell * 0.05));
  const caption = options.titles ? FONT_SIZE * 1.4 : 0;
  const titleLines = options.title ? options.title.split("\n") : [];
  const head = titleLines.length > 0 ? FONT_SIZE * (2.2 + 1.5 * (titleLines.length - 1)) : 0;
  const margin = 4;
  const width = Math.ceil(margin * 2 + cols * cell + (cols - 1) * gap);
  const height = Math.ceil(margin * 2 + head + rows * (cell + caption) + (rows - 1) * gap);
  const out = [svgOpen(width, height, options.title ?? `${images.length} images`)];
  titleLines.forEach((line, i) => {
    out.push(`<text class="title" x="${n(width / 2)}" y="${n(margin + FONT_SIZE * (1.3 + 1.5 * i))}" text-anchor="middle" font-size="${FONT_SIZE * 1.2}">${esc(line)}</text>`);
  });
  out.push(`<g class="image-grid" data-cols="${cols}" data-rows="${rows}">`);
  images.forEach((img, k) => {
    const x = margin + (k % cols) * (cell + gap);
    const y = margin + head + Math.floor(k / cols) * (cell + caption + gap) + caption;
    // keep the aspect ratio inside the square cell
    const scale = cell / Math.max(img.width, img.height);
    const w = img.width * scale, h = img.height * scale;
    const ix = x + (cell - w) / 2, iy = y + (cell - h) / 2;
    if (options.titles?.[k] !== undefined) out.push(`<text class="caption" x="${n(x + cell / 2)}" y="${n(y - FONT_SIZE * 0.4)}" text-anchor="middle">${esc(options.titles[k])}</text>`);
    out.push(`<image class="cell" x="${n(ix)}" y="${n(iy)}" width="${n(w)}" height="${n(h)}" preserveAspectRatio="none" style="image-rendering:pixelated" href="data:image/png;base64,${base64(toPng(img, options))}"/>`);
    if (options.frame !== false) out.push(`<rect x="${n(ix)}" y="${n(iy)}" width="${n(w)}" height="${n(h)}" fill="none" stroke="#000000" stroke-width="0.8"/>`);
    const corner = options.corners?.[k];
    if (corner) {
      const size = Math.max(8, Math.round(Math.min(w, h) * 0.2)), pad = Math.max(2, size * 0.25);
      if (corner.topLeft !== undefined) {
        out.push(`<text class="corner-label" data-corner="top-left" x="${n(ix + pad)}" y="${n(iy + pad + size * 0.8)}" font-size="${size}" fill="${CORNER_COLOURS.topLeft}">${esc(corner.topLeft)}</text>`);
      }
      if (corner.bottomRight !== undefined) {
        out.push(`<text class="corner-label" data-corner="bottom-right" x="${n(ix + w - pad)}" y="${n(iy + h - pad)}" font-size="${size}" text-anchor="end" fill="${CORNER_COLOURS.bottomRight}">${esc(corner.bottomRight)}</text>`);
      }
    }
  });
  out.push("</g>", "</svg>");
  return out.join("\n") + "\n";
}

/** One image mapped through the colour map to grey levels, as PNG bytes. */
export function toPng(img: GrayImage, options: Pick<ImageGridOptions, "cmap" | "range"> = {}): Uint8Array {
  const { data, width, height } = img;
  if (data.length !== width * height) throw new Error(`imageGrid: an image of ${width}×${height} needs ${width * height} values, got ${data.length}`);
  let [vmin, vmax] = options.range ?? [Infinity, -Infinity];
  if (!options.range) {
    for (let i = 0; i < data.length; i++) {
      if (data[i] < vmin) vmin = data[i];
      if (data[i] > vmax) vmax = data[i];
    }
  }
  const cmap = options.cmap ?? "gray_r";
  const levels = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) levels[i] = grayLevel(data[i], vmin, vmax, cmap);
  return encodeGrayPng(width, height, levels);
}
