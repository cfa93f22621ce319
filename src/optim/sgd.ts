// SGD (§6.1.2): W ← W - lr · ∂L/∂W. Stateless: nothing to dispose.
import { getCore } from "../core/core.js";
import type { Tensor } from "../tensor.js";
import { paramBlockPtr, type ParamBlock } from "../memory/param-block.js";
import { closeScratch, heapBytes, openScratch, stageIn, stageInOut } from "../memory/scratch.js";
import type { Optimizer } from "./optimizer.js";
import { checkBlocks, checkPairs } from "./check-update.js";
import { checkPositiveRate } from "./hyperparameters.js";

export class SGD implements Optimizer {
  readonly name = "SGD";
  /** The learning rate (may be changed between updates, e.g. for a schedule). */
  lr: number;

  constructor(lr = 0.01) {
    this.lr = checkPositiveRate(lr, "lr", "SGD");
  }

  update(params: Record<string, Tensor>, grads: Record<string, Tensor>): void {
    const lr = this.lr;
    for (const key of checkPairs(params, grads, "SGD.update")) {
      const p = params[key], g = grads[key];
      openScratch(heapBytes(p) + heapBytes(g));
      getCore().kernels(p.dtype).sgdUpdate(stageInOut(p), stageIn(g), lr, p.size);
      closeScratch();
    }
  }

  updateBlock(params: ParamBlock, grads: ParamBlock): void {
    checkBlocks(params, grads, "SGD.updateBlock");
    getCore().kernels(params.dtype).sgdUpdate(paramBlockPtr(params), paramBlockPtr(grads), this.lr, params.length);
  }

  /** Nothing to free (SGD keeps no state); here so every optimizer can be disposed alike. */
  dispose(): void {}

  [Symbol.dispose](): void {}
}
