// The book's train_neuralnet.py as one function for Node and browsers: minibatch SGD (or any
// optimizer), losses recorded per iteration, train/test accuracy once per epoch.
import { Rng } from "../random.js";
import { SGD } from "../optim/sgd.js";
import type { Optimizer } from "../optim/optimizer.js";
import { createOptimizer, type OptimizerName } from "../optim/create-optimizer.js";
import type { ImageDataset } from "../data/dataset.js";
import { checkTrainArguments } from "./train-checks.js";
import { fail } from "../shape.js";
import { describeValue } from "../check.js";
import { BatchSampler } from "./sampler.js";
import { evaluateAccuracy } from "./evaluate.js";
import { yieldToEventLoop } from "./yield.js";
import type { ImageSource } from "../data/image-source.js";
import type { TrainableNet } from "./trainable.js";
import { DivergenceMonitor } from "./divergence.js";
import { BackgroundAccuracy, type EpochCounts } from "./background-accuracy.js";
import { gradientOfPendingRows, type PendingRows } from "../nets/pending-rows.js";
import type { LabelBatch } from "../targets.js";

export interface StepInfo {
  iter: number;
  loss: number;
}

export interface EpochInfo {
  epoch: number;
  iter: number;
  trainAcc: number;
  testAcc: number;
}

export interface TrainOptions {
  /** Iterations (minibatch updates). Default 10000, as the book. */
  itersNum?: number;
  /** Default 100. */
  batchSize?: number;
  /** Used for the default optimizer, SGD. Default 0.1. (An explicit optimizer brings its own.) */
  learningRate?: number;
  /**
   * Any optimizer (default `new SGD(learningRate)`), or an optimizer's name ('adam', 'momentum' …)
   * to create one with `learningRate` (or the optimizer's own default rate) for this run.
   */
  optimizer?: Optimizer | OptimizerName;
  /** Seed of the minibatch draws (the net's own seed sets its initial weights). Default 0. */
  seed?: number;
  /** Rows per evaluation forward pass. Default 1000. */
  evalBatchSize?: number;
  /**
   * 'gradient' (default): record the loss computed by the gradient's own forward pass, i.e.
   * before the update — free. 'after-update': the book's order, a second forward pass after
   * the update, about a third more time per step. The two lists differ by one update.
   */
  lossRecording?: "gradient" | "after-update";
  /** Evaluate train and test accuracy every epoch (default true). */
  evaluate?: boolean;
  /** Called after every iteration; may return a promise (e.g. to pause). The object is reused. */
  onStep?: (step: StepInfo) => void | Promise<void>;
  /**
   * Called after every evaluation, in order. On several threads a TwoLayerNet's epochs are
   * counted by the worker while the steps go on, so this comes some steps after the epoch's
   * end (its `iter` says which), and before the run returns.
   */
  onEpoch?: (epoch: EpochInfo) => void | Promise<void>;
  /** Stops the run at the next iteration; the history so far is returned with `aborted: true`. */
  signal?: AbortSignal;
  /** Yield to the event loop at least this often (ms). Default 16 (one frame). */
  yieldEveryMs?: number;
  /**
   * Stop with a DivergenceError when training has diverged (default true): besides a NaN or
   * ±Infinity loss (checked every step, always on), a NaN or ±Infinity parameter (checked every
   * 20 iterations, before each evaluation and at the end) and a loss stuck near its ceiling
   * −ln(1e-7) for 100 iterations (a saturated softmax). See src/train/divergence.ts.
   */
  stopOnDivergence?: boolean;
}

export interface TrainSettings {
  itersNum: number;
  batchSize: number;
  learningRate: number;
  optimizer: string;
  seed: number;
  iterPerEpoch: number;
  lossRecording: "gradient" | "after-update";
  trainSize: number;
  testSize: number;
  dtype: string;
}

