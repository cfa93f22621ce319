// §7.6 train_convnet.py: SimpleConvNet (conv 30×5×5 → ReLU → pool 2×2 → Affine 100 → ReLU →
// Affine 10) trained with Adam (lr 0.001), batch 100, accuracy on train and test once per epoch,
// then the parameters saved as the book's `network.save_params("params.pkl")` does.
//   npm run build && node examples/simple-conv-net.mjs [--dataset fashion-mnist|mnist] [--epochs 3] [--seed 0]
// Writes out/simple-conv-net.safetensors (reload with `loadModel`, or `scratchnet eval --model …`).
// The book runs 20 epochs; 3 are enough for ~0.87–0.88 on Fashion-MNIST (~0.98–0.99 on MNIST).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Adam, SimpleConvNet, saveModel, trainNet } from "scratchnet";
import { OUT_DIR, flags, loadData } from "./ch6-common.mjs";

const opts = flags({ dataset: "fashion-mnist", epochs: 3, seed: 0 });
const data = await loadData(opts.dataset);

const network = new SimpleConvNet({
  inputDim: [1, 28, 28],
  convParam: { filterNum: 30, filterSize: 5, pad: 0, stride: 1 },
  hiddenSize: 100, outputSize: 10, weightInitStd: 0.01, seed: opts.seed,
});
const itersNum = Math.ceil((opts.epochs * data.train.count) / 100);
const history = await trainNet(network, data, {
  itersNum, batchSize: 100, optimizer: new Adam(0.001), seed: opts.seed,
  onEpoch: ({ epoch, trainAcc, testAcc }) => console.log(`=== epoch:${epoch + 1}, train acc:${trainAcc.toFixed(4)}, test acc:${testAcc.toFixed(4)} ===`),
  onStep: ({ iter, loss }) => { if (iter % 100 === 0) console.log(`train loss:${loss.toFixed(4)} (iteration ${iter})`); },
});
console.log("=============== Final Test Accuracy ===============");
console.log(`test acc:${history.finalTestAcc.toFixed(4)}  (train acc ${history.finalTrainAcc.toFixed(4)}, ${itersNum} iterations in ${(history.elapsedMs / 1000).toFixed(1)} s)`);

mkdirSync(OUT_DIR, { recursive: true });
const path = join(OUT_DIR, "simple-conv-net.safetensors");
await saveModel(network, path);
console.log(`Saved Network Parameters! ${path}`);
