// TwoLayerNet's training step as one wasm call (assembly/twolayer.ts): forward, softmax loss
// and backward of Affine→Relu|Sigmoid→Affine→SoftmaxWithLoss without returning to JS between
// layers. At batch 100 the per-call cost of ~15 small kernels is a visible share of the step;
// here it is paid once. The kernel runs the same kernels as the layer classes, so both paths
// produce identical bits (test/threads.test.ts); the layer classes remain the readable story.
import { getCore } from "../core/core.js";
import { Int32Workspace, Workspace } from "../core/workspace.js";
import type { Tensor } from "../tensor.js";
import type { DType } from "../dtype.js";
import { resolveTargets, type Targets } from "../targets.js";
import type { ParamBlock } from "./param-block.js";
import type { ParamName } from "./two-layer-net.js";

export class FusedTwoLayerStep {
  private readonly h: Workspace; // hidden activations [N×H]
  private readonly y: Workspace; // softmax output [N×C]
  private readonly dA2: Workspace; // dL/dscores [N×C]
  private readonly dH: Workspace; // dL/dhidden [N×H]
  private readonly labels = new Int32Workspace();

  constructor(readonly dtype: DType) {
    this.h = new Workspace(dtype);
    this.y = new Workspace(dtype);
    this.dA2 = new Workspace(dtype);
    this.dH = new Workspace(dtype);
  }

  /** Gradients into `grads`; returns the batch loss. `x` is [N×D], already checked by the net. */
  run(params: ParamBlock<ParamName>, grads: ParamBlock<ParamName>, x: Tensor, N: number, t: Targets, sigmoid: boolean, where: string): number {
    const p = params.tensors, g = grads.tensors;
    const [D, H] = p.W1.shape;
    const C = p.W2.shape[1];
    const target = resolveTargets(t, N, C, this.dtype, this.labels, where);
    const h = this.h.matrix(N, H), y = this.y.matrix(N, C), dA2 = this.dA2.matrix(N, C), dH = this.dH.matrix(N, H);
    const oneHot = target.kind === "onehot";
    return getCore().kernels(this.dtype).twoLayerGradient(
      g.W1.ptr, g.b1.ptr, g.W2.ptr, g.b2.ptr, p.W1.ptr, p.b1.ptr, p.W2.ptr, p.b2.ptr,
      x.ptr, oneHot ? target.tensor.ptr : target.ptr, oneHot ? 1 : 0,
      h.ptr, y.ptr, dA2.ptr, dH.ptr, N, D, H, C, sigmoid ? 1 : 0,
    );
  }
}
