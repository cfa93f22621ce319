// Optimizers by name, for the CLI (`--optimizer adam --lr 0.001`) and for experiments that
// loop over the book's list. Unset options take the book's defaults.
import { fail } from "../shape.js";
import type { Optimizer } from "./optimizer.js";
import { SGD } from "./sgd.js";
import { Momentum } from "./momentum.js";
import { Nesterov } from "./nesterov.js";
import { AdaGrad } from "./adagrad.js";
import { RMSprop } from "./rmsprop.js";
import { Adam } from "./adam.js";
import { checkOptions, describeValue } from "../check.js";

export const OPTIMIZER_NAMES = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

export interface OptimizerOptions {
  lr?: number;
  /** Momentum, Nesterov. */
  momentum?: number;
  /** RMSprop. */
  decayRate?: number;
  /** Adam. */
  beta1?: number;
  beta2?: number;
}

/** Which options each optimizer understands (anything else given is an error, not ignored). */
const ACCEPTS: Record<OptimizerName, readonly (keyof OptimizerOptions)[]> = {
  sgd: ["lr"],
  momentum: ["lr", "momentum"],
  nesterov: ["lr", "momentum"],
  adagrad: ["lr"],
  rmsprop: ["lr", "decayRate"],
  adam: ["lr", "beta1", "beta2"],
};

/** `name` is case-insensitive ('Adam', 'adam', 'SGD' …). */
export function createOptimizer(name: string, options: OptimizerOptions = {}): Optimizer {
  if (typeof name !== "string") fail("createOptimizer", `name must be a string such as 'adam', got ${describeValue(name)}`);
  options = checkOptions(options, "createOptimizer");
  const key = name.toLowerCase() as OptimizerName;
  if (!(OPTIMIZER_NAMES as readonly string[]).includes(key)) {
    fail("createOptimizer", `unknown optimizer '${name.slice(0, 40)}'; choose one of ${OPTIMIZER_NAMES.join(", ")}`);
  }
  for (const [option, value] of Object.entries(options)) {
    if (value !== undefined && !ACCEPTS[key].includes(option as keyof OptimizerOptions)) {
      fail("createOptimizer", `option '${option}' does not apply to ${key} (it takes ${ACCEPTS[key].join(", ")})`);
    }
  }
  const o = options;
  switch (key) {
    case "sgd": return new SGD(o.lr ?? 0.01);
    case "momentum": return new Momentum(o.lr ?? 0.01, o.momentum ?? 0.9);
    case "nesterov": return new Nesterov(o.lr ?? 0.01, o.momentum ?? 0.9);
    case "adagrad": return new AdaGrad(o.lr ?? 0.01);
    case "rmsprop": return new RMSprop(o.lr ?? 0.01, o.decayRate ?? 0.99);
    case "adam": return new Adam(o.lr ?? 0.001, o.beta1 ?? 0.9, o.beta2 ?? 0.999);
  }
}
