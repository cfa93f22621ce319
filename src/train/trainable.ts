// What the trainer checks of a net before it trains or evaluates one: the TrainableNet shape
// (src/nets/trainable-net.ts), which every net of the library implements, at run time — a net
// from plain JavaScript, or one of your own, gets a named error instead of a TypeError mid-run.
import { isParamBlock } from "../memory/param-block.js";
import { fail } from "../shape.js";
import { describeValue } from "../check.js";
import type { TrainableNet } from "../nets/trainable-net.js";

export type { TrainableNet };

/** A named error unless `net` has what the trainer uses (real ParamBlocks of one layout, the methods). */
export function checkTrainable(net: unknown, where: string): asserts net is TrainableNet {
  if (typeof net !== "object" || net === null) fail(where, `net must be a net (TwoLayerNet, MultiLayerNet …), got ${describeValue(net)}`);
  const n = net as Record<string, unknown>;
  if (n.dtype !== "float32" && n.dtype !== "float64") fail(where, `net.dtype must be 'float32' or 'float64', got ${describeValue(n.dtype)}`);
  if (!isParamBlock(n.paramBlock) || !isParamBlock(n.gradBlock)) fail(where, "net.paramBlock and net.gradBlock must be ParamBlocks (the book's nets have them)");
  for (const m of ["gradient", "loss", "predict"]) if (typeof n[m] !== "function") fail(where, `net.${m} must be a function`);
  if (typeof n.lastLayer !== "object" || n.lastLayer === null) fail(where, "net.lastLayer must be the net's SoftmaxWithLoss");
  if (n.weightDecay !== undefined && typeof n.weightDecay !== "function") fail(where, "net.weightDecay must be a function when present");
}
