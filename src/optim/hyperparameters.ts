// Checks for optimizer hyperparameters: a bad learning rate must fail at construction, not
// turn the first update into NaNs.
import { fail } from "../shape.js";
import { describeValue } from "../check.js";

/** A finite number > 0 (learning rates). */
export function checkPositiveRate(value: unknown, name: string, where: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    fail(where, `${name} must be a positive finite number, got ${describeValue(value)}`);
  }
  return value;
}

/** A number in [0, 1) (momentum, decay rates, Adam's betas). */
export function checkUnitFraction(value: unknown, name: string, where: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value >= 1) {
    fail(where, `${name} must be a number in [0, 1), got ${describeValue(value)}`);
  }
  return value;
}
