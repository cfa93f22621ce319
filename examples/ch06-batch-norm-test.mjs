// §6.3.2 batch_norm_test.py: a 784-[100]×5-10 net on 1000 training images, SGD lr 0.01,
// batch 100, 20 epochs, with and without Batch Normalization, for 16 initial weight scales
// from 1 down to 1e-4 (np.logspace(0, -4, 16)). The figure is the book's 4×4 grid of
// training accuracy per epoch (solid: BatchNorm, dashed: without).
//   npm run build && node examples/ch6-batch-norm-compare.mjs [--dataset fashion-mnist|mnist] [--epochs 20]
// Writes out/ch6-batch-norm-compare.svg.
import { MultiLayerNetExtend, SGD, lineChart, trainNet } from "scratchnet";
import { flags, loadData, svgGrid, writeOut } from "./ch6-common.mjs";

const opts = flags({ dataset: "fashion-mnist", epochs: 20, seed: 0 });
const data = await loadData(opts.dataset);
const train = data.train.slice(0, 1000);
const batchSize = 100;
const iterPerEpoch = Math.max(train.count / batchSize, 1);
// trainNet evaluates at iterations 0, 10, 20 … like the book's loop, which stops at its 20th evaluation
const itersNum = (opts.epochs - 1) * iterPerEpoch + 1;

const weightScaleList = Array.from({ length: 16 }, (_, i) => 10 ** (-4 * i / 15)); // np.logspace(0, -4, 16)
const charts = [];
console.log("weight scale   final train acc: BatchNorm / normal");
for (const [i, w] of weightScaleList.entries()) {
  const acc = {}, diverged = {};
  for (const useBatchnorm of [true, false]) {
    const key = useBatchnorm ? "bn" : "plain";
    const network = new MultiLayerNetExtend({ inputSize: 784, hiddenSizeList: [100, 100, 100, 100, 100], outputSize: 10, weightInitStd: w, useBatchnorm, seed: opts.seed });
    acc[key] = [];
    try {
      // the training set doubles as the "test" set: the book plots training accuracy only
      await trainNet(network, { train, test: train }, {
        itersNum, batchSize, optimizer: new SGD(0.01), seed: opts.seed + i, onEpoch: (e) => { acc[key].push(e.trainAcc); },
      });
    } catch (e) {
      // Large initial weights without BatchNorm blow up to Infinity/NaN within a few steps.
      // numpy carries on with NaN weights (its accuracy then sits near 0.1); trainNet stops.
      if (e.name !== "DivergenceError") throw e;
      diverged[key] = { iteration: e.iteration, what: e.kind === "saturated" ? "saturated" : "NaN" };
    }
  }
  const show = (key) => (diverged[key] ? `diverged (${diverged[key].what}) at iteration ${diverged[key].iteration}` : acc[key].at(-1).toFixed(3));
  console.log(`${w.toExponential(2).padEnd(14)} ${show("bn")} / ${show("plain")}`);
  charts.push(lineChart({
    series: [{ label: "Batch Normalization", y: acc.bn }, { label: "Normal(without BatchNorm)", y: acc.plain, dashed: true }].filter((s) => s.y.length > 0),
    title: `${i + 1}: W:${w.toPrecision(3)}${diverged.plain ? ` (normal: ${diverged.plain.what})` : ""}`,
    yDomain: [0, 1],
    integerX: true,
    legend: i === 15 ? "lower right" : "none",
    width: 320,
    height: 240,
    idPrefix: `bn${i}`,
  }));
}
writeOut("ch6-batch-norm-compare.svg", svgGrid(charts, 4, 320, 240));
