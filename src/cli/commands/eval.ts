// `scratchnet eval`: accuracy of a saved model on a dataset split. A model written by `train`
// records its dataset, subset and preprocessing, so `--model` alone evaluates it on exactly the
// test data of its run; `--split test` reads only the two test files.
import { readFile } from "node:fs/promises";
import { loadDataForCli, loadTestForCli, type DatasetName } from "../load-data.js";
import { deserializeModel } from "../../io/model.js";
import { decodeSafetensors } from "../../io/safetensors.js";
import { evaluateAccuracy } from "../../train/evaluate.js";
import { checkTrainable } from "../../train/trainable.js";
import "../../nets/index.js"; // registers every net class, so any model file of the library loads
import type { ImageDataset } from "../../data/dataset.js";
import { choiceFlag, parseFlags } from "../args.js";
import { UsageError } from "../usage-error.js";
import { readDataRecord } from "../data-record.js";

export const EVAL_USAGE = `Usage: scratchnet eval --model <file> [options]

Accuracy of a saved model (model.safetensors from \`scratchnet train\`). By default it is
evaluated on the data its run used (recorded in the file), e.g. the bundled digits' 2000 test
images after an offline quick start.

Options:
  --model <file>          the .safetensors file                 (required)
  --dataset <name>        mnist | fashion-mnist                 (default: the model's, else mnist)
  --data-dir <dir>        directory holding the IDX files
  --split <s>             test | train | both                   (default test: reads only the test files)
  -h, --help              show this help
`;

export async function evalCommand(argv: string[]): Promise<number> {
  const usage = EVAL_USAGE;
  const v = parseFlags(argv, { model: { type: "string" }, dataset: { type: "string" }, "data-dir": { type: "string" }, split: { type: "string" } }, usage);
  if (v.help) { process.stdout.write(usage); return 0; }
  if (typeof v.model !== "string") throw new UsageError("--model <file> is required", usage);
  const split = choiceFlag(v, "split", ["test", "train", "both"] as const, "test", usage);
  const requested = v.dataset === undefined ? undefined : choiceFlag(v, "dataset", ["mnist", "fashion-mnist"] as const, "mnist", usage);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(v.model);
  } catch (e) {
    throw new Error(`cannot read --model ${v.model}: ${(e as Error).message}`, { cause: e });
  }
  const net = deserializeModel(bytes, v.model);
  checkTrainable(net, "scratchnet eval");
  const record = readDataRecord(decodeSafetensors(bytes, v.model).metadata, v.model);
  const dataset: DatasetName = requested ?? record?.dataset ?? "mnist";
  const dataDir = v["data-dir"] as string | undefined;
  // the recorded subset only applies to the recorded dataset, and an explicit --data-dir wins
  const bundledSubset = record?.subset != null && record.dataset === dataset && dataDir === undefined;
  const options = {
    dataset, dataDir, bundledSubset, fallback: false, // evaluating on other data than asked would be a wrong answer
    flatten: record?.flatten ?? true, // every net takes flat rows (the conv nets reshape them)
    normalize: record?.normalize ?? true,
  };
  const report = (label: string, set: ImageDataset): void => {
    const acc = evaluateAccuracy(net, set);
    process.stdout.write(`${label} acc | ${acc.toFixed(4)} (${Math.round(acc * set.count)} / ${set.count} images)\n`);
  };
  if (split === "test") {
    const { test, source, subset } = await loadTestForCli(options);
    process.stdout.write(`${dataset}${subset ? ` [${subset}]` : ""} test split from ${source}\n`);
    report("test", test);
    return 0;
  }
  const data = await loadDataForCli(options);
  process.stdout.write(`${dataset}${data.subset ? ` [${data.subset}]` : ""} from ${data.source}\n`);
  if (split === "both") report("test", data.test);
  report("train", data.train);
  return 0;
}
