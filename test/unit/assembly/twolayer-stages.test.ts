// On several threads the fused TwoLayerNet step cuts a dense batch's forward over x·W1's steps
// (assembly/twolayer-stages.ts): stage t goes on from the sums stage t − 1 left in h. That must not
// change a bit — against the layer path, against one thread, for any number of stages, batch
// sizes that leave a row tail, both activations and both dtypes — and a sparse batch (MNIST
// digits) must stay cut by rows. Fashion-MNIST items are the dense batches (the bundled sample).
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import {
  init, setThreads, parseIdx, oneHot, trainNet, ImageDataset, SGD, Tensor, TwoLayerNet, type DType,
} from "../../../src/index.node.js";
import { getCore } from "../../../src/internal.js";
import { mnistRows } from "../../helpers/mnist.js";

const SAMPLE = new URL("../../../data-sample/fashion-mnist/", import.meta.url);
const idx = (name: string, dims: number) =>
  parseIdx(gunzipSync(readFileSync(new URL(name, SAMPLE))), name, dims).data as Uint8Array;
const images = idx("train-images-idx3-ubyte.gz", 3), labels = idx("train-labels-idx1-ubyte.gz", 1);

function batch(start: number, n: number, dtype: DType): { x: Tensor; t: Int32Array } {
  return {
    x: Tensor.from(Float64Array.from(images.subarray(start * 784, (start + n) * 784), (v) => v / 255), [n, 784], dtype),
    t: Int32Array.from(labels.subarray(start, start + n)),
  };
}
const stages = () => getCore().exports.lastStepStages();
const gradBits = (net: TwoLayerNet) => Array.from(net.gradBlock.all().data);

beforeAll(async () => {
  await init({ threads: 4 });
});

