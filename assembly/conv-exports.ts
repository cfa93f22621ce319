// The convolution/pooling kernels of conv.ts instantiated for f32 and f64 (re-exported by
// index.ts; kept apart so the shared index only needs one line for them).
import {
  im2col, col2im, convForward, convBackwardParams, convBackwardData,
  maxPoolForward, maxPool2x2Forward, maxPoolBackward, maxPool2x2Backward,
} from "./conv";

export function im2col_f32(col: usize, x: usize, N: i32, C: i32, H: i32, W: i32, FH: i32, FW: i32, stride: i32, pad: i32, sn: i32, sp: i32, sk: i32): void { im2col<f32>(col, x, N, C, H, W, FH, FW, stride, pad, sn, sp, sk); }
export function im2col_f64(col: usize, x: usize, N: i32, C: i32, H: i32, W: i32, FH: i32, FW: i32, stride: i32, pad: i32, sn: i32, sp: i32, sk: i32): void { im2col<f64>(col, x, N, C, H, W, FH, FW, stride, pad, sn, sp, sk); }
export function col2im_f32(dx: usize, col: usize, N: i32, C: i32, H: i32, W: i32, FH: i32, FW: i32, stride: i32, pad: i32, sn: i32, sp: i32, sk: i32): void { col2im<f32>(dx, col, N, C, H, W, FH, FW, stride, pad, sn, sp, sk); }
export function col2im_f64(dx: usize, col: usize, N: i32, C: i32, H: i32, W: i32, FH: i32, FW: i32, stride: i32, pad: i32, sn: i32, sp: i32, sk: i32): void { col2im<f64>(dx, col, N, C, H, W, FH, FW, stride, pad, sn, sp, sk); }
export function convForward_f32(out: usize, col: usize, W: usize, b: usize, N: i32, FN: i32, CK: i32, P: i32): void { convForward<f32>(out, col, W, b, N, FN, CK, P); }
export function convForward_f64(out: usize, col: usize, W: usize, b: usize, N: i32, FN: i32, CK: i32, P: i32): void { convForward<f64>(out, col, W, b, N, FN, CK, P); }
export function convBackwardParams_f32(dW: usize, db: usize, tmp: usize, dout: usize, col: usize, N: i32, FN: i32, CK: i32, P: i32): void { convBackwardParams<f32>(dW, db, tmp, dout, col, N, FN, CK, P); }
export function convBackwardParams_f64(dW: usize, db: usize, tmp: usize, dout: usize, col: usize, N: i32, FN: i32, CK: i32, P: i32): void { convBackwardParams<f64>(dW, db, tmp, dout, col, N, FN, CK, P); }
export function convBackwardData_f32(dcol: usize, W: usize, dout: usize, N: i32, FN: i32, CK: i32, P: i32): void { convBackwardData<f32>(dcol, W, dout, N, FN, CK, P); }
export function convBackwardData_f64(dcol: usize, W: usize, dout: usize, N: i32, FN: i32, CK: i32, P: i32): void { convBackwardData<f64>(dcol, W, dout, N, FN, CK, P); }
export function maxPoolForward_f32(out: usize, argMax: usize, x: usize, N: i32, C: i32, H: i32, W: i32, PH: i32, PW: i32, stride: i32, pad: i32): void { maxPoolForward<f32>(out, argMax, x, N, C, H, W, PH, PW, stride, pad); }
export function maxPoolForward_f64(out: usize, argMax: usize, x: usize, N: i32, C: i32, H: i32, W: i32, PH: i32, PW: i32, stride: i32, pad: i32): void { maxPoolForward<f64>(out, argMax, x, N, C, H, W, PH, PW, stride, pad); }
export function maxPool2x2Forward_f32(out: usize, argMax: usize, x: usize, N: i32, C: i32, H: i32, W: i32): void { maxPool2x2Forward<f32>(out, argMax, x, N, C, H, W); }
export function maxPool2x2Forward_f64(out: usize, argMax: usize, x: usize, N: i32, C: i32, H: i32, W: i32): void { maxPool2x2Forward<f64>(out, argMax, x, N, C, H, W); }
export function maxPoolBackward_f32(dx: usize, dout: usize, argMax: usize, N: i32, C: i32, H: i32, W: i32, PH: i32, PW: i32, stride: i32, pad: i32): void { maxPoolBackward<f32>(dx, dout, argMax, N, C, H, W, PH, PW, stride, pad); }
export function maxPoolBackward_f64(dx: usize, dout: usize, argMax: usize, N: i32, C: i32, H: i32, W: i32, PH: i32, PW: i32, stride: i32, pad: i32): void { maxPoolBackward<f64>(dx, dout, argMax, N, C, H, W, PH, PW, stride, pad); }
export function maxPool2x2Backward_f32(dx: usize, dout: usize, argMax: usize, N: i32, C: i32, H: i32, W: i32): void { maxPool2x2Backward<f32>(dx, dout, argMax, N, C, H, W); }
export function maxPool2x2Backward_f64(dx: usize, dout: usize, argMax: usize, N: i32, C: i32, H: i32, W: i32): void { maxPool2x2Backward<f64>(dx, dout, argMax, N, C, H, W); }
