// SimpleConvNet (§7.5): conv → ReLU → 2×2 max-pool (stride 2) → Affine → ReLU → Affine →
// SoftmaxWithLoss, the book's ch07/simple_convnet.py with its public shape. Parameters W1..W3 /
// b1..b3 sit in one ParamBlock and their gradients in a second of the same layout, so one
// optimizer kernel updates them all (see ParamBlock). All of it lives in the net's arena:
// `dispose()` frees it. The methods are the shared layer stack's (layer-stack.ts).
import type { Tensor, TensorData } from "../tensor.js";
import { checkDType, type DType } from "../dtype.js";
import { checkPositiveInt, fail, formatShape } from "../shape.js";
import { checkOptions, describeValue } from "../check.js";
import { quote } from "../quote.js";
import { Rng } from "../random.js";
import { Convolution } from "../layers/convolution.js";
import { Pooling } from "../layers/pooling.js";
import { Affine } from "../layers/affine.js";
import { Relu } from "../layers/relu.js";
import type { SoftmaxWithLoss } from "../layers/softmax-with-loss.js";
import type { Layer } from "../layers/layer.js";
import type { ParamBlock } from "../memory/param-block.js";
import type { Targets } from "../targets.js";
import { registerModelArchitecture } from "../io/model-registry.js";
import { loadNetParams, saveNetParams, type LoadParamsOptions, type ParamsSource, type SaveParamsOptions } from "../io/net-params.js";
import { NetMemory } from "./net-memory.js";
import { LayerStack } from "./layer-stack.js";
import type { TrainableNet } from "./trainable-net.js";

export type ConvParamName = "W1" | "b1" | "W2" | "b2" | "W3" | "b3";
export type SimpleConvParams = Record<ConvParamName, Tensor>;

export interface ConvParam {
  filterNum: number;
  filterSize: number;
  pad: number;
  stride: number;
}

export interface SimpleConvNetOptions {
  /** [channels, height, width] of one input image. Default [1, 28, 28]. */
  inputDim?: readonly [number, number, number];
  /** Default { filterNum: 30, filterSize: 5, pad: 0, stride: 1 }. */
  convParam?: Partial<ConvParam>;
  /** Default 100. */
  hiddenSize?: number;
  /** Default 10. */
  outputSize?: number;
  /** Standard deviation of the initial weights (the book's weight_init_std). Default 0.01. */
  weightInitStd?: number;
  /** 'float32' (default, fast) or 'float64' (gradient checks). */
  dtype?: DType;
  /** Seed of the weight initialisation. Default 0. */
  seed?: number;
}

export interface SimpleConvLayers extends Record<string, Layer> {
  Conv1: Convolution;
  Relu1: Relu;
  Pool1: Pooling;
  Affine1: Affine;
  Relu2: Relu;
  Affine2: Affine;
}

const PARAM_ORDER: readonly ConvParamName[] = ["W1", "b1", "W2", "b2", "W3", "b3"];

/**
 * The parameter shapes of a SimpleConvNet (the book's constructor arithmetic, after the size
 * checks of the constructor): W2's rows are filterNum · (convOut/2)², the pooled features.
 */
export function simpleConvParamShapes(
  inputDim: readonly [number, number, number], cp: ConvParam, hiddenSize: number, outputSize: number,
): Record<ConvParamName, number[]> {
  const [C, H] = inputDim;
  const convOut = (H - cp.filterSize + 2 * cp.pad) / cp.stride + 1;
  const poolOutputSize = cp.filterNum * (convOut / 2) * (convOut / 2);
  return {
    W1: [cp.filterNum, C, cp.filterSize, cp.filterSize], b1: [cp.filterNum],
    W2: [poolOutputSize, hiddenSize], b2: [hiddenSize],
    W3: [hiddenSize, outputSize], b3: [outputSize],
  };
}

/** Rows per forward pass in predict: bounds the im2col buffers (the book's accuracy uses 100 too). */
const PREDICT_CHUNK = 100;

export class SimpleConvNet implements TrainableNet {
  readonly #stack: LayerStack<ConvParamName, SimpleConvLayers>;
  readonly #inputDim: readonly [number, number, number];
  readonly #convParam: Readonly<ConvParam>;
  readonly #hiddenSize: number;
  readonly #outputSize: number;

