// trainNet's epochs counted by the workers while the steps go on (src/train/background-accuracy.ts,
// assembly/gemm/threads.ts publishBackground): the same history as one thread, every count the
// same as evaluateAccuracy's for the same parameters, the main thread on one thread meanwhile,
// and no hang or leak when the run ends early, fails, or the thread count changes mid-count.
import { beforeAll, describe, expect, it } from "vitest";
import { init, setThreads, getThreads, ImageDataset, TwoLayerNet, evaluateAccuracy, trainNet, type TrainHistory } from "../../../src/index.node.js";
import { getCore } from "../../../src/internal.js";
import { BackgroundAccuracy } from "../../../src/train/background-accuracy.js";
import { mnistTestSet } from "../../helpers/mnist.js";

let train: ImageDataset;
let test: ImageDataset;

beforeAll(async () => {
  await init({ threads: 2 });
  const { images, labels } = mnistTestSet();
  // 2000 training rows (20 steps an epoch at batch 100), 1000 test rows
  train = ImageDataset.fromBytes("mnist-a", images.subarray(0, 2000 * 784), labels.subarray(0, 2000), 28, 28);
  test = ImageDataset.fromBytes("mnist-b", images.subarray(8000 * 784, 9000 * 784), labels.subarray(8000, 9000), 28, 28);
});

const newNet = (activation: "relu" | "sigmoid" = "relu") =>
  new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, seed: 7, activation });

async function run(threads: number, activation: "relu" | "sigmoid" = "relu") {
  await setThreads(threads);
  const net = newNet(activation);
  const epochs: { epoch: number; iter: number; trainAcc: number; testAcc: number }[] = [];
  // each epoch's parameters, to count them again afterwards the ordinary way
  const snapshots = new Map<number, Float32Array>();
  const history = await trainNet(net, { train, test }, {
    itersNum: 130, seed: 3,
    onStep: ({ iter }) => { if (iter % 20 === 0) snapshots.set(iter, Float32Array.from(net.paramBlock.all().data)); },
    onEpoch: (e) => { epochs.push({ ...e }); },
  });
  return { net, history, epochs, snapshots };
}

function sameHistory(a: TrainHistory, b: TrainHistory): void {
  expect(a.trainLossList).toEqual(b.trainLossList);
  expect(a.trainAccList).toEqual(b.trainAccList);
  expect(a.testAccList).toEqual(b.testAccList);
  expect(a.finalTrainAcc).toBe(b.finalTrainAcc);
  expect(a.finalTestAcc).toBe(b.finalTestAcc);
}

