// trainNet draws a batch and lets TwoLayerNet's fused step gather its rows (each thread its own,
// assembly/twolayer.ts). That must give exactly what sample() + gradient() gives, must leave x
// holding the batch, and must gather first wherever the step cannot (the layer path).
import { describe, it, expect, beforeAll } from "vitest";
import { init, setThreads, TwoLayerNet, BatchSampler, ImageDataset, Rng, type Tensor } from "../../../src/index.node.js";
import { gradientOfPendingRows } from "../../../src/internal.js";
import type { PendingRows } from "../../../src/nets/pending-rows.js";
import { mnistTestSet } from "../../helpers/mnist.js";

beforeAll(async () => {
  await init({ threads: 2 });
});

const bytesOf = (t: Tensor): Buffer => Buffer.from(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
/** Bit-for-bit equal (Buffer.equals: a deep toEqual over 300 KB of bytes takes seconds). */
const sameBits = (p: Tensor, q: Tensor): boolean => bytesOf(p).equals(bytesOf(q));

function digits(): ImageDataset {
  const { images, labels } = mnistTestSet();
  return ImageDataset.fromBytes("mnist-t10k", images, labels, 28, 28);
}

/** The drawn rows, with gather() counted (the net must not call it when its step gathers). */
function counted(rows: PendingRows): { rows: PendingRows; calls: () => number } {
  let calls = 0;
  return { rows: { x: rows.x, images: rows.images, indices: rows.indices, normalize: rows.normalize, gather: () => { calls++; rows.gather(); } }, calls: () => calls };
}

describe("a drawn batch (pending rows)", () => {
  for (const threads of [1, 2]) {
    for (const dtype of ["float32", "float64"] as const) {
      it(`is gathered by TwoLayerNet's fused step itself, with sample() + gradient()'s bits (${dtype}, ${threads} thread${threads > 1 ? "s" : ""})`, async () => {
        await setThreads(threads);
        const set = digits();
        const make = () => new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, dtype, seed: 5 });
        const [a, b] = [make(), make()];
        const [sa, sb] = [new BatchSampler(set, 100, dtype), new BatchSampler(set, 100, dtype)];
        const [ra, rb] = [new Rng(9), new Rng(9)];
        for (let step = 0; step < 3; step++) {
          const x = sa.sample(ra);
          a.gradient(x, sa.labelBatch);
          const drawn = sb.draw(rb);
          drawn.x.data.fill(7); // not the batch: only a gather can make x right
          const { rows, calls } = counted(drawn);
          b[gradientOfPendingRows](rows, sb.labelBatch);
          expect(calls()).toBe(0);
          expect(sameBits(drawn.x, x)).toBe(true);
          expect(b.lastLayer.loss).toBe(a.lastLayer.loss);
          expect(sameBits(b.gradBlock.all(), a.gradBlock.all())).toBe(true);
        }
        for (const s of [sa, sb]) s.dispose();
        set.dispose();
      });
    }
  }

  it("is gathered first where the step cannot gather it (the layer path, net.fused = false)", async () => {
    await setThreads(2);
    const set = digits();
    const make = () => new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, seed: 6 });
    const [a, b] = [make(), make()];
    b.fused = false;
    const [sa, sb] = [new BatchSampler(set, 100), new BatchSampler(set, 100)];
    const [ra, rb] = [new Rng(2), new Rng(2)];
    a.gradient(sa.sample(ra), sa.labelBatch);
    const drawn = sb.draw(rb);
    drawn.x.data.fill(7);
    const { rows, calls } = counted(drawn);
    b[gradientOfPendingRows](rows, sb.labelBatch);
    expect(calls()).toBe(1);
    expect(b.lastLayer.loss).toBe(a.lastLayer.loss);
    expect(sameBits(b.gradBlock.all(), a.gradBlock.all())).toBe(true);
    for (const s of [sa, sb]) s.dispose();
    set.dispose();
  });

  it("refuses a drawn batch after its sampler is disposed", () => {
    const set = digits();
    const sampler = new BatchSampler(set, 10);
    const rows = sampler.draw(new Rng(1));
    sampler.dispose();
    expect(() => rows.gather()).toThrow(/BatchSampler/);
    set.dispose();
  });
});
