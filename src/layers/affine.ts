// Affine (§5.6.2): out = x·W + b. backward: dx = dout·Wᵀ, dW = xᵀ·dout, db = Σ_rows dout.
// dW and db are overwritten each backward (the book assigns them), never accumulated.
import { getCore } from "../core/core.js";
import { Workspace } from "../core/workspace.js";
import { Tensor } from "../tensor.js";
import { fail, formatShape } from "../shape.js";
import type { Layer } from "./layer.js";
import { matrixRows } from "./matrix.js";

export class Affine implements Layer {
  readonly W: Tensor; // [D×H]
  readonly b: Tensor; // [H]
  readonly dW: Tensor;
  readonly db: Tensor;
  x: Tensor | null = null;
  private xRows = 0;
  private readonly outWs: Workspace;
  private readonly dxWs: Workspace;

  /** `grads` lets a net place dW/db inside its gradient block; standalone layers get their own. */
  constructor(W: Tensor, b: Tensor, grads?: { dW: Tensor; db: Tensor }) {
    if (!(W instanceof Tensor) || W.ndim !== 2) fail("Affine", `W must be a 2-D Tensor, got ${W instanceof Tensor ? formatShape(W.shape) : typeof W}`);
    if (!(b instanceof Tensor) || b.ndim !== 1 || b.size !== W.shape[1]) {
      fail("Affine", `b must be a 1-D Tensor of length ${W.shape[1]} to match W ${formatShape(W.shape)}, got ${b instanceof Tensor ? formatShape(b.shape) : typeof b}`);
    }
    if (b.dtype !== W.dtype) fail("Affine", `W is ${W.dtype} but b is ${b.dtype}`);
    this.W = W;
    this.b = b;
    this.dW = grads?.dW ?? Tensor.zeros(W.shape, W.dtype);
    this.db = grads?.db ?? Tensor.zeros(b.shape, b.dtype);
    this.outWs = new Workspace(W.dtype);
    this.dxWs = new Workspace(W.dtype);
  }

  forward(x: Tensor): Tensor {
    // no array destructuring here: each one allocated an iterator per call (~130 B/step)
    const N = matrixRows(x, "Affine.forward");
    const D = x.size / N;
    const Din = this.W.shape[0], H = this.W.shape[1];
    if (x.dtype !== this.W.dtype) fail("Affine.forward", `x is ${x.dtype} but W is ${this.W.dtype}; convert with x.clone('${this.W.dtype}')`);
    if (D !== Din) fail("Affine.forward", `x has shape ${formatShape(x.shape)} but W has shape ${formatShape(this.W.shape)}: each row of x needs ${Din} values, got ${D}`);
    const out = this.outWs.matrix(N, H);
    getCore().kernels(x.dtype).gemmAB(out.ptr, x.ptr, this.W.ptr, this.b.ptr, N, H, D, D, 1);
    this.x = x;
    this.xRows = N;
    return out;
  }

  backward(dout: Tensor): Tensor {
    this.backwardParams(dout);
    const D = this.W.shape[0], H = this.W.shape[1];
    const N = this.xRows;
    const dx = this.dxWs.like((this.x as Tensor).shape); // the book restores x's original shape
    getCore().kernels(dout.dtype).gemmABt(dx.ptr, dout.ptr, this.W.ptr, N, D, H);
    return dx;
  }

  /**
   * dW and db only. A net's first layer has no one to pass dx to, so skipping it saves the
   * largest product of the step (N×H×784 multiply-adds). Returns nothing on purpose.
   */
  backwardParams(dout: Tensor): void {
    if (this.x === null) fail("Affine.backward", "call forward before backward");
    const D = this.W.shape[0], H = this.W.shape[1];
    const N = this.xRows;
    if (dout.dtype !== this.W.dtype) fail("Affine.backward", `dout is ${dout.dtype} but W is ${this.W.dtype}`);
    if (dout.ndim !== 2 || dout.shape[0] !== N || dout.shape[1] !== H) {
      fail("Affine.backward", `dout has shape ${formatShape(dout.shape)} but forward produced [${N}, ${H}]`);
    }
    const k = getCore().kernels(dout.dtype);
    // dW[D×H] = xᵀ·dout: x is [N×D], read transposed through strides (sai=1, sak=D)
    k.gemmAB(this.dW.ptr, this.x.ptr, dout.ptr, 0, D, H, N, 1, D);
    k.columnSum(this.db.ptr, dout.ptr, N, H);
  }
}
