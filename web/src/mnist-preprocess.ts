// A hand-drawn digit made to look like an MNIST digit, following the MNIST paper's recipe
// (LeCun et al.): the ink's bounding box is scaled to fit a 20×20 box, keeping its aspect
// ratio, with anti-aliasing (area averaging here), then placed in a 28×28 field so that its
// centre of mass sits at the centre. Pure functions on byte arrays: tested in Node.

export const MNIST_SIDE = 28;
const FIT = 20;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Smallest box holding every non-zero pixel of a width×height intensity image, or null if blank. */
export function inkBoundingBox(ink: ArrayLike<number>, width: number, height: number): Box | null {
  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x] > 0) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/**
 * Area-average resample of `box` in `ink` to outW×outH: every output pixel is the mean of the
 * source area it covers (fractional pixels weighted by overlap), so thin strokes fade instead
 * of vanishing. Separable: columns first, then rows.
 */
export function resampleArea(ink: ArrayLike<number>, width: number, box: Box, outW: number, outH: number): Float64Array {
  const sx = box.width / outW, sy = box.height / outH;
  const tmp = new Float64Array(outW * box.height);
  for (let y = 0; y < box.height; y++) {
    const row = (box.y + y) * width + box.x;
    for (let ox = 0; ox < outW; ox++) tmp[y * outW + ox] = coverMean(ox * sx, (ox + 1) * sx, (i) => ink[row + i]);
  }
  const out = new Float64Array(outW * outH);
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) out[oy * outW + ox] = coverMean(oy * sy, (oy + 1) * sy, (i) => tmp[i * outW + ox]);
  }
  return out;
}

/** Mean of f over the real interval [a, b) of unit cells. */
function coverMean(a: number, b: number, f: (i: number) => number): number {
  let sum = 0;
  for (let i = Math.floor(a); i < b; i++) {
    const w = Math.min(b, i + 1) - Math.max(a, i);
    if (w > 0) sum += w * f(i);
  }
  return sum / (b - a);
}

/** Centre of mass (x, y) of a w×h intensity image, in pixel indices (pixel (0,0) is at 0, 0). */
export function centreOfMass(img: ArrayLike<number>, w: number, h: number): { x: number; y: number } {
  let m = 0, mx = 0, my = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = img[y * w + x];
      m += v;
      mx += v * x;
      my += v * y;
    }
  }
  return m > 0 ? { x: mx / m, y: my / m } : { x: (w - 1) / 2, y: (h - 1) / 2 };
}

/**
 * 28×28 uint8 MNIST-style digit (0 = background, 255 = ink) from a width×height ink image,
 * or null when nothing is drawn.
 */
export function mnistStyleDigit(ink: ArrayLike<number>, width: number, height: number): Uint8Array | null {
  const box = inkBoundingBox(ink, width, height);
  if (!box) return null;
  const scale = FIT / Math.max(box.width, box.height);
  const w = Math.max(1, Math.round(box.width * scale));
  const h = Math.max(1, Math.round(box.height * scale));
  const small = resampleArea(ink, width, box, w, h);
  const com = centreOfMass(small, w, h);
  // integer shift that moves the centre of mass onto pixel (14, 14): where MNIST's own digits
  // have it (measured on the t10k set, index coordinates)
  const dx = Math.round(MNIST_SIDE / 2 - com.x), dy = Math.round(MNIST_SIDE / 2 - com.y);
  const out = new Uint8Array(MNIST_SIDE * MNIST_SIDE);
  for (let y = 0; y < h; y++) {
    const ty = y + dy;
    if (ty < 0 || ty >= MNIST_SIDE) continue;
    for (let x = 0; x < w; x++) {
      const tx = x + dx;
      if (tx >= 0 && tx < MNIST_SIDE) out[ty * MNIST_SIDE + tx] = Math.min(255, Math.round(small[y * w + x]));
    }
  }
  return out;
}
