// Shape helpers and the one error format every boundary check uses.

export type Shape = readonly number[];

/** "[100, 783]" */
export function formatShape(shape: Shape): string {
  return `[${shape.join(", ")}]`;
}

/** Throws unless every dimension is a non-negative integer; returns the element count. */
export function checkShape(shape: Shape, where: string): number {
  if (!Array.isArray(shape)) throw new Error(`${where}: shape must be an array of integers, got ${String(shape)}`);
  let size = 1;
  for (const d of shape) {
    if (typeof d !== "number" || !Number.isInteger(d) || d < 0) {
      throw new Error(`${where}: shape ${formatShape(shape)} has a dimension that is not a non-negative integer (${String(d)})`);
    }
    size *= d;
  }
  if (size > 2 ** 31 - 1) throw new Error(`${where}: shape ${formatShape(shape)} has ${size} elements, more than wasm32 can address`);
  return size;
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Throws `where: message` — a single place so every error reads the same way. */
export function fail(where: string, message: string): never {
  throw new Error(`${where}: ${message}`);
}

/** Checks a positive integer size argument (layer widths, batch sizes …). */
export function checkPositiveInt(value: unknown, name: string, where: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    fail(where, `${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}
