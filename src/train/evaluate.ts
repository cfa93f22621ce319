// Accuracy over a whole dataset, in chunks, reusing one sampler buffer (the book computes
// `network.accuracy(x_train, t_train)` in one 60000-row pass; chunking keeps memory small
// and gives the same count).
import { getCore } from "../core/core.js";
import { fail } from "../shape.js";
import { BatchSampler } from "./sampler.js";
import type { ImageSource } from "./source.js";
import type { TrainableNet } from "./trainable.js";

export interface EvaluateOptions {
  /** Rows per forward pass (default 1000). */
  batchSize?: number;
  /** Reuse a sampler (the trainer passes one so evaluation allocates nothing). */
  sampler?: BatchSampler;
}

/** Fraction of `source` rows whose predicted class equals the label. */
export function evaluateAccuracy(net: TrainableNet, source: ImageSource, options: EvaluateOptions = {}): number {
  const sampler = options.sampler ?? new BatchSampler(source, Math.min(options.batchSize ?? 1000, source.count), net.dtype);
  if (sampler.source !== source) fail("evaluateAccuracy", "the sampler belongs to another dataset");
  const chunk = sampler.capacity;
  const kernels = getCore().kernels(net.dtype);
  let correct = 0;
  for (let start = 0; start < source.count; start += chunk) {
    const n = Math.min(chunk, source.count - start);
    const x = sampler.range(start, n);
    const y = net.predict(x, false);
    correct += kernels.countCorrect(y.ptr, sampler.labelsPtr, n, y.shape[1]);
  }
  return correct / source.count;
}
