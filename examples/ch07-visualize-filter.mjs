// ch07/visualize_filter.py (§7.6.1): the 30 filters (5×5) of SimpleConvNet's first layer as
// images, before training (random noise) and after (edge and blob detectors: each responds to
// strokes of one direction). Grey map gray_r, 8 per row, as the book's filter_show.
//   npm run build && node examples/ch07-visualize-filter.mjs [--params params.pkl] [--iters 1000] [--quick]
// Writes out/book/ch07-visualize-filter.svg. The book loads its trained ch07/params.pkl; pass it
// (or the out/book/params.pkl that examples/ch07-train-convnet.mjs writes) with --params. Without
// one, a SimpleConvNet is trained here first (--iters, 200 with --quick, on the bundled digits).
import { SimpleConvNet, imageGrid, panelGrid } from "scratchnet";
import { flags, trainedSimpleConvNet, writeFigure } from "./book-common.mjs";

const opts = flags({ params: "", iters: 1000, seed: 0 });

/** filter_show(): one image per filter (channel 0), nx per row. */
function filterShow(filters, title, nx = 8) {
  const [FN, C, FH, FW] = filters.shape;
  const size = C * FH * FW;
  const images = Array.from({ length: FN }, (_, i) => ({ data: filters.data.slice(i * size, i * size + FH * FW), width: FW, height: FH }));
  return imageGrid(images, { cols: nx, cellSize: 48, cmap: "gray_r", title });
}

// the weights right after random initialisation
const before = filterShow(new SimpleConvNet({ seed: opts.seed }).params.W1, "random initial weights");

// the weights after training
const { network, source } = await trainedSimpleConvNet({ params: opts.params || undefined, iters: opts.quick ? 200 : opts.iters, quick: opts.quick, seed: opts.seed });
console.log(`after training: ${source}`);
const W1 = network.params.W1;
console.log(`W1: [${W1.shape}], values ${Math.min(...W1.data).toFixed(3)} … ${Math.max(...W1.data).toFixed(3)}`);
const after = filterShow(W1, "after training");

writeFigure("ch07-visualize-filter", panelGrid([before, after], { cols: 1 }));
