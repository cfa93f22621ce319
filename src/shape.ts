// Shape helpers and the one error format every boundary check uses.
import { fail } from "./errors.js";
import { describeValue } from "./check.js";

export { fail };

/** Dimensions a shape may have (numpy allows 32 too). */
export const MAX_RANK = 32;
/** Dimensions an error message spells out before eliding the rest. */
const SHOWN_DIMS = 8;

export type Shape = readonly number[];

/** "[100, 783]"; long or odd shapes are cut short ("[1, 1, 1, …] (10000 dimensions)"), never thrown on. */
export function formatShape(shape: Shape): string {
  if (!Array.isArray(shape)) return describeValue(shape);
  const shown = shape.slice(0, SHOWN_DIMS).map((d) => (typeof d === "number" ? String(d) : describeValue(d)));
  return shape.length > SHOWN_DIMS ? `[${shown.join(", ")}, …] (${shape.length} dimensions)` : `[${shown.join(", ")}]`;
}

/** Throws unless every dimension is a non-negative integer; returns the element count. */
export function checkShape(shape: Shape, where: string): number {
  if (!Array.isArray(shape)) fail(where, `shape must be an array of integers, got ${describeValue(shape)}`);
  if (shape.length > MAX_RANK) fail(where, `shape has ${shape.length} dimensions; at most ${MAX_RANK} are supported`);
  let size = 1;
  for (const d of shape) {
    if (typeof d !== "number" || !Number.isInteger(d) || d < 0) {
      fail(where, `shape ${formatShape(shape)} has a dimension that is not a non-negative integer (${describeValue(d)})`);
    }
    size *= d;
  }
  if (size > 2 ** 31 - 1) fail(where, `shape ${formatShape(shape)} has ${size} elements, more than wasm32 can address`);
  return size;
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Checks a positive integer size argument (layer widths, batch sizes …). */
export function checkPositiveInt(value: unknown, name: string, where: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    fail(where, `${name} must be a positive integer, got ${describeValue(value)}`);
  }
  return value;
}
