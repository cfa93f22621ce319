// The shape of a net the trainer can train: the book's nets (TwoLayerNet, MultiLayerNet,
// SimpleConvNet …) all have it. Parameters and gradients are ParamBlocks of equal layout.
import type { Tensor } from "../tensor.js";
import type { DType } from "../dtype.js";
import type { ParamBlock } from "../nets/param-block.js";
import type { Targets } from "../targets.js";

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
  readonly lastLayer: { loss: number | null };
  /** 0.5·λ·ΣW² for nets with weight decay (added to the recorded loss, as the book's loss does). */
  weightDecay?(): number;
}
