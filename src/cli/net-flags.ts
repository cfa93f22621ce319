// --net / --hidden / --optimizer / --lr / --weight-init-std …: which net and optimizer `train` builds.
import { TwoLayerNet } from "../nets/two-layer-net.js";
import { MultiLayerNet } from "../nets/multi-layer-net.js";
import { MultiLayerNetExtend } from "../nets/multi-layer-net-extend.js";
import { SimpleConvNet } from "../nets/simple-conv-net.js";
import { DeepConvNet } from "../nets/deep-conv-net.js";
import { createOptimizer, OPTIMIZER_NAMES } from "../optim/create-optimizer.js";
import type { Optimizer } from "../optim/optimizer.js";
import type { TrainableNet } from "../train/trainable.js";
import type { DType } from "../dtype.js";
import type { Options } from "./args.js";
import { choiceFlag, numberFlag } from "./args.js";
import { UsageError } from "./usage-error.js";

export const NET_KINDS = ["two-layer", "multi-layer", "multi-layer-extend", "simple-conv", "deep-conv"] as const;
export type NetKind = (typeof NET_KINDS)[number];

export const NET_FLAGS: Options = {
  net: { type: "string" }, hidden: { type: "string" }, optimizer: { type: "string" }, lr: { type: "string" },
  "weight-init-std": { type: "string" }, activation: { type: "string" }, "weight-decay": { type: "string" },
  dropout: { type: "string" }, batchnorm: { type: "boolean" },
};

export const NET_HELP = `Net and optimizer:
  --net <kind>            two-layer | multi-layer | multi-layer-extend | simple-conv | deep-conv
                                                                (default two-layer: 784-50-10, ReLU;
                                                                 deep-conv: the book's DeepConvNet, ch. 8,
                                                                 best with --optimizer adam --lr 0.001)
  --hidden <sizes>        hidden units; a comma list for multi-layer nets, e.g. 100,100,100,100
                                                                (default 50; multi-layer 100,100,100,100;
                                                                 simple-conv 100; deep-conv 50)
  --activation <a>        relu | sigmoid                        (default relu; not the conv nets)
  --weight-init-std <x>   a number, or he | xavier for multi-layer nets; not deep-conv (He)
                                                                (default 0.01; multi-layer: he)
  --weight-decay <λ>      L2 weight decay, multi-layer nets     (default 0)
  --dropout <ratio>       dropout after each hidden layer, multi-layer-extend
  --batchnorm             BatchNorm in each hidden layer, multi-layer-extend
  --optimizer <name>      ${OPTIMIZER_NAMES.join(" | ")}   (default sgd)
  --lr <x>                learning rate (default 0.1 for sgd, as train_neuralnet.py;
                                                                 the book's default for the others)`;

export interface NetDescription {
  kind: NetKind;
  name: string;
  /** Images as rows (true) or [N, 1, 28, 28] (the conv nets). */
  flatten: boolean;
  config: Record<string, unknown>;
}

