// The wasm module's exports: each generic kernel instantiated for f32 and f64.
// The JS side (src/core/kernels.ts) picks `<name>_f32` or `<name>_f64` by dtype.
// Nothing here allocates: the JS side owns every byte above __heap_base.
import { gemmABAuto as gemmAB, gemmABtParallel as gemmABt } from "./threads"; // big products split over threads
import {
  reluForward, reluBackward, sigmoidForward, sigmoidBackward, columnSum, sgdUpdate, firstNonFinite,
} from "./elementwise";
import {
  softmaxRows, crossEntropyOneHot, crossEntropyLabels,
  softmaxLossBackwardOneHot, softmaxLossBackwardLabels, argmaxRows, countCorrect,
} from "./softmax";
import { fillNormal, fillBernoulliMask } from "./random";
import { oneHotRows } from "./data";
import { gatherRowsU8Parallel as gatherRowsU8 } from "./threads"; // rows split over threads

export { rngSeed, rngUniform, fillChoice } from "./random";
export { gatherLabelsU8 } from "./data";
export * from "./conv-exports"; // im2col, col2im, pooling (_f32/_f64)
export * from "./training-exports"; // optimizers, batch norm, dropout, weight decay (_f32/_f64)
export * from "./perf-exports"; // fused TwoLayerNet step, thread pool entry points

/** First byte the JS allocator may use (everything below is the module's static data). */
export function heapBase(): usize {
  return __heap_base;
}

export function gemmAB_f32(C: usize, A: usize, B: usize, bias: usize, M: i32, N: i32, K: i32, sai: i32, sak: i32): void { gemmAB<f32>(C, A, B, bias, M, N, K, sai, sak); }
export function gemmAB_f64(C: usize, A: usize, B: usize, bias: usize, M: i32, N: i32, K: i32, sai: i32, sak: i32): void { gemmAB<f64>(C, A, B, bias, M, N, K, sai, sak); }
export function gemmABt_f32(C: usize, A: usize, B: usize, M: i32, N: i32, K: i32): void { gemmABt<f32>(C, A, B, M, N, K); }
export function gemmABt_f64(C: usize, A: usize, B: usize, M: i32, N: i32, K: i32): void { gemmABt<f64>(C, A, B, M, N, K); }

export function reluForward_f32(out: usize, x: usize, n: i32): void { reluForward<f32>(out, x, n); }
export function reluForward_f64(out: usize, x: usize, n: i32): void { reluForward<f64>(out, x, n); }
export function reluBackward_f32(dx: usize, dout: usize, out: usize, n: i32): void { reluBackward<f32>(dx, dout, out, n); }
export function reluBackward_f64(dx: usize, dout: usize, out: usize, n: i32): void { reluBackward<f64>(dx, dout, out, n); }
export function sigmoidForward_f32(out: usize, x: usize, n: i32): void { sigmoidForward<f32>(out, x, n); }
export function sigmoidForward_f64(out: usize, x: usize, n: i32): void { sigmoidForward<f64>(out, x, n); }
export function sigmoidBackward_f32(dx: usize, dout: usize, out: usize, n: i32): void { sigmoidBackward<f32>(dx, dout, out, n); }
export function sigmoidBackward_f64(dx: usize, dout: usize, out: usize, n: i32): void { sigmoidBackward<f64>(dx, dout, out, n); }
export function columnSum_f32(db: usize, dout: usize, rows: i32, cols: i32): void { columnSum<f32>(db, dout, rows, cols); }
export function columnSum_f64(db: usize, dout: usize, rows: i32, cols: i32): void { columnSum<f64>(db, dout, rows, cols); }
export function sgdUpdate_f32(p: usize, g: usize, lr: f32, n: i32): void { sgdUpdate<f32>(p, g, lr, n); }
export function sgdUpdate_f64(p: usize, g: usize, lr: f64, n: i32): void { sgdUpdate<f64>(p, g, lr, n); }
export function firstNonFinite_f32(x: usize, n: i32): i32 { return firstNonFinite<f32>(x, n); }
export function firstNonFinite_f64(x: usize, n: i32): i32 { return firstNonFinite<f64>(x, n); }

