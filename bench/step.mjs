#!/usr/bin/env node
// Where the time of one TwoLayerNet training step goes (784-50-10, batch 100, real MNIST digits
// or with --data fashion Fashion-MNIST items),
// one tinybench run, every part timed on its own:
//   - the two big GEMMs (x·W1 + b1 and dW1 = xᵀ·dH), 3.9 M multiply-adds each;
//   - every small kernel of the step (h·W2, softmax, cross-entropy, its backward, dW2, dH,
//     ReLU backward, the two bias sums), called one by one;
//   - the fused wasm step (one call, assembly/twolayer.ts), the SGD update, and the public
//     `net.gradient(x, t)` + `optimizer.updateBlock(...)` the trainer runs;
//   - the layer-by-layer path (`net.fused = false`) for comparison;
//   - with the threaded build, the public step on 2 threads.
// JS overhead = public step − fused wasm call − SGD update, the call and the step cycling through
// the same 20 different minibatches (a fixed batch stays in cache, and in training makes the
// gradients shrink to denormals, which are slow on x86). The single-kernel rows use batch 0.
//
//   npm run build && node bench/step.mjs [--quick] [--dtype float64] [--data mnist|fashion]
// `run({ quick, dtype })` returns the rows (for bench/run.mjs).
import { fileURLToPath, pathToFileURL } from "node:url";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { Bench } from "tinybench";
import * as sn from "../dist/index.node.js";
import { getCore, paramBlockPtr, ptrOf, wasmZeros } from "./common/wasm.mjs";

const MNIST_DIR = fileURLToPath(new URL("../data-sample/mnist/", import.meta.url));
const FASHION_DIR = process.env.SCRATCHNET_FASHION_DIR ?? "/usr/share/datasets/fashion-mnist/";
const B = 100, D = 784, H = 50, C = 10, BATCHES = 20;

/** 20 minibatches of real digits (or Fashion-MNIST items), gathered the way the trainer does (BatchSampler: uint8 → float in wasm). */
function mnistBatches(dtype, data = "mnist") {
  const [dir, prefix] = data === "fashion" ? [FASHION_DIR, "train"] : [MNIST_DIR, "t10k"];
  const images = sn.parseIdx(gunzipSync(readFileSync(`${dir}${prefix}-images-idx3-ubyte.gz`)), `${prefix}-images`, 3).data;
  const labels = sn.parseIdx(gunzipSync(readFileSync(`${dir}${prefix}-labels-idx1-ubyte.gz`)), `${prefix}-labels`, 1).data;
  const digits = sn.ImageDataset.fromBytes("mnist t10k", images, labels, 28, 28);
  return Array.from({ length: BATCHES }, (_, b) => {
    const sampler = new sn.BatchSampler(digits, B, dtype);
    return { x: sampler.range(b * B, B), t: sampler.labelBatch, labels: Int32Array.from(labels.subarray(b * B, (b + 1) * B)) };
  });
}

