// Batch Normalization (§6.3, the book's common/layers.py): normalise each feature over the
// batch, then scale by gamma and shift by beta. Training mode uses the batch's mean and
// variance and updates the running averages (momentum 0.9); test mode uses the running ones.
// Inputs of rank > 2 are flattened to [N, rest] per sample, as the book does.
// The loops run in wasm (assembly/batchnorm.ts); this class keeps the book's fields.
import { getCore } from "../core/core.js";
import { Workspace } from "../memory/workspace.js";
import { arenaOf } from "../memory/arena.js";
import { closeScratch, heapBytes, openScratch, stageIn, stageInOut, stageOut } from "../memory/scratch.js";
import { Tensor, checkTensor, isTensor } from "../tensor.js";
import { fail, formatShape, sameShape, type Shape } from "../shape.js";
import { checkOptions, describeValue } from "../check.js";
import type { Layer } from "./layer.js";
import { asMatrix } from "./matrix.js";

export interface BatchNormalizationOptions {
  /** Weight of the old running average (the book's momentum). Default 0.9. */
  momentum?: number;
  /** Running statistics; default zeros of gamma's length (the book starts both at zero). */
  runningMean?: Tensor;
  runningVar?: Tensor;
  /** Where dgamma/dbeta go (a net's gradient block); default fresh tensors. */
  grads?: { dgamma: Tensor; dbeta: Tensor };
}

export class BatchNormalization implements Layer {
  readonly #gamma: Tensor;
  readonly #beta: Tensor;
  readonly #momentum: number;
  readonly #runningMean: Tensor;
  readonly #runningVar: Tensor;
  readonly #dgamma: Tensor;
  readonly #dbeta: Tensor;
  // saved by a training-mode forward for backward (the book's names)
  #inputShape: Shape | null = null;
  #batchSize = 0;
  #xc: Tensor | null = null;
  #xn: Tensor | null = null;
  #trained = false;
  // batch statistics and kernel scratch: made at first use, in the net's arena for a net's
  // layer (a net places its layers after making them), on the JS heap for a standalone one
  #statsTensors: { std: Tensor; mu: Tensor; variance: Tensor; runStd: Tensor; scratch: Tensor } | null = null;
  #outWs: Workspace | null = null;
  #xcWs: Workspace | null = null;
  #xnWs: Workspace | null = null;
  #dxWs: Workspace | null = null;

  constructor(gamma: Tensor, beta: Tensor, options: BatchNormalizationOptions = {}) {
    const where = "BatchNormalization";
    if (!isTensor(gamma) || gamma.ndim !== 1) fail(where, `gamma must be a 1-D Tensor, got ${isTensor(gamma) ? formatShape(gamma.shape) : describeValue(gamma)}`);
    const o = checkOptions(options, where);
    const D = gamma.size;
    const dtype = gamma.dtype;
    const like = (t: Tensor | undefined, name: string): Tensor => {
      if (t === undefined) return Tensor.zeros([D], dtype);
      if (!isTensor(t) || t.size !== D || t.dtype !== dtype) {
        fail(where, `${name} must be a ${dtype} Tensor of ${D} values to match gamma ${formatShape(gamma.shape)}, got ${isTensor(t) ? `${formatShape(t.shape)} ${t.dtype}` : describeValue(t)}`);
      }
      return t;
    };
    if (o.grads !== undefined && (typeof o.grads !== "object" || o.grads === null)) fail(where, "grads must be { dgamma, dbeta }");
    this.#gamma = gamma;
    this.#beta = like(beta, "beta");
    this.#momentum = o.momentum ?? 0.9;
    if (typeof this.#momentum !== "number" || !(this.#momentum >= 0 && this.#momentum <= 1)) fail(where, `momentum must be in [0, 1], got ${describeValue(o.momentum)}`);
    this.#runningMean = like(o.runningMean, "runningMean");
    this.#runningVar = like(o.runningVar, "runningVar");
    this.#dgamma = like(o.grads?.dgamma, "dgamma");
    this.#dbeta = like(o.grads?.dbeta, "dbeta");
  }

  #stats(): { std: Tensor; mu: Tensor; variance: Tensor; runStd: Tensor; scratch: Tensor } {
    if (this.#statsTensors === null) {
      const arena = arenaOf(this), D = this.#gamma.size, dtype = this.#gamma.dtype;
      const zeros = (n: number): Tensor => {
        const t = new Workspace(arena).like([n], dtype);
        t.data.fill(0);
        return t;
      };
      this.#statsTensors = { std: zeros(D), mu: zeros(D), variance: zeros(D), runStd: zeros(D), scratch: zeros(2 * D) };
    }
    return this.#statsTensors;
  }

