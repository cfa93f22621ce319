// TwoLayerNet (§5.7.2): Affine1 → Relu1 → Affine2 → SoftmaxWithLoss, the book's class with the
// book's public shape. Parameters sit in one block, gradients in another (see ParamBlock), both
// in the net's arena with its layers' outputs: `dispose()` (or `using net = …`) frees them all.
// The methods are the shared layer stack's (layer-stack.ts); `gradient` takes the fused step
// (two-layer-fused.ts), which gives the same bits as walking `layers`.
import type { Tensor, TensorData } from "../tensor.js";
import { checkDType, type DType } from "../dtype.js";
import { checkPositiveInt, fail } from "../shape.js";
import { checkOptions, describeValue } from "../check.js";
import { Rng } from "../random.js";
import { Affine } from "../layers/affine.js";
import { Relu } from "../layers/relu.js";
import { Sigmoid } from "../layers/sigmoid.js";
import type { SoftmaxWithLoss } from "../layers/softmax-with-loss.js";
import type { Layer } from "../layers/layer.js";
import type { ParamBlock } from "../memory/param-block.js";
import type { Targets } from "../targets.js";
import { registerModelArchitecture } from "../io/model-registry.js";
import { loadNetParams, saveNetParams, type LoadParamsOptions, type ParamsSource, type SaveParamsOptions } from "../io/net-params.js";
import { NetMemory } from "./net-memory.js";
import { LayerStack } from "./layer-stack.js";
import { FusedTwoLayerStep } from "./two-layer-fused.js";
import type { TrainableNet } from "./trainable-net.js";
import { gradientOfPendingRows, type PendingRows } from "./pending-rows.js";

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

export class TwoLayerNet implements TrainableNet {
  readonly #stack: LayerStack<ParamName, TwoLayerLayers>;
  readonly #inputSize: number;
  readonly #hiddenSize: number;
  readonly #outputSize: number;
  readonly #activation: "relu" | "sigmoid";

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
    const dtype = checkDType(o.dtype ?? "float32", where);
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
    const memory = new NetMemory(where);
    const [paramBlock, gradBlock] = memory.blocks([spec, spec], dtype) as ParamBlock<ParamName>[];
    const p = paramBlock.tensors, g = gradBlock.tensors;
    rng.fillNormal(p.W1, std); // W1 first, then W2: the book's order of randn calls
    rng.fillNormal(p.W2, std);

    const affine1 = new Affine(p.W1, p.b1, { dW: g.W1, db: g.b1 });
    const affine2 = new Affine(p.W2, p.b2, { dW: g.W2, db: g.b2 });
    const layers: Record<string, Layer> = this.#activation === "relu"
      ? { Affine1: affine1, Relu1: new Relu(), Affine2: affine2 }
      : { Affine1: affine1, Sigmoid1: new Sigmoid(), Affine2: affine2 };
    this.#stack = new LayerStack(memory, {
      paramBlock, gradBlock, layers: Object.freeze(layers) as TwoLayerLayers,
      fastGradient: new FusedTwoLayerStep(paramBlock, gradBlock, this.#activation === "sigmoid", memory.arena),
    });
  }

  /** The book's params dict: views into the parameter block (write into `.data` to load weights). */
  get params(): TwoLayerParams { return this.#stack.params; }
  get layers(): TwoLayerLayers { return this.#stack.layers; }
  get lastLayer(): SoftmaxWithLoss { return this.#stack.lastLayer; }
  get dtype(): DType { return this.#stack.dtype; }
  get inputSize(): number { return this.#inputSize; }
  get hiddenSize(): number { return this.#hiddenSize; }
  get outputSize(): number { return this.#outputSize; }
  get activation(): "relu" | "sigmoid" { return this.#activation; }
  /** Parameters and gradients as contiguous blocks (same layout). */
  get paramBlock(): ParamBlock<ParamName> { return this.#stack.paramBlock; }
  get gradBlock(): ParamBlock<ParamName> { return this.#stack.gradBlock; }

  /**
   * `gradient` runs as one wasm call (same bits as walking `layers`, several times fewer
   * JS↔wasm crossings). Set false to step through the layer classes instead. The fused path
   * leaves the layers' cached forward values alone; only `lastLayer.loss` is updated.
   */
  get fused(): boolean { return this.#stack.useFastGradient; }
  set fused(on: boolean) { this.#stack.useFastGradient = on; }

  /** Scores before softmax, [N×outputSize]. The tensor is reused by the next call: clone() to keep it. */
  predict(x: TensorData): Tensor {
    return this.#stack.predict(x);
  }

  /** Mean cross-entropy of the batch. t: one-hot rows or class labels. */
  loss(x: TensorData, t: Targets): number {
    return this.#stack.loss(x, t);
  }

  /** Fraction of rows whose argmax matches t (labels or one-hot). */
  accuracy(x: TensorData, t: Targets): number {
    return this.#stack.accuracy(x, t);
  }

  /** Gradients by central differences (slow; for checking `gradient`). Fresh tensors on the JS heap. */
  numericalGradient(x: TensorData, t: Targets): TwoLayerParams {
    return this.#stack.numericalGradient(x, t);
  }

  /**
   * Gradients by backpropagation. The returned tensors are views into the net's gradient
   * block and are overwritten by the next call.
   */
  gradient(x: TensorData, t: Targets): TwoLayerParams {
    return this.#stack.gradient(x, t);
  }

  /** gradient(rows.x, t) for a drawn batch whose rows the fused step gathers itself (trainNet; pending-rows.ts). */
  [gradientOfPendingRows](rows: PendingRows, t: Targets): TwoLayerParams {
    return this.#stack.gradient(rows.x, t, rows);
  }

  /**
   * Free the net's wasm memory (parameters, gradients, layer outputs) now. Afterwards the net
   * and every tensor it handed out throw on use. `using net = new TwoLayerNet(…)` calls it at
   * the end of the block.
   */
  dispose(): void {
    this.#stack.dispose();
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

interface TwoLayerNetConfig {
  inputSize: number;
  hiddenSize: number;
  outputSize: number;
  activation: "relu" | "sigmoid";
}

registerModelArchitecture<TwoLayerNet, TwoLayerNetConfig>("TwoLayerNet", {
  netClass: TwoLayerNet,
  configKeys: ["inputSize", "hiddenSize", "outputSize"],
  shapes: (c) => ({ W1: [c.inputSize, c.hiddenSize], b1: [c.hiddenSize], W2: [c.hiddenSize, c.outputSize], b2: [c.outputSize] }),
  config: (net) => ({ inputSize: net.inputSize, hiddenSize: net.hiddenSize, outputSize: net.outputSize, activation: net.activation }),
  // weightInitStd 0: the initial draw is overwritten by the file anyway.
  create: (c, dtype) => new TwoLayerNet({ inputSize: c.inputSize, hiddenSize: c.hiddenSize, outputSize: c.outputSize, activation: c.activation, dtype, weightInitStd: 0 }),
});
