#!/usr/bin/env node
// Two builds of scratchnet side by side in one process: this checkout and another one (e.g. the
// commit before a refactoring, built in a temporary directory), each loaded from its own dist/
// and build/ (two cores, each with its own wasm memory and thread pool). Every row runs many
// short rounds; a round is one tinybench run holding both builds' task (order alternating), so
// the two times of a round are taken moments apart and the load of a shared machine mostly
// cancels in their ratio. Reported: the median over rounds of this ÷ other (1.00 = as fast,
// < 1 faster) and its interquartile range, and each side's median time.
//
//   git archive <commit> | tar -x -C /tmp/other && ln -s "$PWD/node_modules" /tmp/other/ && (cd /tmp/other && npm run build)
//   node bench/ab.mjs /tmp/other [--rounds 30] [--time 60]
//
// Rows: the TwoLayerNet step (784-50-10, batch 100, gradient + SGD update) on 20 cycling real
// MNIST digit batches (float32 on 1 and 2 threads, float64) and Fashion-MNIST batches (float32
// on 1 and 2 threads); the trainer's loop on Fashion-MNIST (a random minibatch gathered from the
// uint8 rows, gradient, update; 1 and 2 threads); the accuracy pass over the 10 000 MNIST digits
// and over the 60 000 Fashion-MNIST training items (1 and 2 threads); a SimpleConvNet step
// (batch 100) and a DeepConvNet step (batch 100, gradient + Adam; 1 and 2 threads). --only a,b picks rows whose name contains
// one of the words (e.g. --only Deep,eval).
import { readFileSync, existsSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Bench } from "tinybench";

const args = process.argv.slice(2);
const flag = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const otherDir = args.find((a, i) => !a.startsWith("--") && !(i > 0 && args[i - 1].startsWith("--")));
if (!otherDir) throw new Error("usage: node bench/ab.mjs <other checkout, built> [--rounds N] [--time MS]");
const ROUNDS = flag("--rounds", 30), TIME = flag("--time", 60);
const ONLY = args.includes("--only") ? args[args.indexOf("--only") + 1].split(",") : null;

const here = await import(new URL("../dist/index.node.js", import.meta.url).href);
const other = await import(pathToFileURL(resolve(otherDir, "dist/index.node.js")).href);
const internals = new Map([
  [here, await import(new URL("../dist/internal.js", import.meta.url).href)],
  [other, await import(pathToFileURL(resolve(otherDir, "dist/internal.js")).href)],
]);
if (here === other) throw new Error("bench/ab.mjs: the other checkout is this one");
await here.init({ threads: 2 });
await other.init({ threads: 2 });

function idx(sn, path, dims) {
  return sn.parseIdx(gunzipSync(readFileSync(path)), path, dims).data;
}
const MNIST = new URL("../data-sample/mnist/", import.meta.url).pathname;
const FASHION = existsSync("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")
  ? "/usr/share/datasets/fashion-mnist/" : new URL("../data-sample/fashion-mnist/", import.meta.url).pathname;
const data = {
  mnist: { images: idx(here, MNIST + "t10k-images-idx3-ubyte.gz", 3), labels: idx(here, MNIST + "t10k-labels-idx1-ubyte.gz", 1) },
  fashion: { images: idx(here, FASHION + "train-images-idx3-ubyte.gz", 3), labels: idx(here, FASHION + "train-labels-idx1-ubyte.gz", 1) },
};

