// evaluateAccuracy's fast path for the book's TwoLayerNet (its fused step on, the default): the
// whole pass over a uint8 dataset is one wasm call and one parallel job (assembly/twolayer-eval.ts),
// each thread gathering, scoring and counting its own chunks of rows, instead of a gather, two
// products and a count per 1000-row chunk, each a job or a serial stretch of its own. Every
// score is computed by the same recipe as net.predict, so the count is the same
// (test/unit/assembly/gemm/threads.test.ts holds the two against each other).
import { getCore } from "../core/core.js";
import { Arena } from "../memory/arena.js";
import { ptrOf } from "../tensor.js";
import { TwoLayerNet } from "../nets/two-layer-net.js";
import type { ImageDataset } from "../data/dataset.js";
import type { TrainableNet } from "./trainable.js";

/** Can `net` be evaluated on `source` by the fused pass? (Anything else goes through net.predict.) */
export function fusedAccuracyApplies(net: TrainableNet, source: ImageDataset): net is TwoLayerNet & TrainableNet {
  return net instanceof TwoLayerNet && net.fused && net.inputSize === source.rowLen && source.classes <= net.outputSize;
}

/** Correct rows of `source` (images at `imagesPtr`, uint8 labels at `labelsPtr`, already checked < classes). */
export function fusedCorrectCount(net: TwoLayerNet, source: ImageDataset, imagesPtr: number, labelsPtr: number): number {
  const core = getCore();
  const k = core.kernels(net.dtype);
  const D = net.inputSize, H = net.hiddenSize, C = net.outputSize;
  const threads = Math.max(1, core.exports.threadCount());
  // one slot per thread: that thread's chunk of rows as floats, its hidden layer and scores
  const arena = new Arena("evaluateAccuracy");
  try {
    const scratch = arena.alloc(threads * Number(k.twoLayerAccuracySlotBytes(D, H, C)), "its per-thread rows");
    const p = net.params;
    return k.twoLayerAccuracy(ptrOf(p.W1), ptrOf(p.b1), ptrOf(p.W2), ptrOf(p.b2), imagesPtr, labelsPtr, source.count, D,
      source.normalize ? 1 : 0, H, C, net.activation === "sigmoid" ? 1 : 0, scratch.ptr);
  } finally {
    arena.dispose();
  }
}
