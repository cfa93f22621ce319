// Sigmoid (§5.5.2): out = 1 / (1 + exp(-x)); backward dx = dout · (1 - out) · out.
import { getCore } from "../core/core.js";
import { Workspace } from "../core/workspace.js";
import { Tensor } from "../tensor.js";
import { checkBackwardInput, type Layer } from "./layer.js";
import { asMatrix } from "./matrix.js";

export class Sigmoid implements Layer {
  out: Tensor | null = null;
  private outWs: Workspace | null = null;
  private dxWs: Workspace | null = null;

  forward(x: Tensor): Tensor {
    asMatrix(x, "Sigmoid.forward"); // validates: a non-empty Tensor
    if (this.outWs === null || this.outWs.dtype !== x.dtype) this.outWs = new Workspace(x.dtype);
    const out = this.outWs.like(x.shape);
    getCore().kernels(x.dtype).sigmoidForward(out.ptr, x.ptr, x.size);
    this.out = out;
    return out;
  }

  backward(dout: Tensor): Tensor {
    const out = checkBackwardInput("Sigmoid.backward", dout, this.out);
    if (this.dxWs === null || this.dxWs.dtype !== dout.dtype) this.dxWs = new Workspace(dout.dtype);
    const dx = this.dxWs.like(out.shape);
    getCore().kernels(dout.dtype).sigmoidBackward(dx.ptr, dout.ptr, out.ptr, dout.size);
    return dx;
  }
}
