// ch06/optimizer_compare_mnist.py (§6.1.8): SGD, Momentum, AdaGrad and Adam train the same
// 784-[100]×4-10 ReLU net for 2000 iterations of 128 images at the book's learning rates
// (SGD 0.01, Momentum 0.01, AdaGrad 0.01, Adam 0.001). The figure shows each loss curve smoothed
// as the book does (smooth_curve), marked o / x / s / D every 100 iterations, y from 0 to 1.
//   npm run build && node examples/ch06-optimizer-compare-mnist.mjs [--quick] [--iters 2000] [--dataset mnist|fashion-mnist]
// Writes out/book/ch06-optimizer-compare-mnist.svg. --quick: 300 iterations on the bundled digits.
// Every optimizer sees the same minibatches (one batch seed) and starts from the same weights
// (one net seed); the loss is recorded after each update, as the book does.
import { MultiLayerNet, createOptimizer, lineChart, smoothCurve, trainNet } from "scratchnet";
import { flags, lastMean, loadData, writeFigure } from "./book-common.mjs";

const opts = flags({ iters: 2000, dataset: "mnist", seed: 0 });
const data = await loadData({ quick: opts.quick, dataset: opts.dataset });
const maxIterations = opts.quick ? 300 : opts.iters;

const names = { SGD: "sgd", Momentum: "momentum", AdaGrad: "adagrad", Adam: "adam" };
const markers = { SGD: "o", Momentum: "x", AdaGrad: "s", Adam: "D" };
const trainLoss = {};
for (const [key, name] of Object.entries(names)) {
  // MultiLayerNet's default weight_init_std is 'relu', i.e. He
  const network = new MultiLayerNet({ inputSize: 784, hiddenSizeList: [100, 100, 100, 100], outputSize: 10, seed: opts.seed });
  const history = await trainNet(network, data, {
    itersNum: maxIterations, batchSize: 128, optimizer: createOptimizer(name), seed: opts.seed,
    evaluate: false, lossRecording: "after-update",
  });
  trainLoss[key] = history.trainLossList;
}

// the book prints the four losses every 100 iterations
for (let i = 0; i < maxIterations; i += 100) {
  console.log(`===========iteration:${i}===========`);
  for (const key of Object.keys(names)) console.log(`${key}:${trainLoss[key][i]}`);
}
for (const key of Object.keys(names)) console.log(`${key.padEnd(8)} mean loss of the last 100 iterations: ${lastMean(trainLoss[key]).toFixed(4)}`);

writeFigure("ch06-optimizer-compare-mnist", lineChart({
  series: Object.entries(trainLoss).map(([key, list]) => ({ label: key, y: smoothCurve(list), marker: markers[key], markEvery: 100 })),
  xLabel: "iterations", yLabel: "loss", yDomain: [0, 1], integerX: true, legend: "best", // plt.legend()
}));
