// ch06/overfit_dropout.py (§6.4.3): the same overfitting setup — a 784-[100]×6-10 net, 300
// training images, SGD lr 0.01, batch 100, 301 epochs with the book's Trainer — now with Dropout
// (ratio 0.2) in MultiLayerNetExtend. Dropout narrows the gap between training and test
// accuracy. As the book's figure 6-23: left without Dropout, right with. Train o, test s.
//   npm run build && node examples/ch06-overfit-dropout.mjs [--quick] [--epochs 301] [--dataset mnist|fashion-mnist]
// Writes out/book/ch06-overfit-dropout.svg. --quick: 101 epochs on the bundled digits.
// Accuracy is measured on all 300 training and all test images every epoch, as the Trainer does.
import { MultiLayerNetExtend, SGD, lineChart, panelGrid, trainNet } from "scratchnet";
import { flags, loadData, writeFigure } from "./book-common.mjs";

const opts = flags({ dataset: "mnist", epochs: 301, seed: 0 });
const data = await loadData({ quick: opts.quick, dataset: opts.dataset });
const epochs = opts.quick ? 101 : opts.epochs;
const train = data.train.slice(0, 300);
const batchSize = 100;
const itersNum = epochs * Math.max(train.count / batchSize, 1); // the Trainer: epochs × iter_per_epoch

const panels = [];
for (const useDropout of [false, true]) {
  const dropoutRatio = 0.2;
  console.log(useDropout ? `with Dropout (ratio ${dropoutRatio})` : "without Dropout");
  const network = new MultiLayerNetExtend({
    inputSize: 784, hiddenSizeList: [100, 100, 100, 100, 100, 100], outputSize: 10, useDropout, dropoutRatio, seed: opts.seed,
  });
  const history = await trainNet(network, { train, test: data.test }, {
    itersNum, batchSize, optimizer: new SGD(0.01), seed: opts.seed,
    onEpoch: ({ epoch, trainAcc, testAcc }) => console.log(`=== epoch:${epoch + 1}, train acc:${trainAcc}, test acc:${testAcc} ===`),
  });
  console.log("=============== Final Test Accuracy ===============");
  console.log(`test acc:${history.finalTestAcc}  (train acc ${history.finalTrainAcc}, gap ${(history.finalTrainAcc - history.finalTestAcc).toFixed(4)})`);
  panels.push(lineChart({
    series: [
      { label: "train", y: history.trainAccList, marker: "o", markEvery: 10 },
      { label: "test", y: history.testAccList, marker: "s", markEvery: 10 },
    ],
    title: useDropout ? `Dropout ${dropoutRatio}` : "without Dropout", xLabel: "epochs", yLabel: "accuracy", yDomain: [0, 1], integerX: true, legend: "lower right",
  }));
}
writeFigure("ch06-overfit-dropout", panelGrid(panels, { cols: 2 }));
