// ch06/batch_norm_test.py (§6.3.2): a 784-[100]×5-10 net on 1000 training images, SGD lr 0.01,
// batch 100, 20 epochs, with and without Batch Normalization, for 16 initial weight scales from
// 1 down to 1e-4 (np.logspace(0, -4, 16)). The figure is the book's 4×4 grid of training accuracy
// per epoch: solid with Batch Normalization, dashed without.
//   npm run build && node examples/ch06-batch-norm-test.mjs [--quick] [--epochs 20] [--dataset mnist|fashion-mnist]
// Writes out/book/ch06-batch-norm-test.svg. --quick: 4 epochs on the bundled digits.
import { MultiLayerNetExtend, SGD, lineChart, panelGrid, trainNet } from "scratchnet";
import { flags, loadData, writeFigure } from "./book-common.mjs";

const opts = flags({ dataset: "mnist", epochs: 20, seed: 0 });
const data = await loadData({ quick: opts.quick, dataset: opts.dataset });
const maxEpochs = opts.quick ? 4 : opts.epochs;
const train = data.train.slice(0, 1000); // x_train[:1000]: less data, so the difference shows
const batchSize = 100;
const iterPerEpoch = Math.max(train.count / batchSize, 1);
// trainNet evaluates at iterations 0, 10, 20 … like the book's loop, which stops at its 20th evaluation
const itersNum = (maxEpochs - 1) * iterPerEpoch + 1;

const weightScaleList = Array.from({ length: 16 }, (_, i) => 10 ** (-4 * i / 15)); // np.logspace(0, -4, num=16)
const panels = [];
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
  panels.push(lineChart({
    series: [{ label: "Batch Normalization", y: acc.bn }, { label: "Normal(without BatchNorm)", y: acc.plain, dashed: true }].filter((s) => s.y.length > 0),
    title: `W:${w.toPrecision(3)}${diverged.plain ? ` (normal: ${diverged.plain.what})` : ""}`,
    yDomain: [0, 1], xDomain: [-0.05 * (maxEpochs - 1), 1.05 * (maxEpochs - 1)], integerX: true,
    yLabel: i % 4 === 0 ? "accuracy" : undefined, yTicks: i % 4 === 0, // the book's plt.yticks([]) on inner panels
    xLabel: i >= 12 ? "epochs" : undefined, xTicks: i >= 12,
    legend: i === 15 ? "lower right" : "none", // only the last panel has labels
    width: 320, height: 240, box: { left: 0.16, top: 0.1, bottom: 0.84 }, // room for the labels in a small panel
  }));
}
writeFigure("ch06-batch-norm-test", panelGrid(panels, { cols: 4 }));
