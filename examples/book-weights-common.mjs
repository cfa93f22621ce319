// Shared by the examples that use the book's trained weight files — ch03 sample_weight.pkl
// (bundled), ch07 params.pkl and ch08 deep_convnet_params.pkl (fetched): finding the file, the
// test digits, and the stand-in net a quick run uses when the book's file is not here, which
// always says that it is one.
//
// Where the book's file comes from (bookWeightsFile, sha256-checked):
//   --weights FILE or $SCRATCHNET_BOOK_DIR — explicit: a missing or wrong file is an error (exit 1);
//   otherwise, in a full run: the cache, else a download from the book's repository (not with
//   SCRATCHNET_OFFLINE=1). A quick run (--quick) looks no further than --weights and
//   $SCRATCHNET_BOOK_DIR, so it is offline and gives the same numbers on every machine.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { Adam, DeepConvNet, SimpleConvNet, Tensor, bookWeightsFile, parseIdx, trainNet } from "scratchnet";
import { loadData } from "./book-common.mjs";

const MNIST_DIR = fileURLToPath(new URL("../data-sample/mnist/", import.meta.url));

/**
 * The book's `name` as a verified local path, or null when it is not here (see the top of this
 * file). `required`: a full run that cannot go on without it exits 1 with bookWeightsFile's
 * instructions instead of returning null.
 */
export async function findBookWeights(name, { weights = "", quick = false, required = false } = {}) {
  const explicit = weights !== "" || Boolean(process.env.SCRATCHNET_BOOK_DIR);
  if (quick && !explicit) return null;
  try {
    return await bookWeightsFile(name, { path: weights || undefined, download: process.env.SCRATCHNET_OFFLINE !== "1" });
  } catch (error) {
    if (explicit || required) fail(error.message);
    console.log(`the book's ${name} is not here: ${error.message.split("\n")[0]}`);
    return null;
  }
}

/** load_mnist(normalize=True) on the 10 000 MNIST test digits: x as [10000, 1, 28, 28] (or flat [10000, 784]) in `dtype`, labels as uint8. */
export function testDigits(dtype, { flatten = false } = {}) {
  const read = (file, rank) => parseIdx(gunzipSync(readFileSync(join(MNIST_DIR, file))), file, rank);
  const images = read("t10k-images-idx3-ubyte.gz", 3), labels = read("t10k-labels-idx1-ubyte.gz", 1);
  const n = labels.data.length;
  const x = Tensor.from(Float64Array.from(images.data, (v) => v / 255), flatten ? [n, 784] : [n, 1, 28, 28], dtype);
  return { x, t: labels.data, what: "the 10 000 MNIST test digits" };
}

/** The bundled digits, split 8000 train / 2000 test as the quick runs train on them. */
const bundledSplit = () => loadData({ quick: true, flatten: false });

/** The last 2000 of the bundled digits, which the quick runs never train on (load_mnist's x_test, t_test of the 8000/2000 split). */
async function heldOutDigits(dtype, data) {
  data ??= await bundledSplit();
  const { x, t } = data.test.toTensor(0, data.test.count, dtype);
  return { x, t, what: `the ${data.test.count} bundled test digits the quick runs do not train on` };
}

/**
 * SimpleConvNet with trained weights, for chapter 7's filter figures: `--params FILE` (any
 * SimpleConvNet file: the book's params.pkl, or the one ch07-train-convnet.mjs saves); else the
 * book's params.pkl when it is here; else `--fallback FILE`; else a net trained here with the
 * book's recipe (Adam lr 0.001, batch 100) for `iters` iterations. Returns the net, what it is
 * (`source`), `isBook`, and the test digits it was not trained on.
 */