/** Everything one build needs for the rows, made once (same seeds and rows in both builds). */
function setup(sn) {
  const ds = (name, d) => sn.ImageDataset.fromBytes(name, d.images, d.labels, 28, 28);
  const sets = { mnist: ds("mnist", data.mnist), fashion: ds("fashion", data.fashion) };
  const images = sn.ImageDataset.fromBytes("fashion images", data.fashion.images.subarray(0, 2000 * 784), data.fashion.labels.subarray(0, 2000), 28, 28, { flatten: false });
  const batches = (set, dtype) => Array.from({ length: 20 }, (_, b) => {
    const s = new sn.BatchSampler(set, 100, dtype);
    return { x: s.range(((b * 37) % 60) * 100, 100), t: s.labelBatch };
  });
  const stepTask = (setName, dtype) => {
    const bs = batches(sets[setName], dtype);
    const net = new sn.TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, dtype, seed: 1 });
    const sgd = new sn.SGD(0.1);
    let i = 0;
    return () => { const { x, t } = bs[(i = (i + 1) % 20)]; net.gradient(x, t); sgd.updateBlock(net.paramBlock, net.gradBlock); };
  };
  // the trainer's own loop: a random minibatch gathered from the uint8 rows, gradient, update —
  // as trainNet runs it: a drawn batch whose rows the fused step gathers (builds that have it)
  const loopTask = (setName) => {
    const net = new sn.TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, seed: 1 });
    const sgd = new sn.SGD(0.1);
    const sampler = new sn.BatchSampler(sets[setName], 100, "float32");
    const rng = new sn.Rng(1);
    const pending = internals.get(sn).gradientOfPendingRows;
    const gradient = pending === undefined
      ? () => net.gradient(sampler.sample(rng), sampler.labelBatch)
      : () => net[pending](sampler.draw(rng), sampler.labelBatch);
    return () => { gradient(); sgd.updateBlock(net.paramBlock, net.gradBlock); };
  };
  const evalNet = new sn.TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, seed: 2, weightInitStd: 0.1 });
  const evalSampler = new sn.BatchSampler(sets.mnist, 1000, "float32");
  const conv = new sn.SimpleConvNet({ seed: 3 });
  const convBatches = batches(sets.mnist, "float32");
  let c = 0;
  const deep = new sn.DeepConvNet({ seed: 3 });
  const deepAdam = new sn.Adam(0.001);
  const deepBatches = Array.from({ length: 5 }, (_, b) => { const s = new sn.BatchSampler(images, 100, "float32"); return { x: s.range(b * 100, 100), t: s.labelBatch }; });
  let d = 0;
  return {
    sn,
    "step mnist f32": stepTask("mnist", "float32"),
    "step mnist f64": stepTask("mnist", "float64"),
    "step fashion f32": stepTask("fashion", "float32"),
    "loop fashion f32": loopTask("fashion"),
    "eval mnist 10k f32": () => sn.evaluateAccuracy(evalNet, sets.mnist, { sampler: evalSampler }),
    "eval fashion 60k f32": () => sn.evaluateAccuracy(evalNet, sets.fashion),
    "SimpleConvNet step f32": () => { const { x, t } = convBatches[(c = (c + 1) % 20)]; conv.gradient(x, t); },
    "DeepConvNet step f32": () => { const { x, t } = deepBatches[(d = (d + 1) % 5)]; deep.gradient(x, t); deepAdam.updateBlock(deep.paramBlock, deep.gradBlock); },
  };
}

const sides = { here: setup(here), other: setup(other) };
const ROWS = [
  ["step mnist f32", 1], ["step mnist f32", 2], ["step mnist f64", 1], ["step fashion f32", 1], ["step fashion f32", 2],
  ["loop fashion f32", 1], ["loop fashion f32", 2], ["eval mnist 10k f32", 1], ["eval mnist 10k f32", 2], ["eval fashion 60k f32", 1], ["eval fashion 60k f32", 2],
  ["SimpleConvNet step f32", 1], ["SimpleConvNet step f32", 2], ["DeepConvNet step f32", 1], ["DeepConvNet step f32", 2],
].filter(([name]) => ONLY === null || ONLY.some((w) => name.includes(w)));
const ratios = new Map(ROWS.map(([name, threads]) => [`${name}, ${threads} thread${threads > 1 ? "s" : ""}`, []]));
const medians = new Map([...ratios.keys()].map((k) => [k, { here: [], other: [] }]));

/** One round of a row: both builds in one tinybench run; returns their median latencies. */
async function round(name, threads, order) {
  await sides.here.sn.setThreads(threads);
  await sides.other.sn.setThreads(threads);
  const heavy = name.startsWith("eval") || name.includes("ConvNet");
  const bench = new Bench({ time: TIME, iterations: heavy ? 3 : 20, warmupTime: heavy ? 20 : 10, warmupIterations: heavy ? 1 : 5 });
  for (const side of order) bench.add(side, sides[side][name]);
  await bench.run();
  return Object.fromEntries(bench.tasks.map((t) => [t.name, t.result.latency.p50]));
}

for (let r = 0; r < ROUNDS; r++) {
  for (const [name, threads] of ROWS) {
    const key = `${name}, ${threads} thread${threads > 1 ? "s" : ""}`;
    const ms = await round(name, threads, r % 2 === 0 ? ["other", "here"] : ["here", "other"]);
    ratios.get(key).push(ms.here / ms.other);
    medians.get(key).here.push(ms.here);
    medians.get(key).other.push(ms.other);
  }
  if ((r + 1) % 10 === 0) process.stderr.write(`round ${r + 1}/${ROUNDS} done\n`);
}

const quantile = (a, q) => { const s = [...a].sort((x, y) => x - y); const i = (s.length - 1) * q, lo = Math.floor(i); return s[lo] + (s[Math.ceil(i)] - s[lo]) * (i - lo); };
console.log(`this checkout vs ${otherDir}: ${ROUNDS} rounds of ~${TIME} ms per build; ratio = median over rounds of this/other [interquartile range]`);
console.log(`${"row".padEnd(34)} ${"other ms".padStart(9)} ${"this ms".padStart(9)}  this/other`);
for (const [key, r] of ratios) {
  const m = medians.get(key);
  console.log(`${key.padEnd(34)} ${quantile(m.other, 0.5).toFixed(3).padStart(9)} ${quantile(m.here, 0.5).toFixed(3).padStart(9)}  ${quantile(r, 0.5).toFixed(3)} [${quantile(r, 0.25).toFixed(3)}–${quantile(r, 0.75).toFixed(3)}]`);
}
process.exit(0); // parked pool workers may keep a process alive (src/core/thread-pool.ts)
