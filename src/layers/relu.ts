// ReLU (§5.5.1): out = x where x > 0, else 0; backward lets dout through where x was > 0.
// The book keeps `mask = (x <= 0)`; we keep `out`, which carries the same information
// (out > 0 exactly where x > 0) without a second buffer.
import { getCore } from "../core/core.js";
import { Workspace } from "../core/workspace.js";
import { Tensor } from "../tensor.js";
import { checkBackwardInput, type Layer } from "./layer.js";
import { asMatrix } from "./matrix.js";

export class Relu implements Layer {
  out: Tensor | null = null;
  private outWs: Workspace | null = null;
  private dxWs: Workspace | null = null;

  forward(x: Tensor): Tensor {
    asMatrix(x, "Relu.forward"); // validates: a non-empty Tensor
    if (this.outWs === null || this.outWs.dtype !== x.dtype) this.outWs = new Workspace(x.dtype);
    const out = this.outWs.like(x.shape);
    getCore().kernels(x.dtype).reluForward(out.ptr, x.ptr, x.size);
    this.out = out;
    return out;
  }

  backward(dout: Tensor): Tensor {
    const out = checkBackwardInput("Relu.backward", dout, this.out);
    if (this.dxWs === null || this.dxWs.dtype !== dout.dtype) this.dxWs = new Workspace(dout.dtype);
    const dx = this.dxWs.like(out.shape);
    getCore().kernels(dout.dtype).reluBackward(dx.ptr, dout.ptr, out.ptr, dout.size);
    return dx;
  }
}
