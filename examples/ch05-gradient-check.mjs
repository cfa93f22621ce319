// ch05/gradient_check.py (§5.7.3): backprop against the numerical gradient for TwoLayerNet
// 784-50-10 on the first 3 training images, printed as the mean |difference| per parameter.
//   npm run build && node examples/ch05-gradient-check.mjs [--quick]
// float64, so the differences measure the method, not float32 rounding. Seed 0 keeps every hidden
// pre-activation of the bundled digits 0–2 away from ReLU's kink by more than the probe step
// (test/unit/nets/two-layer-net.test.ts asserts it). The book's text prints 1e-13…1e-10: those are the
// differences without the 1e-7 its cross_entropy_error adds inside the log; with it, numpy gives
// what this prints (docs/book-scripts.md).
import { TwoLayerNet } from "scratchnet";
import { flags, loadData } from "./book-common.mjs";

const opts = flags();
const { train } = await loadData({ quick: opts.quick });

// x_batch = x_train[:3] (normalised to [0, 1]), t_batch = t_train[:3] (labels; one-hot works the same)
const { x: xBatch, t: tBatch } = train.toTensor(0, 3, "float64");

const network = new TwoLayerNet(784, 50, 10, 0.01, { dtype: "float64", seed: 0 });

const gradNumerical = network.numericalGradient(xBatch, tBatch);
const gradBackprop = network.gradient(xBatch, tBatch);

for (const key of ["W1", "b1", "W2", "b2"]) {
  const a = gradBackprop[key].data, b = gradNumerical[key].data;
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  console.log(`${key}:${(sum / a.length).toExponential(2)}`);
}
