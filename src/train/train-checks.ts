// trainNet's argument checks, before anything is allocated: every option's type and range,
// the data (two ImageDatasets of one row length, labels within the net's outputs) and the net.
import { fail } from "../shape.js";
import { checkOptions, describeValue } from "../check.js";
import { datasetMemory, type ImageDataset } from "../data/dataset.js";
import { OPTIMIZER_NAMES } from "../optim/create-optimizer.js";
import type { Optimizer } from "../optim/optimizer.js";
import { checkTrainable, type TrainableNet } from "./trainable.js";
import type { TrainOptions } from "./train.js";

/** A run's loss list holds one number per iteration: 10^7 is 80 MB, the book's run is 10^4. */
const MAX_ITERS = 10_000_000;
const INTEGER_OPTIONS = ["itersNum", "batchSize", "seed", "evalBatchSize", "yieldEveryMs"] as const;

export function checkTrainArguments(net: TrainableNet, data: { train: ImageDataset; test: ImageDataset }, options: TrainOptions, where: string): void {
  checkTrainable(net, where);
  if (typeof data !== "object" || data === null) fail(where, `data must be { train, test } (two ImageDatasets), got ${describeValue(data)}`);
  datasetMemory(data.train, `${where}: data.train`);
  datasetMemory(data.test, `${where}: data.test`);
  const o = checkOptions(options, where);
  for (const key of INTEGER_OPTIONS) {
    const v = o[key];
    if (v !== undefined && (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0)) fail(where, `${key} must be a non-negative integer, got ${describeValue(v)}`);
  }
  if (o.batchSize === 0) fail(where, "batchSize must be a positive integer, got 0");
  if (o.itersNum !== undefined && o.itersNum > MAX_ITERS) fail(where, `itersNum must be at most ${MAX_ITERS} (the loss list alone would not fit), got ${o.itersNum}`);
  if (o.evalBatchSize === 0) fail(where, "evalBatchSize must be a positive integer, got 0");
  if (o.learningRate !== undefined && (typeof o.learningRate !== "number" || !Number.isFinite(o.learningRate) || o.learningRate <= 0)) {
    fail(where, `learningRate must be a positive finite number, got ${describeValue(o.learningRate)}`);
  }
  if (o.evaluate !== undefined && typeof o.evaluate !== "boolean") fail(where, `evaluate must be true or false, got ${describeValue(o.evaluate)}`);
  for (const key of ["onStep", "onEpoch"] as const) {
    if (o[key] !== undefined && typeof o[key] !== "function") fail(where, `${key} must be a function, got ${describeValue(o[key])}`);
  }
  if (o.signal !== undefined && (typeof o.signal !== "object" || o.signal === null || typeof o.signal.aborted !== "boolean")) {
    fail(where, `signal must be an AbortSignal, got ${describeValue(o.signal)}`);
  }
  const opt = o.optimizer as unknown;
  if (typeof opt === "string") {
    if (!(OPTIMIZER_NAMES as readonly string[]).includes(opt.toLowerCase())) fail(where, `unknown optimizer '${opt.slice(0, 40)}'; choose one of ${OPTIMIZER_NAMES.join(", ")} or pass an optimizer object`);
  } else if (opt !== undefined) {
    const ok = typeof opt === "object" && opt !== null && typeof (opt as Optimizer).updateBlock === "function" && typeof (opt as Optimizer).name === "string";
    if (!ok) fail(where, `optimizer must be an optimizer (new SGD(0.1), new Adam(), createOptimizer('adam') …) or a name such as 'adam', got ${describeValue(opt)}`);
  }
}
