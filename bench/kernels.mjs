#!/usr/bin/env node
// The wasm kernels against the plain-TypeScript float64 reference (src/reference, reached through
// the internal entry dist/internal.js), side by side in one tinybench run:
//  - gemm in the three layouts a 784-50-10 net uses at batch 100:
//      A·B + bias  x[100×784]·W1[784×50] + b1   (Affine forward)
//      Aᵀ·B        xᵀ[784×100]·dout[100×50]      (dW1)
//      A·Bᵀ        dout[100×50]·W1ᵀ[50×784]      (dx; the net skips it for layer 1, timed anyway)
//  - one TwoLayerNet training step (gradient + SGD update, batch 100) on real MNIST digits.
// wasm runs in float32 (the default) and float64 (the reference's own precision); the ratio
// column is reference time / this row's time, on mean times (total time / runs). On a shared
// CPU the mean is the fair one: a 30 ms reference sample always contains its share of
// preemption, a 0.3 ms wasm sample usually none, so medians would flatter wasm. The median is
// printed too; when the machine is idle the two agree.
//
//   npm run build && node bench/kernels.mjs [--quick]
// `run({ quick })` returns the rows, for bench/run.mjs.
import { readFileSync, existsSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { fileURLToPath, pathToFileURL } from "node:url";
import { printRows, runSideBySide } from "./common/side-by-side.mjs";
import { SGD, TwoLayerNet, parseIdx } from "../dist/index.node.js";
import { getCore, ptrOf, wasmFrom, wasmZeros } from "./common/wasm.mjs";
import { reference as ref } from "../dist/internal.js";

const MNIST_DIR = fileURLToPath(new URL("../data-sample/mnist/", import.meta.url));
const BATCH = 100, D = 784, H = 50, O = 10;

/** Seeded values in [-1, 1) (the tests' generator), so every run times the same numbers. */
const seeded = (n, seed) => ref.uniformArray(ref.seededRandom(seed), n);

/** 100 real MNIST test digits (÷255) and labels. */
function mnistBatch() {
  const images = `${MNIST_DIR}t10k-images-idx3-ubyte.gz`, labels = `${MNIST_DIR}t10k-labels-idx1-ubyte.gz`;
  if (!existsSync(images) || !existsSync(labels)) throw new Error(`bench/kernels: MNIST not found in ${MNIST_DIR}`);
  const img = parseIdx(gunzipSync(readFileSync(images)), "t10k-images", 3).data;
  const lab = parseIdx(gunzipSync(readFileSync(labels)), "t10k-labels", 1).data;
  return { x: Float64Array.from(img.subarray(0, BATCH * D), (v) => v / 255), t: Array.from(lab.subarray(0, BATCH)) };
}

/** The benchmark cases: name → { reference, float32, float64 } thunks. */
function cases() {
  const k32 = getCore().kernels("float32"), k64 = getCore().kernels("float64");
  const x = seeded(BATCH * D, 1), W = seeded(D * H, 2).map((v) => v * 0.01), b = seeded(H, 3), dout = seeded(BATCH * H, 4);
  // kernel operands in wasm memory, as addresses (taken once: arena blocks never move)
  const t32 = (a, shape) => ptrOf(wasmFrom(a, shape, "float32"));
  const t64 = (a, shape) => ptrOf(wasmFrom(a, shape, "float64"));
  const z = (shape, dtype) => ptrOf(wasmZeros(shape, dtype));
  const w = {
    float32: { x: t32(x, [BATCH, D]), W: t32(W, [D, H]), b: t32(b, [H]), dout: t32(dout, [BATCH, H]), outH: z([BATCH, H], "float32"), dW: z([D, H], "float32"), dx: z([BATCH, D], "float32"), k: k32 },
    float64: { x: t64(x, [BATCH, D]), W: t64(W, [D, H]), b: t64(b, [H]), dout: t64(dout, [BATCH, H]), outH: z([BATCH, H], "float64"), dW: z([D, H], "float64"), dx: z([BATCH, D], "float64"), k: k64 },
  };
  const r = { outH: new Float64Array(BATCH * H), dW: new Float64Array(D * H), dx: new Float64Array(BATCH * D) };

  // a training step: the same digits, weights and learning rate on all three sides
  const { x: mx, t } = mnistBatch();
  const nets = {
    float32: new TwoLayerNet(D, H, O, 0.01, { seed: 0 }),
    float64: new TwoLayerNet(D, H, O, 0.01, { seed: 0, dtype: "float64" }),
  };
  // the batch in wasm memory, as a BatchSampler's batch is (a JS-heap tensor would be copied in per step)
  const batches = { float32: wasmFrom(mx, [BATCH, D], "float32"), float64: wasmFrom(mx, [BATCH, D], "float64") };
  const labels = Int32Array.from(t);
  const sgd = new SGD(0.1);
  const p = nets.float64.params;
  const refNet = new ref.ReferenceTwoLayerNet(D, H, O, BATCH, { W1: p.W1.data, b1: p.b1.data, W2: p.W2.data, b2: p.b2.data });

  const wasm = (fn) => ({ float32: () => fn(w.float32), float64: () => fn(w.float64) });
  return [
    {
      name: "gemm A·B+bias 100×784·784×50",
      reference: () => ref.gemmAB(r.outH, x, W, b, BATCH, H, D),
      ...wasm((s) => s.k.gemmAB(s.outH, s.x, s.W, s.b, BATCH, H, D, D, 1)),
    },
    {
      name: "gemm Aᵀ·B 784×100ᵀ·100×50 (dW)",
      reference: () => ref.gemmAtB(r.dW, x, dout, D, H, BATCH),
      ...wasm((s) => s.k.gemmAB(s.dW, s.x, s.dout, 0, D, H, BATCH, 1, D)),
    },
    {
      name: "gemm A·Bᵀ 100×50·(784×50)ᵀ (dx)",
      reference: () => ref.gemmABt(r.dx, dout, W, BATCH, D, H),
      ...wasm((s) => s.k.gemmABt(s.dx, s.dout, s.W, BATCH, D, H)),
    },
    {
      name: "TwoLayerNet step (gradient + SGD, batch 100)",
      reference: () => { refNet.gradient(mx, t); refNet.sgdStep(0.1); },
      float32: () => { nets.float32.gradient(batches.float32, labels); sgd.updateBlock(nets.float32.paramBlock, nets.float32.gradBlock); },
      float64: () => { nets.float64.gradient(batches.float64, labels); sgd.updateBlock(nets.float64.paramBlock, nets.float64.gradBlock); },
    },
  ];
}

/** Runs the bench; see common/side-by-side.mjs for the rows. */
export function run({ quick = false } = {}) {
  return runSideBySide("kernels", cases(), { quick });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const rows = await run({ quick: process.argv.includes("--quick") });
  console.log(`bench/kernels — Node ${process.version}; ratio = reference ms / row ms (means), all rows from one run`);
  printRows(rows);
}
