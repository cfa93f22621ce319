// Shared by the examples that run the book's trained weight files: the 10 000 MNIST test digits
// bundled in data-sample/mnist, and the weight file itself — a --weights path, $SCRATCHNET_BOOK_DIR,
// the copy bundled in data-sample/book (sample_weight.pkl), the cache, or a verified download
// from the book's repository (bookWeightsFile). Offline without a copy, the message says how to get one.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { Tensor, bookWeightsFile, parseIdx } from "scratchnet";

const MNIST_DIR = fileURLToPath(new URL("../data-sample/mnist/", import.meta.url));

/** `--weights FILE` from the command line, if given. */
export function weightsFlag() {
  const args = process.argv.slice(2);
  const at = args.indexOf("--weights");
  if (at < 0) {
    if (args.length > 0) fail(`unknown arguments ${args.join(" ")} (options: --weights FILE)`);
    return undefined;
  }
  if (args[at + 1] === undefined) fail("--weights needs a file");
  return args[at + 1];
}

/** The path of the book's `name` (verified), or exit 1 with bookWeightsFile's instructions. */
export async function bookWeights(name) {
  try {
    return await bookWeightsFile(name, { path: weightsFlag() });
  } catch (error) {
    fail(error.message);
  }
}

/** load_mnist(normalize=True) on the test digits: x as [10000, 1, 28, 28] (or flat [10000, 784]) in `dtype`, labels as uint8. */
export function testDigits(dtype, { flatten = false } = {}) {
  const read = (file, rank) => parseIdx(gunzipSync(readFileSync(join(MNIST_DIR, file))), file, rank);
  const images = read("t10k-images-idx3-ubyte.gz", 3), labels = read("t10k-labels-idx1-ubyte.gz", 1);
  const n = labels.data.length;
  const x = Tensor.from(Float64Array.from(images.data, (v) => v / 255), flatten ? [n, 784] : [n, 1, 28, 28], dtype);
  return { x, t: labels.data };
}

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
