// Max pooling (§7.4.4). The book reaches it through im2col (one row per window, max over the
// row, then reshape + transpose(0,3,1,2) back to NCHW); here one kernel walks the windows of
// the NCHW input and writes the NCHW output directly, so neither the col matrix nor the
// transposes exist. Semantics are the book's: padding is zeros that take part in the max, and
// argMax holds the first maximal tap (np.argmax order) of each window, ky·poolW + kx.
// backward routes each dout to its window's argMax pixel; overlapping windows add up.
import { getCore } from "../core/core.js";
import { Int32Workspace, Workspace } from "../core/workspace.js";
import type { Tensor } from "../tensor.js";
import { checkPositiveInt, fail, formatShape } from "../shape.js";
import type { Layer } from "./layer.js";
import { checkStridePad, nchw, windowOutputSize } from "./conv-shape.js";

export class Pooling implements Layer {
  x: Tensor | null = null;
  private outH = 0;
  private outW = 0;
  private outWs: Workspace | null = null;
  private dxWs: Workspace | null = null;
  private readonly argMaxWs = new Int32Workspace();

  constructor(readonly poolH: number, readonly poolW: number, readonly stride = 1, readonly pad = 0) {
    checkPositiveInt(poolH, "poolH", "Pooling");
    checkPositiveInt(poolW, "poolW", "Pooling");
    checkStridePad(stride, pad, "Pooling");
  }

  /**
   * Index of the maximum inside each window, NCHW order [N, C, OH, OW], as int32. (The book's
   * arg_max is the same numbers in (N, OH, OW, C) order.) A live view: read it before the next forward.
   */
  get argMax(): Int32Array | null {
    return this.x === null ? null : this.argMaxWs.values;
  }

  /** x [N, C, H, W] → [N, C, OH, OW]. The returned tensor is reused by the next call. */
  forward(x: Tensor): Tensor {
    const where = "Pooling.forward";
    const [N, C, H, W] = nchw(x, where);
    const win = `pool window ${this.poolH}×${this.poolW}`;
    const OH = windowOutputSize(H, this.poolH, this.stride, this.pad, where, "height", x.shape, win);
    const OW = windowOutputSize(W, this.poolW, this.stride, this.pad, where, "width", x.shape, win);
    if (this.outWs === null || this.outWs.dtype !== x.dtype) {
      this.outWs = new Workspace(x.dtype);
      this.dxWs = new Workspace(x.dtype);
    }
    const out = this.outWs.like([N, C, OH, OW]);
    const argMax = this.argMaxWs.reserve(out.size);
    const k = getCore().kernels(x.dtype);
    if (this.isTwoByTwo()) {
      k.maxPool2x2Forward(out.ptr, argMax, x.ptr, N, C, H, W);
    } else {
      k.maxPoolForward(out.ptr, argMax, x.ptr, N, C, H, W, this.poolH, this.poolW, this.stride, this.pad);
    }
    this.x = x;
    this.outH = OH;
    this.outW = OW;
    return out;
  }

  /** dout [N, C, OH, OW] → dx [N, C, H, W]. */
  backward(dout: Tensor): Tensor {
    const where = "Pooling.backward";
    if (this.x === null) fail(where, "call forward before backward");
    const [N, C, H, W] = this.x.shape;
    if (dout.dtype !== this.x.dtype) fail(where, `dout is ${dout.dtype} but forward ran in ${this.x.dtype}`);
    if (dout.ndim !== 4 || dout.shape[0] !== N || dout.shape[1] !== C || dout.shape[2] !== this.outH || dout.shape[3] !== this.outW) {
      fail(where, `dout has shape ${formatShape(dout.shape)} but forward produced [${N}, ${C}, ${this.outH}, ${this.outW}]`);
    }
    const dx = (this.dxWs as Workspace).like(this.x.shape);
    const k = getCore().kernels(dout.dtype);
    if (this.isTwoByTwo()) k.maxPool2x2Backward(dx.ptr, dout.ptr, this.argMaxWs.ptr, N, C, H, W);
    else k.maxPoolBackward(dx.ptr, dout.ptr, this.argMaxWs.ptr, N, C, H, W, this.poolH, this.poolW, this.stride, this.pad);
    return dx;
  }

  /** 2×2 windows, stride 2, no padding (SimpleConvNet's pool): kernels with a shorter path. */
  private isTwoByTwo(): boolean {
    return this.poolH === 2 && this.poolW === 2 && this.stride === 2 && this.pad === 0;
  }
}
