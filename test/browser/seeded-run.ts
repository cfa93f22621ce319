// The seeded run that must give the same bits in Node, in a page and in a Web Worker:
// TwoLayerNet 784-50-10, 300 SGD steps of batch 100 through `trainNet`, then one accuracy
// evaluation, on the real MNIST test digits (first 8000 train, last 2000 test). Environment-
// neutral: the caller supplies the decoded IDX bytes and a sha-256 function.
import { ImageDataset, SimpleConvNet, TwoLayerNet, evaluateAccuracy, trainNet, type DType } from "../../src/index.js";

export const RUN = { iters: 300, batchSize: 100, learningRate: 0.1, seed: 42, netSeed: 7, trainCount: 8000 } as const;

export interface SeededRunResult {
  dtype: DType;
  losses: number[];
  testAcc: number;
  /** sha-256 hex of the Float64Array of losses. */
  lossHash: string;
  /** sha-256 hex of the parameter block's bytes after training. */
  paramHash: string;
  /** What the environment reported (checked by the test). */
  crossOriginIsolated: boolean | null;
  /** The SharedArrayBuffer constructor is visible (browsers hide it unless cross-origin isolated). */
  sharedArrayBufferExposed: boolean;
  /** The wasm memory is shared (the threaded build): must be false where isolation is missing. */
  sharedMemory: boolean;
}

export type Sha256 = (bytes: Uint8Array) => Promise<string>;

export async function seededRun(images: Uint8Array, labels: Uint8Array, dtype: DType, sha256: Sha256): Promise<SeededRunResult> {
  const all = ImageDataset.fromBytes("mnist-t10k", images, labels, 28, 28);
  const train = all.slice(0, RUN.trainCount);
  const test = all.slice(RUN.trainCount);
  const net = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, dtype, seed: RUN.netSeed });
  const history = await trainNet(net, { train, test }, {
    itersNum: RUN.iters, batchSize: RUN.batchSize, learningRate: RUN.learningRate, seed: RUN.seed, evaluate: false,
  });
  const testAcc = evaluateAccuracy(net, test);
  const params = net.paramBlock.all().data;
  const paramBytes = new Uint8Array(params.buffer, params.byteOffset, params.byteLength).slice();
  const losses = history.trainLossList;
  const g = globalThis as { crossOriginIsolated?: boolean };
  return {
    dtype, losses, testAcc,
    lossHash: await sha256(new Uint8Array(Float64Array.from(losses).buffer)),
    paramHash: await sha256(paramBytes),
    crossOriginIsolated: typeof g.crossOriginIsolated === "boolean" ? g.crossOriginIsolated : null,
    sharedArrayBufferExposed: typeof SharedArrayBuffer === "function",
    sharedMemory: typeof SharedArrayBuffer !== "undefined" && params.buffer instanceof SharedArrayBuffer,
  };
}

/** Four SimpleConvNet steps (batch 20) on the first digits: the convolution jobs, threaded where the core is. */
export async function convRun(images: Uint8Array, labels: Uint8Array, dtype: DType, sha256: Sha256): Promise<{ convParamHash: string; convLosses: number[] }> {
  const all = ImageDataset.fromBytes("digits", images, labels, 28, 28, { flatten: false });
  const net = new SimpleConvNet({ dtype, seed: 5 });
  const history = await trainNet(net, { train: all.slice(0, 2000), test: all.slice(2000, 2100) }, { itersNum: 4, batchSize: 20, seed: 6, evaluate: false });
  const p = net.paramBlock.all().data;
  const convParamHash = await sha256(new Uint8Array(p.buffer, p.byteOffset, p.byteLength).slice());
  net.dispose();
  all.dispose();
  return { convParamHash, convLosses: history.trainLossList };
}

/** sha-256 with WebCrypto (pages on 127.0.0.1 and their workers are secure contexts; Node has it too). */
export async function webCryptoSha256(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * TwoLayerNet trained 100 steps (batch 100) on the first 2000 digits with the accuracy of every
 * 20-step epoch: on several threads the epochs are counted by the worker while the steps go on
 * (src/train/background-accuracy.ts). The lists and the model must not care where that ran.
 */
export async function epochRun(images: Uint8Array, labels: Uint8Array, dtype: DType, sha256: Sha256): Promise<{ epochAccs: number[][]; epochParamHash: string }> {
  const all = ImageDataset.fromBytes("digits", images, labels, 28, 28);
  const net = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, dtype, seed: 3 });
  const history = await trainNet(net, { train: all.slice(0, 2000), test: all.slice(8000) }, { itersNum: 100, seed: 4 });
  const p = net.paramBlock.all().data;
  const epochParamHash = await sha256(new Uint8Array(p.buffer, p.byteOffset, p.byteLength).slice());
  net.dispose();
  all.dispose();
  return { epochAccs: [history.trainAccList, history.testAccList, [history.finalTrainAcc, history.finalTestAcc]], epochParamHash };
}

/**
 * TwoLayerNet trained 60 steps (batch 100) on the digits' negatives (255 − v: ~80 % of the pixels
 * nonzero, so x·W1 skips nothing and on several threads the fused step goes as stages over its
 * steps: assembly/twolayer-stages.ts). `stages` reads how the last step was cut; the distinct
 * values seen come back with the losses and the model's hash.
 */
export async function denseRun(
  images: Uint8Array, labels: Uint8Array, dtype: DType, sha256: Sha256, stages: () => number,
): Promise<{ denseLosses: number[]; denseParamHash: string; denseStages: number[] }> {
  const negatives = images.subarray(0, 4000 * 784).map((v) => 255 - v);
  const all = ImageDataset.fromBytes("digit negatives", negatives, labels.subarray(0, 4000), 28, 28);
  const net = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, dtype, seed: 9 });
  const seen = new Set<number>();
  const history = await trainNet(net, { train: all.slice(0, 3000), test: all.slice(3000) }, {
    itersNum: 60, seed: 8, evaluate: false, onStep: () => { seen.add(stages()); },
  });
  const p = net.paramBlock.all().data;
  const denseParamHash = await sha256(new Uint8Array(p.buffer, p.byteOffset, p.byteLength).slice());
  net.dispose();
  all.dispose();
  return { denseLosses: history.trainLossList, denseParamHash, denseStages: [...seen] };
}
