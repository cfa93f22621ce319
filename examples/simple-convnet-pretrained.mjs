// The book's trained SimpleConvNet (ch07/params.pkl, what ch07/train_convnet.py saved) on the
// 10 000 MNIST test digits bundled in data-sample/mnist, computed in float64 as the book does.
//   npm run build && node examples/simple-convnet-pretrained.mjs [--weights params.pkl]
// The file is not in the repository: it comes from --weights, $SCRATCHNET_BOOK_DIR, the cache, or
// is downloaded once from the book's GitHub repository (sha256-checked) and cached.
import { SimpleConvNet } from "scratchnet";
import { bookWeights, testDigits } from "./book-weights-common.mjs";

const path = await bookWeights("params.pkl");
const network = new SimpleConvNet({
  inputDim: [1, 28, 28], convParam: { filterNum: 30, filterSize: 5, pad: 0, stride: 1 },
  hiddenSize: 100, outputSize: 10, dtype: "float64",
});
await network.loadParams(path); // network.load_params("params.pkl")
console.log(`weights: ${path}`);

const { x, t } = testDigits("float64");
console.log(`test accuracy:${network.accuracy(x, t)}`);
