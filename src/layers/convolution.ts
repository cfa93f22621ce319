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
import { getCore } from "../core/core.js";
import { Workspace } from "../core/workspace.js";
import { Tensor } from "../tensor.js";
import { fail, formatShape } from "../shape.js";
import type { Layer } from "./layer.js";
import { checkStridePad, nchw, windowOutputSize } from "./conv-shape.js";

export class Convolution implements Layer {
  readonly W: Tensor; // [FN×C×FH×FW]
  readonly b: Tensor; // [FN]
  readonly dW: Tensor;
  readonly db: Tensor;
  readonly stride: number;
  readonly pad: number;
  /** W seen as [FN × C·FH·FW] (the book's col_W, untransposed). */
  readonly colW: Tensor;
  x: Tensor | null = null;
  /** The patches of the last forward, [N, C·FH·FW, OH·OW] (per image, the book's `col` rows transposed). */
  col: Tensor | null = null;
  private outH = 0;
  private outW = 0;
  private readonly colWs: Workspace;
  private readonly tmpWs: Workspace; // one image's dW term
  private readonly outWs: Workspace;
  private readonly dcolWs: Workspace;
  private readonly dxWs: Workspace;

  /** `grads` lets a net place dW/db inside its gradient block; standalone layers get their own. */
  constructor(W: Tensor, b: Tensor, stride = 1, pad = 0, grads?: { dW: Tensor; db: Tensor }) {
    const where = "Convolution";
    if (!(W instanceof Tensor) || W.ndim !== 4) fail(where, `W must be a 4-D Tensor [FN, C, FH, FW], got ${W instanceof Tensor ? formatShape(W.shape) : typeof W}`);
    if (W.size === 0) fail(where, `W is empty (shape ${formatShape(W.shape)})`);
    if (!(b instanceof Tensor) || b.ndim !== 1 || b.size !== W.shape[0]) {
      fail(where, `b must be a 1-D Tensor of length ${W.shape[0]} (one per filter of W ${formatShape(W.shape)}), got ${b instanceof Tensor ? formatShape(b.shape) : typeof b}`);
    }
    if (b.dtype !== W.dtype) fail(where, `W is ${W.dtype} but b is ${b.dtype}`);
    checkStridePad(stride, pad, where);
    if (grads && (grads.dW.size !== W.size || grads.db.size !== b.size || grads.dW.dtype !== W.dtype || grads.db.dtype !== W.dtype)) {
      fail(where, `gradient tensors dW ${formatShape(grads.dW.shape)} / db ${formatShape(grads.db.shape)} do not match W ${formatShape(W.shape)} / b ${formatShape(b.shape)}`);
    }
    this.W = W;
    this.b = b;
    this.stride = stride;
    this.pad = pad;
    this.colW = W.reshape(W.shape[0], -1);
    this.dW = grads?.dW ?? Tensor.zeros(W.shape, W.dtype);
    this.db = grads?.db ?? Tensor.zeros(b.shape, b.dtype);
    const d = W.dtype;
    this.colWs = new Workspace(d);
    this.tmpWs = new Workspace(d);
    this.outWs = new Workspace(d);
    this.dcolWs = new Workspace(d);
    this.dxWs = new Workspace(d);
  }

  /** x [N, C, H, W] → [N, FN, OH, OW]. The returned tensor is reused by the next call. */
  forward(x: Tensor): Tensor {
    const where = "Convolution.forward";
    const [N, C, H, W] = nchw(x, where);
    const [FN, FC, FH, FW] = this.W.shape;
    if (x.dtype !== this.W.dtype) fail(where, `x is ${x.dtype} but W is ${this.W.dtype}; convert with x.clone('${this.W.dtype}')`);
    if (C !== FC) fail(where, `x ${formatShape(x.shape)} has ${C} channels but W ${formatShape(this.W.shape)} expects ${FC}`);
    const filter = `filter ${FH}×${FW} of W ${formatShape(this.W.shape)}`;
    const OH = windowOutputSize(H, FH, this.stride, this.pad, where, "height", x.shape, filter);
    const OW = windowOutputSize(W, FW, this.stride, this.pad, where, "width", x.shape, filter);
    const CK = FC * FH * FW;
    const P = OH * OW;
    const k = getCore().kernels(x.dtype);
    const col = this.colWs.like([N, CK, P]);
    k.im2col(col.ptr, x.ptr, N, C, H, W, FH, FW, this.stride, this.pad, CK * P, 1, P);
    const out = this.outWs.like([N, FN, OH, OW]);
    k.convForward(out.ptr, col.ptr, this.W.ptr, this.b.ptr, N, FN, CK, P);
    this.x = x;
    this.col = col;
    this.outH = OH;
    this.outW = OW;
    return out;
  }

  /** dout [N, FN, OH, OW] → dx [N, C, H, W]; fills dW and db. */
  backward(dout: Tensor): Tensor {
    this.backwardParams(dout);
    const x = this.x as Tensor;
    const [N, C, H, W] = x.shape;
    const [FN, , FH, FW] = this.W.shape;
    const CK = this.colW.shape[1];
    const P = this.outH * this.outW;
    const k = getCore().kernels(dout.dtype);
    const dcol = this.dcolWs.like([N, CK, P]);
    k.convBackwardData(dcol.ptr, this.W.ptr, dout.ptr, N, FN, CK, P);
    const dx = this.dxWs.like(x.shape);
    k.col2im(dx.ptr, dcol.ptr, N, C, H, W, FH, FW, this.stride, this.pad, CK * P, 1, P);
    return dx;
  }

  /**
   * dW and db only. A net's first layer has no one to pass dx to, so SimpleConvNet skips dcol
   * and col2im, the larger part of this backward. Returns nothing on purpose.
   */
  backwardParams(dout: Tensor): void {
    const where = "Convolution.backward";
    if (this.x === null || this.col === null) fail(where, "call forward before backward");
    const N = this.x.shape[0];
    const FN = this.W.shape[0];
    const P = this.outH * this.outW;
    if (dout.dtype !== this.W.dtype) fail(where, `dout is ${dout.dtype} but W is ${this.W.dtype}`);
    if (dout.ndim !== 4 || dout.shape[0] !== N || dout.shape[1] !== FN || dout.shape[2] !== this.outH || dout.shape[3] !== this.outW) {
      fail(where, `dout has shape ${formatShape(dout.shape)} but forward produced [${N}, ${FN}, ${this.outH}, ${this.outW}]`);
    }
    const CK = this.colW.shape[1];
    const tmp = this.tmpWs.matrix(CK, FN);
    getCore().kernels(dout.dtype).convBackwardParams(this.dW.ptr, this.db.ptr, tmp.ptr, dout.ptr, this.col.ptr, N, FN, CK, P);
  }
}
