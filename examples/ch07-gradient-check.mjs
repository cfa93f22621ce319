// ch07/gradient_check.py (§7.5): SimpleConvNet's backprop against the numerical gradient on one
// random 10×10 image (10 filters of 3×3, hidden layer of 10), printed as the mean |difference|
// per parameter.
//   npm run build && node examples/ch07-gradient-check.mjs [--seed 0]
// float64, as numpy. The image is drawn with the seeded generator (np.random.rand(100)).
// b2 differs by ~3e-4 while the rest agree to 1e-7 or better: with weights of std 0.01 the
// hidden pre-activations are ~1e-3, and one of them (−5.2e-5) lies within the probe step
// h = 1e-4 of ReLU's kink, where central differences average two slopes. Backprop is right;
// the numerical side is not (test/unit/nets/simple-conv-net.test.ts checks SimpleConvNet away from kinks).
import { Rng, SimpleConvNet, Tensor } from "scratchnet";
import { flags } from "./book-common.mjs";

const opts = flags({ seed: 0 });

const network = new SimpleConvNet({
  inputDim: [1, 10, 10],
  convParam: { filterNum: 10, filterSize: 3, pad: 0, stride: 1 },
  hiddenSize: 10, outputSize: 10, weightInitStd: 0.01, dtype: "float64", seed: opts.seed,
});

const rng = new Rng(opts.seed + 1);
const X = Tensor.zeros([1, 1, 10, 10], "float64");
for (let i = 0; i < X.size; i++) X.data[i] = rng.uniform(); // np.random.rand(100).reshape((1, 1, 10, 10))
const T = [1];

const gradNum = network.numericalGradient(X, T);
const grad = network.gradient(X, T);

for (const key of Object.keys(gradNum)) {
  const a = gradNum[key].data, b = grad[key].data;
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  console.log(key, sum / a.length);
}
