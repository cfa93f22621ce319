// TwoLayerNet (§5.7.2): Affine1 → Relu1 → Affine2 → SoftmaxWithLoss, the book's class with the
// book's public shape. Parameters sit in one block, gradients in another (see ParamBlock).
import { Tensor, asTensor, assertFinite, type TensorData } from "../tensor.js";
import { checkDType, type DType } from "../dtype.js";
import { checkPositiveInt, fail, formatShape } from "../shape.js";
import { show } from "../quote.js";
import { Rng } from "../random.js";
import { Affine } from "../layers/affine.js";
import { Relu } from "../layers/relu.js";
import { Sigmoid } from "../layers/sigmoid.js";
import { SoftmaxWithLoss } from "../layers/softmax-with-loss.js";
import type { Layer } from "../layers/layer.js";
import { ParamBlock } from "./param-block.js";
import { FusedTwoLayerStep } from "./two-layer-fused.js";
import { asMatrix } from "../layers/matrix.js";
import { numericalGradient } from "../gradient.js";
import { accuracyOf } from "../functions.js";
import type { Targets } from "../targets.js";
import { loadNetParams, saveNetParams, type LoadParamsOptions, type ParamsSource, type SaveParamsOptions } from "../io/net-params.js";

export type ParamName = "W1" | "b1" | "W2" | "b2";
export type TwoLayerParams = Record<ParamName, Tensor>;

export interface TwoLayerNetOptions {
  inputSize: number;
  hiddenSize: number;
  outputSize: number;
  /** Standard deviation of the initial weights (the book's weight_init_std). Default 0.01. */
  weightInitStd?: number;
  /** 'float32' (default, fast) or 'float64' (gradient checks). */
  dtype?: DType;
  /** Seed of the weight initialisation. Default 0: one seed, one net, everywhere. */
  seed?: number;
  /** Hidden activation: 'relu' (the book's chapter 5 net, default) or 'sigmoid' (chapter 4). */
  activation?: "relu" | "sigmoid";
}

export type TwoLayerLayers = { Affine1: Affine; Affine2: Affine } & Record<string, Layer>;

export class TwoLayerNet {
  readonly params: TwoLayerParams;
  readonly layers: TwoLayerLayers;
  readonly lastLayer = new SoftmaxWithLoss();
  readonly dtype: DType;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly outputSize: number;
  readonly activation: "relu" | "sigmoid";
  /** Parameters and gradients as contiguous blocks (same layout). */
  readonly paramBlock: ParamBlock<ParamName>;
  readonly gradBlock: ParamBlock<ParamName>;
  /**
   * `gradient` runs as one wasm call (same bits as the layer-by-layer path, several times fewer
   * JS↔wasm crossings). Set false to step through the layer classes instead. The fused path
   * leaves the layers' cached forward values alone; only `lastLayer.loss` is updated.
   */
  fused = true;
  private readonly order: Layer[];
  private fusedStep: FusedTwoLayerStep | null = null;

  constructor(options: TwoLayerNetOptions);
  constructor(inputSize: number, hiddenSize: number, outputSize: number, weightInitStd?: number,
    options?: Pick<TwoLayerNetOptions, "dtype" | "seed" | "activation">);
  constructor(
    a: number | TwoLayerNetOptions, hiddenSize?: number, outputSize?: number, weightInitStd?: number,
    extra: Pick<TwoLayerNetOptions, "dtype" | "seed" | "activation"> = {},
  ) {
    const o: TwoLayerNetOptions = typeof a === "object" && a !== null
      ? a
      : { inputSize: a, hiddenSize: hiddenSize as number, outputSize: outputSize as number, weightInitStd, ...extra };
    const where = "TwoLayerNet";
    this.inputSize = checkPositiveInt(o.inputSize, "inputSize", where);
    this.hiddenSize = checkPositiveInt(o.hiddenSize, "hiddenSize", where);
    this.outputSize = checkPositiveInt(o.outputSize, "outputSize", where);
    const std = o.weightInitStd ?? 0.01;
    if (typeof std !== "number" || !Number.isFinite(std) || std < 0) fail(where, `weightInitStd must be a finite number ≥ 0, got ${show(std)}`);
    this.dtype = checkDType(o.dtype ?? "float32", where);
    this.activation = o.activation ?? "relu";
    if (this.activation !== "relu" && this.activation !== "sigmoid") fail(where, `activation must be 'relu' or 'sigmoid', got ${show(this.activation)}`);

    const spec = [
      ["W1", [this.inputSize, this.hiddenSize]],
      ["b1", [this.hiddenSize]],
      ["W2", [this.hiddenSize, this.outputSize]],
      ["b2", [this.outputSize]],
    ] as const;
    this.paramBlock = new ParamBlock<ParamName>(spec, this.dtype);
    this.gradBlock = new ParamBlock<ParamName>(spec, this.dtype);
    this.params = this.paramBlock.tensors;
    const rng = new Rng(o.seed ?? 0);
    rng.fillNormal(this.params.W1, std); // W1 first, then W2: the book's order of randn calls
    rng.fillNormal(this.params.W2, std);

    const g = this.gradBlock.tensors;
    const affine1 = new Affine(this.params.W1, this.params.b1, { dW: g.W1, db: g.b1 });
    const affine2 = new Affine(this.params.W2, this.params.b2, { dW: g.W2, db: g.b2 });
    this.layers = (this.activation === "relu"
      ? { Affine1: affine1, Relu1: new Relu(), Affine2: affine2 }
      : { Affine1: affine1, Sigmoid1: new Sigmoid(), Affine2: affine2 }) as TwoLayerLayers;
    this.order = Object.values(this.layers);
  }

