// Sigmoid (§5.5.2): out = 1 / (1 + exp(-x)); backward dx = dout · (1 - out) · out.
import { getCore } from "../core/core.js";
import { Workspace } from "../memory/workspace.js";
import { arenaOf } from "../memory/arena.js";
import { closeScratch, heapBytes, openScratch, stageIn, stageOut } from "../memory/scratch.js";
import type { Tensor } from "../tensor.js";
import { checkBackwardInput, type Layer } from "./layer.js";
import { asMatrix } from "./matrix.js";

export class Sigmoid implements Layer {
  #out: Tensor | null = null;
  #outWs: Workspace | null = null;
  #dxWs: Workspace | null = null;

  /** The output of the last forward (valid until the next call). */
  get out(): Tensor | null {
    return this.#out;
  }

  forward(x: Tensor): Tensor {
    asMatrix(x, "Sigmoid.forward"); // validates: a non-empty Tensor
    const out = (this.#outWs ??= new Workspace(arenaOf(this))).like(x.shape, x.dtype);
    openScratch(heapBytes(out) + heapBytes(x));
    getCore().kernels(x.dtype).sigmoidForward(stageOut(out), stageIn(x), x.size);
    closeScratch();
    this.#out = out;
    return out;
  }

  backward(dout: Tensor): Tensor {
    const out = checkBackwardInput("Sigmoid.backward", dout, this.#out);
    const dx = (this.#dxWs ??= new Workspace(arenaOf(this))).like(out.shape, out.dtype);
    openScratch(heapBytes(dx) + heapBytes(dout) + heapBytes(out));
    getCore().kernels(dout.dtype).sigmoidBackward(stageOut(dx), stageIn(dout), stageIn(out), dout.size);
    closeScratch();
    return dx;
  }
}
