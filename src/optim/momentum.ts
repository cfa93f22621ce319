// Momentum (§6.1.4): v ← momentum·v - lr·∂L/∂W; W ← W + v. The book's defaults.
import type { TypedKernelExports } from "../core/kernels.generated.js";
import type { Tensor } from "../tensor.js";
import { StatefulOptimizer } from "./stateful-optimizer.js";
import { checkPositiveRate, checkUnitFraction } from "./hyperparameters.js";

export class Momentum extends StatefulOptimizer<"v"> {
  readonly name = "Momentum";

  constructor(readonly lr = 0.01, readonly momentum = 0.9) {
    super(["v"]);
    checkPositiveRate(lr, "lr", "Momentum");
    checkUnitFraction(momentum, "momentum", "Momentum");
  }

  /** The book's `self.v`: velocity per parameter key. */
  get v(): Record<string, Tensor> {
    return this.state.v;
  }

  protected apply(k: TypedKernelExports, p: number, g: number, [v]: readonly number[], n: number): void {
    k.momentumUpdate(p, v, g, this.lr, this.momentum, n);
  }
}
