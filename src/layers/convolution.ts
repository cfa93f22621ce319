// Convolution (§7.4.3) through im2col: the convolution becomes matrix products.
//
//   book (common/layers.py)                       here, per image n (one wasm call for the batch)
//   col   = im2col(x, FH, FW, stride, pad)        col  [N × C·FH·FW × OH·OW]  (col_n = the book's rows of image n, transposed)
//   col_W = W.reshape(FN, -1).T                   colW [FN × C·FH·FW]         (a view of W, no copy)
//   out   = col·col_W + b                         out_n = colW·col_n + b     (gemmAB, rows = filters)
//   out.reshape(N,OH,OW,-1).transpose(0,3,1,2)    — nothing: out_n [FN × OH·OW] is already image n in NCHW
//
// Why this layout: with filters as rows, the product of image n is its NCHW output block, so the
// book's transposes vanish (forward and backward), and each image's operands (≈ 60–70 KB for
// MNIST) stay in L2 while the SIMD gemm runs along the long OH·OW axis. One big product over
// the whole batch would stream 6–7 MB operands once per 4×8 register tile instead.
// Backward, per image, with dout already NCHW:
//   dW    = Σ_n dout_n·col_nᵀ                     (gemmABt per image, as (col_n·dout_nᵀ)ᵀ, added up in image order)
//   db    = Σ_n Σ_q dout_n[:, q]
//   dcol_n = colWᵀ·dout_n                          (gemmAB reading W transposed through strides)
//   dx    = col2im(dcol)
// dW and db are overwritten each backward (the book assigns them), never accumulated.
import { getCore, getThreads } from "../core/core.js";
import { Workspace } from "../memory/workspace.js";
import { arenaOf } from "../memory/arena.js";
import { closeScratch, heapBytes, openScratch, stageIn, stageOut } from "../memory/scratch.js";
import { Tensor, checkTensor, isTensor } from "../tensor.js";
import { fail, formatShape } from "../shape.js";
import { describeValue } from "../check.js";
import type { Layer } from "./layer.js";
import { checkStridePad, nchw, windowOutputSize } from "./conv-shape.js";

export class Convolution implements Layer {
  readonly #W: Tensor; // [FN×C×FH×FW]
  readonly #b: Tensor; // [FN]
  readonly #dW: Tensor;
  readonly #db: Tensor;
  readonly #stride: number;
  readonly #pad: number;
  readonly #colW: Tensor;
  #x: Tensor | null = null;
  #col: Tensor | null = null;
  #outH = 0;
  #outW = 0;
  #colWs: Workspace | null = null;
  #outWs: Workspace | null = null;
  #dcolWs: Workspace | null = null;
  #dxWs: Workspace | null = null;

  /** `grads` lets a net place dW/db inside its gradient block; standalone layers get their own. */
  constructor(W: Tensor, b: Tensor, stride = 1, pad = 0, grads?: { dW: Tensor; db: Tensor }) {
    const where = "Convolution";
    if (!isTensor(W) || W.ndim !== 4) fail(where, `W must be a 4-D Tensor [FN, C, FH, FW], got ${isTensor(W) ? formatShape(W.shape) : describeValue(W)}`);
    if (W.size === 0) fail(where, `W is empty (shape ${formatShape(W.shape)})`);
    if (!isTensor(b) || b.ndim !== 1 || b.size !== W.shape[0]) {
      fail(where, `b must be a 1-D Tensor of length ${W.shape[0]} (one per filter of W ${formatShape(W.shape)}), got ${isTensor(b) ? formatShape(b.shape) : describeValue(b)}`);
    }
    if (b.dtype !== W.dtype) fail(where, `W is ${W.dtype} but b is ${b.dtype}`);
    checkStridePad(stride, pad, where);
    if (grads !== undefined && (typeof grads !== "object" || grads === null || !isTensor(grads.dW) || !isTensor(grads.db) ||
        grads.dW.size !== W.size || grads.db.size !== b.size || grads.dW.dtype !== W.dtype || grads.db.dtype !== W.dtype)) {
      fail(where, `gradient tensors dW / db must be ${W.dtype} Tensors shaped like W ${formatShape(W.shape)} / b ${formatShape(b.shape)}`);
    }
    this.#W = W;
    this.#b = b;
    this.#stride = stride;
    this.#pad = pad;
    this.#colW = W.reshape(W.shape[0], -1);
    this.#dW = grads?.dW ?? Tensor.zeros(W.shape, W.dtype);
    this.#db = grads?.db ?? Tensor.zeros(b.shape, b.dtype);
  }

