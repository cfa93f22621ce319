// §6.1.7 optimizer_compare_mnist.py: SGD, Momentum, AdaGrad and Adam train the same
// 784-[100]×4-10 ReLU net (He init) for 2000 iterations of batch 128 at the book's learning
// rates; the figure shows each loss curve smoothed as the book does (smooth_curve).
//   npm run build && node examples/ch6-optimizer-compare.mjs [--dataset fashion-mnist|mnist] [--iters 2000]
// Writes out/ch6-optimizer-compare.svg. Every optimizer sees the same minibatches (one batch
// seed) and starts from the same weights (one net seed); losses are recorded after each
// update, as the book does.
import { MultiLayerNet, createOptimizer, trainNet } from "scratchnet";
import { flags, lastMean, loadData, lossComparisonFigure, writeOut } from "./ch6-common.mjs";

const opts = flags({ dataset: "fashion-mnist", iters: 2000, seed: 0 });
const data = await loadData(opts.dataset);

// the book's choices: SGD lr 0.01, Momentum 0.01, AdaGrad 0.01, Adam 0.001 (createOptimizer's defaults)
const names = { SGD: "sgd", Momentum: "momentum", AdaGrad: "adagrad", Adam: "adam" };
const trainLoss = {};
for (const [label, name] of Object.entries(names)) {
  const network = new MultiLayerNet({ inputSize: 784, hiddenSizeList: [100, 100, 100, 100], outputSize: 10, weightInitStd: "he", seed: opts.seed });
  const history = await trainNet(network, data, {
    itersNum: opts.iters, batchSize: 128, optimizer: createOptimizer(name), seed: opts.seed,
    evaluate: false, lossRecording: "after-update",
  });
  trainLoss[label] = history.trainLossList;
  console.log(`${label.padEnd(8)} mean loss of the last 100 iterations: ${lastMean(history.trainLossList).toFixed(4)}`);
}

// the book prints every 100 iterations
for (let i = 0; i < opts.iters; i += 500) {
  console.log(`===========iteration:${i}===========`);
  for (const label of Object.keys(names)) console.log(`${label}:${trainLoss[label][i]}`);
}

writeOut("ch6-optimizer-compare.svg", lossComparisonFigure(trainLoss, 1, `optimizer comparison (${opts.dataset})`));
