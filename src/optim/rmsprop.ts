// RMSprop (§6.1.5, the book's common/optimizer.py): h ← decay·h + (1 - decay)·g⊙g;
// W ← W - lr·g / (√h + 1e-7). Old gradients fade out instead of piling up as in AdaGrad.
import type { TypedKernelExports } from "../core/kernels.generated.js";
import type { Tensor } from "../tensor.js";
import { StatefulOptimizer } from "./stateful-optimizer.js";
import { checkPositiveRate, checkUnitFraction } from "./hyperparameters.js";

export class RMSprop extends StatefulOptimizer<"h"> {
  readonly name = "RMSprop";

  constructor(readonly lr = 0.01, readonly decayRate = 0.99) {
    super(["h"]);
    checkPositiveRate(lr, "lr", "RMSprop");
    checkUnitFraction(decayRate, "decayRate", "RMSprop");
  }

  /** The book's `self.h`. */
  get h(): Record<string, Tensor> {
    return this.state.h;
  }

  protected apply(k: TypedKernelExports, p: number, g: number, [h]: readonly number[], n: number): void {
    k.rmspropUpdate(p, h, g, this.lr, this.decayRate, n);
  }
}
