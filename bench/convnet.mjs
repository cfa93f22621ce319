#!/usr/bin/env node
// One SimpleConvNet training iteration — gradient + Adam update, batch 100, the book's ch07 net
// (conv 30×5×5 → ReLU → pool 2×2 → Affine 100 → ReLU → Affine 10) — on real Fashion-MNIST
// batches: scratchnet (float32 at its defaults — the machine's cores — and on one thread,
// float64 at its defaults; one tinybench run) beside the book's numpy code
// (bench/numpy/convnet.py, float64 as the book — its BLAS default threads and one — and float32;
// subprocesses, skipped with a note when python3 + numpy are missing). Then the same for the book's ch08 DeepConvNet (six 3×3 conv
// layers, three pools, Affine 50, two Dropouts; bench/numpy/deep_convnet.py): its own table, the
// ratio again over scratchnet float32's time for that net. Every implementation trains on the same 20 batches (the
// rows of bench/common/data.mjs batchRow). Ratio = that row's ms / scratchnet float32 ms,
// i.e. how many times faster scratchnet float32 is. (Each row's `lossAfter` in the returned rows
// is batch 0's loss after its own run; runs differ in length and starting weights, so it shows
// training happened, not a comparison — test/unit/nets/simple-conv-net.test.ts compares trajectories.)
//
//   npm run build && node bench/convnet.mjs [--quick] [--only simple|deep]
// `run({ quick, only })` returns { steps, deep, layout } rows (layout: the layer's per-image conv forward vs one batched product).
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Bench } from "tinybench";
import { Adam, BatchSampler, DeepConvNet, ImageDataset, Rng, SimpleConvNet, init, getThreads, setThreads } from "../dist/index.node.js";
import { getCore, ptrOf, wasmZeros } from "./common/wasm.mjs";
import { FASHION_DIR, batchRow, fashionAvailable, loadFashion } from "./common/data.mjs";
import { PYTHON, numpyEnv, numpyMissing } from "./common/numpy.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const BATCH = 100, STEP_BATCHES = 20;

/** The 20 step batches as one small uint8 dataset, gathered once (outside the timing). */
function stepBatches(data, dtype) {
  const images = new Uint8Array(STEP_BATCHES * BATCH * data.rowLen);
  const labels = new Uint8Array(STEP_BATCHES * BATCH);
  for (let b = 0; b < STEP_BATCHES; b++) {
    for (let r = 0; r < BATCH; r++) {
      const row = batchRow(b, r, BATCH, data.trainCount), at = b * BATCH + r;
      images.set(data.trainImages.subarray(row * data.rowLen, (row + 1) * data.rowLen), at * data.rowLen);
      labels[at] = data.trainLabels[row];
    }
  }
  const ds = ImageDataset.fromBytes("fashion-mnist step batches", images, labels, data.rows, data.cols);
  const out = [];
  for (let b = 0; b < STEP_BATCHES; b++) {
    const sampler = new BatchSampler(ds, BATCH, dtype); // one per batch: each keeps its own tensor
    out.push({ x: sampler.range(b * BATCH, BATCH), t: sampler.labelBatch });
  }
  return out;
}

function scratchnetStep(data, dtype, Net = SimpleConvNet) {
  const net = new Net({ dtype, seed: 0 });
  const adam = new Adam(0.001);
  const batches = stepBatches(data, dtype);
  let next = 0;
  return {
    step() {
      const { x, t } = batches[next++ % STEP_BATCHES];
      net.gradient(x, t);
      adam.updateBlock(net.paramBlock, net.gradBlock);
    },
    loss: () => net.loss(batches[0].x, batches[0].t),
  };
}