export function createNetFromFlags(
  v: Record<string, unknown>,
  base: { dtype: DType; seed: number; inputSize: number; outputSize: number },
  usage: string,
): { net: TrainableNet; optimizer: Optimizer; description: NetDescription; learningRate: number } {
  const kind = choiceFlag(v, "net", NET_KINDS, "two-layer", usage);
  const optimizerName = choiceFlag(v, "optimizer", OPTIMIZER_NAMES, "sgd", usage);
  const activation = choiceFlag(v, "activation", ["relu", "sigmoid"] as const, "relu", usage);
  const multi = kind === "multi-layer" || kind === "multi-layer-extend";
  const conv = kind === "simple-conv" || kind === "deep-conv";
  const hidden = hiddenSizes(v.hidden, kind === "two-layer" || kind === "deep-conv" ? [50] : kind === "simple-conv" ? [100] : [100, 100, 100, 100], multi, usage);
  const initStd = weightInit(v["weight-init-std"], multi, usage);
  const weightDecayLambda = v["weight-decay"] === undefined ? 0 : numberFlag(v, "weight-decay", 0, usage);
  if (!multi && (v["weight-decay"] !== undefined || v.dropout !== undefined || v.batchnorm)) {
    throw new UsageError("--weight-decay, --dropout and --batchnorm apply to --net multi-layer / multi-layer-extend", usage);
  }
  if (kind === "multi-layer" && (v.dropout !== undefined || v.batchnorm)) {
    throw new UsageError("--dropout and --batchnorm need --net multi-layer-extend", usage);
  }
  if (conv && v.activation !== undefined) throw new UsageError(`${kind} uses ReLU; --activation does not apply`, usage);
  if (kind === "deep-conv" && v["weight-init-std"] !== undefined) throw new UsageError("deep-conv uses the book's He initialisation; --weight-init-std does not apply", usage);
  const { dtype, seed, inputSize, outputSize } = base;

  let net: TrainableNet;
  let config: Record<string, unknown>;
  if (kind === "two-layer") {
    config = { inputSize, hiddenSize: hidden[0], outputSize, weightInitStd: initStd ?? 0.01, activation };
    net = new TwoLayerNet({ ...(config as { inputSize: number; hiddenSize: number; outputSize: number }), weightInitStd: initStd as number ?? 0.01, activation, dtype, seed });
  } else if (kind === "deep-conv") {
    config = { inputDim: [1, 28, 28], hiddenSize: hidden[0], outputSize };
    net = new DeepConvNet({ hiddenSize: hidden[0], outputSize, dtype, seed });
  } else if (kind === "simple-conv") {
    config = { inputDim: [1, 28, 28], hiddenSize: hidden[0], outputSize, weightInitStd: initStd ?? 0.01 };
    net = new SimpleConvNet({ hiddenSize: hidden[0], outputSize, weightInitStd: (initStd as number | undefined) ?? 0.01, dtype, seed });
  } else {
    const common = { inputSize, hiddenSizeList: hidden, outputSize, activation, weightInitStd: initStd ?? activation, weightDecayLambda, dtype, seed };
    if (kind === "multi-layer") {
      config = { ...common };
      net = new MultiLayerNet(common);
    } else {
      const dropoutRatio = v.dropout === undefined ? undefined : numberFlag(v, "dropout", 0.5, usage);
      if (dropoutRatio !== undefined && dropoutRatio >= 1) throw new UsageError(`--dropout must be below 1, got ${dropoutRatio}`, usage);
      config = { ...common, useDropout: dropoutRatio !== undefined, dropoutRatio: dropoutRatio ?? 0.5, useBatchnorm: Boolean(v.batchnorm) };
      net = new MultiLayerNetExtend({ ...common, useDropout: dropoutRatio !== undefined, dropoutRatio: dropoutRatio ?? 0.5, useBatchnorm: Boolean(v.batchnorm) });
    }
    delete config.dtype;
    delete config.seed;
  }

  // train_neuralnet.py trains SGD with lr 0.1; the other optimizers keep the book's defaults
  const lrGiven = v.lr === undefined ? undefined : numberFlag(v, "lr", 0.1, usage);
  const optimizer = createOptimizer(optimizerName, { lr: lrGiven ?? (optimizerName === "sgd" ? 0.1 : undefined) });
  const learningRate = optimizer.lr;
  const name = kind === "two-layer" ? `TwoLayerNet ${inputSize}-${hidden[0]}-${outputSize}`
    : kind === "simple-conv" ? `SimpleConvNet conv30×5×5-pool-${hidden[0]}-${outputSize}`
    : kind === "deep-conv" ? `DeepConvNet (conv16-16-32-32-64-64 3×3, 3 pools)-${hidden[0]}-${outputSize}`
    : `${kind === "multi-layer" ? "MultiLayerNet" : "MultiLayerNetExtend"} ${[inputSize, ...hidden, outputSize].join("-")}`;
  return { net, optimizer, description: { kind, name, flatten: !conv, config }, learningRate };
}

function hiddenSizes(raw: unknown, fallback: number[], list: boolean, usage: string): number[] {
  if (raw === undefined) return fallback;
  const parts = String(raw).split(",");
  const sizes = parts.map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new UsageError(`--hidden must be positive integers${list ? " (comma-separated)" : ""}, got '${String(raw)}'`, usage);
  if (!list && sizes.length !== 1) throw new UsageError(`--hidden takes one size for this net, got '${String(raw)}'`, usage);
  return sizes;
}

function weightInit(raw: unknown, multi: boolean, usage: string): number | "he" | "xavier" | undefined {
  if (raw === undefined) return undefined;
  if (multi && (raw === "he" || raw === "xavier")) return raw;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    throw new UsageError(`--weight-init-std must be a positive number${multi ? " or he | xavier" : ""}, got '${String(raw)}'`, usage);
  }
  return n;
}
