// The raw wasm exports (see assembly/index.ts). Pointers are byte offsets into the memory.

type Ptr = number;

/** Kernels compiled once per element type; `_f32`/`_f64` suffixes in the wasm. */
export interface TypedKernelExports {
  gemmAB(C: Ptr, A: Ptr, B: Ptr, bias: Ptr, M: number, N: number, K: number, sai: number, sak: number): void;
  gemmABt(C: Ptr, A: Ptr, B: Ptr, M: number, N: number, K: number): void;
  reluForward(out: Ptr, x: Ptr, n: number): void;
  reluBackward(dx: Ptr, dout: Ptr, out: Ptr, n: number): void;
  sigmoidForward(out: Ptr, x: Ptr, n: number): void;
  sigmoidBackward(dx: Ptr, dout: Ptr, out: Ptr, n: number): void;
  columnSum(db: Ptr, dout: Ptr, rows: number, cols: number): void;
  sgdUpdate(p: Ptr, g: Ptr, lr: number, n: number): void;
  firstNonFinite(x: Ptr, n: number): number;
  softmaxRows(y: Ptr, x: Ptr, N: number, C: number): void;
  crossEntropyOneHot(y: Ptr, t: Ptr, N: number, C: number): number;
  crossEntropyLabels(y: Ptr, labels: Ptr, N: number, C: number): number;
  softmaxLossBackwardOneHot(dx: Ptr, y: Ptr, t: Ptr, N: number, C: number): void;
  softmaxLossBackwardLabels(dx: Ptr, y: Ptr, labels: Ptr, N: number, C: number): void;
  argmaxRows(out: Ptr, y: Ptr, N: number, C: number): void;
  countCorrect(y: Ptr, labels: Ptr, N: number, C: number): number;
  fillNormal(out: Ptr, n: number, std: number, state: Ptr): void;
  fillBernoulliMask(out: Ptr, n: number, ratio: number, state: Ptr): void;
  gatherRowsU8(out: Ptr, src: Ptr, idx: Ptr, batch: number, rowLen: number, normalize: boolean | number): void;
  oneHotRows(out: Ptr, labels: Ptr, N: number, C: number): void;
  // convolution / pooling (assembly/conv.ts)
  im2col(col: Ptr, x: Ptr, N: number, C: number, H: number, W: number, FH: number, FW: number, stride: number, pad: number, sn: number, sp: number, sk: number): void;
  col2im(dx: Ptr, col: Ptr, N: number, C: number, H: number, W: number, FH: number, FW: number, stride: number, pad: number, sn: number, sp: number, sk: number): void;
  convForward(out: Ptr, col: Ptr, W: Ptr, b: Ptr, N: number, FN: number, CK: number, P: number): void;
  convBackwardParams(dW: Ptr, db: Ptr, tmp: Ptr, dout: Ptr, col: Ptr, N: number, FN: number, CK: number, P: number): void;
  convBackwardData(dcol: Ptr, W: Ptr, dout: Ptr, N: number, FN: number, CK: number, P: number): void;
  maxPoolForward(out: Ptr, argMax: Ptr, x: Ptr, N: number, C: number, H: number, W: number, PH: number, PW: number, stride: number, pad: number): void;
  maxPool2x2Forward(out: Ptr, argMax: Ptr, x: Ptr, N: number, C: number, H: number, W: number): void;
  maxPoolBackward(dx: Ptr, dout: Ptr, argMax: Ptr, N: number, C: number, H: number, W: number, PH: number, PW: number, stride: number, pad: number): void;
  maxPool2x2Backward(dx: Ptr, dout: Ptr, argMax: Ptr, N: number, C: number, H: number, W: number): void;
  // chapter 6: optimizers, batch norm, dropout, weight decay (assembly/training-exports.ts)
  momentumUpdate(p: Ptr, v: Ptr, g: Ptr, lr: number, momentum: number, n: number): void;
  nesterovUpdate(p: Ptr, v: Ptr, g: Ptr, lr: number, momentum: number, n: number): void;
  adagradUpdate(p: Ptr, h: Ptr, g: Ptr, lr: number, n: number): void;
  rmspropUpdate(p: Ptr, h: Ptr, g: Ptr, lr: number, decayRate: number, n: number): void;
  adamUpdate(p: Ptr, m: Ptr, v: Ptr, g: Ptr, lr: number, beta1: number, beta2: number, t: number, n: number): void;
  batchNormForwardTrain(out: Ptr, xc: Ptr, xn: Ptr, mu: Ptr, variance: Ptr, std: Ptr, runMean: Ptr, runVar: Ptr, x: Ptr, gamma: Ptr, beta: Ptr, momentum: number, N: number, D: number): void;
  batchNormForwardTest(out: Ptr, runStd: Ptr, x: Ptr, gamma: Ptr, beta: Ptr, runMean: Ptr, runVar: Ptr, N: number, D: number): void;
  batchNormBackward(dx: Ptr, dgamma: Ptr, dbeta: Ptr, scratch: Ptr, dout: Ptr, xn: Ptr, xc: Ptr, std: Ptr, gamma: Ptr, N: number, D: number): void;
  multiplyMask(out: Ptr, x: Ptr, mask: Ptr, n: number): void;
  scaleBy(out: Ptr, x: Ptr, s: number, n: number): void;
  sumOfSquares(x: Ptr, n: number): number;
  addScaled(y: Ptr, x: Ptr, a: number, n: number): void;
  // fused TwoLayerNet step (assembly/twolayer.ts)
  twoLayerGradient(
    dW1: Ptr, db1: Ptr, dW2: Ptr, db2: Ptr, W1: Ptr, b1: Ptr, W2: Ptr, b2: Ptr,
    x: Ptr, t: Ptr, oneHot: number, h: Ptr, y: Ptr, dA2: Ptr, dH: Ptr,
    N: number, D: number, H: number, C: number, sigmoid: number,
  ): number;
}

