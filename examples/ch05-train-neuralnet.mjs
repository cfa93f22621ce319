// ch05/train_neuralnet.py (§5.7.4): the same training as chapter 4's, now with the gradient from
// backpropagation through the layers of TwoLayerNet (Affine → ReLU → Affine → SoftmaxWithLoss):
// 10000 iterations of 100 images, SGD lr 0.1, train and test accuracy printed once per epoch.
//   npm run build && node examples/ch05-train-neuralnet.mjs [--quick] [--iters 10000]
// --quick: 2000 iterations on the bundled digits (25 epochs of their 8000 training images).
import { TwoLayerNet, trainNet } from "scratchnet";
import { flags, loadData } from "./book-common.mjs";

const opts = flags({ iters: 10000, seed: 0 });
const data = await loadData({ quick: opts.quick });

const network = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, seed: opts.seed });
const history = await trainNet(network, data, {
  itersNum: opts.quick ? 2000 : opts.iters, batchSize: 100, learningRate: 0.1, seed: opts.seed,
  lossRecording: "after-update",
  onEpoch: ({ trainAcc, testAcc }) => console.log(trainAcc, testAcc), // print(train_acc, test_acc)
});
console.log("final:", history.finalTrainAcc, history.finalTestAcc);
