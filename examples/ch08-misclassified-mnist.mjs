// ch08/misclassified_mnist.py (§8.1.1): the book's trained DeepConvNet (deep_convnet_params.pkl)
// classifies the 10 000 MNIST test digits, 100 at a time, prints its accuracy, and shows the first
// 20 digits it gets wrong, 4×5, grey map gray_r, with their labels: the book's figure of them marks
// each with the true label top left and the network's answer bottom right. Many are hard for a
// person too. The script prints the same pairs as {view index: (label, inference), ...}.
//   npm run build && node examples/ch08-misclassified-mnist.mjs [--quick] [--weights deep_convnet_params.pkl] [--params FILE] [--fallback FILE]
// Writes out/book/ch08-misclassified-mnist.svg. The book's file is not in the repository: it comes
// from --weights, $SCRATCHNET_BOOK_DIR, the cache, or is downloaded once from the book's GitHub
// repository (sha256-checked) — without it a full run exits saying how to get it. --params FILE
// shows another DeepConvNet's mistakes instead (e.g. out/book/deep_convnet_params.pkl from
// examples/ch08-train-deepnet.mjs). A quick run without $SCRATCHNET_BOOK_DIR uses a stand-in —
// --fallback FILE, or a DeepConvNet trained here for a minute — on the 2000 bundled test digits
// it never trained on, and says so, in the output and in the figure's title.
import { imageGrid } from "scratchnet";
import { argmaxRow, flags, writeFigure } from "./book-common.mjs";
import { bookDeepConvNet } from "./book-weights-common.mjs";

const opts = flags({ weights: "", params: "", fallback: "" });
const { network, path, source, isBook, test } = await bookDeepConvNet(opts); // network.load_params("deep_convnet_params.pkl")
if (path) console.log(`weights: ${path}`);
console.log(`(${source}; evaluated on ${test.what})`);

console.log("calculating test accuracy ... ");
const { x: xTest, t: tTest } = test;
const count = tTest.length;
// the book's loop over batches of 100: DeepConvNet.predict runs 100 rows at a time itself
const y = network.predict(xTest, false); // train_flg=False: dropout off
const classifiedIds = new Int32Array(count);
let acc = 0;
for (let i = 0; i < count; i++) {
  classifiedIds[i] = argmaxRow(y.data, i, 10); // np.argmax(y, axis=1)
  if (classifiedIds[i] === tTest[i]) acc++;
}
console.log(`test accuracy:${acc / count}`);

// the first max_view digits whose inference is not the label
const maxView = 20;
const misPairs = [], images = [];
for (let i = 0; i < count && misPairs.length < maxView; i++) {
  if (classifiedIds[i] === tTest[i]) continue;
  misPairs.push([tTest[i], classifiedIds[i]]);
  images.push({ data: xTest.data.subarray(i * 784, (i + 1) * 784), width: 28, height: 28 });
}
console.log("======= misclassified result =======");
console.log("{view index: (label, inference), ...}");
console.log(`{${misPairs.map(([label, inference], k) => `${k + 1}: (${label}, ${inference})`).join(", ")}}`);

writeFigure("ch08-misclassified-mnist", imageGrid(images, {
  cols: 5, cellSize: 96, gap: 12, cmap: "gray_r",
  corners: misPairs.map(([label, inference]) => ({ topLeft: String(label), bottomRight: String(inference) })),
  title: `label top left, inference bottom right\n${isBook ? "the book's deep_convnet_params.pkl" : "a stand-in net, not the book's deep_convnet_params.pkl"}`,
}));
