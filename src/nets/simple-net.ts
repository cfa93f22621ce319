// simpleNet (§4.4.2): one 2×3 weight matrix, softmax + cross-entropy on top.
import { Tensor, asTensor, type TensorData } from "../tensor.js";
import { checkDType, type DType } from "../dtype.js";
import { Rng } from "../random.js";
import { crossEntropyError, dot, softmax } from "../math/functions.js";
import type { Targets } from "../targets.js";
import { fail, formatShape } from "../shape.js";
import { checkOptions } from "../check.js";

export interface SimpleNetOptions {
  /** Start from these weights (2×3) instead of random ones, e.g. the book's printed W. */
  W?: TensorData;
  dtype?: DType;
  seed?: number;
}

export class SimpleNet {
  readonly W: Tensor;

  constructor(options: SimpleNetOptions = {}) {
    options = checkOptions(options, "SimpleNet");
    const dtype = checkDType(options.dtype ?? "float64", "SimpleNet");
    if (options.W !== undefined) {
      this.W = Tensor.from(asTensor(options.W, dtype, "SimpleNet"), undefined, dtype);
      if (this.W.ndim !== 2 || this.W.shape[0] !== 2 || this.W.shape[1] !== 3) fail("SimpleNet", `W must be 2×3, got ${formatShape(this.W.shape)}`);
    } else {
      this.W = Tensor.zeros([2, 3], dtype);
      new Rng(options.seed ?? 0).fillNormal(this.W, 1); // np.random.randn(2, 3)
    }
  }

  predict(x: TensorData): Tensor {
    return dot(asTensor(x, this.W.dtype, "SimpleNet.predict"), this.W);
  }

  loss(x: TensorData, t: Targets): number {
    return crossEntropyError(softmax(this.predict(x)), t);
  }
}
