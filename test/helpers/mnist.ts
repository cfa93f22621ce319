// The real MNIST test digits bundled in data-sample/mnist/, for tests.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { parseIdx } from "../../src/data/idx.js";
import { Tensor, loadMnist, type ImageDataset } from "../../src/index.node.js";

export const MNIST_DIR = fileURLToPath(new URL("../../data-sample/mnist/", import.meta.url));
export const FASHION_DIR = "/usr/share/datasets/fashion-mnist/";

let cache: { images: Uint8Array; labels: Uint8Array } | null = null;

/** 10000 test images (uint8, 10000×784) and labels. */
export function mnistTestSet(): { images: Uint8Array; labels: Uint8Array; count: number; rowLen: number } {
  if (!cache) {
    const images = parseIdx(gunzipSync(readFileSync(MNIST_DIR + "t10k-images-idx3-ubyte.gz")), "t10k-images", 3);
    const labels = parseIdx(gunzipSync(readFileSync(MNIST_DIR + "t10k-labels-idx1-ubyte.gz")), "t10k-labels", 1);
    cache = { images: images.data, labels: labels.data };
  }
  return { ...cache, count: cache.labels.length, rowLen: 784 };
}

/** Rows [start, start+n) as normalised floats (÷255, like load_mnist(normalize=True)). */
export function mnistRows(start: number, n: number): { x: Float64Array; labels: number[] } {
  const { images, labels } = mnistTestSet();
  const x = new Float64Array(n * 784);
  for (let i = 0; i < n * 784; i++) x[i] = images[start * 784 + i] / 255;
  return { x, labels: Array.from(labels.subarray(start, start + n)) };
}

/** n real digits as float64 images [n, 1, size, size]: the centre size×size crop (size < 28) or the whole image. */
export function mnistImages(start: number, n: number, size = 28): { x: Tensor; labels: number[] } {
  const { x, labels } = mnistRows(start, n);
  const off = (28 - size) >> 1;
  const out = new Float64Array(n * size * size);
  for (let i = 0; i < n; i++) for (let r = 0; r < size; r++) for (let c = 0; c < size; c++) {
    out[(i * size + r) * size + c] = x[i * 784 + (r + off) * 28 + c + off];
  }
  return { x: Tensor.from(out, [n, 1, size, size], "float64"), labels };
}

const splits = new Map<boolean, Promise<{ train: ImageDataset; test: ImageDataset }>>();

/**
 * The handy split of the bundled test digits, as the CLI's offline run uses it: the first 8000
 * train, the last 2000 test (one copy per flatten setting for the whole test file).
 */
export function mnistSplit(flatten = true): Promise<{ train: ImageDataset; test: ImageDataset }> {
  let split = splits.get(flatten);
  if (!split) {
    split = loadMnist({ bundledDigits: "always", normalize: true, flatten, oneHotLabel: false, env: {}, download: false, warn: () => {} })
      .then(({ train, test }) => ({ train, test }));
    splits.set(flatten, split);
  }
  return split;
}
