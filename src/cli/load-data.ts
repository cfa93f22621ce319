// How the CLI finds its data. The library's loadMnist is strict (asking for digits never
// returns clothes). The CLI's default run is the quick start, which must work on a fresh
// offline machine: when the user did not choose a dataset and MNIST cannot be found, it says
// so loudly and trains on Fashion-MNIST instead (the full set if installed, else the sample).
import { loadMnist } from "../data/load-mnist.node.js";
import type { LoadedMnist } from "../data/mnist.js";

export async function loadDataForCli(options: {
  dataset: "mnist" | "fashion-mnist";
  datasetChosen: boolean;
  dataDir?: string;
  flatten: boolean;
}): Promise<LoadedMnist & { dataset: "mnist" | "fashion-mnist" }> {
  const warn = (m: string): void => { process.stderr.write(m + "\n"); };
  const load = (dataset: "mnist" | "fashion-mnist") =>
    loadMnist({
      dataset, dataDir: options.dataDir, normalize: true, flatten: options.flatten, oneHotLabel: false, warn,
      download: process.env.SCRATCHNET_OFFLINE !== "1", // SCRATCHNET_OFFLINE=1: never touch the network
    });
  try {
    return { ...(await load(options.dataset)), dataset: options.dataset };
  } catch (error) {
    if (options.datasetChosen || options.dataDir !== undefined || options.dataset !== "mnist") throw error;
    const reason = (error as Error).message.split("\n")[0];
    warn("!".repeat(78));
    warn(`!! MNIST is not available here (${reason})`);
    warn("!! Falling back to FASHION-MNIST (clothing images, not digits) for this run.");
    warn("!! Pass --dataset mnist to insist on digits, or --data-dir DIR with the four MNIST files.");
    warn("!".repeat(78));
    return { ...(await load("fashion-mnist")), dataset: "fashion-mnist" };
  }
}