/** numpy rows: float64 (the book) at its BLAS default threads (null) and on one, float32 on one. */
function numpyRows(quick, net = "simple") {
  const missing = numpyMissing();
  const variants = [["float64", null], ["float64", 1], ["float32", 1]];
  // a DeepConvNet iteration of the book's code takes seconds: fewer samples
  const [time, minIters] = net === "deep" ? (quick ? ["0.3", "2"] : ["20", "6"]) : (quick ? ["0.3", "3"] : ["3", "20"]);
  return variants.map(([dtype, threads]) => {
    const name = `numpy (book code) ${dtype}, ${threads === null ? `BLAS default (${cores} threads)` : "1 BLAS thread"}`;
    if (missing) return { name, skipped: `skipped: ${missing}` };
    const args = [join(HERE, "numpy", "convnet.py"), "--net", net, "--dtype", dtype, "--data", FASHION_DIR, "--time", time, "--min-iters", minIters];
    const r = spawnSync(PYTHON, args, { env: numpyEnv(threads), encoding: "utf8", timeout: 10 * 60_000, maxBuffer: 1 << 24 });
    if (r.error || r.status !== 0) return { name, skipped: `failed: ${(r.stderr ?? r.error?.message ?? "").trim().split("\n").pop()}` };
    const j = JSON.parse(r.stdout.trim().split("\n").pop());
    return { name, meanMs: j.meanMs, rme: j.rme, samples: j.samples, lossAfter: j.lossAfter, blas: `${j.blas?.library ?? "?"} ${j.blas?.coretype ?? ""} ×${j.blas?.threads ?? "?"}` };
  });
}

/**
 * The design choice behind Convolution's layout, measured: the layer's forward for a batch of
 * 100 as it runs (convLayerForward: per image, its patches, then its product from the packed
 * filters, stored NCHW) against the book's one batched product (im2col of the whole batch into
 * [CK × N·OH·OW], then one gemmAB). The batched row does less than the layer: its
 * [FN × N·OH·OW] output would still need a transpose to NCHW. Both on the machine's cores and
 * on one thread, dense random operands (the exported gemmAB skips all-zero steps), f32.
 * Returns the rows; each row's ratio is over the layer's time on the same thread count.
 */
async function layoutRows(quick) {
  const k = getCore().kernels("float32");
  const N = 100, C = 1, H = 28, Wd = 28, FN = 30, FH = 5, FW = 5, CK = C * FH * FW, P = 24 * 24;
  const x = wasmZeros([N * C * H * Wd]), W = wasmZeros([FN, CK]), b = wasmZeros([FN]);
  const col = wasmZeros([N * CK * P]), out = wasmZeros([N * FN * P]);
  const rng = new Rng(7);
  rng.fillNormal(x, 1); rng.fillNormal(W, 0.1); rng.fillNormal(b, 0.1);
  const [px, pW, pb, pcol, pout] = [x, W, b, col, out].map(ptrOf);
  const rows = [];
  for (const threads of [...new Set([cores, 1])]) {
    await setThreads(threads);
    const bench = new Bench(quick ? { time: 100, iterations: 5 } : { time: 1500, iterations: 50, warmupIterations: 10 });
    const on = `${threads} thread${threads > 1 ? "s" : ""}`;
    bench.add(`conv forward, the layer's path (convLayerForward: per image, NCHW out), ${on}`,
      () => k.convLayerForward(pout, pcol, px, pW, pb, N, C, H, Wd, FN, FH, FW, 1, 0, false));
    bench.add(`conv forward, one batched product (im2col [25×57600] + gemmAB; not NCHW yet), ${on}`, () => {
      k.im2col(pcol, px, N, C, H, Wd, FH, FW, 1, 0, P, 1, N * P);
      k.gemmAB(pout, pW, pcol, 0, FN, N * P, CK, CK, 1);
    });
    await bench.run();
    const [layer, batched] = bench.tasks.map((t) => ({ name: t.name, meanMs: t.result.latency.mean, rme: t.result.latency.rme, samples: t.result.latency.samplesCount }));
    for (const r of [layer, batched]) rows.push({ ...r, ratioToLayer: r.meanMs / layer.meanMs });
  }
  await setThreads(cores);
  return rows;
}

