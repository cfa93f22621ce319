// SGD (§6.1.2): W ← W - lr · ∂L/∂W.
import { getCore } from "../core/core.js";
import type { Tensor } from "../tensor.js";
import type { ParamBlock } from "../nets/param-block.js";
import { fail, formatShape } from "../shape.js";
import type { Optimizer } from "./optimizer.js";

export class SGD implements Optimizer {
  readonly name = "SGD";

  constructor(readonly lr = 0.01) {
    if (typeof lr !== "number" || !Number.isFinite(lr) || lr <= 0) fail("SGD", `lr must be a positive finite number, got ${String(lr)}`);
  }

  update(params: Record<string, Tensor>, grads: Record<string, Tensor>): void {
    for (const key of Object.keys(params)) {
      const p = params[key], g = grads[key];
      if (!g) fail("SGD.update", `no gradient for parameter '${key}'`);
      if (g.dtype !== p.dtype || g.size !== p.size) {
        fail("SGD.update", `gradient '${key}' ${formatShape(g.shape)} ${g.dtype} does not match parameter ${formatShape(p.shape)} ${p.dtype}`);
      }
      getCore().kernels(p.dtype).sgdUpdate(p.ptr, g.ptr, this.lr, p.size);
    }
  }

  updateBlock(params: ParamBlock, grads: ParamBlock): void {
    if (params.length !== grads.length || params.dtype !== grads.dtype) fail("SGD.updateBlock", "parameter and gradient blocks differ in layout");
    getCore().kernels(params.dtype).sgdUpdate(params.ptr, grads.ptr, this.lr, params.length);
  }
}
