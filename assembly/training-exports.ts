// The chapter 6 kernels (optimizers, batch norm, dropout, weight decay) instantiated for f32
// and f64 (re-exported by index.ts; kept apart so the shared index only needs one line).
import { momentumUpdate, nesterovUpdate, adagradUpdate, rmspropUpdate, adamUpdate } from "./optimizers";
import { batchNormForwardTrain, batchNormForwardTest, batchNormBackward } from "./batchnorm";
import { multiplyMask, scaleBy } from "./dropout";
import { sumOfSquares, addScaled } from "./weight-decay";

export function momentumUpdate_f32(p: usize, v: usize, g: usize, lr: f64, momentum: f64, n: i32): void { momentumUpdate<f32>(p, v, g, lr, momentum, n); }
export function momentumUpdate_f64(p: usize, v: usize, g: usize, lr: f64, momentum: f64, n: i32): void { momentumUpdate<f64>(p, v, g, lr, momentum, n); }
export function nesterovUpdate_f32(p: usize, v: usize, g: usize, lr: f64, momentum: f64, n: i32): void { nesterovUpdate<f32>(p, v, g, lr, momentum, n); }
export function nesterovUpdate_f64(p: usize, v: usize, g: usize, lr: f64, momentum: f64, n: i32): void { nesterovUpdate<f64>(p, v, g, lr, momentum, n); }
export function adagradUpdate_f32(p: usize, h: usize, g: usize, lr: f64, n: i32): void { adagradUpdate<f32>(p, h, g, lr, n); }
export function adagradUpdate_f64(p: usize, h: usize, g: usize, lr: f64, n: i32): void { adagradUpdate<f64>(p, h, g, lr, n); }
export function rmspropUpdate_f32(p: usize, h: usize, g: usize, lr: f64, decayRate: f64, n: i32): void { rmspropUpdate<f32>(p, h, g, lr, decayRate, n); }
export function rmspropUpdate_f64(p: usize, h: usize, g: usize, lr: f64, decayRate: f64, n: i32): void { rmspropUpdate<f64>(p, h, g, lr, decayRate, n); }
export function adamUpdate_f32(p: usize, m: usize, v: usize, g: usize, lr: f64, beta1: f64, beta2: f64, t: i32, n: i32): void { adamUpdate<f32>(p, m, v, g, lr, beta1, beta2, t, n); }
export function adamUpdate_f64(p: usize, m: usize, v: usize, g: usize, lr: f64, beta1: f64, beta2: f64, t: i32, n: i32): void { adamUpdate<f64>(p, m, v, g, lr, beta1, beta2, t, n); }

export function batchNormForwardTrain_f32(out: usize, xc: usize, xn: usize, mu: usize, variance: usize, std: usize, runMean: usize, runVar: usize, x: usize, gamma: usize, beta: usize, momentum: f64, N: i32, D: i32): void { batchNormForwardTrain<f32>(out, xc, xn, mu, variance, std, runMean, runVar, x, gamma, beta, momentum, N, D); }
export function batchNormForwardTrain_f64(out: usize, xc: usize, xn: usize, mu: usize, variance: usize, std: usize, runMean: usize, runVar: usize, x: usize, gamma: usize, beta: usize, momentum: f64, N: i32, D: i32): void { batchNormForwardTrain<f64>(out, xc, xn, mu, variance, std, runMean, runVar, x, gamma, beta, momentum, N, D); }
export function batchNormForwardTest_f32(out: usize, runStd: usize, x: usize, gamma: usize, beta: usize, runMean: usize, runVar: usize, N: i32, D: i32): void { batchNormForwardTest<f32>(out, runStd, x, gamma, beta, runMean, runVar, N, D); }
export function batchNormForwardTest_f64(out: usize, runStd: usize, x: usize, gamma: usize, beta: usize, runMean: usize, runVar: usize, N: i32, D: i32): void { batchNormForwardTest<f64>(out, runStd, x, gamma, beta, runMean, runVar, N, D); }
export function batchNormBackward_f32(dx: usize, dgamma: usize, dbeta: usize, scratch: usize, dout: usize, xn: usize, xc: usize, std: usize, gamma: usize, N: i32, D: i32): void { batchNormBackward<f32>(dx, dgamma, dbeta, scratch, dout, xn, xc, std, gamma, N, D); }
export function batchNormBackward_f64(dx: usize, dgamma: usize, dbeta: usize, scratch: usize, dout: usize, xn: usize, xc: usize, std: usize, gamma: usize, N: i32, D: i32): void { batchNormBackward<f64>(dx, dgamma, dbeta, scratch, dout, xn, xc, std, gamma, N, D); }

export function multiplyMask_f32(out: usize, x: usize, mask: usize, n: i32): void { multiplyMask<f32>(out, x, mask, n); }
export function multiplyMask_f64(out: usize, x: usize, mask: usize, n: i32): void { multiplyMask<f64>(out, x, mask, n); }
export function scaleBy_f32(out: usize, x: usize, s: f64, n: i32): void { scaleBy<f32>(out, x, s, n); }
export function scaleBy_f64(out: usize, x: usize, s: f64, n: i32): void { scaleBy<f64>(out, x, s, n); }
export function sumOfSquares_f32(x: usize, n: i32): f64 { return sumOfSquares<f32>(x, n); }
export function sumOfSquares_f64(x: usize, n: i32): f64 { return sumOfSquares<f64>(x, n); }
export function addScaled_f32(y: usize, x: usize, a: f64, n: i32): void { addScaled<f32>(y, x, a, n); }
export function addScaled_f64(y: usize, x: usize, a: f64, n: i32): void { addScaled<f64>(y, x, a, n); }
