// How the CLI finds its data. The library's loadMnist is strict by default (a missing MNIST is
// an error); the CLI's runs must work on a fresh offline machine, so for MNIST it allows the
// bundled real digits (8000 train / 2000 test) as the last resort — loadMnist prints a loud
// banner when it uses them. Fashion-MNIST is used only when asked for (--dataset).
// $SCRATCHNET_OFFLINE=1 keeps loadMnist off the network.
import { loadMnist, loadMnistTest } from "../data/load-mnist.node.js";
import type { LoadedMnist } from "../data/mnist.js";
import type { ImageDataset } from "../data/dataset.js";

export type DatasetName = "mnist" | "fashion-mnist";

export interface CliDataOptions {
  dataset: DatasetName;
  dataDir?: string;
  flatten: boolean;
  /** Preprocessing: pixels ÷ 255 (default true, as the book's load_mnist(normalize=True)). */
  normalize?: boolean;
  /** Use the bundled digits' 8000/2000 split without looking for the full set (a model trained on it). */
  bundledSubset?: boolean;
  /** Fall back to the bundled digits' split when MNIST is missing (train: yes; eval: never). */
  fallback: boolean;
}

const warn = (m: string): void => { process.stderr.write(m + "\n"); };

function libraryOptions(options: CliDataOptions) {
  return {
    dataset: options.dataset, dataDir: options.dataDir, normalize: options.normalize ?? true, flatten: options.flatten,
    oneHotLabel: false, warn,
    bundledDigits: options.dataset !== "mnist" ? "never" as const
      : options.bundledSubset ? "always" as const : options.fallback ? "fallback" as const : "never" as const,
  };
}

export async function loadDataForCli(options: CliDataOptions): Promise<LoadedMnist & { dataset: DatasetName }> {
  return { ...(await loadMnist(libraryOptions(options))), dataset: options.dataset };
}

/** The test split only: `eval --split test` never needs the training images. */
export async function loadTestForCli(options: CliDataOptions): Promise<{ test: ImageDataset; source: string; isSample: boolean; subset?: string }> {
  return loadMnistTest(libraryOptions(options));
}
