// SimpleConvNet end to end on the real Fashion-MNIST (Debian's dataset-fashion-mnist): the book's
// ch07 recipe — 3 epochs over all 60 000 training images, batch 100 (1800 iterations), Adam
// lr 0.001, weight_init_std 0.01 — through the library's own loader, trainer and Adam. The book's
// numpy code reaches 0.881 test accuracy on this recipe; we require ≥ 0.87.
// In its own file so vitest runs it beside the other files.
import { describe, expect, it } from "vitest";
import { Adam, SimpleConvNet, evaluateAccuracy, loadMnist, trainNet } from "../../src/index.node.js";
import { FASHION_DIR } from "../helpers/mnist.js";
import { have } from "../helpers/prerequisites.js";

// Seeds 0, 1, 2 (weights and minibatch draws) gave 0.8726, 0.8650, 0.8791 with this build; the
// book's numpy code gives 0.8807, 0.8719, 0.8693 for its seeds 0, 1, 2 (bench/numpy/train_convnet.py).
// The recipe's own spread straddles 0.87 (our float64 training follows the numpy code to 1e-12,
// see simple-conv-net.test.ts), so seed 0 is fixed here, and a change in kernel rounding can move it.
const SEED = 0;

describe.runIf(have("fashion"))("SimpleConvNet on Fashion-MNIST", () => {
  it("3 epochs, batch 100, Adam lr 0.001: test accuracy ≥ 0.87", async () => {
    const { train, test, isSample } = await loadMnist({ dataset: "fashion-mnist", dataDir: FASHION_DIR, download: false, useSample: false });
    expect(isSample).toBe(false);
    expect([train.count, test.count]).toEqual([60000, 10000]);
    const net = new SimpleConvNet({ dtype: "float32", seed: SEED });
    // Per-epoch accuracy passes over all 70 000 images would cost more than a third of the run;
    // the claim is about the final test accuracy, measured once at the end.
    const history = await trainNet(net, { train, test }, {
      itersNum: 1800, batchSize: 100, optimizer: new Adam(0.001), seed: SEED, evaluate: false,
    });
    expect(history.trainLossList).toHaveLength(1800);
    expect(history.settings).toMatchObject({ itersNum: 1800, batchSize: 100, optimizer: "Adam", trainSize: 60000 });
    const first = history.trainLossList.slice(0, 50).reduce((a, b) => a + b) / 50;
    const last = history.trainLossList.slice(-50).reduce((a, b) => a + b) / 50;
    expect(last).toBeLessThan(first / 3);
    const testAcc = evaluateAccuracy(net, test, { batchSize: 1000 });
    console.log(`SimpleConvNet Fashion-MNIST seed ${SEED}: loss ${first.toFixed(3)} → ${last.toFixed(3)}, test accuracy ${testAcc.toFixed(4)}, ${(history.elapsedMs / 1000).toFixed(1)} s training`);
    expect(testAcc).toBeGreaterThanOrEqual(0.87);
  }, 900_000);
});
