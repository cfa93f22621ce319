import { it } from "vitest";
import { MultiLayerNet, loadMnist, trainNet, createOptimizer } from "../src/index.node.js";
it("speed", async () => {
  const t0 = performance.now();
  const data = await loadMnist({ dataset: "fashion-mnist", dataDir: "/usr/share/datasets/fashion-mnist", download: false, useSample: false });
  console.log("load ms", performance.now() - t0, data.train.count, data.isSample);
  for (const name of ["sgd", "momentum", "adagrad", "adam"]) {
    const net = new MultiLayerNet({ inputSize: 784, hiddenSizeList: [100, 100, 100, 100], outputSize: 10, seed: 0 });
    const h = await trainNet(net, data, { itersNum: 2000, batchSize: 128, optimizer: createOptimizer(name), seed: 0, evaluate: false, lossRecording: "after-update" });
    const last = h.trainLossList.slice(-100);
    console.log(name, h.elapsedMs.toFixed(0), (last.reduce((a, b) => a + b, 0) / 100).toFixed(4));
  }
}, 600000);
