// The skeleton every book net shares (TwoLayerNet, MultiLayerNet[Extend], SimpleConvNet,
// DeepConvNet): ordered layers and a SoftmaxWithLoss on top, over a parameter block and a
// gradient block of one layout — and the book's predict / loss / accuracy / gradient /
// numerical_gradient, written once. A net builds its blocks and layers (its book-style
// constructor) and composes a stack over them; its public methods are one-line calls into here.
//
//   forward    every layer in order, `trainFlg` passed to each (Dropout and BatchNormalization
//              use it, the others ignore it)
//   backward   SoftmaxWithLoss, then the layers in reverse; the first layer only computes dW and
//              db (`backwardParams`): nobody consumes its dx
//              (both walks in layer-walk.ts, which runs Convolution → Relu and Relu → Pooling as
//              one pass each, with the same bits)
//   gradient   a training-mode forward and the backward — or, when the net supplies one and it is
//              on, a fast path (TwoLayerNet's fused step: one wasm call, the same bits; see
//              FastGradient)
//
// Images (the conv nets) come as [N, C, H, W] or as flat rows [N, C·H·W], which are reshaped,
// not copied. A `predictChunk` runs inference forwards that many rows at a time (the conv nets:
// it bounds the im2col buffers; the book's accuracy uses 100 too); training-mode forwards always
// see the whole batch, since dropout masks and batch statistics belong to it.
import { getCore } from "../core/core.js";
import { ptrOf, subView, type Tensor, type TensorData } from "../tensor.js";
import type { DType } from "../dtype.js";
import { fail, formatShape } from "../shape.js";
import { Dropout } from "../layers/dropout.js";
import { SoftmaxWithLoss, setLoss } from "../layers/softmax-with-loss.js";
import type { Affine } from "../layers/affine.js";
import type { Layer } from "../layers/layer.js";
import { Workspace } from "../memory/workspace.js";
import type { ParamBlock } from "../memory/param-block.js";
import type { Arena } from "../memory/arena.js";
import { numericalGradient } from "../math/gradient.js";
import { forwardLayers, backwardLayers } from "./layer-walk.js";
import { accuracyOf } from "../math/functions.js";
import type { Targets } from "../targets.js";
import type { NetMemory } from "./net-memory.js";
import type { PendingRows } from "./pending-rows.js";

/**
 * A faster way to the same gradients as the layer walk: fills the gradient block from the
 * batch `x` (already checked and in wasm memory) and returns the loss. It must give the layer
 * walk's bits exactly; the net that supplies one proves it in a test.
 */
export interface FastGradient {
  /** `rows`: x's rows are still to be gathered, and the step gathers them (only when `gathersRows`). */
  run(x: Tensor, t: Targets, where: string, rows?: PendingRows): number;
  /** Does run() take pending rows? */
  readonly gathersRows: boolean;
}

export interface LayerStackParts<P extends string, L> {
  paramBlock: ParamBlock<P>;
  gradBlock: ParamBlock<P>;
  /** State saved with the model but never trained (BatchNorm's running statistics). */
  buffers?: ParamBlock | null;
  /** The book's `layers`, in forward order: a dict (TwoLayerNet's Affine1, Relu1 …) or a list (DeepConvNet). */
  layers: L;
  /** [channels, height, width]: inputs are images, [N, C, H, W] or flat rows. */
  imageDim?: readonly [number, number, number];
  /** Rows per inference forward in predict (none: the whole batch). */
  predictChunk?: number;
  /** L2 weight decay (§6.4.1): 0.5·λ·ΣW² added to the loss, λ·W to each dW after backward. */
  weightDecay?: { lambda: number; layers: readonly Affine[] };
  fastGradient?: FastGradient;
}

export class LayerStack<P extends string, L extends Readonly<Record<string, Layer>> | readonly Layer[]> {
  readonly owner: string;
  readonly dtype: DType;
  readonly params: Readonly<Record<P, Tensor>>;
  readonly paramBlock: ParamBlock<P>;
  readonly gradBlock: ParamBlock<P>;
  readonly buffers: ParamBlock | null;
  readonly layers: L;
  readonly lastLayer = new SoftmaxWithLoss();
  /** Take the fast gradient path when there is one (TwoLayerNet's `fused`). */
  useFastGradient = true;
  readonly #memory: NetMemory;
  readonly #order: readonly Layer[];
  readonly #dropouts: readonly Dropout[];
  readonly #imageDim: readonly [number, number, number] | null;
  readonly #chunk: number;
  readonly #scores: Workspace | null;
  readonly #decay: { lambda: number; layers: readonly Affine[] } | null;
  readonly #fast: FastGradient | null;
  // who refused, in errors: made once, since gradient and predict run every step
  readonly #where: { predict: string; accuracy: string; gradient: string; numericalGradient: string; weightDecay: string };
  #flatInput: Tensor | null = null;
  #imageView: Tensor | null = null;

