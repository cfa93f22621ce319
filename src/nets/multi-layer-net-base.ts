// The body shared by MultiLayerNet and MultiLayerNetExtend (the book's
// common/multi_layer_net.py and multi_layer_net_extend.py): a stack of
// Affine → [BatchNorm] → activation → [Dropout] blocks, a last Affine and SoftmaxWithLoss,
// with L2 weight decay. Trainable parameters (W, b, gamma, beta) sit in one ParamBlock and
// their gradients in a second of the same layout; BatchNorm's running mean/var are not
// trained, so they live in a third block (`buffers`) that is saved with the model but never
// touched by an optimizer. All of it lives in the net's arena: `dispose()` frees it.
import { getCore } from "../core/core.js";
import { ptrOf, type Tensor, type TensorData } from "../tensor.js";
import { checkDType, type DType } from "../dtype.js";
import { checkPositiveInt, fail, type Shape } from "../shape.js";
import { describeValue } from "../check.js";
import { Rng } from "../random.js";
import { Affine } from "../layers/affine.js";
import { Relu } from "../layers/relu.js";
import { Sigmoid } from "../layers/sigmoid.js";
import { BatchNormalization } from "../layers/batch-normalization.js";
import { Dropout } from "../layers/dropout.js";
import { SoftmaxWithLoss } from "../layers/softmax-with-loss.js";
import type { Layer } from "../layers/layer.js";
import type { ParamBlock, ParamSpec } from "../memory/param-block.js";
import { NetMemory } from "./net-memory.js";
import { numericalGradient } from "../gradient.js";
import { accuracyOf } from "../functions.js";
import { weightInitScale, type WeightInitStd } from "../init.js";
import type { Targets } from "../targets.js";
import { loadNetParams, saveNetParams, type LoadParamsOptions, type ParamsSource, type SaveParamsOptions } from "../io/net-params.js";

export type Activation = "relu" | "sigmoid";

export interface MultiLayerNetOptions {
  inputSize: number;
  /** Widths of the hidden layers, e.g. [100, 100, 100, 100]. */
  hiddenSizeList: readonly number[];
  outputSize: number;
  /** Hidden activation. Default 'relu'. */
  activation?: Activation;
  /** A std number, 'he'/'relu' (√(2/n)) or 'xavier'/'sigmoid' (√(1/n)). Default 'relu', as the book. */
  weightInitStd?: WeightInitStd;
  /** λ of the L2 penalty 0.5·λ·ΣW² (§6.4.2). Default 0. */
  weightDecayLambda?: number;
  /** 'float32' (default) or 'float64' (gradient checks). */
  dtype?: DType;
  /** Seeds the initial weights and then the dropout masks (one stream, like numpy's global one). Default 0. */
  seed?: number;
}

export interface MultiLayerNetExtendOptions extends MultiLayerNetOptions {
  /** Dropout after each hidden activation. Default false. */
  useDropout?: boolean;
  /** The book's dropout_ration. Default 0.5. */
  dropoutRatio?: number;
  /** BatchNorm between each hidden Affine and its activation. Default false. */
  useBatchnorm?: boolean;
}

export abstract class MultiLayerNetBase {
  readonly #params: Readonly<Record<string, Tensor>>;
  readonly #layers: Readonly<Record<string, Layer>>;
  readonly #lastLayer = new SoftmaxWithLoss();
  readonly #paramBlock: ParamBlock;
  readonly #gradBlock: ParamBlock;
  readonly #buffers: ParamBlock | null;
  readonly #memory: NetMemory;
  readonly #rng: Rng;
  readonly #dtype: DType;
  readonly #inputSize: number;
  readonly #hiddenSizeList: readonly number[];
  readonly #outputSize: number;
  readonly hiddenLayerNum: number;
  readonly activation: Activation;
  readonly weightInitStd: WeightInitStd;
  readonly weightDecayLambda: number;
  readonly useDropout: boolean;
  readonly dropoutRatio: number;
  readonly useBatchnorm: boolean;
  readonly seed: number;
  readonly #order: Layer[];
  readonly #affines: Affine[];
  readonly #dropouts: Dropout[];
  readonly #where: string;
  // what the kernels read; the public fields above are descriptive copies (reassigning one changes nothing)
  readonly #lambda: number;

