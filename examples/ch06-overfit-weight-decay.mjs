// ch06/overfit_weight_decay.py (§6.4.1–6.4.2): a 784-[100]×6-10 net trained on only 300 images
// (SGD lr 0.01, batch 100, 201 epochs) overfits: training accuracy reaches 1 while test accuracy
// stalls far below. Weight decay (λ = 0.1, the script's setting) narrows the gap. The script's
// first lines switch λ between 0 and 0.1; the book shows both figures, and so does this example:
// left λ = 0 (fig. 6-20), right λ = 0.1 (fig. 6-21). Train marked o, test marked s.
//   npm run build && node examples/ch06-overfit-weight-decay.mjs [--quick] [--epochs 201] [--dataset mnist|fashion-mnist]
// Writes out/book/ch06-overfit-weight-decay.svg. --quick: 101 epochs on the bundled digits.
import { MultiLayerNet, SGD, lineChart, panelGrid, trainNet } from "scratchnet";
import { flags, loadData, writeFigure } from "./book-common.mjs";

const opts = flags({ dataset: "mnist", epochs: 201, seed: 0 });
const data = await loadData({ quick: opts.quick, dataset: opts.dataset });
const maxEpochs = opts.quick ? 101 : opts.epochs;
const train = data.train.slice(0, 300); // x_train[:300]: too little data, so the net overfits
const batchSize = 100;
const iterPerEpoch = Math.max(train.count / batchSize, 1);
const itersNum = (maxEpochs - 1) * iterPerEpoch + 1; // the book's loop stops at its max_epochs-th evaluation

const panels = [];
for (const weightDecayLambda of [0, 0.1]) {
  console.log(`weight decay lambda = ${weightDecayLambda}`);
  const network = new MultiLayerNet({ inputSize: 784, hiddenSizeList: [100, 100, 100, 100, 100, 100], outputSize: 10, weightDecayLambda, seed: opts.seed });
  const history = await trainNet(network, { train, test: data.test }, {
    itersNum, batchSize, optimizer: new SGD(0.01), seed: opts.seed,
    onEpoch: ({ epoch, trainAcc, testAcc }) => console.log(`epoch:${epoch}, train acc:${trainAcc}, test acc:${testAcc}`),
  });
  const gap = history.trainAccList.at(-1) - history.testAccList.at(-1);
  console.log(`lambda ${weightDecayLambda}: last epoch train acc ${history.trainAccList.at(-1).toFixed(4)}, test acc ${history.testAccList.at(-1).toFixed(4)}, gap ${gap.toFixed(4)}`);
  panels.push(lineChart({
    series: [
      { label: "train", y: history.trainAccList, marker: "o", markEvery: 10 },
      { label: "test", y: history.testAccList, marker: "s", markEvery: 10 },
    ],
    title: `weight decay λ = ${weightDecayLambda}`, xLabel: "epochs", yLabel: "accuracy", yDomain: [0, 1], integerX: true, legend: "lower right",
  }));
}
writeFigure("ch06-overfit-weight-decay", panelGrid(panels, { cols: 2 }));
