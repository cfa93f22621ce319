// The convolution/pooling kernels of conv.ts instantiated for f32 and f64 (re-exported by
// index.ts; kept apart so the shared index only needs one line for them).
import { im2col, col2im, swapAxes01, rowSum, maxPoolForward, maxPool2x2Forward, maxPoolBackward } from "./conv";

export function im2col_f32(col: usize, x: usize, N: i32, C: i32, H: i32, W: i32, FH: i32, FW: i32, stride: i32, pad: i32, sp: i32, sk: i32): void { im2col<f32>(col, x, N, C, H, W, FH, FW, stride, pad, sp, sk); }
export function im2col_f64(col: usize, x: usize, N: i32, C: i32, H: i32, W: i32, FH: i32, FW: i32, stride: i32, pad: i32, sp: i32, sk: i32): void { im2col<f64>(col, x, N, C, H, W, FH, FW, stride, pad, sp, sk); }
export function col2im_f32(dx: usize, col: usize, N: i32, C: i32, H: i32, W: i32, FH: i32, FW: i32, stride: i32, pad: i32, sp: i32, sk: i32): void { col2im<f32>(dx, col, N, C, H, W, FH, FW, stride, pad, sp, sk); }
export function col2im_f64(dx: usize, col: usize, N: i32, C: i32, H: i32, W: i32, FH: i32, FW: i32, stride: i32, pad: i32, sp: i32, sk: i32): void { col2im<f64>(dx, col, N, C, H, W, FH, FW, stride, pad, sp, sk); }
export function swapAxes01_f32(out: usize, src: usize, bias: usize, A: i32, B: i32, P: i32): void { swapAxes01<f32>(out, src, bias, A, B, P); }
export function swapAxes01_f64(out: usize, src: usize, bias: usize, A: i32, B: i32, P: i32): void { swapAxes01<f64>(out, src, bias, A, B, P); }
export function rowSum_f32(sums: usize, m: usize, R: i32, J: i32): void { rowSum<f32>(sums, m, R, J); }
export function rowSum_f64(sums: usize, m: usize, R: i32, J: i32): void { rowSum<f64>(sums, m, R, J); }
export function maxPoolForward_f32(out: usize, argMax: usize, x: usize, N: i32, C: i32, H: i32, W: i32, PH: i32, PW: i32, stride: i32, pad: i32): void { maxPoolForward<f32>(out, argMax, x, N, C, H, W, PH, PW, stride, pad); }
export function maxPoolForward_f64(out: usize, argMax: usize, x: usize, N: i32, C: i32, H: i32, W: i32, PH: i32, PW: i32, stride: i32, pad: i32): void { maxPoolForward<f64>(out, argMax, x, N, C, H, W, PH, PW, stride, pad); }
export function maxPool2x2Forward_f32(out: usize, argMax: usize, x: usize, N: i32, C: i32, H: i32, W: i32): void { maxPool2x2Forward<f32>(out, argMax, x, N, C, H, W); }
export function maxPool2x2Forward_f64(out: usize, argMax: usize, x: usize, N: i32, C: i32, H: i32, W: i32): void { maxPool2x2Forward<f64>(out, argMax, x, N, C, H, W); }
export function maxPoolBackward_f32(dx: usize, dout: usize, argMax: usize, N: i32, C: i32, H: i32, W: i32, PH: i32, PW: i32, stride: i32, pad: i32): void { maxPoolBackward<f32>(dx, dout, argMax, N, C, H, W, PH, PW, stride, pad); }
export function maxPoolBackward_f64(dx: usize, dout: usize, argMax: usize, N: i32, C: i32, H: i32, W: i32, PH: i32, PW: i32, stride: i32, pad: i32): void { maxPoolBackward<f64>(dx, dout, argMax, N, C, H, W, PH, PW, stride, pad); }