  protected constructor(o: MultiLayerNetExtendOptions, where: string) {
    this.#where = where;
    if (typeof o !== "object" || o === null) fail(where, "options must be an object { inputSize, hiddenSizeList, outputSize, … }");
    this.#inputSize = checkPositiveInt(o.inputSize, "inputSize", where);
    if (!Array.isArray(o.hiddenSizeList)) fail(where, `hiddenSizeList must be an array of positive integers, got ${describeValue(o.hiddenSizeList)}`);
    if (o.hiddenSizeList.length > 1000) fail(where, `hiddenSizeList has ${o.hiddenSizeList.length} layers; at most 1000 are supported`);
    this.#hiddenSizeList = Object.freeze(o.hiddenSizeList.map((h, i) => checkPositiveInt(h, `hiddenSizeList[${i}]`, where)));
    this.#outputSize = checkPositiveInt(o.outputSize, "outputSize", where);
    this.hiddenLayerNum = this.#hiddenSizeList.length;
    this.activation = o.activation ?? "relu";
    if (this.activation !== "relu" && this.activation !== "sigmoid") fail(where, `activation must be 'relu' or 'sigmoid', got ${typeof this.activation === "string" ? (this.activation as string).slice(0, 40) : describeValue(this.activation)}`);
    this.weightInitStd = o.weightInitStd ?? "relu";
    this.weightDecayLambda = o.weightDecayLambda ?? 0;
    if (typeof this.weightDecayLambda !== "number" || !Number.isFinite(this.weightDecayLambda) || this.weightDecayLambda < 0) {
      fail(where, `weightDecayLambda must be a finite number ≥ 0, got ${describeValue(o.weightDecayLambda)}`);
    }
    this.#lambda = this.weightDecayLambda;
    this.useDropout = o.useDropout ?? false;
    this.dropoutRatio = o.dropoutRatio ?? 0.5;
    this.useBatchnorm = o.useBatchnorm ?? false;
    if (typeof this.useDropout !== "boolean") fail(where, `useDropout must be true or false, got ${describeValue(this.useDropout)}`);
    if (typeof this.useBatchnorm !== "boolean") fail(where, `useBatchnorm must be true or false, got ${describeValue(this.useBatchnorm)}`);
    this.#dtype = checkDType(o.dtype ?? "float32", where);
    this.seed = o.seed ?? 0;
    this.#rng = new Rng(this.seed); // checks the seed before any memory is taken

    const sizes = [this.#inputSize, ...this.#hiddenSizeList, this.#outputSize];
    const L = this.hiddenLayerNum + 1;
    const scales = sizes.slice(0, -1).map((nPrev) => weightInitScale(this.weightInitStd, nPrev, where));
    // the book's dict order: W1, b1, …, W(L), b(L), then gamma1, beta1, … (added while building layers)
    const spec: [string, number[]][] = [];
    for (let i = 1; i <= L; i++) spec.push([`W${i}`, [sizes[i - 1], sizes[i]]], [`b${i}`, [sizes[i]]]);
    if (this.useBatchnorm) for (let i = 1; i < L; i++) spec.push([`gamma${i}`, [sizes[i]]], [`beta${i}`, [sizes[i]]]);
    const bufferSpec: [string, number[]][] = [];
    if (this.useBatchnorm) for (let i = 1; i < L; i++) bufferSpec.push([`runningMean${i}`, [sizes[i]]], [`runningVar${i}`, [sizes[i]]]);
    const hasBuffers = this.useBatchnorm && L > 1;
    this.#memory = new NetMemory(where);
    const blocks = this.#memory.blocks(hasBuffers ? [spec, spec, bufferSpec] : [spec, spec], this.#dtype);
    this.#paramBlock = blocks[0];
    this.#gradBlock = blocks[1];
    this.#buffers = hasBuffers ? blocks[2] : null;
    this.#params = this.#paramBlock.tensors;
    const p = this.#params, g = this.#gradBlock.tensors;

    for (let i = 1; i <= L; i++) this.#rng.fillNormal(p[`W${i}`], scales[i - 1]); // the book's randn order
    if (this.useBatchnorm) for (let i = 1; i < L; i++) p[`gamma${i}`].data.fill(1);

    const layers: Record<string, Layer> = {};
    this.#affines = [];
    this.#dropouts = [];
    for (let i = 1; i <= L; i++) {
      const affine = new Affine(p[`W${i}`], p[`b${i}`], { dW: g[`W${i}`], db: g[`b${i}`] });
      this.#affines.push(affine);
      layers[`Affine${i}`] = affine;
      if (i === L) break;
      if (this.useBatchnorm) {
        const b = (this.#buffers as ParamBlock).tensors;
        layers[`BatchNorm${i}`] = new BatchNormalization(p[`gamma${i}`], p[`beta${i}`], {
          runningMean: b[`runningMean${i}`], runningVar: b[`runningVar${i}`], grads: { dgamma: g[`gamma${i}`], dbeta: g[`beta${i}`] },
        });
      }
      layers[`ActivationFunction${i}`] = this.activation === "relu" ? new Relu() : new Sigmoid();
      if (this.useDropout) {
        const d = new Dropout(this.dropoutRatio, { rng: this.#rng });
        this.#dropouts.push(d);
        layers[`Dropout${i}`] = d;
      }
    }
    this.#layers = Object.freeze(layers);
    this.#order = Object.values(layers);
    this.#memory.place([...this.#order, this.#lastLayer]);
  }

  get dtype(): DType { return this.#dtype; }
  get inputSize(): number { return this.#inputSize; }
  get hiddenSizeList(): readonly number[] { return this.#hiddenSizeList; }
  get outputSize(): number { return this.#outputSize; }
  get params(): Readonly<Record<string, Tensor>> { return this.#params; }
  /** Ordered as the forward pass: Affine1, [BatchNorm1], ActivationFunction1, [Dropout1], …, Affine(L+1). */
  get layers(): Readonly<Record<string, Layer>> { return this.#layers; }
  get lastLayer(): SoftmaxWithLoss { return this.#lastLayer; }
  get paramBlock(): ParamBlock { return this.#paramBlock; }
  get gradBlock(): ParamBlock { return this.#gradBlock; }
  /** BatchNorm running means/variances (runningMean1, runningVar1, …); null without BatchNorm. */
  get buffers(): ParamBlock | null { return this.#buffers; }
  /** The stream of the initial weights, then of every dropout mask. */
  get rng(): Rng { return this.#rng; }

  /** Scores before softmax [N×outputSize]; `trainFlg` switches BatchNorm/Dropout to training mode. Reused by the next call. */
  predict(x: TensorData, trainFlg = false): Tensor {
    let out = this.#memory.input(x, this.#dtype, `${this.#where}.predict`);
    for (const layer of this.#order) {
      out = layer instanceof BatchNormalization || layer instanceof Dropout ? layer.forward(out, trainFlg) : layer.forward(out);
    }
    return out;
  }

  /** Cross-entropy of the batch plus the weight decay 0.5·λ·Σ‖W‖². */
  loss(x: TensorData, t: Targets, trainFlg = false): number {
    const y = this.predict(x, trainFlg);
    return this.#lastLayer.forward(y, t) + this.weightDecay();
  }

  /** 0.5·λ·ΣW² over every W, summed layer by layer as the book does (0 when λ = 0). */
  weightDecay(): number {
    const lambda = this.#lambda;
    if (lambda === 0) return 0;
    this.#memory.arena.checkOpen(`${this.#where}.weightDecay`);
    const k = getCore().kernels(this.#dtype);
    let decay = 0;
    for (const a of this.#affines) decay += 0.5 * lambda * k.sumOfSquares(ptrOf(a.W), a.W.size);
    return decay;
  }

  /** Fraction of rows whose argmax matches t, in inference mode. */
  accuracy(x: TensorData, t: Targets): number {
    return accuracyOf(this.predict(x, false), t, `${this.#where}.accuracy`);
  }

  /**
   * Gradients by central differences of the training-mode loss, as the book (slow; for
   * checking `gradient`). Two differences from the book keep the check meaningful:
   * Dropout layers reuse the masks of the last training-mode forward (drawn now if there is
   * none for this batch size) instead of redrawing per probe, and BatchNorm's running
   * statistics are restored afterwards (thousands of probe forwards would otherwise drag them).
   */
  numericalGradient(x: TensorData, t: Targets): Record<string, Tensor> {
    const xt = this.#memory.input(x, this.#dtype, `${this.#where}.numericalGradient`); // converted once, not per probe
    const saved = this.#buffers?.all().clone() ?? null;
    const rows = xt.ndim === 1 ? 1 : xt.shape[0];
    if (this.#dropouts.some((d) => d.mask === null || d.mask.shape[0] !== rows)) this.predict(xt, true);
    const wasFrozen = this.#dropouts.map((d) => d.freezeMask);
    for (const d of this.#dropouts) d.freezeMask = true;
    try {
      const lossW = (): number => this.loss(xt, t, true);
      const grads: Record<string, Tensor> = {};
      for (const key of Object.keys(this.#params)) grads[key] = numericalGradient(lossW, this.#params[key]);
      return grads;
    } finally {
      this.#dropouts.forEach((d, i) => { d.freezeMask = wasFrozen[i]; });
      if (saved !== null) (this.#buffers as ParamBlock).all().data.set(saved.data);
    }
  }

  /**
   * Gradients by backpropagation of the training-mode loss (weight decay included: λ·W is
   * added to each dW). Views into the gradient block, overwritten by the next call.
   */
  gradient(x: TensorData, t: Targets): Readonly<Record<string, Tensor>> {
    this.loss(x, t, true);
    let dout = this.#lastLayer.backward(1);
    for (let i = this.#order.length - 1; i > 0; i--) dout = this.#order[i].backward(dout);
    this.#affines[0].backwardParams(dout); // nobody consumes dx of the input layer
    const lambda = this.#lambda;
    if (lambda !== 0) {
      const k = getCore().kernels(this.#dtype);
      for (const a of this.#affines) k.addScaled(ptrOf(a.dW), ptrOf(a.W), lambda, a.W.size);
    }
    return this.#gradBlock.tensors;
  }

  /** Everything a model file holds: the parameters, then the BatchNorm running statistics. */
  stateTensors(): Record<string, Tensor> {
    return this.#buffers === null ? { ...this.#params } : { ...this.#params, ...this.#buffers.tensors };
  }

  /** Free the net's wasm memory now; the net and its tensors throw on use afterwards. */
  dispose(): void {
    this.#memory.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  /** The book's load_params: W1, b1, …, gamma1, beta1, … (and BatchNorm running statistics) from its pickle, an .npz or a safetensors file (path in Node, or bytes); see docs/book-files.md. */
  loadParams(source: ParamsSource = "params.pkl", options?: LoadParamsOptions): Promise<void> {
    return loadNetParams(this, source, options);
  }

  /** The book's save_params: its pickle by default; .npz or .safetensors by extension or `format`. */
  saveParams(target = "params.pkl", options?: SaveParamsOptions): Promise<void> {
    return saveNetParams(this, target, options);
  }
}

/** What a model file stores about a multi-layer net's shape (see the registrations). */
export interface MultiLayerShapeConfig {
  inputSize: number;
  hiddenSizeList: number[];
  outputSize: number;
  useBatchnorm?: boolean;
}

/**
 * Every tensor a model file of this config holds, with its shape: W/b per layer, then
 * gamma/beta and the running statistics per hidden layer with BatchNorm. Lets loading compare
 * a file's config with its tensors before a net is allocated.
 */
export function multiLayerShapes(c: MultiLayerShapeConfig, where: string): Record<string, Shape> {
  if (!Array.isArray(c.hiddenSizeList)) fail(where, `config hiddenSizeList must be an array of positive integers, got ${describeValue(c.hiddenSizeList)}`);
  const sizes = [c.inputSize, ...c.hiddenSizeList, c.outputSize].map((n, i) => checkPositiveInt(n, `config size #${i}`, where));
  const shapes: Record<string, Shape> = {};
  for (let i = 1; i < sizes.length; i++) {
    shapes[`W${i}`] = [sizes[i - 1], sizes[i]];
    shapes[`b${i}`] = [sizes[i]];
  }
  if (c.useBatchnorm) {
    for (let i = 1; i < sizes.length - 1; i++) {
      shapes[`gamma${i}`] = [sizes[i]];
      shapes[`beta${i}`] = [sizes[i]];
      shapes[`runningMean${i}`] = [sizes[i]];
      shapes[`runningVar${i}`] = [sizes[i]];
    }
  }
  return shapes;
}
