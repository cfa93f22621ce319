// SoftmaxWithLoss (§5.6.3): forward = cross_entropy_error(softmax(x), t);
// backward = (y - t) / N. Targets are one-hot rows or class labels (see targets.ts).
import { getCore } from "../core/core.js";
import { Int32Workspace, Workspace } from "../memory/workspace.js";
import { arenaOf } from "../memory/arena.js";
import { closeScratch, heapBytes, openScratch, stageIn, stageOut } from "../memory/scratch.js";
import type { Tensor } from "../tensor.js";
import { fail } from "../shape.js";
import { describeValue } from "../check.js";
import { labelsBytes, labelsPtr, resolveTargets, type ResolvedTargets, type Targets } from "../targets.js";
import { matrixRows } from "./matrix.js";

// set by the class's static block (declared first: the block runs while the class is defined)
let setLossImpl: (layer: SoftmaxWithLoss, loss: number) => void;

export class SoftmaxWithLoss {
  #loss: number | null = null;
  #y: Tensor | null = null; // softmax output
  #t: Targets | null = null; // as given
  #resolved: ResolvedTargets | null = null;
  #rows = 0;
  #cols = 0;
  #yWs: Workspace | null = null;
  #dxWs: Workspace | null = null;
  #labels: Int32Workspace | null = null;

  /** The loss of the last forward (or of the last fused TwoLayerNet.gradient). */
  get loss(): number | null { return this.#loss; }
  /** The softmax output of the last forward. */
  get y(): Tensor | null { return this.#y; }
  /** The targets of the last forward, as given. */
  get t(): Targets | null { return this.#t; }

  forward(x: Tensor, t: Targets): number {
    const where = "SoftmaxWithLoss.forward";
    const N = matrixRows(x, where); // no [N, C] array: this runs every step
    const C = x.size / N;
    const arena = arenaOf(this);
    const resolved = resolveTargets(t, N, C, x.dtype, (this.#labels ??= new Int32Workspace(arena)), where);
    const y = (this.#yWs ??= new Workspace(arena)).like(x.shape, x.dtype);
    const k = getCore().kernels(x.dtype);
    const onehot = resolved.kind === "onehot" ? resolved.tensor : null;
    openScratch(heapBytes(y) + heapBytes(x) + (onehot === null ? labelsBytes(resolved) : heapBytes(onehot)));
    const py = stageOut(y);
    k.softmaxRows(py, stageIn(x), N, C);
    this.#loss = onehot !== null
      ? k.crossEntropyOneHot(py, stageIn(onehot), N, C)
      : k.crossEntropyLabels(py, labelsPtr((resolved as { labels: Int32Workspace }).labels), N, C);
    closeScratch();
    this.#y = y;
    this.#t = t;
    this.#resolved = resolved;
    this.#rows = N;
    this.#cols = C;
    return this.#loss;
  }

  /** dx = (y - t) / N. `dout` is the loss's own gradient, 1 as in the book; nothing else is meaningful here. */
  backward(dout = 1): Tensor {
    const where = "SoftmaxWithLoss.backward";
    const y = this.#y, r = this.#resolved;
    if (y === null || r === null) fail(where, "call forward before backward");
    if (dout !== 1) fail(where, `dout must be 1 (this is the last layer), got ${describeValue(dout)}`);
    const dx = (this.#dxWs ??= new Workspace(arenaOf(this))).like(y.shape, y.dtype);
    const k = getCore().kernels(y.dtype);
    const onehot = r.kind === "onehot" ? r.tensor : null;
    openScratch(heapBytes(dx) + heapBytes(y) + (onehot === null ? labelsBytes(r) : heapBytes(onehot)));
    const pdx = stageOut(dx), py = stageIn(y);
    if (onehot !== null) k.softmaxLossBackwardOneHot(pdx, py, stageIn(onehot), this.#rows, this.#cols);
    else k.softmaxLossBackwardLabels(pdx, py, labelsPtr((r as { labels: Int32Workspace }).labels), this.#rows, this.#cols);
    closeScratch();
    return dx;
  }

  static {
    setLossImpl = (layer, loss) => { layer.#loss = loss; };
  }
}

/** Module-private: the fused TwoLayerNet step records its loss here, as the layer path would. */
export function setLoss(layer: SoftmaxWithLoss, loss: number): void {
  setLossImpl(layer, loss);
}
