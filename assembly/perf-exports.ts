// The fused TwoLayerNet step and the thread-pool entry points (re-exported by index.ts).
import { twoLayerGradient } from "./twolayer";

export { threadsAttach, workerLoop, threadCount, setThreadCount, threadGeneration, workerChunks } from "./threads";

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
