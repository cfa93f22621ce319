// trainNet stops a diverged run (issue 14 §4): at lr 1e6 every configuration used to run to the
// end with its loss saturated at 13–15 (the log(y + 1e-7) ceiling) and, with BatchNorm, NaN
// weights. Now each stops early with a DivergenceError naming the iteration and what was seen,
// and runs that are merely aggressive (a loss spike that recovers) are left alone.
// Real data: the bundled MNIST test digits, first 8000 to train, last 2000 to test.
import { describe, expect, it } from "vitest";
import {
  DivergenceError, MultiLayerNet, MultiLayerNetExtend, SimpleConvNet, TwoLayerNet, createOptimizer, trainNet,
  type TrainOptions, type TrainableNet,
} from "../../../src/index.node.js";
import { CHECK_EVERY, FLOOR_WINDOWS, LOSS_CEILING } from "../../../src/train/divergence.js";
import { mnistSplit } from "../../helpers/mnist.js";

const LR = 1e6;
const two = (extra: object = {}) => (): TrainableNet => new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, seed: 0, ...extra });

const CONFIGS: { name: string; net: () => TrainableNet; options: TrainOptions; flatten?: boolean }[] = [
  { name: "SGD", net: two(), options: { learningRate: LR } },
  { name: "Momentum", net: two(), options: { optimizer: createOptimizer("momentum", { lr: LR }) } },
  { name: "Adam", net: two(), options: { optimizer: createOptimizer("adam", { lr: LR }) } },
  { name: "AdaGrad", net: two(), options: { optimizer: createOptimizer("adagrad", { lr: LR }) } },
  { name: "float64", net: two({ dtype: "float64" }), options: { learningRate: LR } },
  { name: "sigmoid", net: two({ activation: "sigmoid" }), options: { learningRate: LR } },
  { name: "after-update loss", net: two(), options: { learningRate: LR, lossRecording: "after-update" } },
  {
    name: "BatchNorm (MultiLayerNetExtend)",
    net: () => new MultiLayerNetExtend({ inputSize: 784, hiddenSizeList: [50, 50, 50, 50, 50], outputSize: 10, useBatchnorm: true, seed: 0 }),
    options: { learningRate: LR },
  },
  {
    name: "SimpleConvNet",
    net: () => new SimpleConvNet({ convParam: { filterNum: 8 }, hiddenSize: 50, seed: 0 }),
    options: { learningRate: LR },
    flatten: false,
  },
];

/** Runs `itersNum` iterations; returns the DivergenceError it must throw. */
async function divergence(net: TrainableNet, options: TrainOptions, flatten = true): Promise<DivergenceError> {
  const error = await trainNet(net, await mnistSplit(flatten), { itersNum: 2000, evaluate: false, ...options }).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(DivergenceError);
  return error as DivergenceError;
}

describe("trainNet at learning rate 1e6 stops with a DivergenceError", () => {
  for (const c of CONFIGS) {
    it(c.name, async () => {
      const e = await divergence(c.net(), c.options, c.flatten);
      expect(e.name).toBe("DivergenceError");
      // within the check period of the loss ceiling (100 iterations), long before the 2000 asked for
      expect(e.iteration).toBeLessThan(CHECK_EVERY * FLOOR_WINDOWS);
      expect(e.message).toMatch(/\(\w+, learning rate 1000000\); training diverged — try a smaller learning rate$/);
      if (e.kind === "saturated") {
        expect(e.message).toMatch(/^trainNet: the loss has stayed at its ceiling for 100 iterations \(mean (1[0-6]|9)\.\d\d over iterations 0–99; a uniform guess scores 2\.30, and −ln\(1e-7\) = 16\.12 is what a row costs/);
      } else {
        expect(e.kind).toBe("parameters");
        expect(e.message).toMatch(/^trainNet: (parameter W1|BatchNorm statistic runningVar\d) became non-finite by iteration 19: (NaN|-?Infinity) at \[\d+(, \d+)?\], \d+ of its \d+ entries NaN or ±Infinity/);
      }
    });
  }

  it("names the parameter, where and how much of it went non-finite (BatchNorm, one hidden layer)", async () => {
    const net = new MultiLayerNetExtend({ inputSize: 784, hiddenSizeList: [50], outputSize: 10, useBatchnorm: true, seed: 0 });
    const e = await divergence(net, { learningRate: LR, evaluate: true });
    expect(e.kind).toBe("parameters");
    // evaluation at iteration 0 saw finite parameters; the next check (iteration 19) did not
    expect(e.message).toMatch(/^trainNet: parameter W1 became non-finite by iteration 19: NaN at \[\d+, \d+\], \d+ of its 39200 entries NaN or ±Infinity \(its gradient too\); every parameter was still finite at iteration 0 \(SGD/);
    expect(e.iteration).toBe(19);
  });

  it("a NaN loss still stops at once (the check every step)", async () => {
    const e = await divergence(new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, seed: 0, dtype: "float32" }), { learningRate: 1e38 });
    expect(e.kind === "loss" || e.kind === "parameters").toBe(true);
    expect(e.iteration).toBeLessThan(CHECK_EVERY);
  });

  it("with weight decay too (λ = 0.1, the chapter 6 overfitting net): the parameters go non-finite, the run stops", async () => {
    const net = new MultiLayerNet({ inputSize: 784, hiddenSizeList: [100, 100, 100, 100, 100, 100], outputSize: 10, weightDecayLambda: 0.1, seed: 0 });
    const e = await divergence(net, { learningRate: LR });
    expect(e.iteration).toBeLessThan(CHECK_EVERY * FLOOR_WINDOWS);
    expect(["loss", "parameters", "saturated"]).toContain(e.kind);
    expect(e.message).toMatch(/\(SGD, learning rate 1000000\); training diverged — try a smaller learning rate$/);
  });

  it("stopOnDivergence: false runs the whole saturated run (what the check prevents)", async () => {
    const net = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, seed: 0 });
    const h = await trainNet(net, await mnistSplit(), { itersNum: 200, learningRate: LR, stopOnDivergence: false });
    expect(h.trainLossList).toHaveLength(200);
    const tail = h.trainLossList.slice(100);
    expect(tail.reduce((a, b) => a + b, 0) / tail.length).toBeGreaterThan(10); // at the ceiling
    expect(h.finalTestAcc).toBeLessThan(0.3); // chance level, the run learned nothing
  });
});