export const TYPED_KERNEL_NAMES: readonly (keyof TypedKernelExports)[] = [
  "gemmAB", "gemmABt", "reluForward", "reluBackward", "sigmoidForward", "sigmoidBackward",
  "columnSum", "sgdUpdate", "firstNonFinite", "softmaxRows", "crossEntropyOneHot",
  "crossEntropyLabels", "softmaxLossBackwardOneHot", "softmaxLossBackwardLabels", "argmaxRows",
  "countCorrect", "fillNormal", "fillBernoulliMask", "gatherRowsU8", "oneHotRows",
  "im2col", "col2im", "convForward", "convBackwardParams", "convBackwardData",
  "maxPoolForward", "maxPool2x2Forward", "maxPoolBackward", "maxPool2x2Backward",
  "momentumUpdate", "nesterovUpdate", "adagradUpdate", "rmspropUpdate", "adamUpdate",
  "batchNormForwardTrain", "batchNormForwardTest", "batchNormBackward", "multiplyMask", "scaleBy",
  "sumOfSquares", "addScaled",
  "twoLayerGradient",
];

/** Exports that do not depend on the element type. */
export interface UntypedExports {
  memory: WebAssembly.Memory;
  // thread pool (assembly/threads.ts); no-ops / 1 in the single-threaded build
  threadsAttach(ctrl: Ptr): void;
  threadCount(): number;
  setThreadCount(n: number): void;
  threadGeneration(): number;
  workerChunks(): number;
  gemmScratch(ptr: Ptr, bytes: number): void;
  heapBase(): number;
  rngSeed(state: Ptr, seedLo: number, seedHi: number): void;
  rngUniform(state: Ptr): number;
  fillChoice(out: Ptr, n: number, range: number, state: Ptr): void;
  gatherLabelsU8(out: Ptr, labels: Ptr, idx: Ptr, batch: number): void;
}
