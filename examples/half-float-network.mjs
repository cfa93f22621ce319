// ch08/half_float_network.py: the book's trained DeepConvNet evaluated twice on the 10 000 MNIST
// test digits (bundled in data-sample/mnist) — with its float64 weights, then with every weight
// and every input pixel rounded to float16 (numpy's astype(np.float16), round to nearest even).
// The arithmetic stays float64; what changes is the 16-bit storage of the numbers.
//   npm run build && node examples/half-float-network.mjs [--weights deep_convnet_params.pkl]
// toHalfPrecision works on any net (or Tensor): e.g. toHalfPrecision(new SimpleConvNet(…)).
import { DeepConvNet, toHalfPrecision } from "scratchnet";
import { bookWeights, testDigits } from "./book-weights-common.mjs";

const network = new DeepConvNet({ dtype: "float64" });
await network.loadParams(await bookWeights("deep_convnet_params.pkl"));
const { x, t } = testDigits("float64");

console.log("calculate accuracy (float64) ... ");
console.log(`float64 accuracy:${network.accuracy(x, t)}`);

// float16 conversion: param[...] = param.astype(np.float16); x_test = x_test.astype(np.float16)
toHalfPrecision(network);
toHalfPrecision(x);
console.log("calculate accuracy (float16) ... ");
console.log(`float16 accuracy:${network.accuracy(x, t)}`);
