// Nesterov's accelerated gradient in the book's form (common/optimizer.py, after
// arXiv:1212.0901): v ← momentum·v - lr·g; W ← W + momentum²·v - (1 + momentum)·lr·g.
import type { TypedKernelExports } from "../core/kernels.generated.js";
import type { Tensor } from "../tensor.js";
import { StatefulOptimizer } from "./stateful-optimizer.js";
import { checkPositiveRate, checkUnitFraction } from "./hyperparameters.js";

export class Nesterov extends StatefulOptimizer<"v"> {
  readonly name = "Nesterov";

  constructor(readonly lr = 0.01, readonly momentum = 0.9) {
    super(["v"]);
    checkPositiveRate(lr, "lr", "Nesterov");
    checkUnitFraction(momentum, "momentum", "Nesterov");
  }

  /** The book's `self.v`. */
  get v(): Record<string, Tensor> {
    return this.state.v;
  }

  protected apply(k: TypedKernelExports, p: number, g: number, [v]: readonly number[], n: number): void {
    k.nesterovUpdate(p, v, g, this.lr, this.momentum, n);
  }
}
