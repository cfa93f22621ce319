// DeepConvNet (§8.1, the book's ch08/deep_convnet.py): three blocks of
// conv → ReLU → conv → ReLU → 2×2 max-pool, then Affine → ReLU → Dropout → Affine → Dropout →
// SoftmaxWithLoss. 3×3 filters, 16-16-32-32-64-64 of them, pads 1-1-1-2-1-1, He initial weights.
// Built like SimpleConvNet: W1..W8 / b1..b8 in one ParamBlock, their gradients in a second of the
// same layout, every layer writing into its own reusable workspace — all in the net's arena:
// `dispose()` (or `using net = …`) frees it.
import { subView, type Tensor, type TensorData } from "../tensor.js";
import { checkDType, type DType } from "../dtype.js";
import { checkPositiveInt, fail, formatShape } from "../shape.js";
import { quote, show } from "../quote.js";
import { Rng } from "../random.js";
import { Convolution } from "../layers/convolution.js";
import { Pooling } from "../layers/pooling.js";
import { Affine } from "../layers/affine.js";
import { Relu } from "../layers/relu.js";
import { Dropout } from "../layers/dropout.js";
import { SoftmaxWithLoss } from "../layers/softmax-with-loss.js";
import type { Layer } from "../layers/layer.js";
import { Workspace } from "../memory/workspace.js";
import type { ParamBlock, ParamSpec } from "../memory/param-block.js";
import { NetMemory } from "./net-memory.js";
import { numericalGradient } from "../gradient.js";
import { accuracyOf } from "../functions.js";
import type { Targets } from "../targets.js";
import type { ConvParam } from "./simple-conv-net.js";
import { registerModelArchitecture } from "../io/model-registry.js";
import { loadNetParams, saveNetParams, type LoadParamsOptions, type ParamsSource, type SaveParamsOptions } from "../io/net-params.js";

/** The book's conv_param_1 … conv_param_6. */
export const DEEP_CONV_DEFAULTS: readonly Readonly<ConvParam>[] = Object.freeze([
  { filterNum: 16, filterSize: 3, pad: 1, stride: 1 },
  { filterNum: 16, filterSize: 3, pad: 1, stride: 1 },
  { filterNum: 32, filterSize: 3, pad: 1, stride: 1 },
  { filterNum: 32, filterSize: 3, pad: 2, stride: 1 },
  { filterNum: 64, filterSize: 3, pad: 1, stride: 1 },
  { filterNum: 64, filterSize: 3, pad: 1, stride: 1 },
].map((c) => Object.freeze(c)));

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
/** Where the parameter layers sit in `layers`: the book's (0, 2, 5, 7, 10, 12, 15, 18). */
export const DEEP_CONV_PARAM_LAYERS: readonly number[] = Object.freeze([0, 2, 5, 7, 10, 12, 15, 18]);

/**
 * The parameter shapes of a DeepConvNet, and each weight's fan-in (the book's pre_node_nums).
 * Checks the geometry: every conv output a whole number ≥ 1, every pooled size even. W7's rows
 * are what the last pool really outputs (the book writes 64*4*4, true for its defaults only).
 */
export function deepConvGeometry(
  inputDim: readonly [number, number, number], convParams: readonly ConvParam[], hiddenSize: number, outputSize: number, where: string,
): { shapes: Record<string, number[]>; fanIn: number[] } {
  let [C, H, W] = inputDim;
  const shapes: Record<string, number[]> = {};
  const fanIn: number[] = [];
  convParams.forEach((cp, i) => {
    const name = `convParam${i + 1}`;
    const size = (n: number, axis: string): number => {
      const span = n + 2 * cp.pad - cp.filterSize;
      const out = span / cp.stride + 1;
      if (span < 0 || !Number.isInteger(out)) {
        fail(where, `${name}: conv output ${axis} (${n} + 2·${cp.pad} − ${cp.filterSize}) / ${cp.stride} + 1 = ${out} is not a positive integer (input ${formatShape([C, H, W])})`);
      }
      return out;
    };
    shapes[`W${i + 1}`] = [cp.filterNum, C, cp.filterSize, cp.filterSize];
    shapes[`b${i + 1}`] = [cp.filterNum];
    fanIn.push(C * cp.filterSize * cp.filterSize);
    [C, H, W] = [cp.filterNum, size(H, "height"), size(W, "width")];
    if (i % 2 === 1) {
      if (H % 2 !== 0 || W % 2 !== 0) fail(where, `after ${name} the feature map is ${H}×${W}; the 2×2 stride-2 pooling needs even sizes (inputDim ${formatShape(inputDim)})`);
      H /= 2;
      W /= 2;
    }
  });
  shapes.W7 = [C * H * W, hiddenSize];
  shapes.b7 = [hiddenSize];
  shapes.W8 = [hiddenSize, outputSize];
  shapes.b8 = [outputSize];
  fanIn.push(C * H * W, hiddenSize);
  return { shapes, fanIn };
}

