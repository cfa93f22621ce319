// ch07/visualize_filter.py (§7.6.1): the 30 filters (5×5) of SimpleConvNet's first layer as
// images, before training (random noise) and after (edge and blob detectors: each responds to
// strokes of one direction). Grey map gray_r, 8 per row, as the book's filter_show.
//   npm run build && node examples/ch07-visualize-filter.mjs [--quick] [--weights params.pkl] [--params FILE] [--fallback FILE] [--iters 1000]
// Writes out/book/ch07-visualize-filter.svg. "After training" is the book's trained ch07/params.pkl,
// as in the book: from --weights, $SCRATCHNET_BOOK_DIR, the cache or a download (checked against
// its sha256; see book-weights-common.mjs), and it prints that net's accuracy on the 10 000 test
// digits (0.96). --params FILE draws another SimpleConvNet file instead (e.g. out/book/params.pkl
// from examples/ch07-train-convnet.mjs). When the book's file is not here — always in a quick run
// without $SCRATCHNET_BOOK_DIR — it uses --fallback FILE, else trains a SimpleConvNet first
// (--iters, 200 with --quick, on the bundled digits); the output and the figure say which.
import { SimpleConvNet, imageGrid, panelGrid } from "scratchnet";
import { flags, writeFigure } from "./book-common.mjs";
import { trainedSimpleConvNet } from "./book-weights-common.mjs";

const opts = flags({ weights: "", params: "", fallback: "", iters: 1000, seed: 0 });

/** filter_show(): one image per filter (channel 0), nx per row. */
function filterShow(filters, title, nx = 8) {
  const [FN, C, FH, FW] = filters.shape;
  const size = C * FH * FW;
  const images = Array.from({ length: FN }, (_, i) => ({ data: filters.data.slice(i * size, i * size + FH * FW), width: FW, height: FH }));
  return imageGrid(images, { cols: nx, cellSize: 48, cmap: "gray_r", title });
}

// the weights right after random initialisation
const before = filterShow(new SimpleConvNet({ seed: opts.seed }).params.W1, "random initial weights");

// the weights after training: network.load_params("params.pkl")
const { network, source, isBook, test } = await trainedSimpleConvNet({ ...opts, iters: opts.quick ? 200 : opts.iters });
console.log(`after training: ${source}`);
console.log(`its accuracy on ${test.what}:`);
console.log(`test accuracy:${network.accuracy(test.x, test.t)}`);
const W1 = network.params.W1;
console.log(`W1: [${W1.shape}], values ${Math.min(...W1.data).toFixed(3)} … ${Math.max(...W1.data).toFixed(3)}`);
const after = filterShow(W1, `after training\n${isBook ? "the book's params.pkl" : "a stand-in, not the book's params.pkl"}`);

writeFigure("ch07-visualize-filter", panelGrid([before, after], { cols: 1 }));
