// The book's TwoLayerNet step (Affine → Relu|Sigmoid → Affine → SoftmaxWithLoss, forward and
// backward) as ONE call, so a training step crosses the JS/wasm boundary once instead of ~15
// times. It calls exactly the kernels the layer classes call, in the same order, with the
// same arguments, so it produces the same bits as the layer path (test/unit/assembly/gemm/threads.test.ts
// checks that); the only fusion is the ReLU applied in the first GEMM's epilogue, which is
// the same formula reluForward applies afterwards.
import { gemmABFused } from "./gemm/gemm";
import { gemmABRows } from "./gemm/tiles";
import { gemmABtRows } from "./gemm/abt";
import { reluBackward, sigmoidForward, sigmoidBackward, columnSum } from "./elementwise";
import {
  softmaxRows, crossEntropyOneHot, crossEntropyLabels,
  softmaxLossBackwardOneHot, softmaxLossBackwardLabels,
} from "./softmax";

/**
 * Gradients of the mean cross-entropy into dW1/db1/dW2/db2 (overwritten); returns the loss.
 * Scratch: h [N×H] hidden activations, y [N×C] softmax output, dA2 [N×C], dH [N×H].
 * `t` is int32 labels [N] or one-hot rows [N×C] (`oneHot`), range-checked by the caller.
 */
export function twoLayerGradient<T>(
  dW1: usize, db1: usize, dW2: usize, db2: usize, // outputs: [D×H] [H] [H×C] [C]
  W1: usize, b1: usize, W2: usize, b2: usize, // params:  [D×H] [H] [H×C] [C]
  x: usize, t: usize, oneHot: bool, // x [N×D], t labels [N] or one-hot [N×C]
  h: usize, y: usize, dA2: usize, dH: usize, // scratch
  N: i32, D: i32, H: i32, C: i32, sigmoid: bool,
): f64 {
  // forward: h = act(x·W1 + b1) (ReLU fused into the GEMM), scores = h·W2 + b2 (into y)
  gemmABFused<T>(h, x, W1, b1, N, H, D, D, 1, !sigmoid);
  if (sigmoid) sigmoidForward<T>(h, h, N * H);
  gemmABRows<T>(y, h, W2, b2, C, H, H, 1, 0, N);
  // SoftmaxWithLoss forward + backward (softmaxRows reads each score before overwriting it)
  softmaxRows<T>(y, y, N, C);
  let loss: f64;
  if (oneHot) {
    loss = crossEntropyOneHot<T>(y, t, N, C);
    softmaxLossBackwardOneHot<T>(dA2, y, t, N, C);
  } else {
    loss = crossEntropyLabels<T>(y, t, N, C);
    softmaxLossBackwardLabels<T>(dA2, y, t, N, C);
  }
  // Affine2 backward: dW2 = hᵀ·dA2, db2 = Σ dA2, dH = dA2·W2ᵀ
  gemmABRows<T>(dW2, h, dA2, 0, C, N, 1, H, 0, H);
  columnSum<T>(db2, dA2, N, C);
  gemmABtRows<T>(dH, dA2, W2, H, C, 0, N);
  // activation backward, in place
  if (sigmoid) sigmoidBackward<T>(dH, dH, h, N * H);
  else reluBackward<T>(dH, dH, h, N * H);
  // Affine1 backward without dx (nobody consumes it): dW1 = xᵀ·dH, db1 = Σ dH
  gemmABFused<T>(dW1, x, dH, 0, D, H, N, 1, D, false);
  columnSum<T>(db1, dH, N, H);
  return loss;
}
