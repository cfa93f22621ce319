// The book's optimizer comparison (ch06/optimizer_compare_mnist.py) on Fashion-MNIST:
// 784-[100]×4-10, He init, ReLU, batch 128, 2000 iterations, the book's learning rates, the
// loss recorded after each update as the book does. Every optimizer sees the same minibatches
// (one batch seed) and starts from the same weights (one net seed).
//
// numpy reference (the book's script on Fashion-MNIST), mean loss of the last 100 iterations:
// SGD ≈ 0.41, Momentum ≈ 0.31, AdaGrad ≈ 0.27, Adam ≈ 0.28. Runs 8000 training steps (about
// a minute on two shared cores), so it is the only test in this file.
import { describe, expect, it } from "vitest";
import { MultiLayerNet, createOptimizer, loadMnist, trainNet } from "../../src/index.node.js";
import { FASHION_DIR } from "../helpers/mnist.js";
import { have } from "../helpers/prerequisites.js";

const NUMPY_REFERENCE = { sgd: 0.41, momentum: 0.31, adagrad: 0.27, adam: 0.28 } as const;
const BOOK_LR = { sgd: 0.01, momentum: 0.01, adagrad: 0.01, adam: 0.001 } as const;

describe.runIf(have("fashion"))("optimizer comparison on Fashion-MNIST (book ch. 6)", () => {
  it("SGD is clearly worst; Momentum, AdaGrad, Adam land near the numpy reference", async () => {
    const data = await loadMnist({ dataset: "fashion-mnist", dataDir: FASHION_DIR, download: false, useSample: false });
    expect(data.train.count).toBe(60000);
    const lastMean: Record<string, number> = {};
    for (const name of Object.keys(NUMPY_REFERENCE) as (keyof typeof NUMPY_REFERENCE)[]) {
      const net = new MultiLayerNet({ inputSize: 784, hiddenSizeList: [100, 100, 100, 100], outputSize: 10, weightInitStd: "he", seed: 0 });
      const history = await trainNet(net, data, {
        itersNum: 2000, batchSize: 128, optimizer: createOptimizer(name, { lr: BOOK_LR[name] }), seed: 0,
        evaluate: false, lossRecording: "after-update",
      });
      expect(history.trainLossList.length).toBe(2000);
      lastMean[name] = history.trainLossList.slice(-100).reduce((a, b) => a + b, 0) / 100;
    }
    for (const name of Object.keys(NUMPY_REFERENCE) as (keyof typeof NUMPY_REFERENCE)[]) {
      expect(Math.abs(lastMean[name] - NUMPY_REFERENCE[name]), `${name}: ${lastMean[name]}`).toBeLessThanOrEqual(0.06);
    }
    const others = Math.max(lastMean.momentum, lastMean.adagrad, lastMean.adam);
    expect(lastMean.sgd, JSON.stringify(lastMean)).toBeGreaterThan(others + 0.05);
  }, 600_000);
});
