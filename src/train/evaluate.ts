// Accuracy over a whole dataset, in chunks, reusing one sampler buffer (the book computes
// `network.accuracy(x_train, t_train)` in one 60000-row pass; chunking keeps memory small
// and gives the same count).
import { getCore } from "../core/core.js";
import { Int32Workspace } from "../memory/workspace.js";
import { closeScratch, heapBytes, openScratch, stageIn } from "../memory/scratch.js";
import { isTensor } from "../tensor.js";
import { fail, formatShape } from "../shape.js";
import { checkOptions, describeValue } from "../check.js";
import { labelsPtr, resolveTargets } from "../targets.js";
import { datasetMemory, type ImageDataset } from "../data/dataset.js";
import { BatchSampler } from "./sampler.js";
import { checkTrainable, type TrainableNet } from "./trainable.js";
import { fusedAccuracyApplies, fusedCorrectCount } from "./two-layer-accuracy.js";

export interface EvaluateOptions {
  /** Rows per forward pass (default 1000). */
  batchSize?: number;
  /** Reuse a sampler (the trainer passes one so evaluation allocates nothing). */
  sampler?: BatchSampler;
}

const unused = new Int32Workspace(null); // resolveTargets' slot for sampler labels (never written)

/** Fraction of `source` rows whose predicted class equals the label. */
export function evaluateAccuracy(net: TrainableNet, source: ImageDataset, options: EvaluateOptions = {}): number {
  const where = "evaluateAccuracy";
  checkTrainable(net, where);
  const memory = datasetMemory(source, where);
  const o = checkOptions(options, where);
  if (o.sampler !== undefined && !(o.sampler instanceof BatchSampler)) fail(where, `sampler must be a BatchSampler, got ${describeValue(o.sampler)}`);
  const own = o.sampler === undefined;
  const batchSize = o.batchSize ?? 1000;
  if (typeof batchSize !== "number" || !Number.isInteger(batchSize) || batchSize <= 0) fail(where, `batchSize must be a positive integer, got ${describeValue(batchSize)}`);
  if (o.sampler !== undefined) {
    if (o.sampler.source !== source) fail(where, "the sampler belongs to another dataset");
    if (o.sampler.dtype !== net.dtype) fail(where, `the sampler gathers ${o.sampler.dtype} but the net is ${net.dtype}`);
  }
  // the book's TwoLayerNet: one wasm call and one parallel job for the whole pass (same count)
  if (fusedAccuracyApplies(net, source)) return fusedCorrectCount(net, source, memory.imagesPtr, memory.labelsPtr) / source.count;
  const sampler = o.sampler ?? new BatchSampler(source, Math.min(batchSize, source.count), net.dtype);
  try {
    if (sampler.source !== source) fail(where, "the sampler belongs to another dataset");
    if (sampler.dtype !== net.dtype) fail(where, `the sampler gathers ${sampler.dtype} but the net is ${net.dtype}`);
    const chunk = sampler.capacity;
    const kernels = getCore().kernels(net.dtype);
    let correct = 0;
    for (let start = 0; start < source.count; start += chunk) {
      const n = Math.min(chunk, source.count - start);
      const x = sampler.range(start, n);
      const y = net.predict(x, false);
      if (!isTensor(y) || y.ndim !== 2 || y.shape[0] !== n || y.dtype !== net.dtype) {
        fail(where, `net.predict gave ${isTensor(y) ? `${formatShape(y.shape)} ${y.dtype}` : describeValue(y)}; expected ${net.dtype} scores [${n}, classes]`);
      }
      const C = y.shape[1];
      const r = resolveTargets(sampler.labelBatch, n, C, net.dtype, unused, where); // labels < C, in place
      if (r.kind !== "labels") fail(where, "internal: sampler labels resolved as one-hot");
      openScratch(heapBytes(y));
      correct += kernels.countCorrect(stageIn(y), labelsPtr(r.labels), n, C);
      closeScratch();
    }
    return correct / source.count;
  } finally {
    if (own) sampler.dispose();
  }
}
