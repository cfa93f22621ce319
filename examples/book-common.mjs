// Shared by the examples of the book's scripts (examples/chNN-*.mjs): command-line flags with a
// `--quick` switch, the MNIST data the book's load_mnist gives, np.arange, and writing figures
// atomically to out/book/<name>.svg.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { ImageDataset, loadMnist, parseIdx } from "scratchnet";

/** out/ beside examples/ (gitignored); $SCRATCHNET_OUT_DIR overrides it (the tests use a temp dir). */
export const OUT_DIR = process.env.SCRATCHNET_OUT_DIR || fileURLToPath(new URL("../out/", import.meta.url));
/** Where the figures of the book's scripts go. */
export const FIGURE_DIR = join(OUT_DIR, "book");

/**
 * `--name value` flags with defaults, e.g. flags({ iters: 2000, dataset: "mnist" }); numbers stay
 * numbers. Every example also takes `--quick` (no value): a short run on the bundled digits,
 * for `npm run book` and the tests. Unknown flags are an error, so a typo never goes unnoticed.
 */
export function flags(defaults = {}) {
  const args = process.argv.slice(2);
  const out = { quick: false, ...defaults };
  for (let i = 0; i < args.length; i++) {
    const key = args[i].replace(/^--/, "");
    if (!args[i].startsWith("--") || !(key in out)) {
      throw new Error(`unknown argument ${args[i]} (options: ${Object.keys(out).map((k) => `--${k}`).join(" ")})`);
    }
    if (typeof out[key] === "boolean") { out[key] = true; continue; }
    const value = args[++i];
    if (value === undefined) throw new Error(`--${key} needs a value`);
    out[key] = typeof defaults[key] === "number" ? Number(value) : value;
    if (typeof defaults[key] === "number" && !Number.isFinite(out[key])) throw new Error(`--${key} must be a number, got ${value}`);
  }
  return out;
}

/**
 * The book's load_mnist(): MNIST from the cache, /usr/share/datasets or a download; offline, the
 * 10 000 real test digits bundled with scratchnet, split 8000 train / 2000 test. With --quick
 * always the bundled digits, so a quick run is short and gives the same numbers everywhere.
 */
export async function loadData({ quick = false, dataset = "mnist", normalize = true, flatten = true } = {}) {
  const bundledDigits = dataset !== "mnist" ? "never" : quick ? "always" : "fallback";
  const data = await loadMnist({ dataset, normalize, flatten, bundledDigits });
  const what = data.subset === "bundled-t10k-8000-2000" ? "the 10 000 MNIST test digits bundled with scratchnet" : data.source;
  console.log(`data: ${dataset} from ${what} (${data.train.count} train / ${data.test.count} test)`);
  return data;
}

/** The MNIST test set (10 000 real digits), which ships with scratchnet in data-sample/mnist. */
export function loadMnistTestSet({ normalize = true, flatten = true } = {}) {
  const dir = fileURLToPath(new URL("../data-sample/mnist/", import.meta.url));
  const read = (file, rank) => parseIdx(gunzipSync(readFileSync(join(dir, file))), file, rank).data;
  return ImageDataset.fromBytes("t10k", read("t10k-images-idx3-ubyte.gz", 3), read("t10k-labels-idx1-ubyte.gz", 1), 28, 28, { normalize, flatten });
}

/** np.arange(start, stop, step): start + i·step while below stop. */
export function arange(start, stop, step) {
  return Array.from({ length: Math.max(0, Math.ceil((stop - start) / step)) }, (_, i) => start + i * step);
}

/** out/book/<file>, creating out/book/ if needed. */
export function outPath(file) {
  mkdirSync(FIGURE_DIR, { recursive: true });
  return join(FIGURE_DIR, file);
}

/** Write out/book/<name>.svg via a temporary file and a rename, so a reader never sees half a figure. */
export function writeFigure(name, svg) {
  const path = outPath(`${name}.svg`);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, svg);
  renameSync(tmp, path);
  console.log(`wrote ${path}`);
  return path;
}

/** Mean of the last n values. */
export function lastMean(list, n = 100) {
  const tail = list.slice(-n);
  return tail.reduce((a, b) => a + b, 0) / tail.length;
}

/** Index of the largest value in row `r` of a [rows × cols] typed array (np.argmax(y, axis=1)). */
export function argmaxRow(data, r, cols) {
  let best = 0;
  for (let j = 1; j < cols; j++) if (data[r * cols + j] > data[r * cols + best]) best = j;
  return best;
}