describe("trainNet with the accuracy counted in the background", () => {
  it("is used on 2 threads, and gives the history of 1 thread (ReLU and sigmoid)", async () => {
    for (const activation of ["relu", "sigmoid"] as const) {
      const one = await run(1, activation);
      const two = await run(2, activation);
      sameHistory(two.history, one.history);
      expect(two.history.trainAccList).toHaveLength(7); // iterations 0, 20, … 120
      expect(two.epochs).toEqual(one.epochs);
      expect(two.epochs.map((e) => e.epoch)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(two.epochs.map((e) => e.iter)).toEqual([0, 20, 40, 60, 80, 100, 120]);
      one.net.dispose();
      two.net.dispose();
    }
  });

  it("reports each epoch's counts for the parameters of that epoch's end", async () => {
    const { net, epochs, snapshots } = await run(2);
    await setThreads(1);
    for (const e of epochs) {
      net.paramBlock.all().data.set(snapshots.get(e.iter) as Float32Array);
      expect(evaluateAccuracy(net, train)).toBe(e.trainAcc);
      expect(evaluateAccuracy(net, test)).toBe(e.testAcc);
    }
    // and the accuracies are not all alike (the check above could not pass by accident)
    expect(new Set(epochs.map((e) => e.trainAcc)).size).toBeGreaterThan(2);
    net.dispose();
  });
});

describe("BackgroundAccuracy", () => {
  it("counts what evaluateAccuracy counts while the main thread runs on one thread", async () => {
    await setThreads(2);
    const net = newNet();
    const bg = BackgroundAccuracy.create(net, train, test);
    expect(bg).not.toBeNull();
    const b = bg as BackgroundAccuracy;
    const expected = { trainAcc: evaluateAccuracy(net, train), testAcc: evaluateAccuracy(net, test) };
    const exportsOf = getCore().exports;
    expect(b.start(5)).toBe(true);
    expect(b.busy).toBe(true);
    expect(exportsOf.threadCount()).toBe(1); // the main thread's kernels publish nothing meanwhile
    // a second start while one is out is refused, not a corruption of the first's arguments
    expect(() => b.start(6)).toThrow(/internal/);
    // the net's own parameters change meanwhile: the counting reads its copy
    net.paramBlock.all().data.fill(0);
    const onOneThread = evaluateAccuracy(net, test); // runs here, alone, on the net's zeros
    expect(onOneThread).toBeGreaterThan(0);
    let got = b.poll();
    for (let spins = 0; got === null && spins < 1e8; spins++) got = b.poll();
    expect(got).toEqual({ iter: 5, ...expected });
    expect(b.busy).toBe(false);
    expect(exportsOf.threadCount()).toBe(2);
    b.dispose();
    net.dispose();
  });

  it("finish() takes the unclaimed chunks itself, and a resize mid-count neither hangs nor loses the counts", async () => {
    await setThreads(2);
    const net = newNet();
    const expected = { trainAcc: evaluateAccuracy(net, train), testAcc: evaluateAccuracy(net, test) };
    const b = BackgroundAccuracy.create(net, train, test) as BackgroundAccuracy;
    expect(b.start(1)).toBe(true);
    expect(b.finish()).toEqual({ iter: 1, ...expected });
    expect(b.finish()).toBeNull();
    expect(b.start(2)).toBe(true);
    await setThreads(1); // ends the job first (thread-pool.ts resize)
    expect(getThreads()).toBe(1);
    expect(b.poll()).toEqual({ iter: 2, ...expected });
    expect(b.start(3)).toBe(false); // no worker now: the trainer evaluates as usual
    b.dispose();
    await setThreads(2);
    net.dispose();
  });

  it("is not made for one thread or a net without the fused pass", async () => {
    await setThreads(1);
    expect(BackgroundAccuracy.create(newNet(), train, test)).toBeNull();
    await setThreads(2);
    const layered = newNet();
    layered.fused = false;
    expect(BackgroundAccuracy.create(layered, train, test)).toBeNull();
    layered.dispose();
  });

  it("a run that fails mid-count waits for it, frees everything, and leaves the pool working", async () => {
    await setThreads(2);
    const net = newNet();
    await trainNet(net, { train, test }, { itersNum: 1, seed: 1 }); // the net's own workspaces, made once
    const before = getCore().allocator.bytesInUse;
    await expect(trainNet(net, { train, test }, {
      itersNum: 100, seed: 1,
      onStep: ({ iter }) => { if (iter === 22) throw new Error("stop here"); }, // epoch 20 is still being counted
    })).rejects.toThrow("stop here");
    expect(getCore().allocator.bytesInUse).toBe(before);
    expect(getCore().exports.threadCount()).toBe(2);
    const again = await trainNet(net, { train, test }, { itersNum: 25, seed: 1 });
    expect(again.trainAccList).toHaveLength(2);
    net.dispose();
  });

  it("a set disposed while its epoch is being counted is an error that names it, not a count", async () => {
    await setThreads(2);
    const net = newNet();
    const { images, labels } = mnistTestSet();
    const own = ImageDataset.fromBytes("mnist-c", images.slice(9000 * 784), labels.slice(9000), 28, 28);
    const epochs: number[] = [];
    await expect(trainNet(net, { train, test: own }, {
      itersNum: 40, seed: 1,
      onStep: ({ iter }) => { if (iter === 1) own.dispose(); }, // epoch 0 is being counted
      onEpoch: (e) => { epochs.push(e.iter); },
    })).rejects.toThrow(/mnist-c.*dispos|dispos.*mnist-c/);
    expect(epochs).toEqual([]);
    expect(getCore().exports.threadCount()).toBe(2);
    net.dispose();
  });

  it("an aborted run still reports the epoch it was counting", async () => {
    await setThreads(2);
    const net = newNet();
    const controller = new AbortController();
    const epochs: number[] = [];
    const history = await trainNet(net, { train, test }, {
      itersNum: 100, seed: 1, signal: controller.signal,
      onStep: ({ iter }) => { if (iter === 21) controller.abort(); },
      onEpoch: (e) => { epochs.push(e.iter); },
    });
    expect(history.aborted).toBe(true);
    expect(epochs).toEqual([0, 20]);
    expect(history.trainAccList).toHaveLength(2);
    net.dispose();
  });
});
