// §6.2.4 weight_init_compare.py: the same 784-[100]×4-10 ReLU net trained with SGD (lr 0.01,
// batch 128, 2000 iterations) from three initial weight scales: std = 0.01, Xavier (√(1/n))
// and He (√(2/n)). With std = 0.01 the activations vanish layer by layer and nothing is learnt.
//   npm run build && node examples/ch6-weight-init-compare.mjs [--dataset fashion-mnist|mnist] [--iters 2000]
// Writes out/ch6-weight-init-compare.svg.
import { MultiLayerNet, SGD, trainNet } from "scratchnet";
import { flags, lastMean, loadData, lossComparisonFigure, writeOut } from "./ch6-common.mjs";

const opts = flags({ dataset: "fashion-mnist", iters: 2000, seed: 0 });
const data = await loadData(opts.dataset);

// the book's weight_init_types: 'sigmoid' means Xavier, 'relu' means He
const weightInitTypes = { "std=0.01": 0.01, Xavier: "sigmoid", He: "relu" };
const trainLoss = {};
for (const [label, weightInitStd] of Object.entries(weightInitTypes)) {
  const network = new MultiLayerNet({ inputSize: 784, hiddenSizeList: [100, 100, 100, 100], outputSize: 10, weightInitStd, seed: opts.seed });
  const history = await trainNet(network, data, {
    itersNum: opts.iters, batchSize: 128, optimizer: new SGD(0.01), seed: opts.seed, evaluate: false, lossRecording: "after-update",
  });
  trainLoss[label] = history.trainLossList;
  console.log(`${label.padEnd(9)} loss: first ${history.trainLossList[0].toFixed(4)}, mean of the last 100 ${lastMean(history.trainLossList).toFixed(4)}`);
}

writeOut("ch6-weight-init-compare.svg", lossComparisonFigure(trainLoss, 2.5, `weight init comparison (${opts.dataset})`));
