// Batch Normalization (§6.3, the book's common/layers.py): normalise each feature over the
// batch, then scale by gamma and shift by beta. Training mode uses the batch's mean and
// variance and updates the running averages (momentum 0.9); test mode uses the running ones.
// Inputs of rank > 2 are flattened to [N, rest] per sample, as the book does.
// The loops run in wasm (assembly/batchnorm.ts); this class keeps the book's fields.
import { getCore } from "../core/core.js";
import { Workspace } from "../core/workspace.js";
import { Tensor } from "../tensor.js";
import { fail, formatShape, sameShape, type Shape } from "../shape.js";
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
  readonly gamma: Tensor;
  readonly beta: Tensor;
  readonly momentum: number;
  readonly runningMean: Tensor;
  readonly runningVar: Tensor;
  readonly dgamma: Tensor;
  readonly dbeta: Tensor;
  /** Saved by a training-mode forward for backward (the book's names). */
  inputShape: Shape | null = null;
  batchSize = 0;
  xc: Tensor | null = null;
  xn: Tensor | null = null;
  readonly std: Tensor;
  /** Batch mean and variance of the last training-mode forward. */
  readonly mu: Tensor;
  readonly variance: Tensor;
  private trained = false;
  private readonly outWs: Workspace;
  private readonly xcWs: Workspace;
  private readonly xnWs: Workspace;
  private readonly dxWs: Workspace;
  private readonly runStd: Tensor;
  private readonly scratch: Tensor;

  constructor(gamma: Tensor, beta: Tensor, options: BatchNormalizationOptions = {}) {
    const where = "BatchNormalization";
    if (!(gamma instanceof Tensor) || gamma.ndim !== 1) fail(where, `gamma must be a 1-D Tensor, got ${gamma instanceof Tensor ? formatShape(gamma.shape) : typeof gamma}`);
    const D = gamma.size;
    const dtype = gamma.dtype;
    const like = (t: Tensor | undefined, name: string): Tensor => {
      if (t === undefined) return Tensor.zeros([D], dtype);
      if (!(t instanceof Tensor) || t.size !== D || t.dtype !== dtype) {
        fail(where, `${name} must be a ${dtype} Tensor of ${D} values to match gamma ${formatShape(gamma.shape)}, got ${t instanceof Tensor ? `${formatShape(t.shape)} ${t.dtype}` : typeof t}`);
      }
      return t;
    };
    this.gamma = gamma;
    this.beta = like(beta, "beta");
    this.momentum = options.momentum ?? 0.9;
    if (typeof this.momentum !== "number" || !(this.momentum >= 0 && this.momentum <= 1)) fail(where, `momentum must be in [0, 1], got ${String(options.momentum)}`);
    this.runningMean = like(options.runningMean, "runningMean");
    this.runningVar = like(options.runningVar, "runningVar");
    this.dgamma = like(options.grads?.dgamma, "dgamma");
    this.dbeta = like(options.grads?.dbeta, "dbeta");
    this.std = Tensor.zeros([D], dtype);
    this.mu = Tensor.zeros([D], dtype);
    this.variance = Tensor.zeros([D], dtype);
    this.runStd = Tensor.zeros([D], dtype);
    this.scratch = Tensor.zeros([2 * D], dtype);
    this.outWs = new Workspace(dtype);
    this.xcWs = new Workspace(dtype);
    this.xnWs = new Workspace(dtype);
    this.dxWs = new Workspace(dtype);
  }

  /** `trainFlg` true: batch statistics (and update the running ones); false: running statistics. */
  forward(x: Tensor, trainFlg = true): Tensor {
    const where = "BatchNormalization.forward";
    const [N, D] = asMatrix(x, where);
    if (x.dtype !== this.gamma.dtype) fail(where, `x is ${x.dtype} but gamma is ${this.gamma.dtype}`);
    if (D !== this.gamma.size) fail(where, `x has shape ${formatShape(x.shape)}: ${D} features per sample, but gamma has ${this.gamma.size}`);
    const out = this.outWs.like(x.shape);
    const k = getCore().kernels(x.dtype);
    if (trainFlg) {
      const xc = this.xcWs.matrix(N, D), xn = this.xnWs.matrix(N, D);
      k.batchNormForwardTrain(out.ptr, xc.ptr, xn.ptr, this.mu.ptr, this.variance.ptr, this.std.ptr,
        this.runningMean.ptr, this.runningVar.ptr, x.ptr, this.gamma.ptr, this.beta.ptr, this.momentum, N, D);
      this.inputShape = x.shape;
      this.batchSize = N;
      this.xc = xc;
      this.xn = xn;
    } else {
      k.batchNormForwardTest(out.ptr, this.runStd.ptr, x.ptr, this.gamma.ptr, this.beta.ptr, this.runningMean.ptr, this.runningVar.ptr, N, D);
    }
    this.trained = trainFlg;
    return out;
  }

  /** Backward through the last training-mode forward; writes dgamma and dbeta. */
  backward(dout: Tensor): Tensor {
    const where = "BatchNormalization.backward";
    if (this.inputShape === null || this.xc === null || this.xn === null) fail(where, "call forward(x, true) before backward");
    if (!this.trained) fail(where, "the last forward ran in test mode (trainFlg false); backward needs the batch statistics of a training-mode forward");
    if (dout.dtype !== this.gamma.dtype) fail(where, `dout is ${dout.dtype} but gamma is ${this.gamma.dtype}`);
    if (!sameShape(dout.shape, this.inputShape)) fail(where, `dout has shape ${formatShape(dout.shape)} but forward produced ${formatShape(this.inputShape)}`);
    const dx = this.dxWs.like(this.inputShape);
    getCore().kernels(dout.dtype).batchNormBackward(dx.ptr, this.dgamma.ptr, this.dbeta.ptr, this.scratch.ptr,
      dout.ptr, this.xn.ptr, this.xc.ptr, this.std.ptr, this.gamma.ptr, this.batchSize, this.gamma.size);
    return dx;
  }
}
