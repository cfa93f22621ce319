// `scratchnet train`: the book's train_neuralnet.py with its defaults, plus the outputs a run
// should leave behind (history.json, accuracy.svg, loss.svg, model.safetensors).
import { join } from "node:path";
import { loadDataForCli } from "../load-data.js";
import { trainNet, type TrainHistory } from "../../train/train.js";
import { saveModel } from "../../io/model-file.node.js";
import { writeFileAtomic } from "../../io/atomic-write.node.js";
import { accuracyFigure, lossFigure } from "../../plot/index.js";
import { VERSION } from "../../version.js";
import { choiceFlag, intFlag, parseFlags } from "../args.js";
import { getThreads, init, isCoreReady } from "../../core/core.js";
import { threadsFromEnv } from "../../core/spawn-worker.node.js";
import { allowRelaxedSimd } from "../relaxed-simd.js";
import { createProgress } from "../progress.js";
import { createNetFromFlags, NET_FLAGS, NET_HELP } from "../net-flags.js";
import { prepareOutputDir } from "../output-dir.js";
import { describeData, modelDataMetadata } from "../data-record.js";
import { interruptibly } from "../signals.js";

export const TRAIN_USAGE = `Usage: scratchnet train [options]

Train a net on MNIST or Fashion-MNIST (defaults: the book's train_neuralnet.py recipe).

Options:
  --dataset <name>        mnist | fashion-mnist                 (default mnist; offline without
                                                                 MNIST: the bundled 10 000 test
                                                                 digits, split 8000 / 2000)
  --data-dir <dir>        directory holding the four IDX files  (default: lookup order, docs/data.md)
  --iters <n>             iterations, ≥ 1                       (default 10000)
  --batch <n>             minibatch size                        (default 100)
  --seed <n>              seed for initial weights and minibatches (default 0)
  --dtype <t>             float32 | float64                     (default float32)
  --loss-recording <m>    gradient (free, before the update) | after-update (the book's order)
                                                                (default gradient)
  --threads <n>           threads (results are identical for any count)
                                                                (default: the machine's cores, at
                                                                 most 8; SCRATCHNET_THREADS sets it)
  --relaxed-simd          the fused multiply-add build: faster where the CPU fuses, but not
                          bit-identical to the default nor across machines (on Node 20 this
                          turns on V8's --experimental-wasm-relaxed-simd)
  --out <dir>             where history.json, accuracy.svg, loss.svg and model.safetensors go
                                                                (default out/train)
${NET_HELP}
  -h, --help              show this help
`;

/**
 * `work` (which needs the core) while init finishes starting the workers; settles only when both
 * have, so that no worker is still starting when the command returns (it would keep the process
 * alive), and reports init's failure before the work's.
 */
async function whileWorkersStart<T>(coreReady: Promise<unknown>, work: () => Promise<T>): Promise<T> {
  const [core, result] = await Promise.allSettled([
    coreReady,
    (async () => {
      if (!isCoreReady()) await coreReady; // no core yet: init failed, or (outside Node) still compiles
      return work();
    })(),
  ]);
  if (core.status === "rejected") throw core.reason;
  if (result.status === "rejected") throw result.reason;
  return result.value;
}

export async function trainCommand(argv: string[]): Promise<number> {
  const usage = TRAIN_USAGE;
  const v = parseFlags(argv, {
    dataset: { type: "string" }, "data-dir": { type: "string" }, iters: { type: "string" },
    batch: { type: "string" }, seed: { type: "string" }, dtype: { type: "string" }, threads: { type: "string" },
    "relaxed-simd": { type: "boolean" },
    "loss-recording": { type: "string" }, out: { type: "string" }, ...NET_FLAGS,
  }, usage);
  if (v.help) { process.stdout.write(usage); return 0; }
  const dataset = choiceFlag(v, "dataset", ["mnist", "fashion-mnist"] as const, "mnist", usage);
  const itersNum = intFlag(v, "iters", 10000, usage);
  const batchSize = intFlag(v, "batch", 100, usage);
  const seed = intFlag(v, "seed", 0, usage, 0);
  const dtype = choiceFlag(v, "dtype", ["float32", "float64"] as const, "float32", usage);
  const lossRecording = choiceFlag(v, "loss-recording", ["gradient", "after-update"] as const, "gradient", usage);
  const out = (v.out as string | undefined) ?? join("out", "train");
  const threads = intFlag(v, "threads", threadsFromEnv(), usage);
  // before any data is read or any step taken: a run must not be lost to an unwritable --out
  prepareOutputDir(out, "--out");
  // before anything touches the core (1 thread: the single-threaded build)
  const relaxed = v["relaxed-simd"] === true;
  if (relaxed) allowRelaxedSimd();
  // In Node the core is made at once (the wasm compiles synchronously) and its workers start in
  // the background: they get ready (~50 ms) while the data loads instead of before it.
  const coreReady = init({ threads, simd: relaxed ? "relaxed" : "fixed" });
  const { net, optimizer, description, learningRate, data } = await whileWorkersStart(coreReady, async () => {
    const made = createNetFromFlags(v, { dtype, seed, inputSize: 784, outputSize: 10 }, usage);
    const data = await loadDataForCli({ dataset, dataDir: v["data-dir"] as string | undefined, flatten: made.description.flatten, fallback: true });
    return { ...made, data };
  });
  process.stdout.write(`${description.name} on ${describeData(data)}, ` +
    `${itersNum} iterations, batch ${batchSize}, ${optimizer.name} lr ${learningRate}, ${dtype}, seed ${seed}\n`);

  const progress = createProgress(itersNum);
  const abort = new AbortController();
  let history: TrainHistory;
  try {
    // Ctrl-C stops training and the run so far is still written; a second Ctrl-C exits (signals.ts)
    history = await interruptibly(() => abort.abort(), () => trainNet(net, data, {
      itersNum, batchSize, learningRate, optimizer, seed, lossRecording, signal: abort.signal,
      onStep: (s) => progress.step(s.iter, s.loss),
      onEpoch: (e) => progress.line(`train acc, test acc | ${e.trainAcc.toFixed(4)}, ${e.testAcc.toFixed(4)}`),
    }));
  } finally {
    progress.done();
  }
  process.stdout.write(`final train acc, test acc | ${history.finalTrainAcc.toFixed(4)}, ${history.finalTestAcc.toFixed(4)}` +
    ` (${(history.elapsedMs / 1000).toFixed(1)} s${history.aborted ? ", interrupted" : ""})\n`);

  prepareOutputDir(out, "--out"); // again: it may have been removed while we trained
  const record = {
    ...history,
    settings: {
      ...history.settings, dataset: data.dataset, subset: data.subset ?? null, dataSource: data.source, isSample: data.isSample,
      normalize: true, net: description, version: VERSION, threads: getThreads(), simd: relaxed ? "relaxed" : "fixed",
    },
  };
  const encoder = new TextEncoder();
  await writeFileAtomic(join(out, "history.json"), encoder.encode(JSON.stringify(record, null, 1) + "\n"));
  await writeFileAtomic(join(out, "accuracy.svg"), encoder.encode(accuracyFigure(history)));
  await writeFileAtomic(join(out, "loss.svg"), encoder.encode(lossFigure(history.trainLossList)));
  await saveModel(net, join(out, "model.safetensors"), { metadata: modelDataMetadata(data, { normalize: true, flatten: description.flatten }) });
  process.stdout.write(`wrote ${out}/{history.json, accuracy.svg, loss.svg, model.safetensors}\n`);
  return history.aborted ? 130 : 0;
}