const PARAM_NAMES = ["W1", "b1", "W2", "b2", "W3", "b3", "W4", "b4", "W5", "b5", "W6", "b6", "W7", "b7", "W8", "b8"] as const;
export type DeepConvParamName = (typeof PARAM_NAMES)[number];
export type DeepConvParams = Record<DeepConvParamName, Tensor>;

export class DeepConvNet {
  readonly params: DeepConvParams;
  /** The book's `self.layers` list, in its order (parameter layers at DEEP_CONV_PARAM_LAYERS). */
  readonly layers: readonly Layer[];
  readonly lastLayer = new SoftmaxWithLoss();
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
  readonly #dropouts: Dropout[];
  readonly #memory: NetMemory;
  readonly #scoresWs: Workspace;
  #flatInput: Tensor | null = null;
  #nchwView: Tensor | null = null;

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
    this.inputDim = Object.freeze([...inputDim]) as unknown as readonly [number, number, number];
    const { shapes, fanIn } = deepConvGeometry(this.inputDim, this.convParams, this.hiddenSize, this.outputSize, where);

    const spec: ParamSpec = PARAM_NAMES.map((name) => [name, shapes[name]] as const);
    this.rng = new Rng(options.seed ?? 0); // checks the seed before any memory is taken
    this.#memory = new NetMemory(where);
    [this.paramBlock, this.gradBlock] = this.#memory.blocks([spec, spec], this.dtype) as ParamBlock<DeepConvParamName>[];
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
    this.#dropouts = [new Dropout(this.dropoutRatio, { rng: this.rng }), new Dropout(this.dropoutRatio, { rng: this.rng })];
    this.layers = Object.freeze([
      conv(1), new Relu(), conv(2), new Relu(), pool(),
      conv(3), new Relu(), conv(4), new Relu(), pool(),
      conv(5), new Relu(), conv(6), new Relu(), pool(),
      new Affine(p.W7, p.b7, { dW: g.W7, db: g.b7 }), new Relu(), this.#dropouts[0],
      new Affine(p.W8, p.b8, { dW: g.W8, db: g.b8 }), this.#dropouts[1],
    ]);
    this.#memory.place([...this.layers, this.lastLayer]);
    this.#scoresWs = new Workspace(this.#memory.arena);
  }

  /**
   * Scores before softmax, [N × outputSize], for x [N, C, H, W] or flat rows [N, C·H·W].
   * `trainFlg` true draws dropout masks (training); false scales by 1 − ratio (the book's test
   * mode). Batches run 100 rows at a time. The tensor is reused by the next call: clone() to keep it.
   */
  predict(x: TensorData, trainFlg = false): Tensor {
    return this.#scores(this.#input(x, "DeepConvNet.predict"), trainFlg, PREDICT_CHUNK);
  }

  /** Mean cross-entropy of the batch. As the book's loss, in training mode (dropout on) unless trainFlg is false. */
  loss(x: TensorData, t: Targets, trainFlg = true): number {
    return this.lastLayer.forward(this.predict(x, trainFlg), t);
  }

  /** Fraction of rows whose argmax matches t, in test mode, `batchSize` rows per forward pass (every row counts). */
  accuracy(x: TensorData, t: Targets, batchSize = PREDICT_CHUNK): number {
    checkPositiveInt(batchSize, "batchSize", "DeepConvNet.accuracy");
    return accuracyOf(this.#scores(this.#input(x, "DeepConvNet.accuracy"), false, batchSize), t, "DeepConvNet.accuracy");
  }

  /**
   * Gradients by backpropagation of the training-mode loss (fresh dropout masks, unless a
   * Dropout layer's `freezeMask` is set). Views into the gradient block, overwritten by the next call.
   */
  gradient(x: TensorData, t: Targets): DeepConvParams {
    const xt = this.#input(x, "DeepConvNet.gradient");
    this.lastLayer.forward(this.#forward(xt, true), t);
    let dout = this.lastLayer.backward(1);
    for (let i = this.layers.length - 1; i > 0; i--) dout = this.layers[i].backward(dout);
    (this.layers[0] as Convolution).backwardParams(dout); // nobody consumes dx of the input layer
    return this.gradBlock.tensors;
  }

  /**
   * Gradients by central differences of the training-mode loss (slow; for checking `gradient`).
   * The dropout masks of the last training-mode forward are reused for every probe (drawn now if
   * there is none for this batch), so both sides differentiate the same function. Fresh tensors.
   */
  numericalGradient(x: TensorData, t: Targets): DeepConvParams {
    const xt = this.#input(x, "DeepConvNet.numericalGradient"); // convert once, not per probe
    const rows = xt.shape[0];
    if (this.#dropouts.some((d) => d.mask === null || d.mask.shape[0] !== rows)) this.#forward(xt, true);
    const wasFrozen = this.#dropouts.map((d) => d.freezeMask);
    for (const d of this.#dropouts) d.freezeMask = true;
    try {
      const lossW = (): number => this.lastLayer.forward(this.#forward(xt, true), t);
      const grads = {} as DeepConvParams;
      for (const key of PARAM_NAMES) grads[key] = numericalGradient(lossW, this.params[key]);
      return grads;
    } finally {
      this.#dropouts.forEach((d, i) => { d.freezeMask = wasFrozen[i]; });
    }
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
    this.#memory.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  #scores(xt: Tensor, trainFlg: boolean, chunk: number): Tensor {
    const N = xt.shape[0];
    if (N <= chunk) return this.#forward(xt, trainFlg);
    const scores = this.#scoresWs.matrix(N, this.outputSize, this.dtype);
    const rowLen = xt.size / N;
    const [C, H, W] = this.inputDim;
    for (let start = 0; start < N; start += chunk) {
      const n = Math.min(chunk, N - start);
      const y = this.#forward(subView(xt, start * rowLen, [n, C, H, W]), trainFlg); // may grow memory: take scores.data only after it
      scores.data.set(y.data, start * this.outputSize);
    }
    return scores;
  }

  #forward(x: Tensor, trainFlg: boolean): Tensor {
    let out = x;
    for (const layer of this.layers) out = layer instanceof Dropout ? layer.forward(out, trainFlg) : layer.forward(out);
    return out;
  }

  /** x as an [N, C, H, W] view (flat rows are reshaped, not copied), checked once. */
  #input(x: TensorData, where: string): Tensor {
    const t = this.#memory.input(x, this.dtype, where);
    const [C, H, W] = this.inputDim;
    const rowLen = C * H * W;
    const ok4 = t.ndim === 4 && t.shape[1] === C && t.shape[2] === H && t.shape[3] === W;
    const ok2 = t.ndim === 2 && t.shape[1] === rowLen;
    if (!ok4 && !ok2) {
      fail(where, `x has shape ${formatShape(t.shape)}; expected [N, ${C}, ${H}, ${W}] or flat rows [N, ${rowLen}] for inputDim ${formatShape(this.inputDim)}`);
    }
    if (t.shape[0] === 0) fail(where, `empty batch: x has shape ${formatShape(t.shape)}`);
    if (ok4) return t;
    // the trainer passes the same batch tensor every step: reuse its NCHW view
    if (this.#flatInput !== t) { this.#flatInput = t; this.#nchwView = t.reshape(t.shape[0], C, H, W); }
    return this.#nchwView as Tensor;
  }
}

function checkConvParam(cp: ConvParam, name: string, where: string): void {
  if (typeof cp !== "object" || cp === null) fail(where, `${name} must be an object { filterNum, filterSize, pad, stride }, got ${show(cp)}`);
  checkPositiveInt(cp.filterNum, `${name}.filterNum`, where);
  checkPositiveInt(cp.filterSize, `${name}.filterSize`, where);
  checkPositiveInt(cp.stride, `${name}.stride`, where);
  if (!Number.isInteger(cp.pad) || cp.pad < 0) fail(where, `${name}.pad must be an integer ≥ 0, got ${show(cp.pad)}`);
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
