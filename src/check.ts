// Argument checks shared by every public entry point. Each throws a ScratchnetError naming the
// caller and the argument, and describes the bad value in a few safe words: no value's own
// toString runs (a Symbol, a Proxy or a throwing toString must not turn a refusal into a
// TypeError), and no message grows with the size of the value.
import { fail } from "./errors.js";

/** A short, never-throwing description of any value, for error messages. */
export function describeValue(v: unknown): string {
  switch (typeof v) {
    case "number": return Number.isNaN(v) ? "NaN" : String(v);
    case "string": return v.length > 40 ? `a string of ${v.length} characters` : JSON.stringify(v);
    case "boolean": case "undefined": case "bigint": return `${typeof v === "bigint" ? "the bigint " : ""}${String(v)}`;
    case "symbol": return "a symbol";
    case "function": return "a function";
  }
  if (v === null) return "null";
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  try {
    const name = Object.getPrototypeOf(v)?.constructor?.name;
    return typeof name === "string" && name !== "" && name !== "Object" ? `a ${name.slice(0, 40)}` : "an object";
  } catch {
    return "an object"; // a Proxy whose traps throw
  }
}

/** A plain options object (or undefined → {}): anything else is refused by name. */
export function checkOptions<T extends object>(value: T | undefined | null, where: string, name = "options"): T {
  if (value === undefined || value === null) return {} as T;
  if (typeof value !== "object" || Array.isArray(value)) fail(where, `${name} must be an object, got ${describeValue(value)}`);
  return value;
}

export function checkFunction(value: unknown, name: string, where: string): void {
  if (typeof value !== "function") fail(where, `${name} must be a function, got ${describeValue(value)}`);
}

/** A finite number (NaN and ±Infinity refused). */
export function checkFinite(value: unknown, name: string, where: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) fail(where, `${name} must be a finite number, got ${describeValue(value)}`);
  return value;
}

/** An integer in [min, max]. */
export function checkIntIn(value: unknown, min: number, max: number, name: string, where: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    fail(where, `${name} must be an integer in [${min}, ${max}], got ${describeValue(value)}`);
  }
  return value;
}

/** Array-like of numbers (a plain array or a typed array, not a string or a DataView). */
export function isNumberList(value: unknown): value is ArrayLike<number> {
  if (Array.isArray(value)) return true;
  return ArrayBuffer.isView(value) && !(value instanceof DataView) && !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array);
}

/** True when a typed array's buffer was detached (transferred, or an old view of grown wasm memory). */
export function isDetached(view: ArrayBufferView): boolean {
  const buffer = view.buffer;
  if (typeof SharedArrayBuffer !== "undefined" && buffer instanceof SharedArrayBuffer) return false;
  if (buffer.byteLength !== 0) return false;
  try {
    new Uint8Array(buffer, 0, 0); // a detached buffer refuses even an empty view
    return false;
  } catch {
    return true;
  }
}