export async function trainedSimpleConvNet({ weights = "", params = "", fallback = "", quick = false, iters, seed = 0 }) {
  const book = params ? null : await findBookWeights("params.pkl", { weights, quick });
  const file = params || book || fallback;
  if (file) {
    const network = new SimpleConvNet({ dtype: "float64" }); // float64, as numpy; a float32 file widens exactly
    await loadParams(network, file); // network.load_params("params.pkl")
    if (book) return { network, isBook: true, source: `the book's params.pkl (${book})`, test: testDigits("float64") };
    const source = params ? `${params} (--params)` : `${fallback}, a stand-in: ${notHere("params.pkl", quick)}`;
    return { network, isBook: false, source, test: await heldOutDigits("float64") };
  }
  const data = await loadData({ quick, flatten: false });
  const network = new SimpleConvNet({ seed });
  await trainNet(network, data, { itersNum: iters, batchSize: 100, optimizer: new Adam(0.001), seed, evaluate: false });
  const test = data.test.toTensor(0, data.test.count);
  return {
    network, isBook: false,
    source: `a SimpleConvNet trained here for ${iters} iterations, a stand-in: ${notHere("params.pkl", quick)}`,
    test: { ...test, what: `the ${data.test.count} test digits of ${data.subset ? "the bundled split" : data.source}` },
  };
}

/** Why a stand-in is used. */
function notHere(name, quick) {
  return `the book's ${name} is not here${quick ? " (a quick run looks for it only at --weights and $SCRATCHNET_BOOK_DIR)" : ""}`;
}

/** The quick DeepConvNet run (examples/ch08-train-deepnet.mjs --quick): Adam lr 0.001, batch 100, this many bundled digits and epochs. */
export const QUICK_DEEPNET = Object.freeze({ trainImages: 4000, epochs: 3, batchSize: 100, lr: 0.001, seed: 0 });

/**
 * misclassified_mnist.py's and half_float_network.py's network: DeepConvNet in float64 (as
 * numpy) with the book's deep_convnet_params.pkl, evaluated on the 10 000 MNIST test digits.
 * `--params FILE` takes any DeepConvNet file instead. Without the book's file a full run stops
 * (the book's script needs it: exit 1 saying how to get it); a quick run uses a stand-in —
 * `--fallback FILE` (the gallery passes the net ch08-train-deepnet.mjs --quick saved) or a
 * DeepConvNet trained here with that quick recipe — evaluated on the bundled digits it did not
 * train on. `source` says which it is.
 */
export async function bookDeepConvNet({ weights = "", params = "", fallback = "", quick = false }) {
  const network = new DeepConvNet({ dtype: "float64" });
  const book = params ? null : await findBookWeights("deep_convnet_params.pkl", { weights, quick, required: !quick && !fallback });
  if (book) {
    await loadParams(network, book); // network.load_params("deep_convnet_params.pkl")
    return { network, path: book, isBook: true, source: "the book's deep_convnet_params.pkl", test: testDigits("float64") };
  }
  const data = await bundledSplit();
  const test = await heldOutDigits("float64", data);
  const file = params || fallback;
  if (file) {
    await loadParams(network, file); // a float32 file widens exactly
    const source = params ? "the --params file" : `a stand-in: ${notHere("deep_convnet_params.pkl", quick)}`;
    return { network, path: file, isBook: false, source, test };
  }
  const { iters } = await trainQuickDeepConvNet(network, data);
  return {
    network, path: null, isBook: false, test,
    source: `a stand-in DeepConvNet trained here for ${iters} iterations (ch08-train-deepnet.mjs --quick's recipe): ${notHere("deep_convnet_params.pkl", quick)}`,
  };
}

/** Train a DeepConvNet as ch08-train-deepnet.mjs --quick does (float32, fast), then copy its weights into `into`. */
async function trainQuickDeepConvNet(into, data) {
  const q = QUICK_DEEPNET;
  const network = new DeepConvNet({ seed: q.seed });
  const iters = Math.trunc(q.epochs * (q.trainImages / q.batchSize));
  console.log(`training a stand-in DeepConvNet: ${iters} iterations on ${q.trainImages} bundled digits …`);
  await trainNet(network, { train: data.train.slice(0, q.trainImages), test: data.test }, {
    itersNum: iters, batchSize: q.batchSize, optimizer: new Adam(q.lr), seed: q.seed, evaluate: false,
  });
  for (const [key, value] of Object.entries(network.params)) into.params[key].data.set(value.data); // float32 → float64, exact
  network.dispose();
  return { iters };
}

/** net.loadParams(file), or exit 1 with its message (a missing file, another net's file …). */
async function loadParams(network, file) {
  try {
    await network.loadParams(file);
  } catch (error) {
    fail(error.message);
  }
}

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
