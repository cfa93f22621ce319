// The fixed probe the fuzz suite runs after every refused case: if a refusal had corrupted
// anything (wasm memory, the allocator, the scratch, the registry, a live object), one of these
// bit-exact results would change. It touches fresh objects (a float64 TwoLayerNet's loss and
// gradient, a small float64 SimpleConvNet's loss and gradient, a safetensors round trip of the
// first net) and one long-lived net made before the first case.
import { createHash } from "node:crypto";
import * as sn from "../../../src/index.node.js";

const x = sn.Tensor.from(Array.from({ length: 4 * 12 }, (_, i) => Math.sin(i)), [4, 12], "float64");
const t = [0, 2, 1, 2];
const images = sn.Tensor.from(Array.from({ length: 2 * 36 }, (_, i) => Math.cos(i)), [2, 1, 6, 6], "float64");
const resident = new sn.TwoLayerNet({ inputSize: 12, hiddenSize: 5, outputSize: 3, dtype: "float64", seed: 9, weightInitStd: 0.4 });

function bytes(a: ArrayLike<number>): Uint8Array {
  return new Uint8Array(Float64Array.from(a).buffer);
}

export function probe(): string {
  const hash = createHash("sha256");
  {
    using net = new sn.TwoLayerNet({ inputSize: 12, hiddenSize: 6, outputSize: 3, dtype: "float64", seed: 5, weightInitStd: 0.3 });
    hash.update(bytes([net.loss(x, t)]));
    for (const g of Object.values(net.gradient(x, t))) hash.update(bytes(g.data));
    const file = sn.serializeModel(net);
    hash.update(file);
    using back = sn.deserializeModel(file) as sn.TwoLayerNet;
    hash.update(bytes(back.predict(x).data));
  }
  {
    using conv = new sn.SimpleConvNet({ inputDim: [1, 6, 6], convParam: { filterNum: 2, filterSize: 3, pad: 0, stride: 1 }, hiddenSize: 4, outputSize: 3, dtype: "float64", seed: 2, weightInitStd: 0.2 });
    hash.update(bytes([conv.loss(images, [1, 2])]));
    for (const g of Object.values(conv.gradient(images, [1, 2]))) hash.update(bytes(g.data));
  }
  for (const g of Object.values(resident.gradient(x, t))) hash.update(bytes(g.data));
  hash.update(bytes([resident.lastLayer.loss as number]));
  return hash.digest("hex");
}