  get gamma(): Tensor { return this.#gamma; }
  get beta(): Tensor { return this.#beta; }
  get momentum(): number { return this.#momentum; }
  get runningMean(): Tensor { return this.#runningMean; }
  get runningVar(): Tensor { return this.#runningVar; }
  get dgamma(): Tensor { return this.#dgamma; }
  get dbeta(): Tensor { return this.#dbeta; }
  /** Saved by a training-mode forward for backward (the book's names). */
  get inputShape(): Shape | null { return this.#inputShape; }
  get batchSize(): number { return this.#batchSize; }
  get xc(): Tensor | null { return this.#xc; }
  get xn(): Tensor | null { return this.#xn; }
  get std(): Tensor { return this.#stats().std; }
  /** Batch mean and variance of the last training-mode forward. */
  get mu(): Tensor { return this.#stats().mu; }
  get variance(): Tensor { return this.#stats().variance; }

  /** `trainFlg` true: batch statistics (and update the running ones); false: running statistics. */
  forward(x: Tensor, trainFlg = true): Tensor {
    const where = "BatchNormalization.forward";
    const [N, D] = asMatrix(x, where);
    const gamma = this.#gamma;
    if (x.dtype !== gamma.dtype) fail(where, `x is ${x.dtype} but gamma is ${gamma.dtype}`);
    if (D !== gamma.size) fail(where, `x has shape ${formatShape(x.shape)}: ${D} features per sample, but gamma has ${gamma.size}`);
    const arena = arenaOf(this);
    const { std, mu, variance, runStd } = this.#stats();
    const out = (this.#outWs ??= new Workspace(arena)).like(x.shape, x.dtype);
    const k = getCore().kernels(x.dtype);
    const common = heapBytes(out) + heapBytes(x) + heapBytes(gamma) + heapBytes(this.#beta) + heapBytes(this.#runningMean) + heapBytes(this.#runningVar);
    if (trainFlg) {
      const xc = (this.#xcWs ??= new Workspace(arena)).matrix(N, D, x.dtype), xn = (this.#xnWs ??= new Workspace(arena)).matrix(N, D, x.dtype);
      openScratch(common + heapBytes(xc) + heapBytes(xn) + heapBytes(mu) + heapBytes(variance) + heapBytes(std));
      k.batchNormForwardTrain(stageOut(out), stageOut(xc), stageOut(xn), stageOut(mu), stageOut(variance), stageOut(std),
        stageInOut(this.#runningMean), stageInOut(this.#runningVar), stageIn(x), stageIn(gamma), stageIn(this.#beta), this.#momentum, N, D);
      closeScratch();
      this.#inputShape = x.shape;
      this.#batchSize = N;
      this.#xc = xc;
      this.#xn = xn;
    } else {
      openScratch(common + heapBytes(runStd));
      k.batchNormForwardTest(stageOut(out), stageOut(runStd), stageIn(x), stageIn(gamma), stageIn(this.#beta),
        stageIn(this.#runningMean), stageIn(this.#runningVar), N, D);
      closeScratch();
    }
    this.#trained = !!trainFlg;
    return out;
  }

  /** Backward through the last training-mode forward; writes dgamma and dbeta. */
  backward(dout: Tensor): Tensor {
    const where = "BatchNormalization.backward";
    const xc = this.#xc, xn = this.#xn, inputShape = this.#inputShape;
    if (inputShape === null || xc === null || xn === null) fail(where, "call forward(x, true) before backward");
    if (!this.#trained) fail(where, "the last forward ran in test mode (trainFlg false); backward needs the batch statistics of a training-mode forward");
    checkTensor(dout, "dout", where);
    const gamma = this.#gamma;
    if (dout.dtype !== gamma.dtype) fail(where, `dout is ${dout.dtype} but gamma is ${gamma.dtype}`);
    if (!sameShape(dout.shape, inputShape)) fail(where, `dout has shape ${formatShape(dout.shape)} but forward produced ${formatShape(inputShape)}`);
    const { std, scratch } = this.#stats();
    const dx = (this.#dxWs ??= new Workspace(arenaOf(this))).like(inputShape, dout.dtype);
    openScratch(heapBytes(dx) + heapBytes(this.#dgamma) + heapBytes(this.#dbeta) + heapBytes(scratch) + heapBytes(dout) +
      heapBytes(xn) + heapBytes(xc) + heapBytes(std) + heapBytes(gamma));
    getCore().kernels(dout.dtype).batchNormBackward(stageOut(dx), stageOut(this.#dgamma), stageOut(this.#dbeta), stageOut(scratch),
      stageIn(dout), stageIn(xn), stageIn(xc), stageIn(std), stageIn(gamma), this.#batchSize, gamma.size);
    closeScratch();
    return dx;
  }
}
