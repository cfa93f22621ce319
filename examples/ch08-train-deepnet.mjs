// ch08/train_deepnet.py (§8.1.1): the book's DeepConvNet — six 3×3 conv layers (16-16-32-32-64-64
// filters, He initial weights), three 2×2 max-pools, Affine 50 → Dropout → Affine 10 → Dropout —
// trained as the book's Trainer does: Adam (lr 0.001), 100 images per batch, 20 epochs over the
// 60 000 training digits, each epoch's accuracy on the first 1000 training and test images, the
// whole test set at the end. Then the parameters are saved as the book's
// network.save_params("deep_convnet_params.pkl") saves them. The book reaches about 99% (its text
// reports 99.38%).
//   npm run build && node examples/ch08-train-deepnet.mjs [--quick] [--epochs 20] [--dataset mnist|fashion-mnist]
// Writes out/book/deep_convnet_params.pkl (the book's pickle: numpy's load_params reads it, and
// `node examples/ch08-misclassified-mnist.mjs --params out/book/deep_convnet_params.pkl` shows its
// mistakes) and out/book/ch08-train-deepnet.svg, the accuracy per epoch (train o, test s), drawn as
// chapter 7's train_convnet.py draws it — train_deepnet.py itself draws no figure.
// The full run uses the full MNIST when it is here (or can be downloaded) — 12 000 iterations,
// about an hour on two cores — and otherwise the 8000/2000 bundled digits (1600 iterations), saying
// so. --quick: 3 epochs over the first 4000 bundled digits (120 iterations, under a minute).
// The arithmetic is float32 (the book's numpy is float64; float32 trains 2× faster, the same way).
import { Adam, DeepConvNet, evaluateAccuracy, lineChart, trainNet } from "scratchnet";
import { flags, loadData, outPath, writeFigure } from "./book-common.mjs";
import { QUICK_DEEPNET } from "./book-weights-common.mjs";

const opts = flags({ dataset: "mnist", epochs: 20 });
const data = await loadData({ quick: opts.quick, dataset: opts.dataset, flatten: false }); // load_mnist(flatten=False)
const train = opts.quick ? data.train.slice(0, QUICK_DEEPNET.trainImages) : data.train;
const maxEpochs = opts.quick ? QUICK_DEEPNET.epochs : opts.epochs;
if (opts.quick) console.log(`quick: ${maxEpochs} epochs over the first ${train.count} training digits`);

const network = new DeepConvNet({ seed: QUICK_DEEPNET.seed }); // input_dim (1, 28, 28), hidden_size 50, output_size 10

// evaluate_sample_num_per_epoch=1000: each epoch's accuracy on the first 1000 images of each set
const trainSample = train.slice(0, Math.min(1000, train.count));
const testSample = data.test.slice(0, Math.min(1000, data.test.count));
const batchSize = 100;
const iterPerEpoch = Math.max(train.count / batchSize, 1);
const trainAccList = [], testAccList = [];
const history = await trainNet(network, { train, test: data.test }, {
  itersNum: Math.trunc(maxEpochs * iterPerEpoch), batchSize, optimizer: new Adam(0.001), seed: QUICK_DEEPNET.seed,
  evaluate: false,
  onStep: ({ iter, loss }) => {
    // the Trainer prints every iteration; this is the loss of the gradient's own forward pass (dropout on)
    if (iter % 20 === 0) console.log(`train loss:${loss} (iteration ${iter})`);
    if (iter % iterPerEpoch === 0) {
      trainAccList.push(evaluateAccuracy(network, trainSample));
      testAccList.push(evaluateAccuracy(network, testSample));
      console.log(`=== epoch:${trainAccList.length}, train acc:${trainAccList.at(-1)}, test acc:${testAccList.at(-1)} ===`);
    }
  },
});
const testAcc = evaluateAccuracy(network, data.test);
console.log("=============== Final Test Accuracy ===============");
console.log(`test acc:${testAcc}`);
console.log(`(${history.trainLossList.length} iterations in ${(history.elapsedMs / 1000).toFixed(1)} s; the test set: ${data.test.count} digits)`);

// network.save_params("deep_convnet_params.pkl")
await network.saveParams(outPath("deep_convnet_params.pkl"));
console.log(`Saved Network Parameters! ${outPath("deep_convnet_params.pkl")}`);

writeFigure("ch08-train-deepnet", lineChart({
  series: [
    { label: "train", y: trainAccList, marker: "o", markEvery: 2 },
    { label: "test", y: testAccList, marker: "s", markEvery: 2 },
  ],
  xLabel: "epochs", yLabel: "accuracy", yDomain: [0, 1], integerX: true, legend: "lower right",
}));
