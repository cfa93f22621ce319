// An ImageSource over uint8 arrays copied into wasm memory (for trainer tests on the MNIST test digits).
import { WasmBlock } from "../../src/core/block.js";
import { getCore } from "../../src/core/core.js";
import type { ImageSource } from "../../src/train/source.js";
import { mnistTestSet } from "./mnist.js";

export function imageSource(name: string, images: Uint8Array, labels: Uint8Array, flatten = true): ImageSource & { blocks: WasmBlock[] } {
  const img = new WasmBlock(images.length);
  const lab = new WasmBlock(labels.length);
  const mem = new Uint8Array(getCore().memory.buffer);
  mem.set(images, img.ptr);
  new Uint8Array(getCore().memory.buffer).set(labels, lab.ptr);
  return {
    name, count: labels.length, rows: 28, cols: 28, rowLen: 784, classes: 10, normalize: true, flatten,
    imagesPtr: img.ptr, labelsPtr: lab.ptr, blocks: [img, lab],
  };
}

/** The handy split of the bundled test digits: first 8000 test digits train, last 2000 test. */
export function mnistSplit(flatten = true): { train: ImageSource; test: ImageSource } {
  const { images, labels } = mnistTestSet();
  return {
    train: imageSource("mnist-t10k[0:8000]", images.subarray(0, 8000 * 784), labels.subarray(0, 8000), flatten),
    test: imageSource("mnist-t10k[8000:10000]", images.subarray(8000 * 784), labels.subarray(8000), flatten),
  };
}
