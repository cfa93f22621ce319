// The book's TwoLayerNet (Affine → ReLU → Affine → SoftmaxWithLoss) in plain float64 arrays,
// built only from the reference kernels: the baseline a training step is benchmarked against
// and an independent oracle for the wasm net's gradient (and for the fused step,
// assembly/twolayer.ts). Buffers are sized for one batch size
// and reused, so the comparison with the wasm net is allocation-free on both sides.
import { gemmAB, gemmAtB, gemmABt } from "./gemm.js";
import { columnSum, reluForward, reluBackward } from "./elementwise.js";
import { softmaxRows, crossEntropyLabels, softmaxLossBackwardLabels } from "./softmax.js";
import { sgdUpdate } from "./optimizers.js";

export interface ReferenceParams { W1: Float64Array; b1: Float64Array; W2: Float64Array; b2: Float64Array }

export class ReferenceTwoLayerNet {
  readonly params: ReferenceParams;
  readonly grads: ReferenceParams;
  private readonly a1: Float64Array; // [N×H] Affine1 out
  private readonly z1: Float64Array; // [N×H] ReLU out
  private readonly a2: Float64Array; // [N×O] scores
  private readonly y: Float64Array; // [N×O] softmax
  private readonly dA2: Float64Array;
  private readonly dZ1: Float64Array;
  private readonly dA1: Float64Array;

  /** Weights are copied from `params` (e.g. a wasm net's `params.W1.data`). */
  constructor(
    readonly inputSize: number, readonly hiddenSize: number, readonly outputSize: number,
    readonly batchSize: number, params: { [K in keyof ReferenceParams]: ArrayLike<number> },
  ) {
    const copy = (a: ArrayLike<number>): Float64Array => Float64Array.from(a);
    this.params = { W1: copy(params.W1), b1: copy(params.b1), W2: copy(params.W2), b2: copy(params.b2) };
    this.grads = {
      W1: new Float64Array(inputSize * hiddenSize), b1: new Float64Array(hiddenSize),
      W2: new Float64Array(hiddenSize * outputSize), b2: new Float64Array(outputSize),
    };
    const N = batchSize;
    this.a1 = new Float64Array(N * hiddenSize);
    this.z1 = new Float64Array(N * hiddenSize);
    this.dZ1 = new Float64Array(N * hiddenSize);
    this.dA1 = new Float64Array(N * hiddenSize);
    this.a2 = new Float64Array(N * outputSize);
    this.y = new Float64Array(N * outputSize);
    this.dA2 = new Float64Array(N * outputSize);
  }

  /** Forward + backward for one batch x [batchSize×inputSize] with class labels; returns the loss. */
  gradient(x: ArrayLike<number>, labels: ArrayLike<number>): number {
    const N = this.batchSize, D = this.inputSize, H = this.hiddenSize, O = this.outputSize;
    const p = this.params, g = this.grads;
    gemmAB(this.a1, x, p.W1, p.b1, N, H, D);
    reluForward(this.z1, this.a1, N * H);
    gemmAB(this.a2, this.z1, p.W2, p.b2, N, O, H);
    softmaxRows(this.y, this.a2, N, O);
    const loss = crossEntropyLabels(this.y, labels, N, O);
    softmaxLossBackwardLabels(this.dA2, this.y, labels, N, O);
    gemmAtB(g.W2, this.z1, this.dA2, H, O, N);
    columnSum(g.b2, this.dA2, N, O);
    gemmABt(this.dZ1, this.dA2, p.W2, N, H, O);
    reluBackward(this.dA1, this.dZ1, this.z1, N * H);
    gemmAtB(g.W1, x, this.dA1, D, H, N);
    columnSum(g.b1, this.dA1, N, H);
    return loss;
  }

  /** p ← p - lr·g for every parameter. */
  sgdStep(lr: number): void {
    for (const key of ["W1", "b1", "W2", "b2"] as const) sgdUpdate(this.params[key], this.grads[key], lr, this.params[key].length);
  }
}
