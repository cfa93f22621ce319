// Stopping a run that has diverged, with an error that says what was seen and when, at a cost
// the training loop does not notice. Three signs, each checked where it is cheap:
//
//  1. The recorded loss is NaN or ±Infinity: one number per step, checked every step.
//  2. A parameter is NaN or ±Infinity. The loss alone misses this: ReLU maps NaN to 0 and
//     BatchNorm renormalises, so a BatchNorm net at lr 1e6 reports a finite loss of ~15 while
//     most of W1 is NaN. Checking costs one SIMD pass over the parameter block (firstNonFinite,
//     an existing kernel), so it runs every CHECK_EVERY iterations, before every evaluation and
//     at the end — not every step. That is enough because a non-finite parameter never becomes
//     finite again under the book's update rules (NaN absorbs everything; p − lr·(±Inf) stays
//     infinite or turns NaN; the adaptive rules divide Inf by Inf), and a non-finite gradient
//     shows up as a non-finite parameter after the very update that used it; so a check that
//     comes a few steps late still sees it, and nothing non-finite reaches an evaluation or the
//     caller. One pass costs about as much as 1/100 of a TwoLayerNet step (bench/reliability.mjs),
//     so every step would be ~1 % — every 20 steps is noise.
//  3. The loss sits at its ceiling. cross_entropy_error adds 1e-7 inside the log, so a row whose
//     true class gets probability 0 costs −ln(1e-7) ≈ 16.12 instead of overflowing: a diverged
//     net's softmax is saturated, its loss hovers at 13–15 (the rows it happens to get right cost
//     0) and never becomes NaN. We stop when the mean loss of FLOOR_WINDOWS consecutive windows
//     of CHECK_EVERY iterations all stay above halfway between a uniform guess (ln C) and that
//     ceiling. Healthy runs never come close: the book's recipes stay below 2.5; aggressive runs
//     that later recover (huge initial weights, AdaGrad at lr 1.5) spend at most one window up
//     there, measured over the chapter 6 settings. The ceiling belongs to the cross-entropy
//     alone, so this sign reads the data loss (net.lastLayer.loss), not the recorded loss: with
//     weight decay the latter adds 0.5·λ·ΣW², ~63 at the start of a healthy λ = 0.1 run of the
//     chapter 6 net, which would otherwise look saturated. Signs 1 and 2 still see the total.
import { getCore } from "../core/core.js";
import { paramBlockPtr, type ParamBlock } from "../memory/param-block.js";
import { firstNonFinite, type Tensor } from "../tensor.js";
import { formatShape } from "../shape.js";
import type { TrainableNet } from "./trainable.js";

/** Iterations between parameter checks, and the length of one loss window. */
export const CHECK_EVERY = 20;
/** Consecutive loss windows at the ceiling that stop the run (100 iterations). */
export const FLOOR_WINDOWS = 5;
/** −ln(1e-7): what one row costs when the softmax gives its true class probability 0. */
export const LOSS_CEILING = -Math.log(1e-7);

export type DivergenceKind = "loss" | "parameters" | "saturated";

/** trainNet stopped because training diverged (`kind` says which sign was seen, `iteration` when). */
export class DivergenceError extends Error {
  override readonly name = "DivergenceError";

  constructor(message: string, readonly iteration: number, readonly kind: DivergenceKind) {
    super(message);
  }
}

export class DivergenceMonitor {
  private readonly ceilingThreshold: number;
  private readonly uniformLoss: number;
  private windowSum = 0;
  private windowCount = 0;
  private highWindows = 0;
  private highSum = 0;
  private highSince = -1;
  private lastFinite = -1;

  /**
   * `classes`: the net's outputs (sets the uniform-guess loss); `checks` false keeps only the
   * per-step loss check. `describe` names the optimizer and rate for the message.
   */
  constructor(
    private readonly net: TrainableNet,
    classes: number,
    private readonly checks: boolean,
    private readonly describe: string,
    private readonly where: string,
  ) {
    this.uniformLoss = Math.log(Math.max(classes, 2));
    this.ceilingThreshold = (this.uniformLoss + LOSS_CEILING) / 2;
  }

