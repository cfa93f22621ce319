// Convolution (§7.4.3) through im2col: the convolution becomes one matrix product.
//
//   book (common/layers.py)                       here
//   col   = im2col(x, FH, FW, stride, pad)        col  [C·FH·FW × N·OH·OW]  (the book's col, transposed)
//   col_W = W.reshape(FN, -1).T                   colW [FN × C·FH·FW]       (a view of W, no copy)
//   out   = col·col_W + b                         outC = colW·col           (gemmAB, rows = filters)
//   out.reshape(N,OH,OW,-1).transpose(0,3,1,2)    out[n,f,:] = outC[f,n,:] + b[f]  (swapAxes01)
//
// Why the transposed col: with filters as rows, each image's output channel is a contiguous
// run of OH·OW values, so the book's NHWC → NCHW transpose turns into copies of whole runs (with
// the bias added on the way), and the product's long axis (N·OH·OW = 57 600 for a batch of 100)
// is the one the SIMD gemm tiles along. Backward reuses the same layout:
//   doutC = dout with its first two axes swapped   [FN × N·OH·OW]
//   db    = Σ_rows doutC                           (rowSum)
//   dW    = doutC·colᵀ                             (gemmABt: dot products along N·OH·OW)
//   dcol  = colWᵀ·doutC                            (gemmAB reading W transposed through strides)
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
  /** The patches of the last forward, [C·FH·FW × N·OH·OW] (the book's `col` transposed). */
  col: Tensor | null = null;
  private outH = 0;
  private outW = 0;
  private readonly colWs: Workspace;
  private readonly productWs: Workspace; // outC in forward, doutC in backward
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
    this.productWs = new Workspace(d);
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
    const col = this.colWs.matrix(CK, N * P);
    k.im2col(col.ptr, x.ptr, N, C, H, W, FH, FW, this.stride, this.pad, 1, N * P);
    const outC = this.productWs.matrix(FN, N * P);
    k.gemmAB(outC.ptr, this.W.ptr, col.ptr, 0, FN, N * P, CK, CK, 1);
    const out = this.outWs.like([N, FN, OH, OW]);
    k.swapAxes01(out.ptr, outC.ptr, this.b.ptr, FN, N, P);
    this.x = x;
    this.col = col;
    this.outH = OH;
    this.outW = OW;
    return out;
  }

  /** dout [N, FN, OH, OW] → dx [N, C, H, W]; fills dW and db. */
  backward(dout: Tensor): Tensor {
    const doutC = this.backwardParams(dout);
    const x = this.x as Tensor;
    const [N, C, H, W] = x.shape;
    const [FN, , FH, FW] = this.W.shape;
    const CK = this.colW.shape[1];
    const NP = N * this.outH * this.outW;
    const k = getCore().kernels(dout.dtype);
    const dcol = this.dcolWs.matrix(CK, NP);
    // dcol[CK×NP] = colWᵀ·doutC: colW is [FN×CK], read transposed (sai = 1, sak = CK)
    k.gemmAB(dcol.ptr, this.W.ptr, doutC.ptr, 0, CK, NP, FN, 1, CK);
    const dx = this.dxWs.like(x.shape);
    k.col2im(dx.ptr, dcol.ptr, N, C, H, W, FH, FW, this.stride, this.pad, 1, NP);
    return dx;
  }

  /**
   * dW and db only (returns the swapped dout for `backward`). A net's first layer has no one to
   * pass dx to, so SimpleConvNet skips dcol and col2im, the largest part of this backward.
   */
  backwardParams(dout: Tensor): Tensor {
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
    const k = getCore().kernels(dout.dtype);
    const doutC = this.productWs.matrix(FN, N * P);
    k.swapAxes01(doutC.ptr, dout.ptr, 0, N, FN, P);
    k.rowSum(this.db.ptr, doutC.ptr, FN, N * P);
    // dW[FN×CK] = doutC[FN×NP]·colᵀ, col being [CK×NP]: contiguous dot products of length NP
    k.gemmABt(this.dW.ptr, doutC.ptr, this.col.ptr, FN, CK, N * P);
    return doutC;
  }
}
