// The layer walk (src/nets/layer-walk.ts) runs Convolution → Relu forward and Relu → Pooling
// backward as one pass each. That is an optimisation, never a different computation: a conv net's
// gradient() must give exactly the bits of the book's own procedure — every layer's forward, the
// loss, every layer's backward in reverse — which this test walks by hand through the layer
// classes' public forward/backward only. Loss, every gradient byte and the scores must be equal
// at every step of a short Adam run (both nets updated alike, so trained weights are covered
// too), in both dtypes, for SimpleConvNet and DeepConvNet (6 Conv → Relu pairs, 3 Relu → Pooling
// pairs, one of them the general pool on odd 7×7 maps). It also checks that the pairs were taken
// and that a walk whose pool did not read the Relu's output is left alone.
import { createHash } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  Adam, BatchSampler, Convolution, DeepConvNet, ImageDataset, Pooling, Relu, Rng, SimpleConvNet, Tensor, type Layer, type Targets,
} from "../../../src/index.node.js";
import { backwardLayers, forwardLayers } from "../../../src/nets/layer-walk.js";
import { mnistTestSet } from "../../helpers/mnist.js";

type ConvNet = SimpleConvNet | DeepConvNet;

/** The book's gradient(): forward through the layers, the loss, backward in reverse — layer by layer, by hand. */
function walkByHand(net: ConvNet, x: Tensor, t: Targets): number {
  const layers: Layer[] = Object.values(net.layers);
  let out = x;
  for (const layer of layers) out = layer.forward(out, true);
  const loss = net.lastLayer.forward(out, t);
  let dout = net.lastLayer.backward(1);
  for (const layer of [...layers].reverse()) dout = layer.backward(dout);
  return loss;
}

const bytes = (t: Tensor): string => createHash("sha256").update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength)).digest("hex");

afterEach(() => { vi.restoreAllMocks(); });

describe("the layer walk's fused pairs ≡ walking net.layers by hand", () => {
  const { images, labels } = mnistTestSet();
  const data = ImageDataset.fromBytes("mnist-test", images, labels, 28, 28);
  const cases: [string, () => ConvNet, number, number][] = [
    ["SimpleConvNet float32", () => new SimpleConvNet({ seed: 4 }), 6, 50],
    ["SimpleConvNet float64", () => new SimpleConvNet({ seed: 4, dtype: "float64" }), 3, 20],
    ["DeepConvNet float32", () => new DeepConvNet({ seed: 4 }), 2, 10],
  ];

  it.each(cases)("%s: same loss, gradient and score bytes at every Adam step", (_name, make, steps, batch) => {
    using fused = make();
    using walked = make();
    const dtype = fused.dtype;
    using sampler = new BatchSampler(data, batch, dtype);
    const rng = new Rng(12);
    const adamF = new Adam(0.01), adamW = new Adam(0.01);
    const forwardRelu = vi.spyOn(Convolution.prototype, "forwardRelu");
    const backwardRelu = vi.spyOn(Pooling.prototype, "backwardRelu");
    const initial = bytes(fused.paramBlock.all());
    for (let step = 0; step < steps; step++) {
      const x = sampler.sample(rng).reshape(batch, 1, 28, 28);
      const t = sampler.labelBatch;
      const calls = [forwardRelu.mock.calls.length, backwardRelu.mock.calls.length];
      const g = fused.gradient(x, t);
      const convs = Object.values(fused.layers).filter((l) => l instanceof Convolution).length;
      const pools = Object.values(fused.layers).filter((l) => l instanceof Pooling).length;
      expect(forwardRelu.mock.calls.length - calls[0], "every Conv → Relu pair fused").toBe(convs);
      expect(backwardRelu.mock.calls.length - calls[1], "every Relu → Pooling pair fused").toBe(pools);
      const loss = walkByHand(walked, x, t);
      expect(fused.lastLayer.loss, `step ${step}: loss`).toBe(loss);
      for (const [key, grad] of Object.entries(g)) {
        expect(bytes(grad), `step ${step}: ${key}`).toBe(bytes(walked.gradBlock.tensors[key as keyof typeof walked.gradBlock.tensors]));
      }
      adamF.updateBlock(fused.paramBlock, fused.gradBlock);
      adamW.updateBlock(walked.paramBlock, walked.gradBlock);
    }
    expect(bytes(fused.paramBlock.all()), "the comparison covered updated weights").not.toBe(initial);
    expect(bytes(fused.paramBlock.all())).toBe(bytes(walked.paramBlock.all()));
    const x = sampler.sample(rng);
    expect(bytes(fused.predict(x)), "scores after training").toBe(bytes(walked.predict(x).clone()));
  });
});

describe("the layer walk's pairs", () => {
  it("Relu → Pooling is fused only when the pool's last input was the Relu's output", () => {
    const x = Tensor.from(Float64Array.from({ length: 2 * 2 * 4 * 4 }, (_, i) => Math.sin(i * 1.7)), [2, 2, 4, 4], "float64");
    const dout = Tensor.from(Float64Array.from({ length: 2 * 2 * 2 * 2 }, (_, i) => Math.cos(i)), [2, 2, 2, 2], "float64");
    const relu = new Relu(), pool = new Pooling(2, 2, 2);
    const backwardRelu = vi.spyOn(Pooling.prototype, "backwardRelu");
    // the walk: the pool read the Relu's output, so the pair is one pass
    forwardLayers([relu, pool], x, true);
    backwardLayers([relu, pool], dout);
    expect(backwardRelu).toHaveBeenCalledTimes(1);
    // the same layers, the pool fed by hand with something else: each layer's own backward
    relu.forward(x);
    pool.forward(x);
    backwardLayers([relu, pool], dout);
    expect(backwardRelu).toHaveBeenCalledTimes(1);
  });

  it("a Relu that adopted a convolution's output backpropagates like one that computed it", () => {
    const W = Tensor.from(Float64Array.from({ length: 3 * 2 * 3 * 3 }, (_, i) => Math.sin(i)), [3, 2, 3, 3], "float64");
    const b = Tensor.from([0.1, -0.2, 0.05], [3], "float64");
    const x = Tensor.from(Float64Array.from({ length: 2 * 2 * 5 * 5 }, (_, i) => Math.cos(i * 0.3)), [2, 2, 5, 5], "float64");
    const conv = new Convolution(W, b);
    const adopted = new Relu(), computed = new Relu();
    const fusedOut = adopted.takeOutput(conv.forwardRelu(x)).clone();
    const plainOut = computed.forward(conv.forward(x));
    expect(Array.from(fusedOut.data)).toEqual(Array.from(plainOut.data));
    expect(fusedOut.data.some((v) => v === 0) && fusedOut.data.some((v) => v > 0)).toBe(true);
    const d = Tensor.from(Float64Array.from({ length: plainOut.size }, (_, i) => Math.sin(i * 0.7)), plainOut.shape, "float64");
    conv.forwardRelu(x); // adopted.out is the convolution's buffer again, as the walk leaves it
    expect(Array.from(adopted.backward(d).data)).toEqual(Array.from(computed.backward(d).data));
  });
});
