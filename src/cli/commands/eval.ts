// `scratchnet eval`: accuracy of a saved model on a dataset split.
import { loadDataForCli } from "../load-data.js";
import { loadModel } from "../../io/model-file.node.js";
import { evaluateAccuracy } from "../../train/evaluate.js";
import type { TrainableNet } from "../../train/trainable.js";
import { choiceFlag, parseFlags } from "../args.js";
import { UsageError } from "../usage-error.js";

export const EVAL_USAGE = `Usage: scratchnet eval --model <file> [options]

Accuracy of a saved model (model.safetensors from \`scratchnet train\`).

Options:
  --model <file>          the .safetensors file                 (required)
  --dataset <name>        mnist | fashion-mnist                 (default mnist)
  --data-dir <dir>        directory holding the four IDX files
  --split <s>             test | train | both                   (default test)
  -h, --help              show this help
`;

export async function evalCommand(argv: string[]): Promise<number> {
  const usage = EVAL_USAGE;
  const v = parseFlags(argv, { model: { type: "string" }, dataset: { type: "string" }, "data-dir": { type: "string" }, split: { type: "string" } }, usage);
  if (v.help) { process.stdout.write(usage); return 0; }
  if (typeof v.model !== "string") throw new UsageError("--model <file> is required", usage);
  const dataset = choiceFlag(v, "dataset", ["mnist", "fashion-mnist"] as const, "mnist", usage);
  const split = choiceFlag(v, "split", ["test", "train", "both"] as const, "test", usage);
  const net = (await loadModel(v.model)) as unknown as TrainableNet;
  const flatten = (net as { flattenInput?: boolean }).flattenInput ?? true;
  // evaluating on another dataset than asked would be a wrong answer: no fallback here
  const data = await loadDataForCli({ dataset, datasetChosen: true, dataDir: v["data-dir"] as string | undefined, flatten });
  const report = (label: string, set: typeof data.test): void => {
    const acc = evaluateAccuracy(net, set);
    process.stdout.write(`${label} acc | ${acc.toFixed(4)} (${Math.round(acc * set.count)} / ${set.count} images)\n`);
  };
  if (split !== "train") report("test", data.test);
  if (split !== "test") report("train", data.train);
  return 0;
}