  constructor(options: SimpleConvNetOptions = {}) {
    const where = "SimpleConvNet";
    const o = checkOptions(options, where);
    const inputDim = o.inputDim ?? [1, 28, 28];
    if (!Array.isArray(inputDim) || inputDim.length !== 3) fail(where, `inputDim must be [channels, height, width], got ${describeValue(inputDim)}`);
    inputDim.forEach((d, i) => checkPositiveInt(d, `inputDim[${i}]`, where));
    const cp = { filterNum: 30, filterSize: 5, pad: 0, stride: 1, ...checkOptions(o.convParam, where, "convParam") };
    checkPositiveInt(cp.filterNum, "convParam.filterNum", where);
    checkPositiveInt(cp.filterSize, "convParam.filterSize", where);
    checkPositiveInt(cp.stride, "convParam.stride", where);
    if (typeof cp.pad !== "number" || !Number.isInteger(cp.pad) || cp.pad < 0) fail(where, `convParam.pad must be an integer ≥ 0, got ${describeValue(cp.pad)}`);
    this.#hiddenSize = checkPositiveInt(o.hiddenSize ?? 100, "hiddenSize", where);
    this.#outputSize = checkPositiveInt(o.outputSize ?? 10, "outputSize", where);
    const std = o.weightInitStd ?? 0.01;
    if (typeof std !== "number" || !Number.isFinite(std) || std < 0) fail(where, `weightInitStd must be a finite number ≥ 0, got ${describeValue(std)}`);
    const dtype = checkDType(o.dtype ?? "float32", where);
    this.#inputDim = Object.freeze([...inputDim] as [number, number, number]);
    this.#convParam = Object.freeze(cp);

    // conv_output_size = (input_size - filter_size + 2*filter_pad) / filter_stride + 1, then a
    // 2×2 stride-2 pool halves it. The book truncates both with int(); we refuse instead.
    const [, H, W] = inputDim;
    const span = H - cp.filterSize + 2 * cp.pad;
    const convOut = span / cp.stride + 1;
    if (H !== W) fail(where, `inputDim ${formatShape(inputDim)}: the book's SimpleConvNet assumes square images (height ${H} ≠ width ${W})`);
    if (span < 0 || !Number.isInteger(convOut)) {
      fail(where, `conv output size (${H} − ${cp.filterSize} + 2·${cp.pad}) / ${cp.stride} + 1 = ${convOut} is not a positive integer for inputDim ${formatShape(inputDim)}`);
    }
    if (convOut % 2 !== 0) fail(where, `conv output ${convOut}×${convOut} is odd; the 2×2 stride-2 pooling needs an even size (inputDim ${formatShape(inputDim)}, filterSize ${cp.filterSize}, pad ${cp.pad}, stride ${cp.stride})`);
    const shapes = simpleConvParamShapes(this.#inputDim, cp, this.#hiddenSize, this.#outputSize);
    const spec = PARAM_ORDER.map((name) => [name, shapes[name]] as const);
    const rng = new Rng(o.seed ?? 0); // checks the seed before any memory is taken
    const memory = new NetMemory(where);
    const [paramBlock, gradBlock] = memory.blocks([spec, spec], dtype) as ParamBlock<ConvParamName>[];
    const p = paramBlock.tensors, g = gradBlock.tensors;
    rng.fillNormal(p.W1, std); // the book's order of randn calls: W1, W2, W3
    rng.fillNormal(p.W2, std);
    rng.fillNormal(p.W3, std);

    const layers = Object.freeze({
      Conv1: new Convolution(p.W1, p.b1, cp.stride, cp.pad, { dW: g.W1, db: g.b1 }),
      Relu1: new Relu(),
      Pool1: new Pooling(2, 2, 2),
      Affine1: new Affine(p.W2, p.b2, { dW: g.W2, db: g.b2 }),
      Relu2: new Relu(),
      Affine2: new Affine(p.W3, p.b3, { dW: g.W3, db: g.b3 }),
    });
    this.#stack = new LayerStack(memory, { paramBlock, gradBlock, layers, imageDim: this.#inputDim, predictChunk: PREDICT_CHUNK });
  }

  get params(): SimpleConvParams { return this.#stack.params; }
  get layers(): SimpleConvLayers { return this.#stack.layers; }
  get lastLayer(): SoftmaxWithLoss { return this.#stack.lastLayer; }
  get dtype(): DType { return this.#stack.dtype; }
  get inputDim(): readonly [number, number, number] { return this.#inputDim; }
  get convParam(): Readonly<ConvParam> { return this.#convParam; }
  get hiddenSize(): number { return this.#hiddenSize; }
  get outputSize(): number { return this.#outputSize; }
  get paramBlock(): ParamBlock<ConvParamName> { return this.#stack.paramBlock; }
  get gradBlock(): ParamBlock<ConvParamName> { return this.#stack.gradBlock; }

  /**
   * Scores before softmax, [N × outputSize], for x [N, C, H, W] or flat rows [N, C·H·W].
   * Large batches run through the layers 100 rows at a time so the im2col buffers stay small.
   * The tensor is reused by the next call: clone() to keep it. (`trainFlg` is accepted for the
   * trainer's interface; this net behaves the same in both modes.)
   */
  predict(x: TensorData, trainFlg = false): Tensor {
    return this.#stack.predict(x, trainFlg);
  }

  /** Mean cross-entropy of the batch. t: one-hot rows or class labels. */
  loss(x: TensorData, t: Targets): number {
    return this.#stack.loss(x, t);
  }

  /** Fraction of rows whose argmax matches t (the book evaluates 100 rows at a time; so does predict). */
  accuracy(x: TensorData, t: Targets): number {
    return this.#stack.accuracy(x, t);
  }

  /** Gradients by central differences (slow; for checking `gradient`). Fresh tensors. */
  numericalGradient(x: TensorData, t: Targets): SimpleConvParams {
    return this.#stack.numericalGradient(x, t);
  }

  /**
   * Gradients by backpropagation (the whole batch in one pass). The returned tensors are views
   * into the net's gradient block and are overwritten by the next call.
   */
  gradient(x: TensorData, t: Targets): SimpleConvParams {
    return this.#stack.gradient(x, t);
  }

  /** Free the net's wasm memory now; the net and its tensors throw on use afterwards. */
  dispose(): void {
    this.#stack.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  /** The book's load_params: W1…W3, b1…b3 from its pickle, an .npz or a safetensors file (path in Node, or bytes); see docs/book-files.md. */
  loadParams(source: ParamsSource = "params.pkl", options?: LoadParamsOptions): Promise<void> {
    return loadNetParams(this, source, options);
  }

  /** The book's save_params: its pickle by default; .npz or .safetensors by extension or `format`. */
  saveParams(target = "params.pkl", options?: SaveParamsOptions): Promise<void> {
    return saveNetParams(this, target, options);
  }
}

interface SimpleConvNetConfig {
  inputDim: [number, number, number];
  convParam: ConvParam;
  hiddenSize: number;
  outputSize: number;
}

registerModelArchitecture<SimpleConvNet, SimpleConvNetConfig>("SimpleConvNet", {
  netClass: SimpleConvNet,
  config: (net) => ({ inputDim: [...net.inputDim], convParam: { ...net.convParam }, hiddenSize: net.hiddenSize, outputSize: net.outputSize }),
  configKeys: ["inputDim", "convParam.filterNum", "convParam.filterSize", "convParam.pad", "convParam.stride", "hiddenSize", "outputSize"],
  shapes: (c) => {
    // the keys are there (configKeys); their types are checked here, before any arithmetic
    const where = "SimpleConvNet model";
    if (!Array.isArray(c.inputDim) || c.inputDim.length !== 3) fail(where, `config inputDim must be [channels, height, width], got ${quote(c.inputDim)}`);
    c.inputDim.forEach((d, i) => checkPositiveInt(d, `config inputDim[${i}]`, where));
    for (const key of ["filterNum", "filterSize", "stride"] as const) checkPositiveInt(c.convParam[key], `config convParam.${key}`, where);
    if (!Number.isInteger(c.convParam.pad) || c.convParam.pad < 0) fail(where, `config convParam.pad must be an integer ≥ 0, got ${quote(c.convParam.pad)}`);
    checkPositiveInt(c.hiddenSize, "config hiddenSize", where);
    checkPositiveInt(c.outputSize, "config outputSize", where);
    return simpleConvParamShapes(c.inputDim, c.convParam, c.hiddenSize, c.outputSize);
  },
  // weightInitStd 0: the initial draw is overwritten by the file anyway.
  create: (c, dtype) => new SimpleConvNet({ ...c, dtype, weightInitStd: 0 }),
});
