// The shape of a net the trainer can train: every net of the library has it (each class says
// `implements TrainableNet`, so the compiler holds them to it), and a net of your own with these
// members trains too. Parameters and gradients are ParamBlocks of equal layout.
import type { Tensor } from "../tensor.js";
import type { DType } from "../dtype.js";
import type { ParamBlock } from "../memory/param-block.js";
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
  readonly lastLayer: { readonly loss: number | null };
  /** 0.5·λ·ΣW² for nets with weight decay (added to the recorded loss, as the book's loss does). */
  weightDecay?(): number;
  /** Classes the net scores (checked against the data's labels). */
  readonly outputSize?: number;
  /** Values per input row, for nets that take flat rows (checked against the data's rows). */
  readonly inputSize?: number;
  /** State beyond the parameters that must stay finite too (BatchNorm's running statistics). */
  readonly buffers?: ParamBlock | null;
}
