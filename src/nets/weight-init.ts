// Initial weight scales (§6.2), with the book's `weight_init_std` semantics
// (common/multi_layer_net.py): a number is the standard deviation itself; 'relu'/'he' mean
// He's √(2/n) and 'sigmoid'/'xavier' Xavier's √(1/n), n being the previous layer's width.
import { fail } from "../shape.js";
import { describeValue } from "../check.js";

export type WeightInitStd = number | "relu" | "he" | "sigmoid" | "xavier" | "ReLU" | "He" | "Sigmoid" | "Xavier";

/** σ of the weights of a layer fed by `nPrev` units. Names are case-insensitive, as in the book. */
export function weightInitScale(weightInitStd: WeightInitStd, nPrev: number, where = "weightInitScale"): number {
  if (typeof where !== "string") where = "weightInitScale";
  if (typeof nPrev !== "number" || !Number.isInteger(nPrev) || nPrev < 1) fail(where, `nPrev must be a positive integer (the previous layer's width), got ${describeValue(nPrev)}`);
  if (typeof weightInitStd === "number") {
    if (!Number.isFinite(weightInitStd) || weightInitStd < 0) fail(where, `weightInitStd must be a finite number ≥ 0, 'he'/'relu' or 'xavier'/'sigmoid', got ${describeValue(weightInitStd)}`);
    return weightInitStd;
  }
  const name = typeof weightInitStd === "string" ? weightInitStd.toLowerCase() : "";
  // Math.sqrt is IEEE-exact, so these scales are the same in every engine
  if (name === "relu" || name === "he") return Math.sqrt(2.0 / nPrev);
  if (name === "sigmoid" || name === "xavier") return Math.sqrt(1.0 / nPrev);
  return fail(where, `weightInitStd must be a number, 'he'/'relu' or 'xavier'/'sigmoid', got ${describeValue(weightInitStd)}`);
}
