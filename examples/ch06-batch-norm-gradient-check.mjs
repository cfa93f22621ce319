// ch06/batch_norm_gradient_check.py (§6.3): backprop through Batch Normalization layers against
// the numerical gradient, for a 784-100-100-10 MultiLayerNetExtend on one training image,
// printed as the mean |difference| per parameter (W, b, and BatchNorm's gamma and beta).
//   npm run build && node examples/ch06-batch-norm-gradient-check.mjs [--quick]
// float64, like numpy. With a batch of one image every value is its own batch mean, so every
// BatchNorm output is exactly beta = 0: nothing before the last BatchNorm changes the loss (both
// gradients are 0 there), and the ReLU after it sits exactly on its kink, where central
// differences see half a slope and backprop none — hence beta2's large difference. That is the
// book's check as written; a batch of two or more images avoids both.
import { MultiLayerNetExtend } from "scratchnet";
import { flags, loadData } from "./book-common.mjs";

const opts = flags({ seed: 0 });
const { train } = await loadData({ quick: opts.quick });

const network = new MultiLayerNetExtend({
  inputSize: 784, hiddenSizeList: [100, 100], outputSize: 10, useBatchnorm: true, dtype: "float64", seed: opts.seed,
});

const { x: xBatch, t: tBatch } = train.toTensor(0, 1, "float64"); // x_train[:1], t_train[:1]

const gradBackprop = network.gradient(xBatch, tBatch);
const grads = {}; // views into the net's gradient block: copy them before the numerical pass runs the net again
for (const [key, g] of Object.entries(gradBackprop)) grads[key] = Float64Array.from(g.data);
const gradNumerical = network.numericalGradient(xBatch, tBatch);

for (const key of Object.keys(gradNumerical)) {
  const a = grads[key], b = gradNumerical[key].data;
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  console.log(`${key}:${sum / a.length}`);
}
