// SoftmaxWithLoss (§5.6.3): forward = cross_entropy_error(softmax(x), t);
// backward = (y - t) / N. Targets are one-hot rows or class labels (see targets.ts).
import { getCore } from "../core/core.js";
import { Int32Workspace, Workspace } from "../core/workspace.js";
import { Tensor } from "../tensor.js";
import { fail } from "../shape.js";
import { resolveTargets, type ResolvedTargets, type Targets } from "../targets.js";
import { matrixRows } from "./matrix.js";

export class SoftmaxWithLoss {
  loss: number | null = null;
  y: Tensor | null = null; // softmax output
  t: Targets | null = null; // as given
  private resolved: ResolvedTargets | null = null;
  private rows = 0;
  private cols = 0;
  private yWs: Workspace | null = null;
  private dxWs: Workspace | null = null;
  private readonly labels = new Int32Workspace();

  forward(x: Tensor, t: Targets): number {
    const N = matrixRows(x, "SoftmaxWithLoss.forward"); // no [N, C] array: this runs every step
    const C = x.size / N;
    if (this.yWs === null || this.yWs.dtype !== x.dtype) {
      this.yWs = new Workspace(x.dtype);
      this.dxWs = new Workspace(x.dtype);
    }
    const resolved = resolveTargets(t, N, C, x.dtype, this.labels, "SoftmaxWithLoss.forward");
    const y = this.yWs.like(x.shape);
    const k = getCore().kernels(x.dtype);
    k.softmaxRows(y.ptr, x.ptr, N, C);
    this.loss = resolved.kind === "onehot"
      ? k.crossEntropyOneHot(y.ptr, resolved.tensor.ptr, N, C)
      : k.crossEntropyLabels(y.ptr, resolved.ptr, N, C);
    this.y = y;
    this.t = t;
    this.resolved = resolved;
    this.rows = N;
    this.cols = C;
    return this.loss;
  }

  /** dx = (y - t) / N. `dout` is the loss's own gradient, 1 as in the book; nothing else is meaningful here. */
  backward(dout = 1): Tensor {
    if (this.y === null || this.resolved === null) fail("SoftmaxWithLoss.backward", "call forward before backward");
    if (dout !== 1) fail("SoftmaxWithLoss.backward", `dout must be 1 (this is the last layer), got ${dout}`);
    const y = this.y;
    const dx = (this.dxWs as Workspace).like(y.shape);
    const k = getCore().kernels(y.dtype);
    const r = this.resolved;
    if (r.kind === "onehot") k.softmaxLossBackwardOneHot(dx.ptr, y.ptr, r.tensor.ptr, this.rows, this.cols);
    else k.softmaxLossBackwardLabels(dx.ptr, y.ptr, r.ptr, this.rows, this.cols);
    return dx;
  }
}
