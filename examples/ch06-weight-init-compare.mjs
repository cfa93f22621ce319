// ch06/weight_init_compare.py (§6.2.4): the same 784-[100]×4-10 ReLU net trained with SGD
// (lr 0.01, 128 images per batch, 2000 iterations) from three initial weight scales: std 0.01,
// Xavier (√(1/n)) and He (√(2/n)). With std 0.01 the activations vanish layer by layer and the
// net learns nothing; He learns fastest. Smoothed losses marked o / s / D, y from 0 to 2.5.
//   npm run build && node examples/ch06-weight-init-compare.mjs [--quick] [--iters 2000] [--dataset mnist|fashion-mnist]
// Writes out/book/ch06-weight-init-compare.svg. --quick: 300 iterations on the bundled digits.
import { MultiLayerNet, SGD, lineChart, smoothCurve, trainNet } from "scratchnet";
import { flags, lastMean, loadData, writeFigure } from "./book-common.mjs";

const opts = flags({ iters: 2000, dataset: "mnist", seed: 0 });
const data = await loadData({ quick: opts.quick, dataset: opts.dataset });
const maxIterations = opts.quick ? 300 : opts.iters;

// the book's weight_init_types: 'sigmoid' means Xavier, 'relu' means He
const weightInitTypes = { "std=0.01": 0.01, Xavier: "sigmoid", He: "relu" };
const markers = { "std=0.01": "o", Xavier: "s", He: "D" };
const trainLoss = {};
for (const [key, weightInitStd] of Object.entries(weightInitTypes)) {
  const network = new MultiLayerNet({ inputSize: 784, hiddenSizeList: [100, 100, 100, 100], outputSize: 10, weightInitStd, seed: opts.seed });
  const history = await trainNet(network, data, {
    itersNum: maxIterations, batchSize: 128, optimizer: new SGD(0.01), seed: opts.seed, evaluate: false, lossRecording: "after-update",
  });
  trainLoss[key] = history.trainLossList;
}

for (let i = 0; i < maxIterations; i += 100) {
  console.log(`===========iteration:${i}===========`);
  for (const key of Object.keys(weightInitTypes)) console.log(`${key}:${trainLoss[key][i]}`);
}
for (const key of Object.keys(weightInitTypes)) {
  console.log(`${key.padEnd(9)} loss: first ${trainLoss[key][0].toFixed(4)}, mean of the last 100 ${lastMean(trainLoss[key]).toFixed(4)}`);
}

writeFigure("ch06-weight-init-compare", lineChart({
  series: Object.entries(trainLoss).map(([key, list]) => ({ label: key, y: smoothCurve(list), marker: markers[key], markEvery: 100 })),
  xLabel: "iterations", yLabel: "loss", yDomain: [0, 2.5], integerX: true, legend: "best",
}));
