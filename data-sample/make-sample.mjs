// Rebuilds data-sample/fashion-mnist/ from Debian's dataset-fashion-mnist files:
// the first TRAIN images/labels of the training set and the first TEST of the test set,
// re-written as gzip IDX (level 9, deterministic: zlib writes mtime 0).
//   node data-sample/make-sample.mjs [/usr/share/datasets/fashion-mnist]
import { readFileSync, writeFileSync, renameSync } from "node:fs";
import { gunzipSync, gzipSync } from "node:zlib";

const TRAIN = 700, TEST = 200, SIDE = 28;
const from = (process.argv[2] ?? "/usr/share/datasets/fashion-mnist").replace(/\/?$/, "/");
const to = new URL("./fashion-mnist/", import.meta.url);

function idx(dims, data) {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(0x0800 | dims.length, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, data]);
}

function write(name, bytes) {
  const path = new URL(`${name}.gz`, to);
  writeFileSync(`${path.pathname}.tmp`, gzipSync(bytes, { level: 9 }));
  renameSync(`${path.pathname}.tmp`, path);
}

for (const [split, n] of [["train", TRAIN], ["t10k", TEST]]) {
  const images = gunzipSync(readFileSync(`${from}${split}-images-idx3-ubyte.gz`));
  const labels = gunzipSync(readFileSync(`${from}${split}-labels-idx1-ubyte.gz`));
  write(`${split}-images-idx3-ubyte`, idx([n, SIDE, SIDE], images.subarray(16, 16 + n * SIDE * SIDE)));
  write(`${split}-labels-idx1-ubyte`, idx([n], labels.subarray(8, 8 + n)));
}