/**
 * scratchnet float32 at its defaults (the machine's cores) and on one thread, float64 at its
 * defaults, each in its own tinybench run; then the numpy subprocesses. Ratios over scratchnet
 * float32 at its defaults.
 */
async function stepRows(data, quick, Net, numpyNet) {
  const impls = { float32: scratchnetStep(data, "float32", Net), float64: scratchnetStep(data, "float64", Net) };
  const deep = Net === DeepConvNet;
  const options = quick
    ? { time: 200, iterations: deep ? 2 : 5, warmupTime: 50, warmupIterations: deep ? 1 : 3 }
    : { time: deep ? 10000 : 3000, iterations: deep ? 20 : 30, warmupTime: 500, warmupIterations: deep ? 3 : 10 };
  const rows = [];
  for (const [name, impl, threads] of [
    [`scratchnet float32 (wasm SIMD, its default ${cores} threads)`, "float32", cores],
    ["scratchnet float32 (wasm SIMD, 1 thread)", "float32", 1],
    [`scratchnet float64 (wasm SIMD, its default ${cores} threads)`, "float64", cores],
  ]) {
    await setThreads(threads);
    const bench = new Bench(options);
    bench.add(name, () => impls[impl].step());
    await bench.run();
    const t = bench.tasks[0];
    rows.push({ name, meanMs: t.result.latency.mean, rme: t.result.latency.rme, samples: t.result.latency.samplesCount, lossAfter: impls[impl].loss() });
  }
  await setThreads(cores);
  rows.push(...numpyRows(quick, numpyNet));
  const base = rows[0].meanMs;
  for (const r of rows) if (r.meanMs !== undefined) r.ratioToScratchnetF32 = r.meanMs / base;
  return rows;
}

let cores = 1;

export async function run({ quick = false, only = null } = {}) {
  if (!fashionAvailable()) throw new Error(`bench/convnet: Fashion-MNIST not found in ${FASHION_DIR}`);
  await init(); // the default: the threaded build on the machine's cores
  cores = getThreads();
  const data = loadFashion();
  const out = { steps: [], deep: [], layout: [] };
  if (only !== "deep") {
    out.steps = await stepRows(data, quick, SimpleConvNet, "simple");
    out.layout = await layoutRows(quick);
  }
  if (only !== "simple") out.deep = await stepRows(data, quick, DeepConvNet, "deep");
  return out;
}

function stepTable(rows) {
  console.table(rows.map((r) => r.skipped ? { implementation: r.name, "ms/iteration": r.skipped } : {
    implementation: r.name, "ms/iteration": r.meanMs.toFixed(2), "±%": r.rme.toFixed(1), samples: r.samples,
    "÷ scratchnet f32 (defaults)": r.ratioToScratchnetF32.toFixed(2),
  }));
}

export function printRows({ steps, deep = [], layout }) {
  if (steps.length > 0) {
    console.log("SimpleConvNet (ch07):");
    stepTable(steps);
    console.log("Convolution's layout choice (float32, one tinybench run per thread count; ÷ = row time over the layer's on as many threads):");
    console.table(layout.map((r) => ({ kernel: r.name, ms: r.meanMs.toFixed(3), "±%": r.rme.toFixed(1), "÷ the layer's": r.ratioToLayer.toFixed(2) })));
  }
  if (deep.length > 0) {
    console.log("DeepConvNet (ch08):");
    stepTable(deep);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const at = process.argv.indexOf("--only");
  const only = at < 0 ? null : process.argv[at + 1];
  if (only !== null && only !== "simple" && only !== "deep") throw new Error("bench/convnet: --only takes simple or deep");
  const rows = await run({ quick: process.argv.includes("--quick"), only });
  console.log(`bench/convnet — SimpleConvNet / DeepConvNet iteration (gradient + Adam, batch 100), Node ${process.version}; ` +
    "the ÷ column is that row's time over scratchnet float32's at its defaults, measured back to back on this machine");
  printRows(rows);
}
