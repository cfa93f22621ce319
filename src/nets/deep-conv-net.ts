// DeepConvNet (§8.1, the book's ch08/deep_convnet.py): three blocks of
// conv → ReLU → conv → ReLU → 2×2 max-pool, then Affine → ReLU → Dropout → Affine → Dropout →
// SoftmaxWithLoss. 3×3 filters, 16-16-32-32-64-64 of them, pads 1-1-1-2-1-1, He initial weights.
// Built like SimpleConvNet: W1..W8 / b1..b8 in one ParamBlock, their gradients in a second of the
// same layout, every layer writing into its own reusable workspace — all in the net's arena:
// `dispose()` (or `using net = …`) frees it. The methods are the shared layer stack's
// (layer-stack.ts); the geometry (conv sizes, parameter shapes) is in deep-conv-geometry.ts.
import type { Tensor, TensorData } from "../tensor.js";
import { checkDType, type DType } from "../dtype.js";
import { checkPositiveInt, fail } from "../shape.js";
import { quote } from "../quote.js";
import { Rng } from "../random.js";
import { Convolution } from "../layers/convolution.js";
import { Pooling } from "../layers/pooling.js";
import { Affine } from "../layers/affine.js";
import { Relu } from "../layers/relu.js";
import { Dropout } from "../layers/dropout.js";
import type { SoftmaxWithLoss } from "../layers/softmax-with-loss.js";
import type { Layer } from "../layers/layer.js";
import type { ParamBlock, ParamSpec } from "../memory/param-block.js";
import { accuracyOf } from "../math/functions.js";
import type { Targets } from "../targets.js";
import { registerModelArchitecture } from "../io/model-registry.js";
import { loadNetParams, saveNetParams, type LoadParamsOptions, type ParamsSource, type SaveParamsOptions } from "../io/net-params.js";
import { NetMemory } from "./net-memory.js";
import { LayerStack } from "./layer-stack.js";
import type { TrainableNet } from "./trainable-net.js";
import type { ConvParam } from "./simple-conv-net.js";
import { DEEP_CONV_DEFAULTS, DEEP_CONV_PARAM_NAMES, checkConvParam, deepConvGeometry, type DeepConvParamName } from "./deep-conv-geometry.js";

export interface DeepConvNetOptions {
  /** [channels, height, width] of one input image. Default [1, 28, 28]. */
  inputDim?: readonly [number, number, number];
  /** The book's conv_param_1 … conv_param_6; each missing field keeps the book's value. */
  convParam1?: Partial<ConvParam>;
  convParam2?: Partial<ConvParam>;
  convParam3?: Partial<ConvParam>;
  convParam4?: Partial<ConvParam>;
  convParam5?: Partial<ConvParam>;
  convParam6?: Partial<ConvParam>;
  /** Default 50. */
  hiddenSize?: number;
  /** Default 10. */
  outputSize?: number;
  /** Both Dropout layers' ratio (the book hard-codes 0.5). Default 0.5. */
  dropoutRatio?: number;
  /** 'float32' (default, fast) or 'float64' (gradient checks). */
  dtype?: DType;
  /** Seeds the initial weights and then the dropout masks (one stream, like numpy's global one). Default 0. */
  seed?: number;
}

/** Rows per forward pass in predict: the book's accuracy(batch_size=100); bounds the im2col buffers. */
const PREDICT_CHUNK = 100;

export type DeepConvParams = Record<DeepConvParamName, Tensor>;

export class DeepConvNet implements TrainableNet {
  readonly params: DeepConvParams;
  /** The book's `self.layers` list, in its order (parameter layers at DEEP_CONV_PARAM_LAYERS). */
  readonly layers: readonly Layer[];
  readonly lastLayer: SoftmaxWithLoss;
  readonly dtype: DType;
  readonly inputDim: readonly [number, number, number];
  /** conv_param_1 … conv_param_6 as used. */
  readonly convParams: readonly Readonly<ConvParam>[];
  readonly hiddenSize: number;
  readonly outputSize: number;
  readonly dropoutRatio: number;
  readonly paramBlock: ParamBlock<DeepConvParamName>;
  readonly gradBlock: ParamBlock<DeepConvParamName>;
  /** The stream of the initial weights, then of every dropout mask. */
  readonly rng: Rng;
  readonly #stack: LayerStack<DeepConvParamName, readonly Layer[]>;

