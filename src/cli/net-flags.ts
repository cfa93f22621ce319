// --net / --hidden / --optimizer / --lr / --weight-init-std: which net and optimizer a command builds.
import { TwoLayerNet } from "../nets/two-layer-net.js";
import { SGD } from "../optim/sgd.js";
import type { Optimizer } from "../optim/optimizer.js";
import type { TrainableNet } from "../train/trainable.js";
import type { DType } from "../dtype.js";
import type { Options } from "./args.js";
import { choiceFlag, intFlag, numberFlag } from "./args.js";

export const NET_FLAGS: Options = {
  net: { type: "string" }, hidden: { type: "string" }, optimizer: { type: "string" }, "weight-init-std": { type: "string" },
};

export const NET_HELP = `  --net <kind>            two-layer                             (default two-layer)
  --hidden <n>            hidden units                          (default 50)
  --optimizer <name>      sgd                                   (default sgd)
  --weight-init-std <x>   initial weight scale                  (default 0.01)`;

export interface NetDescription {
  name: string;
  flatten: boolean;
  hiddenSize: number;
  weightInitStd: number;
}

export function createNetFromFlags(
  v: Record<string, unknown>,
  base: { dtype: DType; seed: number; inputSize: number; outputSize: number; lrDefault: number },
  usage: string,
): { net: TrainableNet; optimizer: Optimizer; description: NetDescription; learningRate: number } {
  choiceFlag(v, "net", ["two-layer"] as const, "two-layer", usage);
  choiceFlag(v, "optimizer", ["sgd"] as const, "sgd", usage);
  const hiddenSize = intFlag(v, "hidden", 50, usage);
  const weightInitStd = numberFlag(v, "weight-init-std", 0.01, usage);
  const learningRate = Number.isNaN(base.lrDefault) ? 0.1 : base.lrDefault;
  const net = new TwoLayerNet({ inputSize: base.inputSize, hiddenSize, outputSize: base.outputSize, weightInitStd, dtype: base.dtype, seed: base.seed });
  return {
    net,
    optimizer: new SGD(learningRate),
    description: { name: `TwoLayerNet ${base.inputSize}-${hiddenSize}-${base.outputSize}`, flatten: true, hiddenSize, weightInitStd },
    learningRate,
  };
}
