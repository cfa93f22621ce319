// TwoLayerNet's training step as one wasm call (assembly/twolayer.ts): forward, softmax loss
// and backward of Affine→Relu|Sigmoid→Affine→SoftmaxWithLoss without returning to JS between
// layers. At batch 100 the per-call cost of ~15 small kernels is a visible share of the step;
// here it is paid once. It is the net's FastGradient: the layer stack takes it instead of
// walking `net.layers` (unless `net.fused` is false). The kernel runs the same kernels, in the
// same order, as the layer classes, so both give identical bits — proven by
// test/unit/nets/two-layer-fused.test.ts, which walks `net.layers` by hand; the layer classes
// remain the readable story. Its buffers live in the net's arena: a step allocates nothing and
// copies nothing.
import { getCore } from "../core/core.js";
import { Int32Workspace, Workspace } from "../memory/workspace.js";
import type { Arena } from "../memory/arena.js";
import { closeScratch, heapBytes, openScratch, stageIn } from "../memory/scratch.js";
import { ptrOf, type Tensor } from "../tensor.js";
import { labelsPtr, resolveTargets, type Targets } from "../targets.js";
import type { ParamBlock } from "../memory/param-block.js";
import { fail, formatShape } from "../shape.js";
import { matrixRows } from "../layers/matrix.js";
import type { FastGradient } from "./layer-stack.js";
import type { PendingRows } from "./pending-rows.js";
import type { ParamName } from "./two-layer-net.js";

export class FusedTwoLayerStep implements FastGradient {
  readonly gathersRows = true;
  private readonly h: Workspace; // hidden activations [N×H]
  private readonly y: Workspace; // softmax output [N×C]
  private readonly dA2: Workspace; // dL/dscores [N×C]
  private readonly dH: Workspace; // dL/dhidden [N×H]
  private readonly labels: Int32Workspace;

  constructor(
    private readonly params: ParamBlock<ParamName>,
    private readonly grads: ParamBlock<ParamName>,
    private readonly sigmoid: boolean,
    arena: Arena,
  ) {
    this.h = new Workspace(arena);
    this.y = new Workspace(arena);
    this.dA2 = new Workspace(arena);
    this.dH = new Workspace(arena);
    this.labels = new Int32Workspace(arena);
  }

  /**
   * Gradients into the gradient block; returns the batch loss. `x` is in wasm memory, checked
   * for NaN by the stack; with `rows` it is gathered here first (uint8 rows: finite).
   */
  run(x: Tensor, t: Targets, where: string, rows?: PendingRows): number {
    const p = this.params.tensors, g = this.grads.tensors;
    const D = p.W1.shape[0], H = p.W1.shape[1];
    const C = p.W2.shape[1];
    const N = matrixRows(x, where); // no [N, cols] array: this runs every step
    const cols = x.size / N;
    if (cols !== D) fail(where, `x has shape ${formatShape(x.shape)} but W1 has shape ${formatShape(p.W1.shape)}: each row of x needs ${D} values, got ${cols}`);
    const dtype = this.params.dtype;
    const target = resolveTargets(t, N, C, dtype, this.labels, where);
    const h = this.h.matrix(N, H, dtype), y = this.y.matrix(N, C, dtype), dA2 = this.dA2.matrix(N, C, dtype), dH = this.dH.matrix(N, H, dtype);
    // only a one-hot tensor the user made on the JS heap needs the scratch; labels are in wasm
    const onehot = target.kind === "onehot" ? target.tensor : null;
    openScratch(onehot === null ? 0 : heapBytes(onehot));
    const pt = onehot === null ? labelsPtr((target as { labels: Int32Workspace }).labels) : stageIn(onehot);
    const loss = getCore().kernels(dtype).twoLayerGradient(
      ptrOf(g.W1), ptrOf(g.b1), ptrOf(g.W2), ptrOf(g.b2), ptrOf(p.W1), ptrOf(p.b1), ptrOf(p.W2), ptrOf(p.b2),
      ptrOf(x), pt, onehot === null ? 0 : 1,
      ptrOf(h), ptrOf(y), ptrOf(dA2), ptrOf(dH), N, D, H, C, this.sigmoid ? 1 : 0,
      rows?.images ?? 0, rows?.indices ?? 0, rows?.normalize ? 1 : 0,
    );
    closeScratch();
    return loss;
  }
}
