// matplotlib's markers ('o', 's', 'D', 'x', '+', '^') as SVG path data. The book marks its
// curves with them (markers = {"SGD": "o", "Momentum": "x", …}, markevery=100), so a reader
// can tell the lines apart in print. Sizes follow matplotlib: markersize 6 pt = 8.33 px at
// the 100 dpi of a 640×480 figure; 'o' is that wide, 's' has that side, 'D' is 's' turned 45°.
import { n } from "./svg.js";

export type MarkerShape = "o" | "s" | "D" | "x" | "+" | "^";

export const MARKER_SHAPES: readonly MarkerShape[] = ["o", "s", "D", "x", "+", "^"];
/** 6 pt at 100 dpi. */
export const MARKER_SIZE = 8.33;
/** Outline width of filled markers, and stroke width of 'x' / '+' (matplotlib: 1 pt). */
export const MARKER_EDGE = 1.39;

/** True for the shapes matplotlib draws as lines only ('x', '+'). */
export function isLineMarker(shape: MarkerShape): boolean {
  return shape === "x" || shape === "+";
}

/** Path data of one marker centred on (cx, cy). */
export function markerPath(shape: MarkerShape, cx: number, cy: number, size = MARKER_SIZE): string {
  const h = size / 2;
  switch (shape) {
    case "o": // two arcs make a circle
      return `M${n(cx - h)} ${n(cy)}a${n(h)} ${n(h)} 0 1 0 ${n(size)} 0a${n(h)} ${n(h)} 0 1 0 ${n(-size)} 0Z`;
    case "s":
      return `M${n(cx - h)} ${n(cy - h)}h${n(size)}v${n(size)}h${n(-size)}Z`;
    case "D": {
      const d = h * Math.SQRT2;
      return `M${n(cx)} ${n(cy - d)}L${n(cx + d)} ${n(cy)}L${n(cx)} ${n(cy + d)}L${n(cx - d)} ${n(cy)}Z`;
    }
    case "^":
      return `M${n(cx)} ${n(cy - h)}L${n(cx + h)} ${n(cy + h)}L${n(cx - h)} ${n(cy + h)}Z`;
    case "x":
      return `M${n(cx - h)} ${n(cy - h)}L${n(cx + h)} ${n(cy + h)}M${n(cx - h)} ${n(cy + h)}L${n(cx + h)} ${n(cy - h)}`;
    case "+":
      return `M${n(cx - h)} ${n(cy)}L${n(cx + h)} ${n(cy)}M${n(cx)} ${n(cy - h)}L${n(cx)} ${n(cy + h)}`;
  }
}

/** Paint attributes of a marker of `color`: filled with an outline, or stroked only. */
export function markerPaint(shape: MarkerShape, color: string): string {
  return isLineMarker(shape)
    ? `fill="none" stroke="${color}" stroke-width="${MARKER_EDGE}"`
    : `fill="${color}" stroke="${color}" stroke-width="${MARKER_EDGE}"`;
}