  constructor(options: DeepConvNetOptions = {}) {
    const where = "DeepConvNet";
    if (typeof options !== "object" || options === null) fail(where, "options must be an object { inputDim, convParam1, …, hiddenSize, outputSize, dtype, seed }");
    const inputDim = options.inputDim ?? [1, 28, 28];
    if (!Array.isArray(inputDim) || inputDim.length !== 3) fail(where, `inputDim must be [channels, height, width], got ${quote(inputDim)}`);
    inputDim.forEach((d, i) => checkPositiveInt(d, `inputDim[${i}]`, where));
    const given = [options.convParam1, options.convParam2, options.convParam3, options.convParam4, options.convParam5, options.convParam6];
    this.convParams = Object.freeze(given.map((cp, i) => {
      const merged = { ...DEEP_CONV_DEFAULTS[i], ...cp };
      checkConvParam(merged, `convParam${i + 1}`, where);
      return Object.freeze(merged);
    }));
    this.hiddenSize = checkPositiveInt(options.hiddenSize ?? 50, "hiddenSize", where);
    this.outputSize = checkPositiveInt(options.outputSize ?? 10, "outputSize", where);
    this.dropoutRatio = options.dropoutRatio ?? 0.5;
    this.dtype = checkDType(options.dtype ?? "float32", where);
    this.inputDim = Object.freeze([...inputDim] as [number, number, number]);
    const { shapes, fanIn } = deepConvGeometry(this.inputDim, this.convParams, this.hiddenSize, this.outputSize, where);

    const spec: ParamSpec = DEEP_CONV_PARAM_NAMES.map((name) => [name, shapes[name]] as const);
    this.rng = new Rng(options.seed ?? 0); // checks the seed before any memory is taken
    const memory = new NetMemory(where);
    [this.paramBlock, this.gradBlock] = memory.blocks([spec, spec], this.dtype) as ParamBlock<DeepConvParamName>[];
    this.params = this.paramBlock.tensors;
    const p = this.params, g = this.gradBlock.tensors;
    // He initialisation, √(2 / pre_node_nums), W1 … W8 in the book's order of randn calls
    for (let i = 0; i < 8; i++) this.rng.fillNormal(p[`W${i + 1}` as DeepConvParamName], Math.sqrt(2 / fanIn[i]));

    const conv = (i: number): Convolution => {
      const cp = this.convParams[i - 1];
      const W = `W${i}` as DeepConvParamName, b = `b${i}` as DeepConvParamName;
      return new Convolution(p[W], p[b], cp.stride, cp.pad, { dW: g[W], db: g[b] });
    };
    const pool = (): Pooling => new Pooling(2, 2, 2);
    const dropout = (): Dropout => new Dropout(this.dropoutRatio, { rng: this.rng });
    this.layers = Object.freeze([
      conv(1), new Relu(), conv(2), new Relu(), pool(),
      conv(3), new Relu(), conv(4), new Relu(), pool(),
      conv(5), new Relu(), conv(6), new Relu(), pool(),
      new Affine(p.W7, p.b7, { dW: g.W7, db: g.b7 }), new Relu(), dropout(),
      new Affine(p.W8, p.b8, { dW: g.W8, db: g.b8 }), dropout(),
    ]);
    this.#stack = new LayerStack(memory, {
      paramBlock: this.paramBlock, gradBlock: this.gradBlock, layers: this.layers, imageDim: this.inputDim, predictChunk: PREDICT_CHUNK,
    });
    this.lastLayer = this.#stack.lastLayer;
  }

  /**
   * Scores before softmax, [N × outputSize], for x [N, C, H, W] or flat rows [N, C·H·W].
   * `trainFlg` true draws dropout masks (training); false scales by 1 − ratio (the book's test
   * mode). Batches run 100 rows at a time. The tensor is reused by the next call: clone() to keep it.
   */
  predict(x: TensorData, trainFlg = false): Tensor {
    return this.#stack.predict(x, trainFlg);
  }

  /** Mean cross-entropy of the batch. As the book's loss, in training mode (dropout on) unless trainFlg is false. */
  loss(x: TensorData, t: Targets, trainFlg = true): number {
    return this.#stack.loss(x, t, trainFlg);
  }

  /** Fraction of rows whose argmax matches t, in test mode, `batchSize` rows per forward pass (every row counts). */
  accuracy(x: TensorData, t: Targets, batchSize = PREDICT_CHUNK): number {
    const where = "DeepConvNet.accuracy";
    checkPositiveInt(batchSize, "batchSize", where);
    return accuracyOf(this.#stack.scores(this.#stack.input(x, where), false, batchSize), t, where);
  }

  /**
   * Gradients by backpropagation of the training-mode loss (fresh dropout masks, unless a
   * Dropout layer's `freezeMask` is set). Views into the gradient block, overwritten by the next call.
   */
  gradient(x: TensorData, t: Targets): DeepConvParams {
    return this.#stack.gradient(x, t);
  }

  /**
   * Gradients by central differences of the training-mode loss (slow; for checking `gradient`).
   * The dropout masks of the last training-mode forward are reused for every probe (drawn now if
   * there is none for this batch), so both sides differentiate the same function. Fresh tensors.
   */
  numericalGradient(x: TensorData, t: Targets): DeepConvParams {
    return this.#stack.numericalGradient(x, t, true);
  }

  /** The book's load_params: W1…W8, b1…b8 from its pickle, an .npz or a safetensors file (see docs/book-files.md). */
  loadParams(source: ParamsSource = "params.pkl", options?: LoadParamsOptions): Promise<void> {
    return loadNetParams(this, source, options);
  }

  /** The book's save_params: its pickle by default; .npz or .safetensors by extension or `format`. */
  saveParams(target = "params.pkl", options?: SaveParamsOptions): Promise<void> {
    return saveNetParams(this, target, options);
  }

  /** Free the net's wasm memory now; the net and its tensors throw on use afterwards. */
  dispose(): void {
    this.#stack.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}

interface DeepConvNetConfig {
  inputDim: [number, number, number];
  convParams: ConvParam[];
  hiddenSize: number;
  outputSize: number;
  dropoutRatio: number;
}

registerModelArchitecture<DeepConvNet, DeepConvNetConfig>("DeepConvNet", {
  netClass: DeepConvNet,
  config: (net) => ({
    inputDim: [...net.inputDim], convParams: net.convParams.map((c) => ({ ...c })),
    hiddenSize: net.hiddenSize, outputSize: net.outputSize, dropoutRatio: net.dropoutRatio,
  }),
  configKeys: ["inputDim", "convParams", "hiddenSize", "outputSize"],
  shapes: (c) => {
    // the keys are there (configKeys); their types are checked here, before any arithmetic
    const where = "DeepConvNet model";
    if (!Array.isArray(c.inputDim) || c.inputDim.length !== 3) fail(where, `config inputDim must be [channels, height, width], got ${quote(c.inputDim)}`);
    c.inputDim.forEach((d, i) => checkPositiveInt(d, `config inputDim[${i}]`, where));
    if (!Array.isArray(c.convParams) || c.convParams.length !== 6) fail(where, `config convParams must list 6 conv layers, got ${quote(c.convParams)}`);
    c.convParams.forEach((cp, i) => checkConvParam(cp, `config convParams[${i}]`, where));
    checkPositiveInt(c.hiddenSize, "config hiddenSize", where);
    checkPositiveInt(c.outputSize, "config outputSize", where);
    return deepConvGeometry(c.inputDim, c.convParams, c.hiddenSize, c.outputSize, where).shapes;
  },
  create: (c, dtype) => new DeepConvNet({
    inputDim: c.inputDim, hiddenSize: c.hiddenSize, outputSize: c.outputSize, dropoutRatio: c.dropoutRatio, dtype,
    convParam1: c.convParams[0], convParam2: c.convParams[1], convParam3: c.convParams[2],
    convParam4: c.convParams[3], convParam5: c.convParams[4], convParam6: c.convParams[5],
  }),
});
