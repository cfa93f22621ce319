// The shape of a net the trainer can train: the book's nets (TwoLayerNet, MultiLayerNet,
// SimpleConvNet …) all have it. Parameters and gradients are ParamBlocks of equal layout.
import type { Tensor } from "../tensor.js";
import type { DType } from "../dtype.js";
import { isParamBlock, type ParamBlock } from "../memory/param-block.js";
import type { Targets } from "../targets.js";
import { fail } from "../shape.js";
import { describeValue } from "../check.js";

export interface TrainableNet {
  readonly dtype: DType;
  readonly paramBlock: ParamBlock;
  readonly gradBlock: ParamBlock;
  /** The book's `params` dict: named views into paramBlock. */
  readonly params: Readonly<Record<string, Tensor>>;
  /** Backprop gradients into gradBlock; the last layer keeps the batch loss. */
  gradient(x: Tensor, t: Targets): unknown;
  loss(x: Tensor, t: Targets): number;
  /** Scores [N × classes]; `trainFlg` false means inference mode (Dropout/BatchNorm). */
  predict(x: Tensor, trainFlg?: boolean): Tensor;
  readonly lastLayer: { readonly loss: number | null };
  /** 0.5·λ·ΣW² for nets with weight decay (added to the recorded loss, as the book's loss does). */
  weightDecay?(): number;
}

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
