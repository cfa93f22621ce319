// The scalar nodes of §5.4 (MulLayer, AddLayer) take plain numbers, as the book's do.
import { fail } from "../errors.js";
import { describeValue } from "../check.js";

export function checkNumber(value: unknown, name: string, where: string): number {
  if (typeof value !== "number") fail(where, `${name} must be a number, got ${describeValue(value)}`);
  return value;
}
