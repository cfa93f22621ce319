// The 10 000 real MNIST test digits that ship with the package (data-sample/mnist, CC BY-SA 3.0,
// credited in data-sample/README.md). They make a fresh offline clone train on real digits:
// split 8000 train / 2000 test, and labelled as the subset they are, never as "MNIST".
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadSplit, type IdxInput, type LoadedMnist } from "./mnist.js";
import type { DatasetFlags } from "./dataset.js";

/** Where the bundled t10k files are. */
export const BUNDLED_DIGITS_DIR = fileURLToPath(new URL("../../data-sample/mnist/", import.meta.url));
/** `subset` of the bundled split: t10k images 0–7999 train, 8000–9999 test. */
export const BUNDLED_DIGITS_SUBSET = "bundled-t10k-8000-2000";
const TRAIN_COUNT = 8000;

/** The two bundled files, by part. */
export const BUNDLED_DIGIT_FILES = {
  testImages: join(BUNDLED_DIGITS_DIR, "t10k-images-idx3-ubyte.gz"),
  testLabels: join(BUNDLED_DIGITS_DIR, "t10k-labels-idx1-ubyte.gz"),
} as const;

/**
 * The bundled digits as train = images 0–7999, test = 8000–9999: two views of one copy in wasm
 * memory. `isSample` and `subset` say it is not the book's 60 000 / 10 000.
 */
export async function loadBundledDigits(flags: DatasetFlags): Promise<LoadedMnist> {
  const input = (path: string): IdxInput => ({
    name: path,
    read: () => readFile(path).catch((e: Error) => {
      throw new Error(`loadMnist: the bundled digits are missing (${e.message}); reinstall scratchnet`, { cause: e });
    }),
  });
  const { normalize, flatten, oneHotLabel } = flags;
  const all = await loadSplit("mnist-t10k", input(BUNDLED_DIGIT_FILES.testImages), input(BUNDLED_DIGIT_FILES.testLabels), { normalize, flatten, oneHotLabel });
  return {
    train: all.slice(0, TRAIN_COUNT), test: all.slice(TRAIN_COUNT),
    source: `bundled MNIST test digits ${BUNDLED_DIGITS_DIR}`, isSample: true, subset: BUNDLED_DIGITS_SUBSET,
  };
}

/** The loud banner for the offline fallback: what is used, why, and how to get the full set. */
export function bundledDigitsBanner(reason: string, cacheDir: string, dataDirEnv: string): string {
  const bar = "!".repeat(78);
  return [
    bar,
    "!! MNIST's 60 000 training digits are not on this machine and could not be downloaded",
    `!! (${reason}).`,
    "!! TRAINING ON THE 10 000 REAL MNIST TEST DIGITS BUNDLED WITH SCRATCHNET, split",
    "!! 8000 train / 2000 test — not the book's 60 000 / 10 000 (expect ~0.95, not ~0.97).",
    `!! For the full set: go online once (it is then cached in ${cacheDir}), or point`,
    `!! --data-dir / ${dataDirEnv} / loadMnist({ dataDir }) at a directory with the four files.`,
    bar,
  ].join("\n");
}