describe("the fused step cut over x·W1's steps", () => {
  it("takes one stage per thread on dense rows, and stays cut by rows on digits or one thread", async () => {
    const net = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, seed: 1 });
    const fashion = batch(0, 100, "float32");
    for (const threads of [2, 3, 4]) {
      await setThreads(threads);
      net.gradient(fashion.x, fashion.t);
      expect(stages(), `${threads} threads`).toBe(threads);
    }
    const digits = mnistRows(0, 100);
    net.gradient(Tensor.from(digits.x, [100, 784], "float32"), Int32Array.from(digits.labels));
    expect(stages(), "MNIST digits (sparse: the rows skip zeros)").toBe(0);
    await setThreads(1);
    net.gradient(fashion.x, fashion.t);
    expect(stages(), "one thread").toBe(0);
  });

  for (const dtype of ["float32", "float64"] as const) {
    for (const activation of ["relu", "sigmoid"] as const) {
      it(`gives the layer path's bits on 2, 3 and 4 threads (${dtype}, ${activation}, labels and one-hot, batches of 100 and 37)`, async () => {
        for (const threads of [2, 3, 4]) {
          await setThreads(threads);
          const make = () => new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, dtype, activation, seed: 5, weightInitStd: 0.1 });
          const fused = make(), layered = make();
          layered.fused = false;
          const sgd = new SGD(0.5);
          for (let step = 0; step < 8; step++) {
            const n = step % 2 === 0 ? 100 : 37; // 37: a last block of one row
            const { x, t } = batch((step * 113) % 600, n, dtype);
            const tt = step % 4 < 2 ? t : oneHot(Array.from(t), 10, dtype);
            fused.gradient(x, tt);
            expect(stages(), `${threads} threads, step ${step}`).toBe(threads);
            layered.gradient(x, tt);
            expect(fused.lastLayer.loss, `loss, ${threads} threads, step ${step}`).toBe(layered.lastLayer.loss);
            expect(gradBits(fused), `gradients, ${threads} threads, step ${step}`).toEqual(gradBits(layered));
            sgd.updateBlock(fused.paramBlock, fused.gradBlock);
            sgd.updateBlock(layered.paramBlock, layered.gradBlock);
          }
        }
      });
    }
  }

  it("gives one thread's bits when W1 holds -0, denormals and values near overflow (the partial sums stored and reloaded)", async () => {
    for (const dtype of ["float32", "float64"] as const) {
      const tiny = dtype === "float32" ? 1e-40 : 1e-310, huge = dtype === "float32" ? 1e37 : 1e306;
      const grads: number[][] = [];
      for (const threads of [1, 2, 3, 4]) {
        await setThreads(threads);
        const net = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, dtype, seed: 2 });
        const w = net.params.W1.data;
        for (let i = 0; i < w.length; i += 7) w[i] = -0;
        for (let i = 3; i < w.length; i += 11) w[i] = tiny * (i % 5 - 2);
        for (let i = 5; i < w.length; i += 997) w[i] = huge;
        const { x, t } = batch(100, 37, dtype);
        net.gradient(x, t);
        expect(stages(), `${dtype}, ${threads} threads`).toBe(threads > 1 ? threads : 0);
        const g = gradBits(net), loss = net.lastLayer.loss as number;
        expect(Number.isFinite(loss) && g.every(Number.isFinite), `${dtype}: finite, so the comparison has teeth`).toBe(true);
        const scores = net.predict(x).data;
        expect(scores.some((v) => Math.abs(v) > huge * 1e-6), `${dtype}: the huge weights reached the scores`).toBe(true);
        grads.push([...g, loss]);
      }
      for (const g of grads.slice(1)) expect(g, dtype).toEqual(grads[0]);
    }
  });

  // each stage's last steps of a block, its middle, go to it or to the next stage, whichever is
  // ahead: forced to one side, then the other, then left to the race, the bits must not move
  it("gives one thread's bits whoever takes the stages' middles (float32 and float64, batches of 100 and 37)", async () => {
    const setMiddles = (policy: number) => getCore().exports.setStageMiddles(policy);
    const run = async (threads: number, policy: number, dtype: DType) => {
      await setThreads(threads);
      setMiddles(policy);
      const net = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, dtype, seed: 13, weightInitStd: 0.1 });
      const sgd = new SGD(0.3), out: number[] = [];
      for (let step = 0; step < 6; step++) {
        const { x, t } = batch((step * 97) % 600, step % 2 === 0 ? 100 : 37, dtype);
        net.gradient(x, t);
        expect(stages(), `${dtype}, ${threads} threads, middles ${policy}`).toBe(threads > 1 ? threads : 0);
        out.push(net.lastLayer.loss as number);
        sgd.updateBlock(net.paramBlock, net.gradBlock);
      }
      return [...out, ...net.paramBlock.all().data];
    };
    try {
      for (const dtype of ["float32", "float64"] as const) {
        const one = await run(1, 0, dtype);
        for (const threads of [2, 3, 4]) {
          for (const [policy, who] of [[1, "the stage"], [2, "the next stage"], [0, "whoever is ahead"]] as const) {
            expect(await run(threads, policy, dtype), `${dtype}, ${threads} threads, middles taken by ${who}`).toEqual(one);
          }
        }
      }
    } finally {
      setMiddles(0);
    }
  });

  // (the steps run while an epoch's accuracy is counted in the background are one-threaded)
  it("trains to the same bits on 1, 2 and 3 threads, with the minibatch gathered inside the step (float32 and float64)", async () => {
    const train = ImageDataset.fromBytes("fashion sample a", images.subarray(0, 600 * 784), labels.subarray(0, 600), 28, 28);
    const test = ImageDataset.fromBytes("fashion sample b", images.subarray(600 * 784, 700 * 784), labels.subarray(600, 700), 28, 28);
    for (const dtype of ["float32", "float64"] as const) {
      const runs: number[][] = [];
      for (const threads of [1, 2, 3]) {
        await setThreads(threads);
        const net = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, dtype, seed: 7 });
        const history = await trainNet(net, { train, test }, { itersNum: 40, batchSize: 100, learningRate: 0.1, seed: 3 });
        expect(history.trainLossList[39], `${dtype}: it learned`).toBeLessThan(history.trainLossList[0]);
        runs.push([...net.paramBlock.all().data, ...history.trainLossList, ...history.trainAccList, ...history.testAccList]);
      }
      expect(runs[1], `${dtype}: 2 threads`).toEqual(runs[0]);
      expect(runs[2], `${dtype}: 3 threads`).toEqual(runs[0]);
      // without the epochs' counting every step is cut over x·W1's steps, its rows gathered by the stages
      const plain: number[][] = [];
      for (const threads of [1, 2, 3]) {
        await setThreads(threads);
        const net = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, dtype, seed: 7 });
        const seen = new Set<number>();
        await trainNet(net, { train, test }, { itersNum: 20, batchSize: 100, learningRate: 0.1, seed: 4, evaluate: false, onStep: () => { seen.add(stages()); } });
        expect([...seen], `${dtype}, ${threads} threads: stages of every step`).toEqual([threads > 1 ? threads : 0]);
        plain.push([...net.paramBlock.all().data]);
      }
      expect(plain[1], `${dtype}: 2 threads, no evaluation`).toEqual(plain[0]);
      expect(plain[2], `${dtype}: 3 threads, no evaluation`).toEqual(plain[0]);
    }
  });

  // the first stage gathers block by block, skipping the plan's sample blocks [0, 4) and
  // [mid, mid + 4): batches whose middle block and last (partial) block fall elsewhere
  it("gathers every row once whatever the batch size (9, 14, 37 and 100 rows on 1, 2 and 3 threads)", async () => {
    const train = ImageDataset.fromBytes("fashion sample c", images.subarray(0, 500 * 784), labels.subarray(0, 500), 28, 28);
    for (const batchSize of [9, 14, 37, 100]) {
      const runs: number[][] = [];
      for (const threads of [1, 2, 3]) {
        await setThreads(threads);
        const net = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, seed: 11 });
        const seen = new Set<number>();
        const history = await trainNet(net, { train, test: train }, {
          itersNum: 12, batchSize, learningRate: 0.1, seed: batchSize, evaluate: false, onStep: () => { seen.add(stages()); },
        });
        expect([...seen], `batch ${batchSize}, ${threads} threads: stages of every step`).toEqual([threads > 1 ? threads : 0]);
        expect(history.trainLossList.every(Number.isFinite), `batch ${batchSize}: finite losses`).toBe(true);
        runs.push([...net.paramBlock.all().data, ...history.trainLossList]);
      }
      expect(runs[1], `batch ${batchSize}: 2 threads`).toEqual(runs[0]);
      expect(runs[2], `batch ${batchSize}: 3 threads`).toEqual(runs[0]);
    }
  });
});
