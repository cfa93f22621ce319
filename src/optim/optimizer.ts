// Optimizers update parameters from gradients. Two entry points:
//  - update(params, grads): the book's API, one tensor pair per key (common/optimizer.py);
//  - updateBlock(params, grads): the fast path used by the trainer, one wasm call over a net's
//    whole parameter block (params and grads share one layout, padding included).
// Both must give identical results; state (velocities, moments) is kept per key / per block.
// Optimizers with state keep it in wasm memory they own: dispose() frees it.
import type { Tensor } from "../tensor.js";
import type { ParamBlock } from "../memory/param-block.js";

export interface Optimizer {
  readonly name: string;
  /** The learning rate. */
  readonly lr: number;
  update(params: Record<string, Tensor>, grads: Record<string, Tensor>): void;
  updateBlock(params: ParamBlock, grads: ParamBlock): void;
  /** Free the optimizer's state now (a no-op for SGD, which has none). */
  dispose?(): void;
}
