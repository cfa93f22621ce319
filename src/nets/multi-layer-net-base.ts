// The body shared by MultiLayerNet and MultiLayerNetExtend (the book's
// common/multi_layer_net.py and multi_layer_net_extend.py): a stack of
// Affine → [BatchNorm] → activation → [Dropout] blocks, a last Affine and SoftmaxWithLoss,
// with L2 weight decay. Trainable parameters (W, b, gamma, beta) sit in one ParamBlock and
// their gradients in a second of the same layout; BatchNorm's running mean/var are not
// trained, so they live in a third block (`buffers`) that is saved with the model but never
// touched by an optimizer. All of it lives in the net's arena: `dispose()` frees it. The
// methods are the shared layer stack's (layer-stack.ts), weight decay included.
import type { Tensor, TensorData } from "../tensor.js";
import { checkDType, type DType } from "../dtype.js";
import { checkPositiveInt, fail, type Shape } from "../shape.js";
import { describeValue } from "../check.js";
import { Rng } from "../random.js";
import { Affine } from "../layers/affine.js";
import { Relu } from "../layers/relu.js";
import { Sigmoid } from "../layers/sigmoid.js";
import { BatchNormalization } from "../layers/batch-normalization.js";
import { Dropout } from "../layers/dropout.js";
import type { SoftmaxWithLoss } from "../layers/softmax-with-loss.js";
import type { Layer } from "../layers/layer.js";
import type { ParamBlock } from "../memory/param-block.js";
import { weightInitScale, type WeightInitStd } from "./weight-init.js";
import type { Targets } from "../targets.js";
import { loadNetParams, saveNetParams, type LoadParamsOptions, type ParamsSource, type SaveParamsOptions } from "../io/net-params.js";
import { NetMemory } from "./net-memory.js";
import { LayerStack } from "./layer-stack.js";
import type { TrainableNet } from "./trainable-net.js";

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

export abstract class MultiLayerNetBase implements TrainableNet {
  readonly #stack: LayerStack<string, Readonly<Record<string, Layer>>>;
  readonly #rng: Rng;
  readonly #inputSize: number;
  readonly #hiddenSizeList: readonly number[];
  readonly #outputSize: number;
  readonly hiddenLayerNum: number;
  readonly activation: Activation;
  readonly weightInitStd: WeightInitStd;
  // descriptive: the stack keeps the λ the kernels use (reassigning this changes nothing)
  readonly weightDecayLambda: number;
  readonly useDropout: boolean;
  readonly dropoutRatio: number;
  readonly useBatchnorm: boolean;
  readonly seed: number;

  protected constructor(o: MultiLayerNetExtendOptions, where: string) {
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
    this.useDropout = o.useDropout ?? false;
    this.dropoutRatio = o.dropoutRatio ?? 0.5;
    this.useBatchnorm = o.useBatchnorm ?? false;
    if (typeof this.useDropout !== "boolean") fail(where, `useDropout must be true or false, got ${describeValue(this.useDropout)}`);
    if (typeof this.useBatchnorm !== "boolean") fail(where, `useBatchnorm must be true or false, got ${describeValue(this.useBatchnorm)}`);
    const dtype = checkDType(o.dtype ?? "float32", where);
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
    const memory = new NetMemory(where);
    const [paramBlock, gradBlock, buffers = null] = memory.blocks(hasBuffers ? [spec, spec, bufferSpec] : [spec, spec], dtype);
    const p = paramBlock.tensors, g = gradBlock.tensors;

    for (let i = 1; i <= L; i++) this.#rng.fillNormal(p[`W${i}`], scales[i - 1]); // the book's randn order
    if (this.useBatchnorm) for (let i = 1; i < L; i++) p[`gamma${i}`].data.fill(1);

    const layers: Record<string, Layer> = {};
    const affines: Affine[] = [];
    for (let i = 1; i <= L; i++) {
      const affine = new Affine(p[`W${i}`], p[`b${i}`], { dW: g[`W${i}`], db: g[`b${i}`] });
      affines.push(affine);
      layers[`Affine${i}`] = affine;
      if (i === L) break;
      if (this.useBatchnorm) {
        const b = (buffers as ParamBlock).tensors;
        layers[`BatchNorm${i}`] = new BatchNormalization(p[`gamma${i}`], p[`beta${i}`], {
          runningMean: b[`runningMean${i}`], runningVar: b[`runningVar${i}`], grads: { dgamma: g[`gamma${i}`], dbeta: g[`beta${i}`] },
        });
      }
      layers[`ActivationFunction${i}`] = this.activation === "relu" ? new Relu() : new Sigmoid();
      if (this.useDropout) layers[`Dropout${i}`] = new Dropout(this.dropoutRatio, { rng: this.#rng });
    }
    this.#stack = new LayerStack(memory, {
      paramBlock, gradBlock, buffers, layers: Object.freeze(layers),
      weightDecay: { lambda: this.weightDecayLambda, layers: affines },
    });
  }

