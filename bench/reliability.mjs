#!/usr/bin/env node
// What the reliability checks cost, side by side in one tinybench run (issue 14):
//  - divergence: one training step vs the parameter check trainNet runs every 20 steps
//    (firstNonFinite over the whole parameter block), for TwoLayerNet and SimpleConvNet;
//  - the dataset cache: loading Fashion-MNIST from a cache directory the first time in a process
//    (every file inflated and checked against its pinned sha256) vs a later load (checked once,
//    so only inflated), vs the same files from a directory nobody verifies.
// Ratios are what to read; the machine is shared, so absolute times move run to run.
//
//   npm run build && node bench/reliability.mjs [--quick]
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { Bench } from "tinybench";
import { SGD, SimpleConvNet, Tensor, TwoLayerNet, loadMnist, parseIdx } from "../dist/index.node.js";
import { forgetVerifiedCacheFiles, getCore, inflateWithZlib, paramBlockPtr, setInflater } from "../dist/internal.js";

const quick = process.argv.includes("--quick");
const MNIST_DIR = fileURLToPath(new URL("../data-sample/mnist/", import.meta.url));
const FASHION_DIR = process.env.SCRATCHNET_FASHION_DIR ?? "/usr/share/datasets/fashion-mnist";
const FILES = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];

function mnistBatch(n) {
  const img = parseIdx(gunzipSync(readFileSync(`${MNIST_DIR}t10k-images-idx3-ubyte.gz`)), "images", 3).data;
  const lab = parseIdx(gunzipSync(readFileSync(`${MNIST_DIR}t10k-labels-idx1-ubyte.gz`)), "labels", 1).data;
  return { x: Float64Array.from(img.subarray(0, n * 784), (v) => v / 255), t: Int32Array.from(lab.subarray(0, n)) };
}

async function divergenceCheck() {
  const { x, t } = mnistBatch(100);
  const sgd = new SGD(0.1);
  const nets = {
    "TwoLayerNet 784-50-10": { net: new TwoLayerNet(784, 50, 10, 0.01, { seed: 0 }), x: Tensor.from(x, [100, 784], "float32") },
    "SimpleConvNet (book sizes)": { net: new SimpleConvNet({ seed: 0 }), x: Tensor.from(x, [100, 1, 28, 28], "float32") },
  };
  const k = getCore().kernels("float32");
  const bench = new Bench({ name: "divergence check", time: quick ? 50 : 1000, warmupTime: quick ? 10 : 200 });
  for (const [name, { net, x: xb }] of Object.entries(nets)) {
    const block = net.paramBlock;
    bench.add(`${name} | one step (gradient + SGD, batch 100)`, () => { net.gradient(xb, t); sgd.updateBlock(net.paramBlock, net.gradBlock); });
    bench.add(`${name} | parameter check (${block.length} values)`, () => { if (k.firstNonFinite(paramBlockPtr(block), block.length) >= 0) throw new Error("non-finite"); });
  }
  await bench.run();
  const rows = [];
  for (const name of Object.keys(nets)) {
    const [step, check] = bench.tasks.filter((tk) => tk.name.startsWith(`${name} |`)).map((tk) => tk.result.latency.mean);
    rows.push({ net: name, "step ms": step.toFixed(3), "check ms": check.toFixed(4), "check / step": `${((check / step) * 100).toFixed(2)} %`, "every 20 steps": `${((check / step / 20) * 100).toFixed(3)} %` });
  }
  console.log("divergence: the parameter check against one step (means)");
  console.table(rows);
}

async function cacheVerification() {
  if (!FILES.every((f) => existsSync(join(FASHION_DIR, f)))) {
    console.log(`cache: skipped (no Fashion-MNIST in ${FASHION_DIR})`);
    return;
  }
  const root = mkdtempSync(join(tmpdir(), "scratchnet-bench-cache-"));
  const cache = join(root, "fashion-mnist");
  mkdirSync(cache);
  for (const f of FILES) symlinkSync(join(FASHION_DIR, f), join(cache, f));
  const noFetch = async () => { throw new Error("offline"); };
  const load = async (options) => {
    const r = await loadMnist({ dataset: "fashion-mnist", env: {}, fetch: noFetch, useSample: false, ...options });
    r.train.free();
    r.test.free();
  };
  const bench = new Bench({ name: "cache", time: quick ? 1 : 10_000, iterations: quick ? 1 : 8, warmupIterations: 1 });
  bench.add("cache, first load in the process (inflate + sha256 of 55 MB)", async () => { forgetVerifiedCacheFiles(); await load({ cacheDir: root }); });
  bench.add("cache, verified already (inflate only)", () => load({ cacheDir: root }));
  bench.add("system dir, never verified (inflate only)", () => load({ cacheDir: join(root, "none"), systemDirs: [FASHION_DIR] }));
  // what Node's zlib inflater (src/data/inflate.node.ts) saves: the same load through the web
  // DecompressionStream that pages and workers use
  bench.add("system dir, inflated by DecompressionStream (the browser path)", async () => {
    setInflater(null);
    try { await load({ cacheDir: join(root, "none"), systemDirs: [FASHION_DIR] }); } finally { setInflater(inflateWithZlib); }
  });
  await bench.run();
  const base = bench.tasks[2].result.latency.mean;
  console.log("cache: loadMnist('fashion-mnist') from a cache directory (means; ratio to the unverified system-dir load)");
  console.table(bench.tasks.map((tk) => ({ case: tk.name, "ms": tk.result.latency.mean.toFixed(0), "× unverified": (tk.result.latency.mean / base).toFixed(2) })));
  rmSync(root, { recursive: true, force: true });
}

console.log(`bench/reliability — Node ${process.version}; one run, side by side${quick ? " (quick: numbers mean little)" : ""}`);
await divergenceCheck();
await cacheVerification();
