// The book's trained DeepConvNet (ch08/deep_convnet_params.pkl, as ch08/misclassified_mnist.py
// loads it) on the 10 000 MNIST test digits bundled in data-sample/mnist, in float64 as the book.
//   npm run build && node examples/deep-convnet-pretrained.mjs [--weights deep_convnet_params.pkl]
// The file is not in the repository: it comes from --weights, $SCRATCHNET_BOOK_DIR, the cache, or
// is downloaded once from the book's GitHub repository (sha256-checked) and cached.
import { DeepConvNet } from "scratchnet";
import { bookWeights, testDigits } from "./book-weights-common.mjs";

const path = await bookWeights("deep_convnet_params.pkl");
const network = new DeepConvNet({ dtype: "float64" });
await network.loadParams(path); // network.load_params("deep_convnet_params.pkl")
console.log(`weights: ${path}`);

const { x, t } = testDigits("float64");
console.log("calculating test accuracy ...");
console.log(`test accuracy:${network.accuracy(x, t, 100)}`);
