// 10 000 training steps (gradient + SGD updateBlock, batch 100, real MNIST digits gathered in
// wasm the way the trainer does it) must not grow anything after step 1:
//  - wasm memory: identical byte length, and the allocator's bytes in use identical;
//  - JS heap: after a forced full GC, within 1 MB of its size after step 1, so anything retained
//    at ≥ 100 bytes per step (10 000 × 100 B) fails — a leaked Tensor or closure per step is more
//    than that. Measured growth is 0.1–0.4 MB: V8's optimised code and feedback for the loop, which
//    does not scale with the step count. (Short-lived garbage is fine here; the hot path makes
//    ~16 B/step, one boxed loss value.)
import v8 from "node:v8";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { BatchSampler, ImageDataset, Rng, SGD, TwoLayerNet } from "../../../src/index.node.js";
import { getCore } from "../../../src/internal.js";
import { mnistTestSet } from "../../helpers/mnist.js";

const STEPS = 10_000;
const BATCH = 100;

/** A function that runs a full GC: vitest's fork has no --expose-gc, so we switch it on here. */
function exposeGc(): () => void {
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
}

describe("memory stays flat over 10 000 training steps", () => {
  // gradient() runs fused in one wasm call by default; net.fused = false steps through the layer
  // classes (Affine, Relu, SoftmaxWithLoss with their workspaces). Both must be flat.
  it.each([["fused", true], ["layer-by-layer", false]] as const)("%s gradient: wasm memory and JS heap after step 1 equal those after step 10 000", (_name, fused) => {
    const gc = exposeGc();
    const core = getCore();
    const { images, labels } = mnistTestSet();
    // the data set lives in wasm memory as uint8; the sampler gathers batches as the trainer does
    const digits = ImageDataset.fromBytes("mnist-t10k", images, labels, 28, 28);
    const sampler = new BatchSampler(digits, BATCH, "float32");

    const net = new TwoLayerNet(784, 50, 10, 0.01, { seed: 0 });
    net.fused = fused;
    const optimizer = new SGD(0.1);
    const rng = new Rng(42);

    let firstLoss = 0, lastLoss = 0;
    const step = (): void => {
      const x = sampler.sample(rng); // np.random.choice(train_size, batch_size), gathered ÷255 in wasm
      net.gradient(x, sampler.labelBatch);
      optimizer.updateBlock(net.paramBlock, net.gradBlock);
      lastLoss = net.lastLayer.loss as number;
    };

    step();
    firstLoss = lastLoss;
    gc();
    const wasmBytesAfterFirst = core.memory.buffer.byteLength;
    const inUseAfterFirst = core.allocator.bytesInUse;
    const heapAfterFirst = process.memoryUsage().heapUsed;

    for (let i = 1; i < STEPS; i++) step();

    gc();
    const heapAtEnd = process.memoryUsage().heapUsed;
    console.log(
      `wasm memory ${wasmBytesAfterFirst} → ${core.memory.buffer.byteLength} bytes, allocator in use ${inUseAfterFirst} → ${core.allocator.bytesInUse}, ` +
        `JS heap ${(heapAfterFirst / 1e6).toFixed(2)} → ${(heapAtEnd / 1e6).toFixed(2)} MB; loss ${firstLoss.toFixed(3)} → ${lastLoss.toFixed(3)}`,
    );
    expect(core.memory.buffer.byteLength).toBe(wasmBytesAfterFirst);
    expect(core.allocator.bytesInUse).toBe(inUseAfterFirst);
    expect(heapAtEnd - heapAfterFirst).toBeLessThan(1024 * 1024);
    // the steps were real training: from ln 10 ≈ 2.3 to well below (the book's curve reaches ~0.2)
    expect(firstLoss).toBeGreaterThan(2);
    expect(lastLoss).toBeLessThan(0.8);
  }, 600_000); // slow by design; on a shared CPU it can take minutes
});