describe("healthy and merely aggressive runs are not stopped", () => {
  it("the book's recipe (TwoLayerNet, SGD lr 0.1, batch 100) on MNIST digits: 2000 iterations", async () => {
    const h = await trainNet(new TwoLayerNet(784, 50, 10, 0.01, { seed: 0 }), await mnistSplit(), { itersNum: 2000, seed: 0 });
    expect(h.trainLossList).toHaveLength(2000);
    expect(h.finalTestAcc).toBeGreaterThan(0.88);
  });

  it("a spike to the ceiling that falls back (AdaGrad lr 1.5, 5-layer net) runs to the end", async () => {
    // measured: one 20-iteration window averages ~13, then the loss drops to ~2.3 and stays
    const net = new MultiLayerNet({ inputSize: 784, hiddenSizeList: [100, 100, 100, 100], outputSize: 10, weightInitStd: "he", seed: 0 });
    const losses: number[] = [];
    const h = await trainNet(net, await mnistSplit(), {
      itersNum: 400, batchSize: 128, optimizer: createOptimizer("adagrad", { lr: 1.5 }), evaluate: false,
      onStep: (s) => { losses.push(s.loss); },
    });
    expect(h.trainLossList).toHaveLength(400);
    const windows = Array.from({ length: 20 }, (_, w) => losses.slice(w * 20, w * 20 + 20).reduce((a, b) => a + b, 0) / 20);
    expect(Math.max(...windows)).toBeGreaterThan(10); // it did hit the ceiling region…
    expect(windows.filter((m) => m > 9.2).length).toBeLessThan(FLOOR_WINDOWS); // …but not for long
  });

  it("weight decay λ = 0.1 (ch06/overfit_weight_decay.py): a recorded loss of ~63 from 0.5·λ·ΣW² is not a saturated softmax", async () => {
    // the book's setting: 784-[100]×6-10, He weights, SGD lr 0.01, batch 100, 300 training images
    const net = new MultiLayerNet({ inputSize: 784, hiddenSizeList: [100, 100, 100, 100, 100, 100], outputSize: 10, weightDecayLambda: 0.1, seed: 0 });
    const data = await mnistSplit();
    const dataLosses: number[] = [];
    const h = await trainNet(net, { train: data.train.slice(0, 300), test: data.test }, {
      itersNum: 300, batchSize: 100, optimizer: createOptimizer("sgd", { lr: 0.01 }), seed: 0, evaluate: false,
      onStep: () => { dataLosses.push(net.lastLayer.loss as number); },
    });
    expect(h.trainLossList).toHaveLength(300);
    // what the old check looked at: every 20-iteration window of the recorded loss far above
    // halfway to the ceiling, for the whole run (it used to stop here at iteration 99)
    const halfway = (Math.log(10) + LOSS_CEILING) / 2;
    const windows = Array.from({ length: 15 }, (_, w) => h.trainLossList.slice(w * 20, w * 20 + 20).reduce((a, b) => a + b, 0) / 20);
    expect(Math.min(...windows)).toBeGreaterThan(halfway);
    expect(h.trainLossList[0]).toBeGreaterThan(50);
    // while the cross-entropy itself is an ordinary one, falling
    expect(Math.max(...dataLosses)).toBeLessThan(halfway);
    expect(dataLosses.slice(-20).reduce((a, b) => a + b, 0) / 20).toBeLessThan(dataLosses.slice(0, 20).reduce((a, b) => a + b, 0) / 20);
  });

  it("large initial weights with BatchNorm (the chapter 6 experiment's W = 1 panel) train", async () => {
    const net = new MultiLayerNetExtend({ inputSize: 784, hiddenSizeList: [100, 100, 100, 100, 100], outputSize: 10, weightInitStd: 1, useBatchnorm: true, seed: 0 });
    const data = await mnistSplit();
    const h = await trainNet(net, { train: data.train.slice(0, 1000), test: data.test }, { itersNum: 191, batchSize: 100, optimizer: createOptimizer("sgd", { lr: 0.01 }), seed: 0 });
    expect(h.trainLossList).toHaveLength(191);
    expect(Math.max(...h.trainLossList)).toBeGreaterThan(8); // starts deep in the ceiling region
  });
});
