// The one data set and net recipe every implementation in the bench uses: real Fashion-MNIST
// (60000 train + 10000 test, read in place from the Debian package), the book's TwoLayerNet
// 784-50-10, batch 100, weight_init_std 0.01, lr 0.1. Minibatches for the step benchmark are a
// fixed list of rows given by a formula (below), so Node and the numpy subprocess train on the
// same images without passing index files around.
import { readFileSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { gunzipSync, gzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseIdx } from "../../dist/index.node.js";

export const FASHION_DIR = process.env.SCRATCHNET_FASHION_DIR ?? "/usr/share/datasets/fashion-mnist";
/** The real MNIST test set (10 000 digits) beside the checkout; the 60 000-digit train set is not on this machine. */
export const MNIST_DIR = process.env.SCRATCHNET_MNIST_DIR ?? join(dirname(fileURLToPath(import.meta.url)), "..", "..", "data-sample", "mnist");

export const RECIPE = Object.freeze({
  inputSize: 784, hiddenSize: 50, outputSize: 10,
  batchSize: 100, weightInitStd: 0.01, learningRate: 0.1,
  /** Distinct minibatches the step benchmark cycles through (gathered once, outside the timing). */
  stepBatches: 20,
  /** Rows per forward pass in the 70 000-row accuracy pass of the JS implementations. */
  evalChunk: 1000,
  /** The book's full run: iters_num, evaluated once per epoch (60000 / 100 = 600 iterations). */
  fullIters: 10000,
});

/** Row of the training set used at position r of step batch b: a fixed stride walk (7919 is prime, coprime with 60000). */
export function batchRow(b, r, batchSize = RECIPE.batchSize, trainCount = 60000) {
  return ((b * batchSize + r) * 7919) % trainCount;
}

const FILES = {
  trainImages: "train-images-idx3-ubyte.gz", trainLabels: "train-labels-idx1-ubyte.gz",
  testImages: "t10k-images-idx3-ubyte.gz", testLabels: "t10k-labels-idx1-ubyte.gz",
};

export function fashionAvailable(dir = FASHION_DIR) {
  return Object.values(FILES).every((f) => existsSync(join(dir, f)));
}

function readIdx(dir, file, rank) {
  const path = join(dir, file);
  return parseIdx(new Uint8Array(gunzipSync(readFileSync(path))), path, rank);
}

/**
 * Fashion-MNIST as uint8: `images` holds all 70 000 rows (train then test) contiguously, so the
 * accuracy pass is one loop; `train*`/`test*` are views into it.
 */
export function loadFashion(dir = FASHION_DIR) {
  if (!fashionAvailable(dir)) {
    throw new Error(`bench: Fashion-MNIST not found in ${dir} (apt-get install dataset-fashion-mnist, or set SCRATCHNET_FASHION_DIR)`);
  }
  const trI = readIdx(dir, FILES.trainImages, 3), trL = readIdx(dir, FILES.trainLabels, 1);
  const teI = readIdx(dir, FILES.testImages, 3), teL = readIdx(dir, FILES.testLabels, 1);
  const rowLen = trI.dims[1] * trI.dims[2];
  const trainCount = trI.dims[0], testCount = teI.dims[0];
  const images = new Uint8Array((trainCount + testCount) * rowLen);
  images.set(trI.data, 0);
  images.set(teI.data, trainCount * rowLen);
  const labels = new Uint8Array(trainCount + testCount);
  labels.set(trL.data, 0);
  labels.set(teL.data, trainCount);
  return {
    dir, name: "Fashion-MNIST", rows: trI.dims[1], cols: trI.dims[2], rowLen, trainCount, testCount, count: trainCount + testCount,
    images, labels,
    trainImages: images.subarray(0, trainCount * rowLen), trainLabels: labels.subarray(0, trainCount),
    testImages: images.subarray(trainCount * rowLen), testLabels: labels.subarray(trainCount),
  };
}

/** The step batches as normalised float rows (x) and class labels, gathered once. */
export function stepBatches(data, ArrayType = Float32Array, recipe = RECIPE) {
  const { batchSize, stepBatches: count } = recipe;
  const out = [];
  for (let b = 0; b < count; b++) {
    const x = new ArrayType(batchSize * data.rowLen);
    const t = new Int32Array(batchSize);
    for (let r = 0; r < batchSize; r++) {
      const row = batchRow(b, r, batchSize, data.trainCount);
      const src = data.trainImages.subarray(row * data.rowLen, (row + 1) * data.rowLen);
      for (let c = 0; c < data.rowLen; c++) x[r * data.rowLen + c] = src[c] / 255;
      t[r] = data.trainLabels[row];
    }
    out.push({ x, t });
  }
  return out;
}

/**
 * `--data mnist`: the book's own data set, as far as this machine has it. The real MNIST test
 * digits (10 000) are tiled 7× into the same 60 000 + 10 000 layout as Fashion-MNIST, so every
 * suite runs unchanged: step batches walk the "train" rows (digits the net sees repeat, their
 * statistics — ~19% nonzero pixels — are MNIST's), the accuracy pass covers 70 000 rows. The
 * numpy peer reads the same rows from IDX files written to a temporary directory.
 */
export function loadMnistTiled(dir = MNIST_DIR) {
  const need = [FILES.testImages, FILES.testLabels].map((f) => join(dir, f));
  const gone = need.filter((f) => !existsSync(f));
  if (gone.length) throw new Error(`bench: MNIST test set not found: ${gone.join(", ")} (set SCRATCHNET_MNIST_DIR)`);
  const img = readIdx(dir, FILES.testImages, 3), lab = readIdx(dir, FILES.testLabels, 1);
  const rowLen = img.dims[1] * img.dims[2], n = img.dims[0];
  const trainCount = 6 * n, testCount = n;
  const images = new Uint8Array((trainCount + testCount) * rowLen);
  const labels = new Uint8Array(trainCount + testCount);
  for (let c = 0; c < 7; c++) { images.set(img.data, c * n * rowLen); labels.set(lab.data, c * n); }
  const tmp = mkdtempSync(join(tmpdir(), "scratchnet-bench-mnist-"));
  const idx = (magic, dims, data) => {
    const head = Buffer.alloc(4 + 4 * dims.length);
    head.writeUInt32BE(magic, 0);
    dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
    return gzipSync(Buffer.concat([head, Buffer.from(data.buffer, data.byteOffset, data.byteLength)]), { level: 1 });
  };
  writeFileSync(join(tmp, FILES.trainImages), idx(0x803, [trainCount, img.dims[1], img.dims[2]], images.subarray(0, trainCount * rowLen)));
  writeFileSync(join(tmp, FILES.trainLabels), idx(0x801, [trainCount], labels.subarray(0, trainCount)));
  writeFileSync(join(tmp, FILES.testImages), idx(0x803, [testCount, img.dims[1], img.dims[2]], images.subarray(trainCount * rowLen)));
  writeFileSync(join(tmp, FILES.testLabels), idx(0x801, [testCount], labels.subarray(trainCount)));
  return {
    dir: tmp, source: dir, name: "MNIST", rows: img.dims[1], cols: img.dims[2], rowLen, trainCount, testCount, count: trainCount + testCount,
    images, labels,
    trainImages: images.subarray(0, trainCount * rowLen), trainLabels: labels.subarray(0, trainCount),
    testImages: images.subarray(trainCount * rowLen), testLabels: labels.subarray(trainCount),
  };
}