export interface TrainHistory {
  trainLossList: number[];
  trainAccList: number[];
  testAccList: number[];
  /** Accuracy after the last iteration (the per-epoch lists stop at the last epoch start). */
  finalTrainAcc: number;
  finalTestAcc: number;
  settings: TrainSettings;
  elapsedMs: number;
  aborted: boolean;
}

const now = (): number => (typeof performance !== "undefined" ? performance.now() : Date.now());

/**
 * Train `net` in place on `data.train`, evaluating on both sets once per epoch. The samplers
 * (and an optimizer made from a name) are this run's and are disposed when it ends.
 */
export async function trainNet(
  net: TrainableNet,
  data: { train: ImageDataset; test: ImageDataset },
  options: TrainOptions = {},
): Promise<TrainHistory> {
  const where = "trainNet";
  checkTrainArguments(net, data, options, where);
  options ??= {};
  const itersNum = options.itersNum ?? 10000;
  const batchSize = options.batchSize ?? 100;
  const learningRate = options.learningRate ?? 0.1;
  const seed = options.seed ?? 0;
  const lossRecording = options.lossRecording ?? "gradient";
  const evaluate = options.evaluate ?? true;
  const yieldEveryMs = options.yieldEveryMs ?? 16;
  if (!Number.isInteger(itersNum) || itersNum < 0) fail(where, `itersNum must be a non-negative integer, got ${itersNum}`);
  if (!Number.isInteger(batchSize) || batchSize <= 0) fail(where, `batchSize must be a positive integer, got ${batchSize}`);
  if (lossRecording !== "gradient" && lossRecording !== "after-update") fail(where, `lossRecording must be 'gradient' or 'after-update'`);
  const { train, test } = data;
  checkCompatible(net, train, test, where);
  const named = typeof options.optimizer === "string";
  const optimizer: Optimizer = named
    ? createOptimizer(options.optimizer as string, options.learningRate === undefined ? {} : { lr: options.learningRate })
    : (options.optimizer as Optimizer | undefined) ?? new SGD(learningRate);
  // what the run really used: an explicit optimizer carries its own rate
  const lr = optimizer.lr ?? learningRate;

  const trainSize = train.count;
  const iterPerEpoch = Math.max(trainSize / batchSize, 1); // a float, as in the book
  const rng = new Rng(seed);
  const outputs = net.outputSize ?? Math.max(train.classes, test.classes);
  const monitor = new DivergenceMonitor(net, outputs, options.stopOnDivergence ?? true, `${optimizer.name}, learning rate ${lr}`, where);
  const evalBatch = options.evalBatchSize ?? 1000;
  const [sampler, trainEval, testEval] = makeSamplers([
    [train, batchSize], [train, Math.min(evalBatch, train.count)], [test, Math.min(evalBatch, test.count)],
  ], net.dtype);

  let background: BackgroundAccuracy | null = null;
  try {
    const trainLossList = new Array<number>(itersNum).fill(0);
    const trainAccList: number[] = [];
    const testAccList: number[] = [];
    // with threads, the book's TwoLayerNet has its epochs counted by the workers while it steps on
    background = evaluate ? BackgroundAccuracy.create(net, train, test) : null;
    const report = async (e: EpochCounts): Promise<void> => {
      trainAccList.push(e.trainAcc);
      testAccList.push(e.testAcc);
      if (options.onEpoch) await options.onEpoch({ epoch: trainAccList.length - 1, iter: e.iter, trainAcc: e.trainAcc, testAcc: e.testAcc });
    };
    const step: StepInfo = { iter: 0, loss: 0 };
    const started = now();
    let lastYield = started;
    let done = 0;
    let aborted = false;

    for (let i = 0; i < itersNum; i++) {
      if (options.signal?.aborted) { aborted = true; break; }
      const rows = sampler.draw(rng);
      const x = rows.x, t = sampler.labelBatch;
      gradientOfRows(net, rows, t); // x holds the rows from here on
      // the book's loss includes the L2 term of nets with weight decay; lastLayer.loss does not
      const lastLoss = net.lastLayer.loss;
      if (typeof lastLoss !== "number") fail(where, `net.lastLayer.loss is ${describeValue(lastLoss)} after net.gradient; the net's last layer must record the loss`);
      let loss = lastLoss + (net.weightDecay ? net.weightDecay() : 0);
      optimizer.updateBlock(net.paramBlock, net.gradBlock);
      if (lossRecording === "after-update") loss = net.loss(x, t);
      monitor.step(i, loss);
      trainLossList[i] = loss;
      done = i + 1;
      step.iter = i;
      step.loss = loss;
      if (options.onStep) await options.onStep(step);

      if (evaluate && i % iterPerEpoch === 0) {
        monitor.checkParameters(i); // never evaluate (or report) a net holding NaN
        const earlier = background?.finish(); // one epoch out at a time, reported in order
        if (earlier) await report(earlier);
        if (!background?.start(i)) {
          await report({ iter: i, trainAcc: evaluateAccuracy(net, train, { sampler: trainEval }), testAcc: evaluateAccuracy(net, test, { sampler: testEval }) });
        }
      } else if (background?.busy) {
        const done = background.poll();
        if (done) await report(done);
      }
      const t1 = now();
      if (t1 - lastYield >= yieldEveryMs) {
        await yieldToEventLoop();
        lastYield = now();
      }
    }
    trainLossList.length = done;
    if (done > 0) monitor.checkParameters(done - 1);
    const last = background?.finish();
    if (last) await report(last);

    return {
      trainLossList,
      trainAccList,
      testAccList,
      finalTrainAcc: evaluate ? evaluateAccuracy(net, train, { sampler: trainEval }) : NaN,
      finalTestAcc: evaluate ? evaluateAccuracy(net, test, { sampler: testEval }) : NaN,
      settings: {
        itersNum, batchSize, learningRate: lr, optimizer: optimizer.name, seed, iterPerEpoch, lossRecording,
        trainSize, testSize: test.count, dtype: net.dtype,
      },
      elapsedMs: now() - started,
      aborted,
    };
  } finally {
    // this run's memory goes back now, not whenever the garbage collector gets to it
    background?.dispose(); // first: it waits for any counting still reading the datasets
    sampler.dispose();
    trainEval.dispose();
    testEval.dispose();
    if (named) optimizer.dispose?.();
  }
}

