// ch03/mnist_show.py (§3.6.1): the first training image and its label. load_mnist(flatten=True,
// normalize=False) gives each image as 784 uint8 values; reshaped to 28×28 it is a digit.
//   npm run build && node examples/ch03-mnist-show.mjs [--quick]
// Writes out/book/ch03-mnist-show.svg (the book opens it with PIL's Image.show()).
// x_train[0] of the full MNIST is a 5. On the bundled digits (offline, or --quick) the
// training split starts with the test set's first digit, a 7.
import { imageGrid } from "scratchnet";
import { flags, loadData, writeFigure } from "./book-common.mjs";

const opts = flags();
const { train } = await loadData({ quick: opts.quick, normalize: false, flatten: true });

const img = train.image(0); // uint8 view into wasm memory: 784 pixels, 0 = black … 255 = white
const label = train.label(0);
console.log("label:", label);
console.log("img.shape:", [img.length]);
console.log("img.reshape(28, 28).shape:", [28, 28]);

// PIL shows the raw pixels: the grey map "gray" on the fixed range 0–255, no frame
writeFigure("ch03-mnist-show", imageGrid([{ data: img, width: 28, height: 28 }], { cmap: "gray", range: [0, 255], cellSize: 280, frame: false }));