  /** Scores before softmax, [N×outputSize]. The tensor is reused by the next call: clone() to keep it. */
  predict(x: TensorData): Tensor {
    let out = this.input(x, "TwoLayerNet.predict");
    for (const layer of this.order) out = layer.forward(out);
    return out;
  }

  /** Mean cross-entropy of the batch. t: one-hot rows or class labels. */
  loss(x: TensorData, t: Targets): number {
    const y = this.predict(x);
    return this.lastLayer.forward(y, t);
  }

  /** Fraction of rows whose argmax matches t (labels or one-hot). */
  accuracy(x: TensorData, t: Targets): number {
    return accuracyOf(this.predict(x), t, "TwoLayerNet.accuracy");
  }

  /** Gradients by central differences (slow; for checking `gradient`). Fresh tensors. */
  numericalGradient(x: TensorData, t: Targets): TwoLayerParams {
    const xt = this.input(x, "TwoLayerNet.numericalGradient"); // convert once, not per probe
    const lossW = (): number => this.loss(xt, t);
    return {
      W1: numericalGradient(lossW, this.params.W1),
      b1: numericalGradient(lossW, this.params.b1),
      W2: numericalGradient(lossW, this.params.W2),
      b2: numericalGradient(lossW, this.params.b2),
    };
  }

  /**
   * Gradients by backpropagation. The returned tensors are views into the net's gradient
   * block and are overwritten by the next call.
   */
  gradient(x: TensorData, t: Targets): TwoLayerParams {
    if (this.fused) {
      const where = "TwoLayerNet.gradient";
      const xt = this.input(x, where);
      const [N, D] = asMatrix(xt, where);
      if (D !== this.inputSize) fail(where, `x has shape ${formatShape(xt.shape)} but W1 has shape ${formatShape(this.params.W1.shape)}: each row of x needs ${this.inputSize} values, got ${D}`);
      this.fusedStep ??= new FusedTwoLayerStep(this.dtype);
      this.lastLayer.loss = this.fusedStep.run(this.paramBlock, this.gradBlock, xt, N, t, this.activation === "sigmoid", where);
      return this.gradBlock.tensors;
    }
    this.loss(x, t);
    let dout = this.lastLayer.backward(1);
    for (let i = this.order.length - 1; i > 0; i--) dout = this.order[i].backward(dout);
    this.layers.Affine1.backwardParams(dout); // nobody consumes dx of the input layer
    return this.gradBlock.tensors;
  }

  /** The book's load_params: W1, b1, W2, b2 from its pickle, an .npz or a safetensors file (path in Node, or bytes); see docs/book-files.md. */
  loadParams(source: ParamsSource = "params.pkl", options?: LoadParamsOptions): Promise<void> {
    return loadNetParams(this, source, options);
  }

  /** The book's save_params: its pickle by default; .npz or .safetensors by extension or `format`. */
  saveParams(target = "params.pkl", options?: SaveParamsOptions): Promise<void> {
    return saveNetParams(this, target, options);
  }

  private input(x: TensorData, where: string): Tensor {
    const t = asTensor(x, this.dtype);
    if (t.dtype !== this.dtype) fail(where, `x is ${t.dtype} but the net is ${this.dtype}; convert with x.clone('${this.dtype}')`);
    assertFinite(t, where, "x");
    return t;
  }
}
