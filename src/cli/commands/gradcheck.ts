// `scratchnet gradcheck`: the book's gradient_check.py — backprop vs numerical gradients of a
// float64 TwoLayerNet on the first few training images, mean absolute difference per parameter.
import { loadDataForCli } from "../load-data.js";
import { TwoLayerNet } from "../../nets/two-layer-net.js";
import { choiceFlag, intFlag, parseFlags } from "../args.js";

export const GRADCHECK_USAGE = `Usage: scratchnet gradcheck [options]

Compare backprop with numerical gradients (float64), as the book's gradient_check.py.

Options:
  --dataset <name>        mnist | fashion-mnist                 (default mnist)
  --data-dir <dir>        directory holding the four IDX files
  --samples <n>           training images to use                (default 3)
  --hidden <n>            hidden units                          (default 50)
  --activation <a>        relu | sigmoid                        (default relu)
  --seed <n>              seed of the initial weights           (default 0)
  -h, --help              show this help

Exit code 0 when every mean difference is ≤ 1e-6, 1 otherwise.
`;

export async function gradcheckCommand(argv: string[]): Promise<number> {
  const usage = GRADCHECK_USAGE;
  const v = parseFlags(argv, {
    dataset: { type: "string" }, "data-dir": { type: "string" }, samples: { type: "string" },
    hidden: { type: "string" }, activation: { type: "string" }, seed: { type: "string" },
  }, usage);
  if (v.help) { process.stdout.write(usage); return 0; }
  const dataset = choiceFlag(v, "dataset", ["mnist", "fashion-mnist"] as const, "mnist", usage);
  const samples = intFlag(v, "samples", 3, usage);
  const hiddenSize = intFlag(v, "hidden", 50, usage);
  const seed = intFlag(v, "seed", 0, usage, 0);
  const activation = choiceFlag(v, "activation", ["relu", "sigmoid"] as const, "relu", usage);
  const data = await loadDataForCli({ dataset, dataDir: v["data-dir"] as string | undefined, flatten: true, fallback: true });
  const { x, t } = data.train.toTensor(0, samples, "float64");
  const net = new TwoLayerNet({ inputSize: 784, hiddenSize, outputSize: 10, dtype: "float64", seed, activation });
  const numerical = net.numericalGradient(x, t);
  const backprop = net.gradient(x, t);
  let ok = true;
  for (const key of ["W1", "b1", "W2", "b2"] as const) {
    const a = backprop[key].data, b = numerical[key].data;
    let sum = 0;
    for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
    const diff = sum / a.length;
    ok &&= diff <= 1e-6;
    process.stdout.write(`${key}:${diff.toExponential(2)}\n`);
  }
  return ok ? 0 : 1;
}
