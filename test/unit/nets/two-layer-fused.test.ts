// The fused TwoLayerNet step (src/nets/two-layer-fused.ts) is an optimisation the layer stack
// selects, never a different computation: net.gradient() by default runs it as one wasm call,
// and it must give exactly the bits of the book's own procedure — walking `net.layers` forward,
// SoftmaxWithLoss forward and backward, then every layer's backward in reverse — which this test
// does by hand, through nothing but the layer classes' public forward/backward. Loss and every
// gradient byte must be equal at every step of a short SGD run (both nets updated alike, so the
// comparison also covers trained weights), in both dtypes, both activations, labels and one-hot.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ImageDataset, BatchSampler, Rng, SGD, Tensor, TwoLayerNet, oneHot, type Layer } from "../../../src/index.node.js";
import { mnistTestSet } from "../../helpers/mnist.js";

/** The book's gradient(): forward through layers, loss, backward in reverse (layer by layer, by hand). */
function walkLayers(net: TwoLayerNet, x: Tensor, t: Parameters<TwoLayerNet["gradient"]>[1]): number {
  const layers: Layer[] = Object.values(net.layers);
  let out = x;
  for (const layer of layers) out = layer.forward(out);
  const loss = net.lastLayer.forward(out, t);
  let dout = net.lastLayer.backward(1);
  for (const layer of [...layers].reverse()) dout = layer.backward(dout);
  return loss;
}

/** sha-256 of a tensor's bytes: equal hashes, equal bits (and a fast comparison of 300 KB). */
const bytes = (t: Tensor): string => createHash("sha256").update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength)).digest("hex");

describe("fused TwoLayerNet step ≡ walking net.layers", () => {
  const { images, labels } = mnistTestSet();
  const data = ImageDataset.fromBytes("mnist-test", images, labels, 28, 28);

  for (const dtype of ["float32", "float64"] as const) {
    for (const activation of ["relu", "sigmoid"] as const) {
      for (const targets of ["labels", "one-hot"] as const) {
        it(`same loss and gradient bytes at every step (${dtype}, ${activation}, ${targets}, 20 SGD steps, batch 100)`, () => {
          const make = (): TwoLayerNet => new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, dtype, activation, seed: 3, weightInitStd: 0.1 });
          using fused = make();
          using walked = make();
          expect(fused.fused).toBe(true); // the default: gradient() takes the fused step
          using sampler = new BatchSampler(data, 100, dtype);
          const rng = new Rng(11);
          const sgd = new SGD(0.5);
          let firstLoss = NaN;
          for (let step = 0; step < 20; step++) {
            const x = sampler.sample(rng); // a batch in wasm memory, as the trainer passes it
            const t = targets === "labels" ? sampler.labelBatch : oneHot(Array.from(sampler.labelBatch.toArray()), 10, dtype);
            fused.gradient(x, t);
            const loss = walkLayers(walked, x, t);
            expect(fused.lastLayer.loss, `step ${step}: loss`).toBe(loss);
            if (step === 0) firstLoss = loss;
            for (const key of ["W1", "b1", "W2", "b2"] as const) {
              expect(bytes(fused.gradBlock.tensors[key]), `step ${step}: ${key} gradient bytes`).toEqual(bytes(walked.gradBlock.tensors[key]));
            }
            sgd.updateBlock(fused.paramBlock, fused.gradBlock);
            sgd.updateBlock(walked.paramBlock, walked.gradBlock);
          }
          expect(bytes(fused.paramBlock.all())).toEqual(bytes(walked.paramBlock.all()));
          expect(fused.lastLayer.loss as number).toBeLessThan(firstLoss - 0.3); // it trained: a real comparison, not of zeros
        });
      }
    }
  }

  it("the walk by hand is what gradient() does with the fused step off", () => {
    const { x, t } = ((): { x: Tensor; t: Int32Array } => {
      const xs = Float64Array.from(images.subarray(0, 5 * 784), (v) => v / 255);
      return { x: Tensor.from(xs, [5, 784], "float64"), t: Int32Array.from(labels.subarray(0, 5)) };
    })();
    using layered = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, dtype: "float64", seed: 3 });
    using walked = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, dtype: "float64", seed: 3 });
    layered.fused = false;
    layered.gradient(x, t);
    expect(walkLayers(walked, x, t)).toBe(layered.lastLayer.loss);
    expect(bytes(walked.gradBlock.all())).toEqual(bytes(layered.gradBlock.all()));
  });
});
