// ReLU (§5.5.1): out = x where x > 0, else 0; backward lets dout through where x was > 0.
// The book keeps `mask = (x <= 0)`; we keep `out`, which carries the same information
// (out > 0 exactly where x > 0) without a second buffer.
import { getCore } from "../core/core.js";
import { Workspace } from "../memory/workspace.js";
import { arenaOf } from "../memory/arena.js";
import { closeScratch, heapBytes, openScratch, stageIn, stageOut } from "../memory/scratch.js";
import type { Tensor } from "../tensor.js";
import { checkBackwardInput, type Layer } from "./layer.js";
import { asMatrix } from "./matrix.js";

export class Relu implements Layer {
  #out: Tensor | null = null;
  #outWs: Workspace | null = null;
  #dxWs: Workspace | null = null;

  /** The output of the last forward (valid until the next call). */
  get out(): Tensor | null {
    return this.#out;
  }

  /**
   * Adopt `out` as this layer's output, as if forward had made it: the output of a kernel that
   * applied the ReLU itself (Convolution.forwardRelu). Backward then works as after forward.
   * Returns `out`.
   */
  takeOutput(out: Tensor): Tensor {
    asMatrix(out, "Relu.takeOutput"); // validates: a non-empty Tensor
    this.#out = out;
    return out;
  }

  forward(x: Tensor): Tensor {
    asMatrix(x, "Relu.forward"); // validates: a non-empty Tensor
    const out = (this.#outWs ??= new Workspace(arenaOf(this))).like(x.shape, x.dtype);
    openScratch(heapBytes(out) + heapBytes(x));
    getCore().kernels(x.dtype).reluForward(stageOut(out), stageIn(x), x.size);
    closeScratch();
    this.#out = out;
    return out;
  }

  backward(dout: Tensor): Tensor {
    const out = checkBackwardInput("Relu.backward", dout, this.#out);
    const dx = (this.#dxWs ??= new Workspace(arenaOf(this))).like(out.shape, out.dtype);
    openScratch(heapBytes(dx) + heapBytes(dout) + heapBytes(out));
    getCore().kernels(dout.dtype).reluBackward(stageOut(dx), stageIn(dout), stageIn(out), dout.size);
    closeScratch();
    return dx;
  }
}