  /**
   * After every iteration: the recorded loss (the data loss plus any weight-decay term). The
   * ceiling watch reads the data loss of the same pass from net.lastLayer.loss. Allocates nothing.
   */
  step(iter: number, loss: number): void {
    if (!Number.isFinite(loss)) {
      throw this.error(`the loss became ${loss} at iteration ${iter}`, iter, "loss");
    }
    if (!this.checks) return;
    const dataLoss = this.net.lastLayer.loss;
    this.windowSum += dataLoss ?? loss;
    if (++this.windowCount < CHECK_EVERY) return;
    const mean = this.windowSum / this.windowCount;
    if (mean >= this.ceilingThreshold) {
      if (this.highWindows === 0) { this.highSince = iter - this.windowCount + 1; this.highSum = 0; }
      this.highWindows++;
      this.highSum += this.windowSum;
    } else {
      this.highWindows = 0;
    }
    this.windowSum = 0;
    this.windowCount = 0;
    this.checkParameters(iter); // the more specific finding first
    if (this.highWindows >= FLOOR_WINDOWS) {
      const n = this.highWindows * CHECK_EVERY;
      throw this.error(
        `the loss has stayed at its ceiling for ${n} iterations (mean ${(this.highSum / n).toFixed(2)} over iterations ` +
          `${this.highSince}–${iter}; a uniform guess scores ${this.uniformLoss.toFixed(2)}, and −ln(1e-7) = ` +
          `${LOSS_CEILING.toFixed(2)} is what a row costs when its class gets probability 0): the softmax is saturated`,
        iter, "saturated",
      );
    }
  }

  /** Before an evaluation and at the end: every parameter (and BatchNorm running statistic) finite. */
  checkParameters(iter: number): void {
    if (!this.checks) return;
    const k = getCore().kernels(this.net.dtype);
    const block = this.net.paramBlock;
    const buffers = this.net.buffers ?? null;
    if (k.firstNonFinite(paramBlockPtr(block), block.length) < 0 && (buffers === null || k.firstNonFinite(paramBlockPtr(buffers), buffers.length) < 0)) {
      this.lastFinite = iter;
      return;
    }
    throw this.error(this.describeParameters(iter, buffers), iter, "parameters");
  }

  private describeParameters(iter: number, buffers: ParamBlock | null): string {
    const named: [string, Tensor][] = [
      ...Object.entries(this.net.params).map(([k, t]): [string, Tensor] => [`parameter ${k}`, t]),
      ...Object.entries<Tensor>(buffers?.tensors ?? {}).map(([k, t]): [string, Tensor] => [`BatchNorm statistic ${k}`, t]),
    ];
    const grads = this.net.gradBlock.tensors as Record<string, Tensor>;
    const since = this.lastFinite < 0 ? "" : `; every parameter was still finite at iteration ${this.lastFinite}`;
    for (const [name, t] of named) {
      const at = firstNonFinite(t);
      if (at < 0) continue;
      const data = t.data;
      let bad = 0;
      for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) bad++;
      const grad = grads[name.slice(name.lastIndexOf(" ") + 1)];
      const gradNote = grad !== undefined && firstNonFinite(grad) >= 0 ? " (its gradient too)" : "";
      return `${name} became non-finite by iteration ${iter}: ${data[at]} at ${formatShape(unravel(at, t.shape))}, ` +
        `${bad} of its ${t.size} entries NaN or ±Infinity${gradNote}${since}`;
    }
    return `a parameter became non-finite by iteration ${iter}${since}`;
  }

  private error(what: string, iter: number, kind: DivergenceKind): DivergenceError {
    return new DivergenceError(`${this.where}: ${what} (${this.describe}); training diverged — try a smaller learning rate`, iter, kind);
  }
}

function unravel(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return index;
}
