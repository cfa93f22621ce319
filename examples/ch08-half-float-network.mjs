// ch08/half_float_network.py (§8.3.4): the book's trained DeepConvNet (deep_convnet_params.pkl)
// evaluated on the 10 000 MNIST test digits twice — with its float64 weights, then with every
// weight and every input pixel rounded to float16 (numpy's astype(np.float16), round to nearest
// even). The book's point: 16 bits per number are enough for inference, the accuracy does not drop.
// The arithmetic stays float64; what changes is the 16-bit precision of the numbers stored.
// Beside them, float32 (scratchnet's default), which the book does not try.
//   npm run build && node examples/ch08-half-float-network.mjs [--quick] [--weights deep_convnet_params.pkl] [--params FILE] [--fallback FILE]
// The book's file comes from --weights, $SCRATCHNET_BOOK_DIR, the cache or a verified download;
// without it a full run exits saying how to get it. A quick run without $SCRATCHNET_BOOK_DIR
// compares a stand-in instead (--fallback FILE, or a DeepConvNet trained here for a minute) on the
// 2000 bundled test digits it never trained on, and says so.
// toHalfPrecision works on any net (or Tensor): e.g. toHalfPrecision(new SimpleConvNet(…)).
import { DeepConvNet, Tensor, toHalfPrecision } from "scratchnet";
import { flags } from "./book-common.mjs";
import { bookDeepConvNet } from "./book-weights-common.mjs";

const opts = flags({ weights: "", params: "", fallback: "" });
const { network, path, source, test } = await bookDeepConvNet(opts); // network.load_params("deep_convnet_params.pkl")
if (path) console.log(`weights: ${path}`);
console.log(`(${source}; evaluated on ${test.what})`);
const { x, t } = test;

console.log("calculate accuracy (float64) ... ");
const acc64 = network.accuracy(x, t);
console.log(`float64 accuracy:${acc64}`);

// Not in the book: scratchnet's default, float32 — the weights and pixels rounded to 32 bits,
// and the arithmetic done in float32 too (astype(np.float32) throughout)
const network32 = new DeepConvNet({ dtype: "float32" });
for (const [key, value] of Object.entries(network.params)) network32.params[key].data.set(value.data); // rounds to nearest
console.log("calculate accuracy (float32) ... ");
const acc32 = network32.accuracy(Tensor.from(x.data, x.shape, "float32"), t);
console.log(`float32 accuracy:${acc32}`);

// float16 conversion: x_test = x_test.astype(np.float16); param[...] = param.astype(np.float16)
toHalfPrecision(x);
toHalfPrecision(network);
console.log("calculate accuracy (float16) ... ");
const acc16 = network.accuracy(x, t);
console.log(`float16 accuracy:${acc16}`);

const [n64, n32, n16] = [acc64, acc32, acc16].map((a) => Math.round(a * t.length));
const change = (n) => (n === n64 ? "the same" : `${n > n64 ? "+" : ""}${n - n64}`);
console.log(`right answers of ${t.length}: float64 ${n64}, float32 ${n32} (${change(n32)}), float16 ${n16} (${change(n16)})`);