  get dtype(): DType { return this.#stack.dtype; }
  get inputSize(): number { return this.#inputSize; }
  get hiddenSizeList(): readonly number[] { return this.#hiddenSizeList; }
  get outputSize(): number { return this.#outputSize; }
  get params(): Readonly<Record<string, Tensor>> { return this.#stack.params; }
  /** Ordered as the forward pass: Affine1, [BatchNorm1], ActivationFunction1, [Dropout1], …, Affine(L+1). */
  get layers(): Readonly<Record<string, Layer>> { return this.#stack.layers; }
  get lastLayer(): SoftmaxWithLoss { return this.#stack.lastLayer; }
  get paramBlock(): ParamBlock { return this.#stack.paramBlock; }
  get gradBlock(): ParamBlock { return this.#stack.gradBlock; }
  /** BatchNorm running means/variances (runningMean1, runningVar1, …); null without BatchNorm. */
  get buffers(): ParamBlock | null { return this.#stack.buffers; }
  /** The stream of the initial weights, then of every dropout mask. */
  get rng(): Rng { return this.#rng; }

  /** Scores before softmax [N×outputSize]; `trainFlg` switches BatchNorm/Dropout to training mode. Reused by the next call. */
  predict(x: TensorData, trainFlg = false): Tensor {
    return this.#stack.predict(x, trainFlg);
  }

  /** Cross-entropy of the batch plus the weight decay 0.5·λ·Σ‖W‖². */
  loss(x: TensorData, t: Targets, trainFlg = false): number {
    return this.#stack.loss(x, t, trainFlg);
  }

  /** 0.5·λ·ΣW² over every W, summed layer by layer as the book does (0 when λ = 0). */
  weightDecay(): number {
    return this.#stack.weightDecay();
  }

  /** Fraction of rows whose argmax matches t, in inference mode. */
  accuracy(x: TensorData, t: Targets): number {
    return this.#stack.accuracy(x, t);
  }

  /**
   * Gradients by central differences of the training-mode loss, as the book (slow; for
   * checking `gradient`). Dropout masks are held fixed and BatchNorm's running statistics
   * restored afterwards (see LayerStack.numericalGradient).
   */
  numericalGradient(x: TensorData, t: Targets): Record<string, Tensor> {
    return this.#stack.numericalGradient(x, t, true);
  }

  /**
   * Gradients by backpropagation of the training-mode loss (weight decay included: λ·W is
   * added to each dW). Views into the gradient block, overwritten by the next call.
   */
  gradient(x: TensorData, t: Targets): Readonly<Record<string, Tensor>> {
    return this.#stack.gradient(x, t);
  }

  /** Everything a model file holds: the parameters, then the BatchNorm running statistics. */
  stateTensors(): Record<string, Tensor> {
    const buffers = this.#stack.buffers;
    return buffers === null ? { ...this.params } : { ...this.params, ...buffers.tensors };
  }

  /** Free the net's wasm memory now; the net and its tensors throw on use afterwards. */
  dispose(): void {
    this.#stack.dispose();
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
