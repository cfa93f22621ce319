// ch07/train_convnet.py (§7.6): SimpleConvNet (conv 30×5×5 → ReLU → pool 2×2 → Affine 100 →
// ReLU → Affine 10) trained with Adam (lr 0.001), 100 images per batch, 20 epochs, as the book's
// Trainer does: accuracy on the first 1000 training and test images once per epoch, the whole
// test set at the end. Then the parameters are saved as the book's network.save_params("params.pkl")
// saves them, and the figure is the book's: train o, test s, y from 0 to 1, legend lower right.
//   npm run build && node examples/ch07-train-convnet.mjs [--quick] [--epochs 20] [--dataset mnist|fashion-mnist]
// Writes out/book/ch07-train-convnet.svg, out/book/params.pkl (numpy reads it with pickle.load;
// `node examples/ch07-visualize-filter.mjs --params out/book/params.pkl` draws its filters) and
// out/book/simple-conv-net.safetensors (`scratchnet eval --model …` evaluates it).
// --quick: 3 epochs on the bundled digits. The book reaches 0.9896 on the test set after 20 epochs.
import { Adam, SimpleConvNet, evaluateAccuracy, lineChart, saveModel, savePickleParams, trainNet } from "scratchnet";
import { flags, loadData, outPath, writeFigure } from "./book-common.mjs";

const opts = flags({ dataset: "mnist", epochs: 20, seed: 0 });
const data = await loadData({ quick: opts.quick, dataset: opts.dataset, flatten: false }); // load_mnist(flatten=False)
const maxEpochs = opts.quick ? 3 : opts.epochs;

const network = new SimpleConvNet({
  inputDim: [1, 28, 28],
  convParam: { filterNum: 30, filterSize: 5, pad: 0, stride: 1 },
  hiddenSize: 100, outputSize: 10, weightInitStd: 0.01, seed: opts.seed,
});

// evaluate_sample_num_per_epoch=1000: each epoch's accuracy on the first 1000 images of each set
const trainSample = data.train.slice(0, Math.min(1000, data.train.count));
const testSample = data.test.slice(0, Math.min(1000, data.test.count));
const iterPerEpoch = Math.max(data.train.count / 100, 1);
const trainAccList = [], testAccList = [];
const history = await trainNet(network, data, {
  itersNum: Math.trunc(maxEpochs * iterPerEpoch), batchSize: 100, optimizer: new Adam(0.001), seed: opts.seed,
  lossRecording: "after-update", evaluate: false,
  onStep: ({ iter, loss }) => {
    if (iter % 100 === 0) console.log(`train loss:${loss} (iteration ${iter})`); // the Trainer prints every iteration
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
console.log(`(${history.trainLossList.length} iterations in ${(history.elapsedMs / 1000).toFixed(1)} s)`);

await savePickleParams(outPath("params.pkl"), network.params);
console.log(`Saved Network Parameters! ${outPath("params.pkl")}`);
await saveModel(network, outPath("simple-conv-net.safetensors"));

writeFigure("ch07-train-convnet", lineChart({
  series: [
    { label: "train", y: trainAccList, marker: "o", markEvery: 2 },
    { label: "test", y: testAccList, marker: "s", markEvery: 2 },
  ],
  xLabel: "epochs", yLabel: "accuracy", yDomain: [0, 1], integerX: true, legend: "lower right",
}));