  /** Takes over `memory` (its dispose frees it) and places the layers' outputs in its arena. */
  constructor(memory: NetMemory, parts: LayerStackParts<P, L>) {
    this.#memory = memory;
    this.owner = memory.arena.owner;
    const o = this.owner;
    this.#where = { predict: `${o}.predict`, accuracy: `${o}.accuracy`, gradient: `${o}.gradient`, numericalGradient: `${o}.numericalGradient`, weightDecay: `${o}.weightDecay` };
    this.paramBlock = parts.paramBlock;
    this.gradBlock = parts.gradBlock;
    this.buffers = parts.buffers ?? null;
    this.dtype = parts.paramBlock.dtype;
    this.params = parts.paramBlock.tensors;
    this.layers = parts.layers;
    this.#order = Object.values(parts.layers);
    this.#dropouts = this.#order.filter((layer): layer is Dropout => layer instanceof Dropout);
    this.#imageDim = parts.imageDim ?? null;
    this.#chunk = parts.predictChunk ?? Infinity;
    this.#decay = parts.weightDecay && parts.weightDecay.lambda !== 0 ? parts.weightDecay : null;
    this.#fast = parts.fastGradient ?? null;
    memory.place([...this.#order, this.lastLayer]);
    this.#scores = parts.predictChunk === undefined ? null : new Workspace(memory.arena);
  }

  get arena(): Arena { return this.#memory.arena; }

  /** `x` checked and in wasm memory (images as an [N, C, H, W] view); `where` names the caller in errors. */
  input(x: TensorData, where: string): Tensor {
    const t = this.#memory.input(x, this.dtype, where);
    return this.#imageDim === null ? t : this.#asImages(t, this.#imageDim, where);
  }

  /** Every layer in order (layer-walk.ts). The result is the last layer's output, reused by its next call. */
  forward(x: Tensor, trainFlg: boolean): Tensor {
    return forwardLayers(this.#order, x, trainFlg);
  }

  /** Scores [N × classes] of checked input, `chunk` rows per forward pass. */
  scores(x: Tensor, trainFlg: boolean, chunk = this.#chunk): Tensor {
    const N = x.shape[0];
    if (N <= chunk) return this.forward(x, trainFlg);
    let scores: Tensor | null = null;
    const rowLen = x.size / N;
    const rowShape = x.shape.slice(1);
    for (let start = 0; start < N; start += chunk) {
      const n = Math.min(chunk, N - start);
      const y = this.forward(subView(x, start * rowLen, [n, ...rowShape]), trainFlg); // may grow memory: take scores.data only after it
      scores ??= (this.#scores as Workspace).matrix(N, y.shape[1], this.dtype);
      scores.data.set(y.data, start * y.shape[1]);
    }
    return scores as Tensor;
  }

  /** The book's predict: scores before softmax. Reused by the next call: clone() to keep it. */
  predict(x: TensorData, trainFlg = false): Tensor {
    return this.scores(this.input(x, this.#where.predict), trainFlg);
  }

  /** Mean cross-entropy of the batch (plus the weight decay, if any). t: one-hot rows or class labels. */
  loss(x: TensorData, t: Targets, trainFlg = false): number {
    return this.#withDecay(this.lastLayer.forward(this.predict(x, trainFlg), t));
  }

  /** Fraction of rows whose argmax matches t, in inference mode. */
  accuracy(x: TensorData, t: Targets): number {
    return accuracyOf(this.predict(x, false), t, this.#where.accuracy);
  }

  /** 0.5·λ·ΣW² over the decayed weights, summed layer by layer as the book does (0 without decay). */
  weightDecay(): number {
    const d = this.#decay;
    if (d === null) return 0;
    this.#memory.arena.checkOpen(this.#where.weightDecay);
    const k = getCore().kernels(this.dtype);
    let decay = 0;
    for (const a of d.layers) decay += 0.5 * d.lambda * k.sumOfSquares(ptrOf(a.W), a.W.size);
    return decay;
  }

  /**
   * Gradients by backpropagation of the training-mode loss (weight decay included: λ·W is added
   * to each dW). Views into the gradient block, overwritten by the next call.
   */
  gradient(x: TensorData, t: Targets, rows?: PendingRows): Readonly<Record<P, Tensor>> {
    const where = this.#where.gradient;
    const fast = this.#fast !== null && this.useFastGradient ? this.#fast : null;
    // pending rows go to a step that gathers them, into x itself (input() hands a wasm tensor of
    // the net's dtype back unchanged); everyone else reads them gathered
    const pending = rows !== undefined && fast?.gathersRows === true && rows.x === x && rows.x.dtype === this.dtype ? rows : undefined;
    if (rows !== undefined && pending === undefined) rows.gather();
    const xt = this.input(x, where);
    if (pending !== undefined && xt !== x) fail(where, "pending rows must go into the net's own input tensor");
    if (fast !== null) {
      setLoss(this.lastLayer, fast.run(xt, t, where, pending));
    } else {
      this.lastLayer.forward(this.forward(xt, true), t);
      this.#backward();
    }
    const d = this.#decay;
    if (d !== null) {
      const k = getCore().kernels(this.dtype);
      for (const a of d.layers) k.addScaled(ptrOf(a.dW), ptrOf(a.W), d.lambda, a.W.size);
    }
    return this.gradBlock.tensors;
  }

  /**
   * Gradients by central differences (slow; for checking `gradient`) of the loss in `trainFlg`
   * mode, fresh tensors on the JS heap. Two differences from the book keep the check meaningful:
   * Dropout layers reuse the masks of the last training-mode forward (drawn now if there is none
   * for this batch size) instead of redrawing per probe, and BatchNorm's running statistics are
   * restored afterwards (thousands of probe forwards would otherwise drag them).
   */
  numericalGradient(x: TensorData, t: Targets, trainFlg = false): Record<P, Tensor> {
    const xt = this.input(x, this.#where.numericalGradient); // checked once, not per probe
    const saved = this.buffers?.all().clone() ?? null;
    const rows = xt.ndim === 1 ? 1 : xt.shape[0];
    if (this.#dropouts.some((d) => d.mask === null || d.mask.shape[0] !== rows)) this.forward(xt, true);
    const wasFrozen = this.#dropouts.map((d) => d.freezeMask);
    for (const d of this.#dropouts) d.freezeMask = true;
    try {
      // a training-mode forward sees the whole batch, as gradient's does
      const lossW = (): number => this.#withDecay(this.lastLayer.forward(trainFlg ? this.forward(xt, true) : this.scores(xt, false), t));
      const grads = {} as Record<P, Tensor>;
      for (const key of Object.keys(this.params) as P[]) grads[key] = numericalGradient(lossW, this.params[key]);
      return grads;
    } finally {
      this.#dropouts.forEach((d, i) => { d.freezeMask = wasFrozen[i]; });
      if (saved !== null) (this.buffers as ParamBlock).all().data.set(saved.data);
    }
  }

  /** Free the net's wasm memory now; the net and every tensor it handed out throw on use afterwards. */
  dispose(): void {
    this.#memory.dispose();
  }

  #backward(): void {
    backwardLayers(this.#order, this.lastLayer.backward(1));
  }

  #withDecay(loss: number): number {
    return this.#decay === null ? loss : loss + this.weightDecay();
  }

  /** x as an [N, C, H, W] view (flat rows are reshaped, not copied). */
  #asImages(t: Tensor, [C, H, W]: readonly [number, number, number], where: string): Tensor {
    const rowLen = C * H * W;
    const ok4 = t.ndim === 4 && t.shape[1] === C && t.shape[2] === H && t.shape[3] === W;
    const ok2 = t.ndim === 2 && t.shape[1] === rowLen;
    if (!ok4 && !ok2) {
      fail(where, `x has shape ${formatShape(t.shape)}; expected [N, ${C}, ${H}, ${W}] or flat rows [N, ${rowLen}] for inputDim ${formatShape([C, H, W])}`);
    }
    if (t.shape[0] === 0) fail(where, `empty batch: x has shape ${formatShape(t.shape)}`);
    if (ok4) return t;
    // the trainer passes the same batch tensor every step: reuse its NCHW view
    if (this.#flatInput !== t) { this.#flatInput = t; this.#imageView = t.reshape(t.shape[0], C, H, W); }
    return this.#imageView as Tensor;
  }
}
