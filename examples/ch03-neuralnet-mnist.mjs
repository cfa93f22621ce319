// ch03/neuralnet_mnist.py (§3.6.2): the book's trained 784-50-100-10 sigmoid net
// (sample_weight.pkl, bundled in data-sample/book) classifies the 10 000 MNIST test digits, one
// image at a time. The book prints Accuracy:0.9352. (ch03-neuralnet-mnist-batch.mjs does the same
// 100 images at a time.)
//   npm run build && node examples/ch03-neuralnet-mnist.mjs [--weights sample_weight.pkl]
// The book's predict() is sigmoid(x·W1 + b1) → sigmoid(·W2 + b2) → softmax(·W3 + b3): a
// MultiLayerNet with sigmoid activations whose params are the pickle's W1…b3. Its predict()
// stops before the softmax, which never changes the argmax.
import { MultiLayerNet } from "scratchnet";
import { argmaxRow, flags, loadMnistTestSet } from "./book-common.mjs";
import { findBookWeights } from "./book-weights-common.mjs";

const opts = flags({ weights: "" });
const xTest = loadMnistTestSet({ normalize: true, flatten: true }); // get_data(): x_test, t_test

// init_network(): pickle.load of sample_weight.pkl (the bundled copy, or --weights; sha256-checked)
const network = new MultiLayerNet({ inputSize: 784, hiddenSizeList: [50, 100], outputSize: 10, activation: "sigmoid" });
await network.loadParams(await findBookWeights("sample_weight.pkl", { weights: opts.weights, required: true }));

let accuracyCnt = 0;
for (let i = 0; i < xTest.count; i++) {
  const { x, t } = xTest.toTensor(i, 1); // x[i]: one image
  const y = network.predict(x);
  const p = argmaxRow(y.data, 0, 10); // the index of the most likely digit
  if (p === t[0]) accuracyCnt++;
}
console.log(`Accuracy:${accuracyCnt / xTest.count}`);
