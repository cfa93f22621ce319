// TwoLayerNet (§5.7.2): Affine1 → Relu1 → Affine2 → SoftmaxWithLoss, the book's class with the
// book's public shape. Parameters sit in one block, gradients in another (see ParamBlock), both
// in the net's arena with its layers' outputs: `dispose()` (or `using net = …`) frees them all.
import type { Tensor, TensorData } from "../tensor.js";
import { checkDType, type DType } from "../dtype.js";
import { checkPositiveInt, fail, formatShape } from "../shape.js";
import { show } from "../quote.js";
import { checkOptions, describeValue } from "../check.js";
import { Rng } from "../random.js";
import { Affine } from "../layers/affine.js";
import { Relu } from "../layers/relu.js";
import { Sigmoid } from "../layers/sigmoid.js";
import { SoftmaxWithLoss, setLoss } from "../layers/softmax-with-loss.js";
import type { Layer } from "../layers/layer.js";
import type { ParamBlock } from "../memory/param-block.js";
import { NetMemory } from "./net-memory.js";
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
  readonly #params: TwoLayerParams;
  readonly #layers: TwoLayerLayers;
  readonly #lastLayer = new SoftmaxWithLoss();
  readonly #dtype: DType;
  readonly #inputSize: number;
  readonly #hiddenSize: number;
  readonly #outputSize: number;
  readonly #activation: "relu" | "sigmoid";
  readonly #paramBlock: ParamBlock<ParamName>;
  readonly #gradBlock: ParamBlock<ParamName>;
  readonly #memory: NetMemory;
  /**
   * `gradient` runs as one wasm call (same bits as the layer-by-layer path, several times fewer
   * JS↔wasm crossings). Set false to step through the layer classes instead. The fused path
   * leaves the layers' cached forward values alone; only `lastLayer.loss` is updated.
   */
  fused = true;
  readonly #order: Layer[];
  #fusedStep: FusedTwoLayerStep | null = null;

  constructor(options: TwoLayerNetOptions);
  constructor(inputSize: number, hiddenSize: number, outputSize: number, weightInitStd?: number,
    options?: Pick<TwoLayerNetOptions, "dtype" | "seed" | "activation">);
  constructor(
    a: number | TwoLayerNetOptions, hiddenSize?: number, outputSize?: number, weightInitStd?: number,
    extra: Pick<TwoLayerNetOptions, "dtype" | "seed" | "activation"> = {},
  ) {
    const where = "TwoLayerNet";
    const o: TwoLayerNetOptions = typeof a === "object" && a !== null
      ? a
      : { inputSize: a, hiddenSize: hiddenSize as number, outputSize: outputSize as number, weightInitStd, ...checkOptions(extra, where) };
    this.#inputSize = checkPositiveInt(o.inputSize, "inputSize", where);
    this.#hiddenSize = checkPositiveInt(o.hiddenSize, "hiddenSize", where);
    this.#outputSize = checkPositiveInt(o.outputSize, "outputSize", where);
    const std = o.weightInitStd ?? 0.01;
    if (typeof std !== "number" || !Number.isFinite(std) || std < 0) fail(where, `weightInitStd must be a finite number ≥ 0, got ${describeValue(std)}`);
    this.#dtype = checkDType(o.dtype ?? "float32", where);
    this.#activation = o.activation ?? "relu";
    if (this.#activation !== "relu" && this.#activation !== "sigmoid") fail(where, `activation must be 'relu' or 'sigmoid', got ${typeof this.#activation === "string" ? (this.#activation as string).slice(0, 40) : describeValue(this.#activation)}`);
    const seed = o.seed ?? 0;
    const rng = new Rng(seed); // checks the seed before any memory is taken

    const spec = [
      ["W1", [this.#inputSize, this.#hiddenSize]],
      ["b1", [this.#hiddenSize]],
      ["W2", [this.#hiddenSize, this.#outputSize]],
      ["b2", [this.#outputSize]],
    ] as const;
    this.#memory = new NetMemory(where);
    [this.#paramBlock, this.#gradBlock] = this.#memory.blocks([spec, spec], this.#dtype) as ParamBlock<ParamName>[];
    this.#params = this.#paramBlock.tensors;
    rng.fillNormal(this.#params.W1, std); // W1 first, then W2: the book's order of randn calls
    rng.fillNormal(this.#params.W2, std);

    const g = this.#gradBlock.tensors;
    const affine1 = new Affine(this.#params.W1, this.#params.b1, { dW: g.W1, db: g.b1 });
    const affine2 = new Affine(this.#params.W2, this.#params.b2, { dW: g.W2, db: g.b2 });
    const layers: Record<string, Layer> = this.#activation === "relu"
      ? { Affine1: affine1, Relu1: new Relu(), Affine2: affine2 }
      : { Affine1: affine1, Sigmoid1: new Sigmoid(), Affine2: affine2 };
    this.#layers = Object.freeze(layers) as TwoLayerLayers;
    this.#order = Object.values(this.#layers);
    this.#memory.place([...this.#order, this.#lastLayer]);
  }

  /** The book's params dict: views into the parameter block (write into `.data` to load weights). */
  get params(): TwoLayerParams { return this.#params; }
  get layers(): TwoLayerLayers { return this.#layers; }
  get lastLayer(): SoftmaxWithLoss { return this.#lastLayer; }
  get dtype(): DType { return this.#dtype; }
  get inputSize(): number { return this.#inputSize; }
  get hiddenSize(): number { return this.#hiddenSize; }
  get outputSize(): number { return this.#outputSize; }
  get activation(): "relu" | "sigmoid" { return this.#activation; }
  /** Parameters and gradients as contiguous blocks (same layout). */
  get paramBlock(): ParamBlock<ParamName> { return this.#paramBlock; }
  get gradBlock(): ParamBlock<ParamName> { return this.#gradBlock; }

  /** Scores before softmax, [N×outputSize]. The tensor is reused by the next call: clone() to keep it. */
  predict(x: TensorData): Tensor {
    let out = this.#memory.input(x, this.#dtype, "TwoLayerNet.predict");
    for (const layer of this.#order) out = layer.forward(out);
    return out;
  }

  /** Mean cross-entropy of the batch. t: one-hot rows or class labels. */
  loss(x: TensorData, t: Targets): number {
    const y = this.predict(x);
    return this.#lastLayer.forward(y, t);
  }

  /** Fraction of rows whose argmax matches t (labels or one-hot). */
  accuracy(x: TensorData, t: Targets): number {
    return accuracyOf(this.predict(x), t, "TwoLayerNet.accuracy");
  }

  /** Gradients by central differences (slow; for checking `gradient`). Fresh tensors on the JS heap. */
  numericalGradient(x: TensorData, t: Targets): TwoLayerParams {
    const xt = this.#memory.input(x, this.#dtype, "TwoLayerNet.numericalGradient"); // converted once, not per probe
    const lossW = (): number => this.loss(xt, t);
    const p = this.#params;
    return {
      W1: numericalGradient(lossW, p.W1),
      b1: numericalGradient(lossW, p.b1),
      W2: numericalGradient(lossW, p.W2),
      b2: numericalGradient(lossW, p.b2),
    };
  }

  /**
   * Gradients by backpropagation. The returned tensors are views into the net's gradient
   * block and are overwritten by the next call.
   */
  gradient(x: TensorData, t: Targets): TwoLayerParams {
    if (this.fused) {
      const where = "TwoLayerNet.gradient";
      const xt = this.#memory.input(x, this.#dtype, where);
      const [N, D] = asMatrix(xt, where);
      if (D !== this.#inputSize) fail(where, `x has shape ${formatShape(xt.shape)} but W1 has shape ${formatShape(this.#params.W1.shape)}: each row of x needs ${this.#inputSize} values, got ${D}`);
      this.#fusedStep ??= new FusedTwoLayerStep(this.#dtype, this.#memory.arena);
      setLoss(this.#lastLayer, this.#fusedStep.run(this.#paramBlock, this.#gradBlock, xt, N, t, this.#activation === "sigmoid", where));
      return this.#gradBlock.tensors;
    }
    this.loss(x, t);
    let dout = this.#lastLayer.backward(1);
    for (let i = this.#order.length - 1; i > 0; i--) dout = this.#order[i].backward(dout);
    this.#layers.Affine1.backwardParams(dout); // nobody consumes dx of the input layer
    return this.#gradBlock.tensors;
  }

  /**
   * Free the net's wasm memory (parameters, gradients, layer outputs) now. Afterwards the net
   * and every tensor it handed out throw on use. `using net = new TwoLayerNet(…)` calls it at
   * the end of the block.
   */
  dispose(): void {
    this.#memory.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  /** The book's load_params: W1, b1, W2, b2 from its pickle, an .npz or a safetensors file (path in Node, or bytes); see docs/book-files.md. */
  loadParams(source: ParamsSource = "params.pkl", options?: LoadParamsOptions): Promise<void> {
    return loadNetParams(this, source, options);
  }

  /** The book's save_params: its pickle by default; .npz or .safetensors by extension or `format`. */
  saveParams(target = "params.pkl", options?: SaveParamsOptions): Promise<void> {
    return saveNetParams(this, target, options);
  }
}