export function softmaxRows_f32(y: usize, x: usize, N: i32, C: i32): void { softmaxRows<f32>(y, x, N, C); }
export function softmaxRows_f64(y: usize, x: usize, N: i32, C: i32): void { softmaxRows<f64>(y, x, N, C); }
export function crossEntropyOneHot_f32(y: usize, t: usize, N: i32, C: i32): f64 { return crossEntropyOneHot<f32>(y, t, N, C); }
export function crossEntropyOneHot_f64(y: usize, t: usize, N: i32, C: i32): f64 { return crossEntropyOneHot<f64>(y, t, N, C); }
export function crossEntropyLabels_f32(y: usize, labels: usize, N: i32, C: i32): f64 { return crossEntropyLabels<f32>(y, labels, N, C); }
export function crossEntropyLabels_f64(y: usize, labels: usize, N: i32, C: i32): f64 { return crossEntropyLabels<f64>(y, labels, N, C); }
export function softmaxLossBackwardOneHot_f32(dx: usize, y: usize, t: usize, N: i32, C: i32): void { softmaxLossBackwardOneHot<f32>(dx, y, t, N, C); }
export function softmaxLossBackwardOneHot_f64(dx: usize, y: usize, t: usize, N: i32, C: i32): void { softmaxLossBackwardOneHot<f64>(dx, y, t, N, C); }
export function softmaxLossBackwardLabels_f32(dx: usize, y: usize, labels: usize, N: i32, C: i32): void { softmaxLossBackwardLabels<f32>(dx, y, labels, N, C); }
export function softmaxLossBackwardLabels_f64(dx: usize, y: usize, labels: usize, N: i32, C: i32): void { softmaxLossBackwardLabels<f64>(dx, y, labels, N, C); }
export function argmaxRows_f32(out: usize, y: usize, N: i32, C: i32): void { argmaxRows<f32>(out, y, N, C); }
export function argmaxRows_f64(out: usize, y: usize, N: i32, C: i32): void { argmaxRows<f64>(out, y, N, C); }
export function countCorrect_f32(y: usize, labels: usize, N: i32, C: i32): i32 { return countCorrect<f32>(y, labels, N, C); }
export function countCorrect_f64(y: usize, labels: usize, N: i32, C: i32): i32 { return countCorrect<f64>(y, labels, N, C); }

export function fillNormal_f32(out: usize, n: i32, std: f64, state: usize): void { fillNormal<f32>(out, n, std, state); }
export function fillNormal_f64(out: usize, n: i32, std: f64, state: usize): void { fillNormal<f64>(out, n, std, state); }
export function fillBernoulliMask_f32(out: usize, n: i32, ratio: f64, state: usize): void { fillBernoulliMask<f32>(out, n, ratio, state); }
export function fillBernoulliMask_f64(out: usize, n: i32, ratio: f64, state: usize): void { fillBernoulliMask<f64>(out, n, ratio, state); }
export function gatherRowsU8_f32(out: usize, src: usize, idx: usize, batch: i32, rowLen: i32, normalize: bool): void { gatherRowsU8<f32>(out, src, idx, batch, rowLen, normalize); }
export function gatherRowsU8_f64(out: usize, src: usize, idx: usize, batch: i32, rowLen: i32, normalize: bool): void { gatherRowsU8<f64>(out, src, idx, batch, rowLen, normalize); }
export function oneHotRows_f32(out: usize, labels: usize, N: i32, C: i32): void { oneHotRows<f32>(out, labels, N, C); }
export function oneHotRows_f64(out: usize, labels: usize, N: i32, C: i32): void { oneHotRows<f64>(out, labels, N, C); }
