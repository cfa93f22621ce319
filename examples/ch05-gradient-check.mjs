// §5.7.3 gradient_check.py: TwoLayerNet 784-50-10 in float64, backprop vs numerical gradient on
// 3 real MNIST digits, printed as the mean |difference| per parameter.
//   npm run build && node examples/gradient-check.mjs [mnist-dir]
// mnist-dir holds t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz (default: the bundled data-sample/mnist).
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { Tensor, TwoLayerNet, parseIdx } from "scratchnet";

const dir = process.argv[2] ?? fileURLToPath(new URL("../data-sample/mnist/", import.meta.url));
const read = (file, rank) => parseIdx(gunzipSync(readFileSync(join(dir, file))), file, rank);
const images = read("t10k-images-idx3-ubyte.gz", 3);
const labels = read("t10k-labels-idx1-ubyte.gz", 1);

// x_batch = x[:3] normalised to [0, 1], t_batch = t[:3] (labels; one-hot works the same)
const xBatch = Tensor.from(Float64Array.from(images.data.subarray(0, 3 * 784), (v) => v / 255), [3, 784], "float64");
const tBatch = Array.from(labels.data.subarray(0, 3));

// float64 so the differences measure the method, not float32 rounding. Seed 0 keeps every
// hidden pre-activation away from ReLU's kink by more than the probe step (test/gradcheck.test.ts).
const network = new TwoLayerNet(784, 50, 10, 0.01, { dtype: "float64", seed: 0 });

const gradNumerical = network.numericalGradient(xBatch, tBatch);
const gradBackprop = network.gradient(xBatch, tBatch);

for (const key of ["W1", "b1", "W2", "b2"]) {
  const a = gradBackprop[key].data, b = gradNumerical[key].data;
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  console.log(`${key}:${(sum / a.length).toExponential(2)}`);
}
