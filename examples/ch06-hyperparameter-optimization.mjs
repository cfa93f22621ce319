// ch06/hyperparameter_optimization.py (§6.5.3): random search for the learning rate and the
// weight decay. 500 training images are shuffled and split into 400 to train on and 100 to
// validate with (never the test set: tuning on it would overfit to it). Each of 100 trials draws
// lr = 10^U(−6, −2) and weight decay = 10^U(−8, −4) and trains a 784-[100]×6-10 net for 50
// epochs with SGD. The figure shows the best 20 trials: validation accuracy solid, training
// accuracy dashed, y from 0 to 1, as the book's 4×5 grid.
//   npm run build && node examples/ch06-hyperparameter-optimization.mjs [--quick] [--trials 100] [--epochs 50]
// Writes out/book/ch06-hyperparameter-optimization.svg. --quick: 20 trials on the bundled digits.
import { ImageDataset, MultiLayerNet, Rng, SGD, lineChart, panelGrid, trainNet } from "scratchnet";
import { flags, loadData, writeFigure } from "./book-common.mjs";

const opts = flags({ trials: 100, epochs: 50, dataset: "mnist", seed: 0 });
const data = await loadData({ quick: opts.quick, dataset: opts.dataset });
const trials = opts.quick ? 20 : opts.trials;
const epochs = opts.quick ? 50 : opts.epochs;
const rng = new Rng(opts.seed);

// x_train[:500], shuffled (the book's shuffle_dataset), then 20 % held out for validation
const { xVal, xTrain } = shuffleAndSplit(data.train.slice(0, 500), 0.2, rng);

const results = [];
for (let trial = 0; trial < trials; trial++) {
  // the search ranges, on a log scale
  const weightDecay = 10 ** (-8 + 4 * rng.uniform());
  const lr = 10 ** (-6 + 4 * rng.uniform());
  const network = new MultiLayerNet({
    inputSize: 784, hiddenSizeList: [100, 100, 100, 100, 100, 100], outputSize: 10, weightDecayLambda: weightDecay, seed: opts.seed + trial,
  });
  // the book's Trainer: epochs × iter_per_epoch updates, accuracy on both sets every epoch
  const history = await trainNet(network, { train: xTrain, test: xVal }, {
    itersNum: epochs * Math.max(xTrain.count / 100, 1), batchSize: 100, optimizer: new SGD(lr), seed: opts.seed + trial,
  });
  const valAccList = history.testAccList, trainAccList = history.trainAccList;
  const key = `lr:${lr}, weight decay:${weightDecay}`;
  console.log(`val acc:${valAccList.at(-1)} | ${key}`);
  results.push({ key, valAccList, trainAccList });
}

console.log("=========== Hyper-Parameter Optimization Result ===========");
const best = [...results].sort((a, b) => b.valAccList.at(-1) - a.valAccList.at(-1)).slice(0, 20);
const panels = best.map(({ key, valAccList, trainAccList }, i) => {
  console.log(`Best-${i + 1}(val acc:${valAccList.at(-1)}) | ${key}`);
  return lineChart({
    series: [{ label: "val acc", y: valAccList }, { label: "train acc", y: trainAccList, dashed: true }],
    title: `Best-${i + 1}`, yDomain: [0, 1], xTicks: false, yTicks: i % 5 === 0, legend: "none",
    width: 240, height: 200, box: { left: 0.16, top: 0.13, bottom: 0.95 },
  });
});
writeFigure("ch06-hyperparameter-optimization", panelGrid(panels, { cols: 5 }));

/** A shuffled copy of `set` (Fisher–Yates with the seeded stream), split into its first `rate` and the rest. */
function shuffleAndSplit(set, rate, random) {
  const order = Array.from({ length: set.count }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random.uniform() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const images = new Uint8Array(set.count * set.rowLen), labels = new Uint8Array(set.count);
  order.forEach((from, to) => { images.set(set.image(from), to * set.rowLen); labels[to] = set.label(from); });
  const shuffled = ImageDataset.fromBytes("x_train[:500], shuffled", images, labels, set.rows, set.cols);
  const validationNum = Math.floor(set.count * rate);
  return { xVal: shuffled.slice(0, validationNum), xTrain: shuffled.slice(validationNum) };
}
