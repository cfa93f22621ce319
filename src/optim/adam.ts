// Adam (§6.1.6) as common/optimizer.py writes it: the bias correction is folded into the step,
// lr_t = lr·√(1 - beta2^t) / (1 - beta1^t); m ← m + (1 - beta1)(g - m);
// v ← v + (1 - beta2)(g² - v); W ← W - lr_t·m / (√v + 1e-7).
import type { TypedKernelExports } from "../core/kernels.generated.js";
import type { Tensor } from "../tensor.js";
import { StatefulOptimizer } from "./stateful-optimizer.js";
import { checkPositiveRate, checkUnitFraction } from "./hyperparameters.js";

export class Adam extends StatefulOptimizer<"m" | "v"> {
  readonly name = "Adam";
  /** Updates done so far (the book's `self.iter`); t in the bias correction. */
  iter = 0;

  constructor(readonly lr = 0.001, readonly beta1 = 0.9, readonly beta2 = 0.999) {
    super(["m", "v"]);
    checkPositiveRate(lr, "lr", "Adam");
    checkUnitFraction(beta1, "beta1", "Adam");
    checkUnitFraction(beta2, "beta2", "Adam");
  }

  /** The book's `self.m` (first moment per key). */
  get m(): Record<string, Tensor> {
    return this.state.m;
  }

  /** The book's `self.v` (second moment per key). */
  get v(): Record<string, Tensor> {
    return this.state.v;
  }

  protected override beginStep(): void {
    this.iter += 1;
  }

  protected apply(k: TypedKernelExports, p: number, g: number, [m, v]: readonly number[], n: number): void {
    // lr_t is computed inside the kernel: pow in wasm has the same bits in every engine
    k.adamUpdate(p, m, v, g, this.lr, this.beta1, this.beta2, this.iter, n);
  }
}