  get W(): Tensor { return this.#W; }
  get b(): Tensor { return this.#b; }
  get dW(): Tensor { return this.#dW; }
  get db(): Tensor { return this.#db; }
  get stride(): number { return this.#stride; }
  get pad(): number { return this.#pad; }
  /** W seen as [FN × C·FH·FW] (the book's col_W, untransposed). */
  get colW(): Tensor { return this.#colW; }
  /** The input of the last forward. */
  get x(): Tensor | null { return this.#x; }
  /** The patches of the last forward, [N, C·FH·FW, OH·OW] (per image, the book's `col` rows transposed). */
  get col(): Tensor | null { return this.#col; }

  /** x [N, C, H, W] → [N, FN, OH, OW]. The returned tensor is reused by the next call. */
  forward(x: Tensor): Tensor {
    return this.#forward(x, false, "Convolution.forward");
  }

  /**
   * forward followed by the book's ReLU, in one pass: the same values, bit for bit, as
   * `relu.forward(conv.forward(x))`, the ReLU applied as each output is stored. A net whose
   * convolution feeds a Relu runs this (nets/layer-walk.ts): it saves a pass over the largest
   * activations of the net. The returned tensor is reused by the next call.
   */
  forwardRelu(x: Tensor): Tensor {
    return this.#forward(x, true, "Convolution.forwardRelu");
  }

  #forward(x: Tensor, relu: boolean, where: string): Tensor {
    const [N, C, H, W] = nchw(x, where);
    const Wt = this.#W;
    const [FN, FC, FH, FW] = Wt.shape;
    if (x.dtype !== Wt.dtype) fail(where, `x is ${x.dtype} but W is ${Wt.dtype}; convert with x.clone('${Wt.dtype}')`);
    if (C !== FC) fail(where, `x ${formatShape(x.shape)} has ${C} channels but W ${formatShape(Wt.shape)} expects ${FC}`);
    const filter = `filter ${FH}×${FW} of W ${formatShape(Wt.shape)}`;
    const stride = this.#stride, pad = this.#pad;
    const OH = windowOutputSize(H, FH, stride, pad, where, "height", x.shape, filter);
    const OW = windowOutputSize(W, FW, stride, pad, where, "width", x.shape, filter);
    const CK = FC * FH * FW;
    const P = OH * OW;
    const k = getCore().kernels(x.dtype);
    const arena = arenaOf(this);
    const col = (this.#colWs ??= new Workspace(arena)).like([N, CK, P], x.dtype);
    const out = (this.#outWs ??= new Workspace(arena)).like([N, FN, OH, OW], x.dtype);
    openScratch(heapBytes(col) + heapBytes(out) + heapBytes(x) + heapBytes(Wt) + heapBytes(this.#b));
    // im2col then convForward, image by image (each image's patches still in cache; images share out over threads)
    k.convLayerForward(stageOut(out), stageOut(col), stageIn(x), stageIn(Wt), stageIn(this.#b), N, C, H, W, FN, FH, FW, stride, pad, relu ? 1 : 0);
    closeScratch();
    this.#x = x;
    this.#col = col;
    this.#outH = OH;
    this.#outW = OW;
    return out;
  }

  /** dout [N, FN, OH, OW] → dx [N, C, H, W]; fills dW and db. */
  backward(dout: Tensor): Tensor {
    const { x, col } = this.#checkBackward(dout, "Convolution.backward");
    const [N, C, H, W] = x.shape;
    const [FN, , FH, FW] = this.#W.shape;
    const CK = this.#colW.shape[1];
    const k = getCore().kernels(dout.dtype);
    const arena = arenaOf(this);
    // room for one image's dcol per thread (each thread reuses its own while it is in cache)
    const dcolImages = Math.min(N, getThreads());
    const dcol = (this.#dcolWs ??= new Workspace(arena)).like([dcolImages, CK, this.#outH * this.#outW], dout.dtype);
    const dx = (this.#dxWs ??= new Workspace(arena)).like(x.shape, dout.dtype);
    openScratch(heapBytes(dcol) + heapBytes(dx) + heapBytes(this.#dW) + heapBytes(this.#db) + heapBytes(this.#W) + heapBytes(dout) + heapBytes(col));
    // dW and db as convBackwardParams, dx as convBackwardData then col2im image by image; on
    // several threads one job, so that dx's images fill in around dW's big ranges
    k.convLayerBackward(stageOut(dx), stageOut(dcol), stageOut(this.#dW), stageOut(this.#db), stageIn(this.#W), stageIn(dout), stageIn(col), N, C, H, W, FN, FH, FW, this.#stride, this.#pad, dcolImages);
    closeScratch();
    return dx;
  }

  /**
   * dW and db only. A net's first layer has no one to pass dx to, so SimpleConvNet skips dcol
   * and col2im, the larger part of this backward. Returns nothing on purpose.
   */
  backwardParams(dout: Tensor): void {
    const { x, col } = this.#checkBackward(dout, "Convolution.backward");
    const N = x.shape[0];
    const FN = this.#W.shape[0];
    const P = this.#outH * this.#outW;
    const CK = this.#colW.shape[1];
    openScratch(heapBytes(this.#dW) + heapBytes(this.#db) + heapBytes(dout) + heapBytes(col));
    getCore().kernels(dout.dtype).convBackwardParams(stageOut(this.#dW), stageOut(this.#db), stageIn(dout), stageIn(col), N, FN, CK, P);
    closeScratch();
  }

  /** The forward's input and patches, once dout is known to be the gradient of its output. */
  #checkBackward(dout: Tensor, where: string): { x: Tensor; col: Tensor } {
    const x = this.#x, col = this.#col;
    if (x === null || col === null) fail(where, "call forward before backward");
    checkTensor(dout, "dout", where);
    const N = x.shape[0];
    const FN = this.#W.shape[0];
    if (dout.dtype !== this.#W.dtype) fail(where, `dout is ${dout.dtype} but W is ${this.#W.dtype}`);
    if (dout.ndim !== 4 || dout.shape[0] !== N || dout.shape[1] !== FN || dout.shape[2] !== this.#outH || dout.shape[3] !== this.#outW) {
      fail(where, `dout has shape ${formatShape(dout.shape)} but forward produced [${N}, ${FN}, ${this.#outH}, ${this.#outW}]`);
    }
    return { x, col };
  }
}
