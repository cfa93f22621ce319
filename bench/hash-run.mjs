#!/usr/bin/env node
// One SHA-256 per seeded run, to prove a refactoring changed no result bit: record the hashes
// before the change, rebuild, run again, compare (every line must be identical).
//
//   npm run build && node bench/hash-run.mjs [--json PATH]
//
// For each dtype (float32, float64) and each core (the default build on one thread, the
// threaded build on one and on two threads) it hashes
//   steps — 300 SGD steps of the book's TwoLayerNet (784-50-10, batch 100, lr 0.1, seeded net
//           and minibatch draws, with the per-epoch accuracy passes) on the bundled MNIST digits:
//           every parameter byte, every loss, every accuracy;
//   eval  — the scores of the trained net on all 10 000 digits (1000-row forward passes) and
//           on the bundled Fashion-MNIST sample (dense images: the tiled GEMM paths), plus the
//           correct counts;
//   extra — 40 steps on Fashion-MNIST (dW1 from dense x), 6 SimpleConvNet steps (conv, pooling)
//           and 20 MultiLayerNetExtend steps (BatchNorm, Dropout, weight decay, Adam).
// The threaded build runs in a child process (a process has one core; threads are chosen first).
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync, writeSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import * as sn from "../dist/index.node.js";

const DATA = new URL("../data-sample/", import.meta.url);
const DTYPES = ["float32", "float64"];

function idx(path, name, dims) {
  return sn.parseIdx(gunzipSync(readFileSync(new URL(path, DATA))), name, dims).data;
}

function datasets() {
  const images = idx("mnist/t10k-images-idx3-ubyte.gz", "mnist images", 3);
  const labels = idx("mnist/t10k-labels-idx1-ubyte.gz", "mnist labels", 1);
  const fImages = idx("fashion-mnist/train-images-idx3-ubyte.gz", "fashion images", 3);
  const fLabels = idx("fashion-mnist/train-labels-idx1-ubyte.gz", "fashion labels", 1);
  const ds = (name, im, lb) => sn.ImageDataset.fromBytes(name, im, lb, 28, 28);
  return {
    train: ds("mnist-a", images.subarray(0, 8000 * 784), labels.subarray(0, 8000)),
    test: ds("mnist-b", images.subarray(8000 * 784), labels.subarray(8000)),
    all: ds("mnist", images, labels),
    fashion: ds("fashion", fImages, fLabels),
  };
}

class Hasher {
  constructor() { this.h = createHash("sha256"); }
  floats(a) { this.h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)); return this; }
  numbers(list) { return this.floats(Float64Array.from(list)); }
  digest() { return this.h.digest("hex").slice(0, 16); }
}

/** Scores of every row (1000-row passes through the sampler, as evaluateAccuracy does) + correct counts. */
function hashScores(net, source, hasher) {
  const sampler = new sn.BatchSampler(source, 1000, net.dtype);
  const labels = source.labelArray();
  for (let start = 0; start < source.count; start += 1000) {
    const n = Math.min(1000, source.count - start);
    const y = net.predict(sampler.range(start, n), false);
    const correct = Math.round(sn.accuracyOf(y, labels.subarray(start, start + n)) * n);
    hasher.floats(y.data.subarray(0, n * y.shape[1])).numbers([correct]);
  }
  sampler.dispose();
}

async function runAll(d, dtype) {
  const net = new sn.TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, dtype, seed: 7 });
  const history = await sn.trainNet(net, { train: d.train, test: d.test }, { itersNum: 300, batchSize: 100, learningRate: 0.1, seed: 3 });
  const steps = new Hasher().floats(net.paramBlock.all().data)
    .numbers([...history.trainLossList, ...history.trainAccList, ...history.testAccList]).digest();
  const ev = new Hasher();
  hashScores(net, d.all, ev);
  hashScores(net, d.fashion, ev);

  const extra = new Hasher();
  const fnet = new sn.TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, dtype, seed: 9 });
  const fh = await sn.trainNet(fnet, { train: d.fashion, test: d.test }, { itersNum: 40, batchSize: 100, seed: 4, evaluate: false });
  extra.floats(fnet.paramBlock.all().data).numbers(fh.trainLossList);
  const conv = new sn.SimpleConvNet({ dtype, seed: 5 });
  const ch = await sn.trainNet(conv, { train: d.train, test: d.test }, { itersNum: 6, batchSize: 20, seed: 6, evaluate: false });
  extra.floats(conv.paramBlock.all().data).numbers(ch.trainLossList);
  const mln = new sn.MultiLayerNetExtend({
    inputSize: 784, hiddenSizeList: [60, 40], outputSize: 10, dtype, seed: 8,
    useBatchnorm: true, useDropout: true, dropoutRatio: 0.2, weightDecayLambda: 0.01,
  });
  const mh = await sn.trainNet(mln, { train: d.train, test: d.test }, { itersNum: 20, batchSize: 50, seed: 2, optimizer: new sn.Adam(0.01), evaluate: false });
  extra.floats(mln.paramBlock.all().data).numbers(mh.trainLossList);
  return { steps, eval: ev.digest(), extra: extra.digest() };
}

async function runCore(label, threadCounts) {
  const d = datasets();
  const lines = [];
  for (const threads of threadCounts) {
    if (threadCounts.length > 1 || threads > 1) await sn.setThreads(threads);
    for (const dtype of DTYPES) lines.push({ core: label, threads, dtype, ...(await runAll(d, dtype)) });
  }
  return lines;
}

const args = process.argv.slice(2);
if (args[0] === "--child-threads") {
  await sn.init({ threads: 2 });
  writeSync(1, JSON.stringify(await runCore("threads", [1, 2])));
  process.exit(0); // parked pool workers may keep a process alive (src/core/thread-pool.ts)
} else {
  await sn.init({ threads: 1 }); // the single-threaded build (threads are the default since issue 12)
  const lines = await runCore("default", [1]);
  const child = execFileSync(process.execPath, [fileURLToPath(import.meta.url), "--child-threads"], { encoding: "utf8", maxBuffer: 1 << 24 });
  lines.push(...JSON.parse(child));
  for (const l of lines) console.log(`${l.dtype} ${l.core.padEnd(7)} ${l.threads} thread(s): steps ${l.steps}  eval ${l.eval}  extra ${l.extra}`);
  const json = args.indexOf("--json");
  if (json >= 0) writeFileSync(args[json + 1], JSON.stringify(lines, null, 2) + "\n");
}
