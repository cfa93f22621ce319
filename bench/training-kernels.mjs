#!/usr/bin/env node
// The chapter 6 kernels against their plain-TypeScript float64 references (src/reference,
// reached through the internal entry dist/internal.js), side by side in one tinybench run:
//  - one optimizer step over the whole parameter block of the optimizer-comparison net
//    784-[100]×4-10 (119,910 values): Momentum and Adam, `updateBlock` (one wasm call);
//  - BatchNormalization forward (training mode) + backward on a [128×100] batch.
// wasm runs in float32 (the default) and float64; the ratio column is reference ms / row ms.
//
//   npm run build && node bench/training-kernels.mjs [--quick]
import { pathToFileURL } from "node:url";
import { printRows, runSideBySide } from "./common/side-by-side.mjs";
import { Adam, BatchNormalization, Momentum, MultiLayerNet, Tensor } from "../dist/index.node.js";
import { reference } from "../dist/internal.js";

const { seededRandom, uniformArray, referenceAdam, referenceMomentum, batchNormForwardTrain, batchNormBackward } = reference;

const N = 128, D = 100;

function cases() {
  // optimizer steps: the net's real parameter layout, seeded gradients
  const nets = {
    float32: new MultiLayerNet({ inputSize: 784, hiddenSizeList: [100, 100, 100, 100], outputSize: 10, seed: 0 }),
    float64: new MultiLayerNet({ inputSize: 784, hiddenSizeList: [100, 100, 100, 100], outputSize: 10, seed: 0, dtype: "float64" }),
  };
  for (const net of Object.values(nets)) net.gradBlock.all().data.set(uniformArray(seededRandom(1), net.gradBlock.length).map((v) => v * 0.01));
  const refParams = {}, refGrads = {};
  for (const [k, t] of Object.entries(nets.float64.params)) {
    refParams[k] = Float64Array.from(t.data);
    refGrads[k] = Float64Array.from(nets.float64.gradBlock.tensors[k].data);
  }
  const step = (make) => {
    const opt = { float32: make(), float64: make() };
    return {
      float32: () => opt.float32.updateBlock(nets.float32.paramBlock, nets.float32.gradBlock),
      float64: () => opt.float64.updateBlock(nets.float64.paramBlock, nets.float64.gradBlock),
    };
  };
  const refMomentum = referenceMomentum(0.01, 0.9), refAdam = referenceAdam(0.001, 0.9, 0.999);

  // batch norm: seeded batch, gamma, beta, dout
  const x = uniformArray(seededRandom(2), N * D), dout = uniformArray(seededRandom(3), N * D);
  const gamma = uniformArray(seededRandom(4), D).map((v) => 1 + 0.5 * v), beta = uniformArray(seededRandom(5), D);
  const state = { runningMean: new Float64Array(D), runningVar: new Float64Array(D), xc: new Float64Array(N * D), xn: new Float64Array(N * D), std: new Float64Array(D) };
  const bn = {};
  for (const dtype of ["float32", "float64"]) {
    const layer = new BatchNormalization(Tensor.from(gamma, [D], dtype), Tensor.from(beta, [D], dtype));
    const xt = Tensor.from(x, [N, D], dtype), dt = Tensor.from(dout, [N, D], dtype);
    bn[dtype] = () => { layer.forward(xt, true); layer.backward(dt); };
  }
  return [
    { name: "Momentum updateBlock, 119,910 params", reference: () => refMomentum(refParams, refGrads), ...step(() => new Momentum()) },
    { name: "Adam updateBlock, 119,910 params", reference: () => refAdam(refParams, refGrads), ...step(() => new Adam()) },
    {
      name: "BatchNorm forward+backward [128×100]",
      reference: () => { batchNormForwardTrain(x, gamma, beta, state, 0.9, N, D); batchNormBackward(dout, gamma, state, N, D); },
      ...bn,
    },
  ];
}

/** Runs the bench; see common/side-by-side.mjs for the rows. */
export function run({ quick = false } = {}) {
  return runSideBySide("training-kernels", cases(), { quick });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const rows = await run({ quick: process.argv.includes("--quick") });
  console.log(`bench/training-kernels — Node ${process.version}; ratios are reference ms / row ms, measured in one run`);
  printRows(rows);
}
