// ch07/apply_filter.py (§7.6.1): what the trained filters respond to. Each of the first 16
// first-layer filters of a trained SimpleConvNet is applied alone (a Convolution layer with one
// filter, bias 0) to an image; dark areas of each output are where the image has the filter's
// kind of edge. The book uses a photo from its dataset folder (lena_gray.png), which cannot ship
// here; this example uses four real MNIST test digits tiled into a 56×56 image instead.
//   npm run build && node examples/ch07-apply-filter.mjs [--quick] [--weights params.pkl] [--params FILE] [--fallback FILE] [--iters 1000]
// Writes out/book/ch07-apply-filter.svg: the image, the 16 filters (filter_show, 4×4) and the
// 16 outputs (4×4), grey map gray_r. The filters are the book's params.pkl's when it is here,
// else a stand-in that the output names: see examples/ch07-visualize-filter.mjs for the flags.
import { Convolution, Tensor, imageGrid, panelGrid } from "scratchnet";
import { flags, loadMnistTestSet, writeFigure } from "./book-common.mjs";
import { trainedSimpleConvNet } from "./book-weights-common.mjs";

const opts = flags({ weights: "", params: "", fallback: "", iters: 1000, seed: 0 });
const { network, source } = await trainedSimpleConvNet({ ...opts, iters: opts.quick ? 200 : opts.iters });
console.log(`filters: ${source}`);

// the image: test digits 0–3 (a 7, a 2, a 1 and a 0) tiled 2×2, pixel values in [0, 1] as imread gives
const digits = loadMnistTestSet();
const side = 56;
const img = Tensor.zeros([1, 1, side, side], network.dtype); // img.reshape(1, 1, *img.shape)
const pixels = img.data;
for (let d = 0; d < 4; d++) {
  const digit = digits.image(d), top = Math.floor(d / 2) * 28, left = (d % 2) * 28;
  for (let r = 0; r < 28; r++) for (let c = 0; c < 28; c++) pixels[(top + r) * side + left + c] = digit[r * 28 + c] / 255;
}

const W1 = network.params.W1; // [30, 1, 5, 5]
const filters = [], outputs = [];
for (let i = 0; i < 16; i++) {
  const w = Tensor.from(W1.data.slice(i * 25, (i + 1) * 25), [1, 1, 5, 5], network.dtype); // w.reshape(1, *w.shape)
  const b = Tensor.zeros([1], network.dtype); // b = 0: the filter alone
  const convLayer = new Convolution(w, b);
  const out = convLayer.forward(img); // [1, 1, 52, 52]
  if (i === 0) console.log(`Convolution.forward: [${img.shape}] → [${out.shape}]`);
  filters.push({ data: w.data.slice(), width: 5, height: 5 });
  outputs.push({ data: out.data.slice(), width: out.shape[3], height: out.shape[2] }); // out.reshape(out.shape[2], out.shape[3])
}

writeFigure("ch07-apply-filter", panelGrid([
  imageGrid([{ data: img.data.slice(), width: side, height: side }], { cellSize: 168, title: "image (4 MNIST digits)" }),
  imageGrid(filters, { cols: 4, cellSize: 40, title: "filters W1[0:16]" }),
  imageGrid(outputs, { cols: 4, cellSize: 64, title: "each filter applied" }),
], { cols: 3 }));
