// AdaGrad (§6.1.5): h ← h + g⊙g; W ← W - lr·g / (√h + 1e-7). The book's defaults.
import type { TypedKernelExports } from "../core/kernels.generated.js";
import type { Tensor } from "../tensor.js";
import { StatefulOptimizer } from "./stateful-optimizer.js";
import { checkPositiveRate } from "./hyperparameters.js";

export class AdaGrad extends StatefulOptimizer<"h"> {
  readonly name = "AdaGrad";

  constructor(readonly lr = 0.01) {
    super(["h"]);
    checkPositiveRate(lr, "lr", "AdaGrad");
  }

  /** The book's `self.h`: running sum of squared gradients per key. */
  get h(): Record<string, Tensor> {
    return this.state.h;
  }

  protected apply(k: TypedKernelExports, p: number, g: number, [h]: readonly number[], n: number): void {
    k.adagradUpdate(p, h, g, this.lr, n);
  }
}
