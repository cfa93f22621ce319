// The BatchNormalization fixture shared by its kernel test (test/unit/assembly/batchnorm.test.ts)
// and its layer test (test/unit/layers/batch-normalization.test.ts): seeded x, gamma, beta of odd
// sizes (SIMD bodies and scalar tails for both dtypes), a layer over them, and the reference's
// empty state.
import { BatchNormalization, Tensor, type DType } from "../../src/index.node.js";
import type { ReferenceBatchNormState } from "../../src/reference/index.js";
import { testRng, uniformArray } from "./wasm.js";

export const N = 5, D = 7;

export function setup(dtype: DType, seed = 3) {
  const rand = testRng(seed);
  const x = uniformArray(rand, N * D, -2, 3);
  const gamma = uniformArray(rand, D, 0.5, 1.5);
  const beta = uniformArray(rand, D, -0.5, 0.5);
  const layer = new BatchNormalization(Tensor.from(gamma, [D], dtype), Tensor.from(beta, [D], dtype));
  const ref: ReferenceBatchNormState = {
    runningMean: new Float64Array(D), runningVar: new Float64Array(D),
    xc: new Float64Array(N * D), xn: new Float64Array(N * D), std: new Float64Array(D),
  };
  return { rand, x, gamma, beta, layer, ref };
}
