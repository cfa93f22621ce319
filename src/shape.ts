// Shape helpers and the one error format every boundary check uses.
import { fail } from "./errors.js";
import { quote, show } from "./quote.js";

export { fail };

export type Shape = readonly number[];

/** The most dimensions a tensor may have (numpy 2's limit too); deeper nesting is refused, not recursed into. */
export const MAX_RANK = 64;

/** Dimensions a shape prints in full; longer ones show their ends and their rank. */
const SHAPE_SHOWN = 12;

/** "[100, 783]"; long or malformed shapes stay short: "[1, 1, …, 1, 2] (1000000 dimensions)". */
export function formatShape(shape: Shape): string {
  if (!Array.isArray(shape)) return quote(shape);
  const dim = (d: unknown): string => (typeof d === "number" ? String(d) : quote(d, 24));
  if (shape.length <= SHAPE_SHOWN) return `[${shape.map(dim).join(", ")}]`;
  const head = shape.slice(0, 8).map(dim), tail = shape.slice(-2).map(dim);
  return `[${head.join(", ")}, …, ${tail.join(", ")}] (${shape.length} dimensions)`;
}

/** Throws unless every dimension is a non-negative integer; returns the element count. */
export function checkShape(shape: Shape, where: string): number {
  if (!Array.isArray(shape)) fail(where, `shape must be an array of integers, got ${show(shape)}`);
  if (shape.length > MAX_RANK) fail(where, `shape ${formatShape(shape)} has more than ${MAX_RANK} dimensions`);
  let size = 1;
  for (const d of shape) {
    if (typeof d !== "number" || !Number.isInteger(d) || d < 0) {
      fail(where, `shape ${formatShape(shape)} has a dimension that is not a non-negative integer (${show(d)})`);
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
    fail(where, `${name} must be a positive integer, got ${show(value)}`);
  }
  return value;
}
