// ch03/neuralnet_mnist.py: the book's trained 784-50-100-10 sigmoid net (sample_weight.pkl, bundled
// in data-sample/book) classifies the 10 000 MNIST test digits; the book prints Accuracy:0.9352.
//   npm run build && node examples/neuralnet-mnist.mjs [--weights sample_weight.pkl]
// The book's predict() is sigmoid(x·W1 + b1) → sigmoid(·W2 + b2) → softmax(·W3 + b3): a
// MultiLayerNet with sigmoid activations whose params are the pickle's W1…b3 (softmax keeps the argmax).
import { MultiLayerNet, accuracyOf } from "scratchnet";
import { bookWeights, testDigits } from "./book-weights-common.mjs";

const { x, t } = testDigits("float32", { flatten: true }); // get_data(): normalize=True, flatten=True
const network = new MultiLayerNet({ inputSize: 784, hiddenSizeList: [50, 100], outputSize: 10, activation: "sigmoid" });
await network.loadParams(await bookWeights("sample_weight.pkl")); // init_network(): pickle.load

// The book predicts one image at a time; all 10 000 rows in one call give the same argmax.
const accuracyCnt = Math.round(accuracyOf(network.predict(x), t) * t.length);
console.log(`Accuracy:${accuracyCnt / t.length}`);
