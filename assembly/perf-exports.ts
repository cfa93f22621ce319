// The fused TwoLayerNet step and the thread-pool entry points (re-exported by index.ts).
import { twoLayerGradient } from "./twolayer";

export { threadsAttach, workerWait, workerRun, threadCount, setThreadCount, threadGeneration, workerChunks, gemmScratch } from "./threads";

export function twoLayerGradient_f32(
  dW1: usize, db1: usize, dW2: usize, db2: usize, W1: usize, b1: usize, W2: usize, b2: usize,
  x: usize, t: usize, oneHot: bool, h: usize, y: usize, dA2: usize, dH: usize,
  N: i32, D: i32, H: i32, C: i32, sigmoid: bool,
): f64 { return twoLayerGradient<f32>(dW1, db1, dW2, db2, W1, b1, W2, b2, x, t, oneHot, h, y, dA2, dH, N, D, H, C, sigmoid); }
export function twoLayerGradient_f64(
  dW1: usize, db1: usize, dW2: usize, db2: usize, W1: usize, b1: usize, W2: usize, b2: usize,
  x: usize, t: usize, oneHot: bool, h: usize, y: usize, dA2: usize, dH: usize,
  N: i32, D: i32, H: i32, C: i32, sigmoid: bool,
): f64 { return twoLayerGradient<f64>(dW1, db1, dW2, db2, W1, b1, W2, b2, x, t, oneHot, h, y, dA2, dH, N, D, H, C, sigmoid); }

// The row kernel behind gemmAB (no packing, zero skipping or threads unless given Bp/lists):
// exported so tests can look at the loops themselves (test/wasm-simd.test.ts) — gemmAB_f32 is
// now a dispatcher (pack B, check it is finite, split over threads) that calls it.
import { gemmABRows } from "./gemm";
export function gemmABRows_f32(C: usize, A: usize, B: usize, bias: usize, N: i32, K: i32, sai: i32, sak: i32, i0: i32, i1: i32): void { gemmABRows<f32>(C, A, B, bias, N, K, sai, sak, i0, i1, false); }
export function gemmABRows_f64(C: usize, A: usize, B: usize, bias: usize, N: i32, K: i32, sai: i32, sak: i32, i0: i32, i1: i32): void { gemmABRows<f64>(C, A, B, bias, N, K, sai, sak, i0, i1, false); }