export async function run({ quick = false, dtype = "float32", data = "mnist" } = {}) {
  let threaded = true;
  try { await sn.init({ threads: 2 }); await sn.setThreads(1); } catch { threaded = false; } // default build: no 2-thread row
  const batches = mnistBatches(dtype, data);
  const k = getCore().kernels(dtype);
  const make = () => new sn.TwoLayerNet({ inputSize: D, hiddenSize: H, outputSize: C, dtype });
  const net = make(), layered = make(), frozen = make();
  layered.fused = false;
  const sgd = new sn.SGD(0.1);
  // raw-kernel rows work on `frozen` (never updated) and scratch buffers shaped like the step's
  const Z = (r, c) => ptrOf(wasmZeros([r, c], dtype));
  const h = Z(B, H), y = Z(B, C), dA2 = Z(B, C), dH = Z(B, H);
  // 400 bytes of wasm memory per batch holding its int32 labels (labels: batch 0's)
  const labelPtrs = batches.map((b) => {
    const at = ptrOf(wasmZeros([B], "float32"));
    new Int32Array(getCore().memory.buffer, at, B).set(b.labels);
    return at;
  });
  const labels = labelPtrs[0];
  // addresses, taken once (arena blocks never move), so the raw rows time the kernels alone
  const p = {}, g = {};
  for (const key of ["W1", "b1", "W2", "b2"]) { p[key] = ptrOf(frozen.params[key]); g[key] = ptrOf(frozen.gradBlock.tensors[key]); }
  const gradBlock = paramBlockPtr(frozen.gradBlock);
  frozen.gradient(batches[0].x, batches[0].t);
  // realistic inputs for the small kernels: this batch's activations and gradients
  const x = ptrOf(batches[0].x);
  k.twoLayerGradient(g.W1, g.b1, g.W2, g.b2, p.W1, p.b1, p.W2, p.b2, x, labels, 0, h, y, dA2, dH, B, D, H, C, 0, 0, 0, 0);
  let i = 0;
  const nextBatch = () => batches[(i = (i + 1) % BATCHES)];
  // the one-call row cycles through the same 20 batches as the public step: a fixed batch stays
  // in cache and would make the difference between the two look like JS overhead
  const xs = batches.map((b) => ptrOf(b.x));
  let j = 0;

  const bench = new Bench({ time: quick ? 100 : 1500, warmupTime: quick ? 20 : 300 });
  const rows = [
    ["gemm  x·W1 + b1          [100×784]·[784×50]", "gemm", () => k.gemmAB(h, x, p.W1, p.b1, B, H, D, D, 1)],
    ["gemm  dW1 = xᵀ·dH        [784×100]·[100×50]", "gemm", () => k.gemmAB(g.W1, x, dH, 0, D, H, B, 1, D)],
    ["small h·W2 + b2", "small", () => k.gemmAB(y, h, p.W2, p.b2, B, C, H, H, 1)],
    ["small softmax + CE + backward", "small", () => { k.softmaxRows(y, y, B, C); k.crossEntropyLabels(y, labels, B, C); k.softmaxLossBackwardLabels(dA2, y, labels, B, C); }],
    ["small dW2 = hᵀ·dA2, db2", "small", () => { k.gemmAB(g.W2, h, dA2, 0, H, C, B, 1, H); k.columnSum(g.b2, dA2, B, C); }],
    ["small dH = dA2·W2ᵀ, ReLU backward, db1", "small", () => { k.gemmABt(dH, dA2, p.W2, B, H, C); k.reluBackward(dH, dH, h, B * H); k.columnSum(g.b1, dH, B, H); }],
    ["wasm twoLayerGradient (one call)", "fused", () => {
      j = (j + 1) % BATCHES;
      k.twoLayerGradient(g.W1, g.b1, g.W2, g.b2, p.W1, p.b1, p.W2, p.b2, xs[j], labelPtrs[j], 0, h, y, dA2, dH, B, D, H, C, 0, 0, 0, 0);
    }],
    ["wasm sgdUpdate (whole param block)", "sgd", () => k.sgdUpdate(gradBlock, gradBlock, 0, frozen.gradBlock.length)],
    ["step  net.gradient + updateBlock (fused)", "step", () => { const b = nextBatch(); net.gradient(b.x, b.t); sgd.updateBlock(net.paramBlock, net.gradBlock); }],
    ["step  layer by layer (fused = false)", "layers", () => { const b = nextBatch(); layered.gradient(b.x, b.t); sgd.updateBlock(layered.paramBlock, layered.gradBlock); }],
  ];
  for (const [name, , fn] of rows) bench.add(name, fn);
  await bench.run();
  const ms = {};
  const p50 = {};
  for (const t of bench.tasks) { ms[t.name] = t.result.latency.mean; p50[t.name] = t.result.latency.p50; }
  let twoThreads = null;
  if (threaded) {
    await sn.setThreads(2);
    const b2 = new Bench({ time: quick ? 100 : 1500, warmupTime: quick ? 20 : 300 });
    b2.add("step  2 threads", () => { const b = nextBatch(); net.gradient(b.x, b.t); sgd.updateBlock(net.paramBlock, net.gradBlock); });
    await b2.run();
    twoThreads = b2.tasks[0].result.latency.mean;
    p50["step  2 threads (fused)"] = b2.tasks[0].result.latency.p50;
    await sn.setThreads(1);
  }
  const step = ms[rows[8][0]];
  const sum = (kind) => rows.filter((r) => r[1] === kind).reduce((s, r) => s + ms[r[0]], 0);
  const out = rows.map(([name]) => ({ name, ms: ms[name], p50: p50[name], share: ms[name] / step }));
  if (twoThreads !== null) out.push({ name: "step  2 threads (fused)", ms: twoThreads, p50: p50["step  2 threads (fused)"], share: twoThreads / step });
  const summary = {
    gemms: sum("gemm"), small: sum("small"), fused: sum("fused"), sgd: sum("sgd"), step,
    jsOverhead: step - sum("fused") - sum("sgd"), layers: sum("layers"), twoThreads,
  };
  return { dtype, rows: out, summary, threaded };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const dtype = args.includes("--dtype") ? args[args.indexOf("--dtype") + 1] : "float32";
  const data = args.includes("--data") ? args[args.indexOf("--data") + 1] : "mnist";
  const { rows, summary } = await run({ quick: args.includes("--quick"), dtype, data });
  const f = (v) => (v === null ? "n/a" : `${v.toFixed(4)} ms`);
  console.log(`TwoLayerNet 784-50-10, batch 100, ${dtype}, ${data}, one tinybench run (mean latency)`);
  console.table(rows.map((r) => ({ part: r.name, "mean ms": r.ms.toFixed(4), "median ms": r.p50.toFixed(4), "× of the step": r.share.toFixed(2) })));
  console.log(`two big GEMMs          ${f(summary.gemms)}  (${(100 * summary.gemms / summary.step).toFixed(0)}% of the step)`);
  console.log(`small kernels (sum)    ${f(summary.small)}  (${(100 * summary.small / summary.step).toFixed(0)}%)`);
  console.log(`fused wasm call        ${f(summary.fused)};  SGD update ${f(summary.sgd)}`);
  console.log(`JS overhead            ${f(summary.jsOverhead)}  (public step − fused call − update)`);
  console.log(`layer path / fused     ${(summary.layers / summary.step).toFixed(2)}×;  1 thread / 2 threads ${summary.twoThreads ? (summary.step / summary.twoThreads).toFixed(2) + "×" : "n/a"}`);
  process.exit(0); // the worker pool is unref'd, but say so explicitly
}
