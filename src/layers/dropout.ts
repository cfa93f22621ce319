// Dropout (§6.4.3, the book's common/layers.py): in training, each value is kept where a
// fresh uniform draw exceeds `dropoutRatio` and zeroed otherwise; at test time everything is
// kept and scaled by (1 - dropoutRatio). The mask comes from the wasm Rng (seeded, portable).
import { getCore } from "../core/core.js";
import { Workspace } from "../core/workspace.js";
import { Tensor } from "../tensor.js";
import { Rng } from "../random.js";
import { fail, formatShape, sameShape } from "../shape.js";
import type { Layer } from "./layer.js";
import { asMatrix } from "./matrix.js";

export interface DropoutOptions {
  /** The stream the masks are drawn from (a net shares its own). Default `new Rng(seed)`. */
  rng?: Rng;
  /** Seed of the default stream. Default 0. */
  seed?: number;
}

export class Dropout implements Layer {
  /** 1 where kept, 0 where dropped (same dtype as x); from the last training-mode forward. */
  mask: Tensor | null = null;
  /**
   * Reuse the current mask in training-mode forwards instead of drawing a new one. A gradient
   * check needs this: the numerical side calls forward thousands of times and must see the
   * same mask as the analytic side (the book's check redraws it, which makes it noise).
   */
  freezeMask = false;
  readonly rng: Rng;
  private scaled = false;
  private outWs: Workspace | null = null;
  private maskWs: Workspace | null = null;
  private dxWs: Workspace | null = null;

  constructor(readonly dropoutRatio = 0.5, options: DropoutOptions = {}) {
    if (typeof dropoutRatio !== "number" || !(dropoutRatio >= 0 && dropoutRatio < 1)) {
      fail("Dropout", `dropoutRatio must be a number in [0, 1), got ${String(dropoutRatio)}`);
    }
    this.rng = options.rng ?? new Rng(options.seed ?? 0);
  }

  forward(x: Tensor, trainFlg = true): Tensor {
    const where = "Dropout.forward";
    asMatrix(x, where); // validates: a non-empty Tensor
    const out = (this.outWs = fresh(this.outWs, x)).like(x.shape);
    const k = getCore().kernels(x.dtype);
    if (trainFlg) {
      if (this.freezeMask) {
        const m = this.mask;
        if (m === null) fail(where, "freezeMask is set but no mask has been drawn yet; run one training-mode forward first");
        if (!sameShape(m.shape, x.shape) || m.dtype !== x.dtype) fail(where, `the frozen mask is ${formatShape(m.shape)} ${m.dtype} but x is ${formatShape(x.shape)} ${x.dtype}`);
      } else {
        const m = (this.maskWs = fresh(this.maskWs, x)).like(x.shape);
        this.rng.fillKeepMask(m, this.dropoutRatio);
        this.mask = m;
      }
      k.multiplyMask(out.ptr, x.ptr, (this.mask as Tensor).ptr, x.size);
    } else {
      k.scaleBy(out.ptr, x.ptr, 1.0 - this.dropoutRatio, x.size);
    }
    this.scaled = !trainFlg;
    return out;
  }

  /**
   * dout · mask after a training-mode forward (the book). After a test-mode forward the layer
   * was x·(1 - ratio), so its derivative is that scale (the book would reuse a stale mask).
   */
  backward(dout: Tensor): Tensor {
    const where = "Dropout.backward";
    asMatrix(dout, where);
    const dx = (this.dxWs = fresh(this.dxWs, dout)).like(dout.shape);
    const k = getCore().kernels(dout.dtype);
    if (this.scaled) {
      k.scaleBy(dx.ptr, dout.ptr, 1.0 - this.dropoutRatio, dout.size);
      return dx;
    }
    const m = this.mask;
    if (m === null) fail(where, "call forward before backward");
    if (!sameShape(m.shape, dout.shape) || m.dtype !== dout.dtype) fail(where, `dout is ${formatShape(dout.shape)} ${dout.dtype} but forward produced ${formatShape(m.shape)} ${m.dtype}`);
    k.multiplyMask(dx.ptr, dout.ptr, m.ptr, dout.size);
    return dx;
  }
}

/** The same workspace while the dtype stays, a new one when it changes (as Relu does). */
function fresh(ws: Workspace | null, x: Tensor): Workspace {
  return ws !== null && ws.dtype === x.dtype ? ws : new Workspace(x.dtype);
}