/**
 * net.gradient of a drawn batch: a net that gathers pending rows in its own step (TwoLayerNet:
 * each thread its rows, see nets/pending-rows.ts) takes them as they are; any other reads them
 * gathered.
 */
function gradientOfRows(net: TrainableNet & { [gradientOfPendingRows]?: (rows: PendingRows, t: LabelBatch) => unknown }, rows: PendingRows, t: LabelBatch): void {
  if (typeof net[gradientOfPendingRows] === "function") {
    net[gradientOfPendingRows](rows, t);
  } else {
    rows.gather();
    net.gradient(rows.x, t);
  }
}

/** The run's samplers; if one cannot be made, those already made are disposed before the error. */
function makeSamplers(specs: [ImageDataset, number][], dtype: TrainableNet["dtype"]): BatchSampler[] {
  const made: BatchSampler[] = [];
  try {
    for (const [source, capacity] of specs) made.push(new BatchSampler(source, capacity, dtype));
    return made;
  } catch (error) {
    for (const s of made) s.dispose();
    throw error;
  }
}

function checkCompatible(net: TrainableNet, train: ImageSource, test: ImageSource, where: string): void {
  if (train.rowLen !== test.rowLen) fail(where, `train rows have ${train.rowLen} values but test rows have ${test.rowLen}`);
  const { outputSize, inputSize } = net;
  const classes = Math.max(train.classes, test.classes);
  if (outputSize !== undefined && outputSize < classes) fail(where, `the net has ${outputSize} outputs but the data has ${classes} classes`);
  if (inputSize !== undefined && train.flatten && inputSize !== train.rowLen) {
    fail(where, `the net expects ${inputSize} inputs but ${train.name} rows have ${train.rowLen}`);
  }
}
