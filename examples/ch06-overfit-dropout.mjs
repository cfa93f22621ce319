// §6.4.1–6.4.3 overfit_weight_decay.py / overfit_dropout.py: a 784-[100]×6-10 net on only
// 300 training images (SGD lr 0.01, batch 100, 301 epochs) overfits — training accuracy
// reaches 1 while test accuracy stalls. Weight decay (λ = 0.1) and Dropout (ratio 0.2) narrow
// the gap. Accuracy is measured on all 300 training and all 10000 test images every epoch.
//   npm run build && node examples/ch6-dropout-overfit.mjs [--dataset fashion-mnist|mnist] [--epochs 301]
// Writes out/ch6-overfit.svg, out/ch6-overfit-weight-decay.svg, out/ch6-overfit-dropout.svg.
import { MultiLayerNetExtend, SGD, accuracyFigure, trainNet } from "scratchnet";
import { flags, loadData, writeOut } from "./ch6-common.mjs";

const opts = flags({ dataset: "fashion-mnist", epochs: 301, seed: 0 });
const data = await loadData(opts.dataset);
const train = data.train.slice(0, 300);
const batchSize = 100;
const itersNum = opts.epochs * Math.max(train.count / batchSize, 1); // the book's Trainer: epochs × iter_per_epoch

const settings = {
  "ch6-overfit": { title: "no regularisation" },
  "ch6-overfit-weight-decay": { title: "weight decay λ = 0.1", weightDecayLambda: 0.1 },
  "ch6-overfit-dropout": { title: "dropout 0.2", useDropout: true, dropoutRatio: 0.2 },
};
for (const [file, { title, ...extra }] of Object.entries(settings)) {
  const network = new MultiLayerNetExtend({ inputSize: 784, hiddenSizeList: [100, 100, 100, 100, 100, 100], outputSize: 10, seed: opts.seed, ...extra });
  const history = await trainNet(network, { train, test: data.test }, { itersNum, batchSize, optimizer: new SGD(0.01), seed: opts.seed });
  const gap = history.finalTrainAcc - history.finalTestAcc;
  console.log(`${title.padEnd(22)} train acc ${history.finalTrainAcc.toFixed(4)}, test acc ${history.finalTestAcc.toFixed(4)}, gap ${gap.toFixed(4)}`);
  writeOut(`${file}.svg`, accuracyFigure(history, { title: `${title} (${opts.dataset}, 300 training images)` }));
}
