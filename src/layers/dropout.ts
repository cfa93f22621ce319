// Dropout (§6.4.3, the book's common/layers.py): in training, each value is kept where a
// fresh uniform draw exceeds `dropoutRatio` and zeroed otherwise; at test time everything is
// kept and scaled by (1 - dropoutRatio). The mask comes from the wasm Rng (seeded, portable).
import { getCore } from "../core/core.js";
import { Workspace } from "../memory/workspace.js";
import { arenaOf } from "../memory/arena.js";
import { closeScratch, heapBytes, openScratch, stageIn, stageOut } from "../memory/scratch.js";
import type { Tensor } from "../tensor.js";
import { Rng, isRng } from "../random.js";
import { fail, formatShape, sameShape } from "../shape.js";
import { checkOptions, describeValue } from "../check.js";
import type { Layer } from "./layer.js";
import { asMatrix } from "./matrix.js";

export interface DropoutOptions {
  /** The stream the masks are drawn from (a net shares its own). Default `new Rng(seed)`. */
  rng?: Rng;
  /** Seed of the default stream. Default 0. */
  seed?: number;
}

export class Dropout implements Layer {
  /**
   * Reuse the current mask in training-mode forwards instead of drawing a new one. A gradient
   * check needs this: the numerical side calls forward thousands of times and must see the
   * same mask as the analytic side (the book's check redraws it, which makes it noise).
   */
  freezeMask = false;
  readonly #dropoutRatio: number;
  readonly #rng: Rng;
  #mask: Tensor | null = null;
  #scaled = false;
  #outWs: Workspace | null = null;
  #maskWs: Workspace | null = null;
  #dxWs: Workspace | null = null;

  constructor(dropoutRatio = 0.5, options: DropoutOptions = {}) {
    if (typeof dropoutRatio !== "number" || !(dropoutRatio >= 0 && dropoutRatio < 1)) {
      fail("Dropout", `dropoutRatio must be a number in [0, 1), got ${describeValue(dropoutRatio)}`);
    }
    const o = checkOptions(options, "Dropout");
    if (o.rng !== undefined && !isRng(o.rng)) fail("Dropout", `rng must be an Rng, got ${describeValue(o.rng)}`);
    this.#dropoutRatio = dropoutRatio;
    this.#rng = o.rng ?? new Rng(o.seed ?? 0);
  }

  get dropoutRatio(): number { return this.#dropoutRatio; }
  get rng(): Rng { return this.#rng; }
  /** 1 where kept, 0 where dropped (same dtype as x); from the last training-mode forward. */
  get mask(): Tensor | null { return this.#mask; }

  forward(x: Tensor, trainFlg = true): Tensor {
    const where = "Dropout.forward";
    asMatrix(x, where); // validates: a non-empty Tensor
    const arena = arenaOf(this);
    const out = (this.#outWs ??= new Workspace(arena)).like(x.shape, x.dtype);
    const k = getCore().kernels(x.dtype);
    if (trainFlg) {
      let m = this.#mask;
      if (this.freezeMask) {
        if (m === null) fail(where, "freezeMask is set but no mask has been drawn yet; run one training-mode forward first");
        if (!sameShape(m.shape, x.shape) || m.dtype !== x.dtype) fail(where, `the frozen mask is ${formatShape(m.shape)} ${m.dtype} but x is ${formatShape(x.shape)} ${x.dtype}`);
      } else {
        m = (this.#maskWs ??= new Workspace(arena)).like(x.shape, x.dtype);
        this.#rng.fillKeepMask(m, this.#dropoutRatio); // its own scratch window, before ours opens
        this.#mask = m;
      }
      openScratch(heapBytes(out) + heapBytes(x) + heapBytes(m));
      k.multiplyMask(stageOut(out), stageIn(x), stageIn(m), x.size);
      closeScratch();
    } else {
      openScratch(heapBytes(out) + heapBytes(x));
      k.scaleBy(stageOut(out), stageIn(x), 1.0 - this.#dropoutRatio, x.size);
      closeScratch();
    }
    this.#scaled = !trainFlg;
    return out;
  }

  /**
   * dout · mask after a training-mode forward (the book). After a test-mode forward the layer
   * was x·(1 - ratio), so its derivative is that scale (the book would reuse a stale mask).
   */
  backward(dout: Tensor): Tensor {
    const where = "Dropout.backward";
    asMatrix(dout, where);
    const dx = (this.#dxWs ??= new Workspace(arenaOf(this))).like(dout.shape, dout.dtype);
    const k = getCore().kernels(dout.dtype);
    if (this.#scaled) {
      openScratch(heapBytes(dx) + heapBytes(dout));
      k.scaleBy(stageOut(dx), stageIn(dout), 1.0 - this.#dropoutRatio, dout.size);
      closeScratch();
      return dx;
    }
    const m = this.#mask;
    if (m === null) fail(where, "call forward before backward");
    if (!sameShape(m.shape, dout.shape) || m.dtype !== dout.dtype) fail(where, `dout is ${formatShape(dout.shape)} ${dout.dtype} but forward produced ${formatShape(m.shape)} ${m.dtype}`);
    openScratch(heapBytes(dx) + heapBytes(dout) + heapBytes(m));
    k.multiplyMask(stageOut(dx), stageIn(dout), stageIn(m), dout.size);
    closeScratch();
    return dx;
  }
}
