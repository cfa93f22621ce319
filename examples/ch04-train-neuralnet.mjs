// ch04/train_neuralnet.py (§4.5): the two-layer net of chapter 4 (784-50-10, sigmoid hidden
// layer) trained by minibatch SGD — 10000 iterations of 100 images, learning rate 0.1 — with
// train and test accuracy once per epoch. The figure is the book's: train acc solid, test acc
// dashed, y from 0 to 1, legend lower right; the text's loss curve (fig. 4-11) is drawn too.
//   npm run build && node examples/ch04-train-neuralnet.mjs [--quick] [--iters 10000]
// Writes out/book/ch04-train-neuralnet.svg and out/book/ch04-train-neuralnet-loss.svg.
// --quick: 2000 iterations on the bundled digits (25 epochs of their 8000 training images).
import { TwoLayerNet, accuracyFigure, lossFigure, trainNet } from "scratchnet";
import { flags, loadData, writeFigure } from "./book-common.mjs";

const opts = flags({ iters: 10000, seed: 0 });
const data = await loadData({ quick: opts.quick });

// chapter 4's TwoLayerNet computes its gradient for a sigmoid hidden layer (chapter 5 switches to ReLU)
const network = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, activation: "sigmoid", seed: opts.seed });
const history = await trainNet(network, data, {
  itersNum: opts.quick ? 2000 : opts.iters, batchSize: 100, learningRate: 0.1, seed: opts.seed,
  lossRecording: "after-update", // the book records network.loss() after each update
  onEpoch: ({ trainAcc, testAcc }) => console.log(`train acc, test acc | ${trainAcc}, ${testAcc}`),
});
console.log(`final train acc, test acc | ${history.finalTrainAcc}, ${history.finalTestAcc}`);

writeFigure("ch04-train-neuralnet", accuracyFigure(history));
writeFigure("ch04-train-neuralnet-loss", lossFigure(history.trainLossList));
