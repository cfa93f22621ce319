// ch03/neuralnet_mnist_batch.py (§3.6.3): inference with the book's trained weights
// (sample_weight.pkl: a 784-50-100-10 net with sigmoid hidden layers) on the 10 000 MNIST test
// digits, 100 images at a time. The book prints 0.9352.
//   npm run build && node examples/ch03-neuralnet-mnist-batch.mjs [--weights sample_weight.pkl]
// sample_weight.pkl ships with scratchnet (data-sample/book/, MIT, from the book's repository),
// and so do the MNIST test digits (data-sample/mnist/).
import { MultiLayerNet } from "scratchnet";
import { argmaxRow, flags, loadMnistTestSet } from "./book-common.mjs";
import { findBookWeights } from "./book-weights-common.mjs";

const opts = flags({ weights: "" });
const xTest = loadMnistTestSet({ normalize: true, flatten: true }); // the book's get_data(): x_test, t_test

// init_network(): the pickle holds W1 [784, 50], b1, W2 [50, 100], b2, W3 [100, 10], b3 (float32)
const network = new MultiLayerNet({ inputSize: 784, hiddenSizeList: [50, 100], outputSize: 10, activation: "sigmoid" });
await network.loadParams(await findBookWeights("sample_weight.pkl", { weights: opts.weights, required: true }));

const batchSize = 100;
let accuracyCnt = 0;
for (let i = 0; i < xTest.count; i += batchSize) {
  const { x: xBatch, t: tBatch } = xTest.toTensor(i, batchSize);
  // predict() stops before softmax, which never changes the argmax
  const yBatch = network.predict(xBatch);
  const y = yBatch.data;
  for (let r = 0; r < batchSize; r++) if (argmaxRow(y, r, 10) === tBatch[r]) accuracyCnt++;
  if (i === 0) console.log("p.shape:", [batchSize], "(one prediction per image of the batch)");
}
console.log("Accuracy:" + accuracyCnt / xTest.count);
