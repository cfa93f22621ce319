// Softmax, cross-entropy and SoftmaxWithLoss backward, as the book's common/functions.py and
// common/layers.py define them. Rows are samples, `C` is the number of classes.
// Targets come as one-hot rows (same shape as y) or as int32 label indices.
import { BYTES, expT, logT } from "./lanes";

/** y = softmax(x) per row: exp(x - rowmax) / Σ exp(x - rowmax). */
export function softmaxRows<T>(y: usize, x: usize, N: i32, C: i32): void {
  const S = BYTES<T>();
  const rowBytes = <usize>C * S;
  for (let n = 0; n < N; n++) {
    const xr = x + <usize>n * rowBytes;
    const yr = y + <usize>n * rowBytes;
    let m = load<T>(xr);
    for (let c = 1; c < C; c++) m = max<T>(m, load<T>(xr + <usize>c * S));
    let s: T = <T>0;
    for (let c = 0; c < C; c++) {
      const e = expT<T>(load<T>(xr + <usize>c * S) - m);
      store<T>(yr + <usize>c * S, e);
      s += e;
    }
    for (let c = 0; c < C; c++) store<T>(yr + <usize>c * S, load<T>(yr + <usize>c * S) / s);
  }
}

/** -Σ t·log(y + 1e-7) / N for one-hot (or soft) targets; f64 accumulation, row order. */
export function crossEntropyOneHot<T>(y: usize, t: usize, N: i32, C: i32): f64 {
  const S = BYTES<T>();
  const delta = <T>1e-7;
  let total: f64 = 0;
  const n = <usize>N * <usize>C;
  for (let i: usize = 0; i < n; i++) {
    const tv = load<T>(t + i * S);
    if (tv != <T>0) total += <f64>(tv * logT<T>(load<T>(y + i * S) + delta));
  }
  return -total / <f64>N;
}

/** -Σ log(y[n, t[n]] + 1e-7) / N for int32 labels (already range-checked by the caller). */
export function crossEntropyLabels<T>(y: usize, labels: usize, N: i32, C: i32): f64 {
  const S = BYTES<T>();
  const delta = <T>1e-7;
  let total: f64 = 0;
  for (let n = 0; n < N; n++) {
    const k = load<i32>(labels + (<usize>n << 2));
    total += <f64>logT<T>(load<T>(y + (<usize>n * C + <usize>k) * S) + delta);
  }
  return -total / <f64>N;
}

/** dx = (y - t) / N for one-hot targets. */
export function softmaxLossBackwardOneHot<T>(dx: usize, y: usize, t: usize, N: i32, C: i32): void {
  const S = BYTES<T>();
  const bn = <T>N;
  const n = <usize>N * <usize>C;
  for (let i: usize = 0; i < n; i++) {
    store<T>(dx + i * S, (load<T>(y + i * S) - load<T>(t + i * S)) / bn);
  }
}

/** dx = y; dx[n, t[n]] -= 1; dx /= N — written as (y - [c == t]) / N, the same bits. */
export function softmaxLossBackwardLabels<T>(dx: usize, y: usize, labels: usize, N: i32, C: i32): void {
  const S = BYTES<T>();
  const bn = <T>N;
  for (let n = 0; n < N; n++) {
    const k = load<i32>(labels + (<usize>n << 2));
    const row = <usize>n * C;
    for (let c = 0; c < C; c++) {
      const o = (row + <usize>c) * S;
      const v = load<T>(y + o);
      store<T>(dx + o, (c == k ? v - <T>1 : v) / bn);
    }
  }
}

/** Rows [i0, i1) of SoftmaxWithLoss's backward for a batch of N: the two functions above, row by row. */
export function softmaxLossBackwardRows<T>(dx: usize, y: usize, t: usize, oneHot: bool, i0: i32, i1: i32, C: i32, N: i32): void {
  const S = BYTES<T>();
  const bn = <T>N;
  if (oneHot) {
    const end = <usize>i1 * <usize>C;
    for (let i = <usize>i0 * <usize>C; i < end; i++) store<T>(dx + i * S, (load<T>(y + i * S) - load<T>(t + i * S)) / bn);
    return;
  }
  for (let n = i0; n < i1; n++) {
    const k = load<i32>(t + (<usize>n << 2));
    const row = <usize>n * C;
    for (let c = 0; c < C; c++) {
      const o = (row + <usize>c) * S;
      const v = load<T>(y + o);
      store<T>(dx + o, (c == k ? v - <T>1 : v) / bn);
    }
  }
}

/** out[n] = index of the first maximum of row n (numpy argmax semantics). */
export function argmaxRows<T>(out: usize, y: usize, N: i32, C: i32): void {
  const S = BYTES<T>();
  for (let n = 0; n < N; n++) {
    const row = y + <usize>n * C * S;
    let best = load<T>(row);
    let arg = 0;
    for (let c = 1; c < C; c++) {
      const v = load<T>(row + <usize>c * S);
      if (v > best) { best = v; arg = c; }
    }
    store<i32>(out + (<usize>n << 2), arg);
  }
}

/** Number of rows whose argmax equals labels[n]. */
export function countCorrect<T>(y: usize, labels: usize, N: i32, C: i32): i32 {
  let correct = 0;
  for (let n = 0; n < N; n++) if (argmaxRow<T>(y, n, C) == load<i32>(labels + (<usize>n << 2))) correct++;
  return correct;
}

/** countCorrect with uint8 labels (a dataset's own). */
export function countCorrectU8<T>(y: usize, labels: usize, N: i32, C: i32): i32 {
  let correct = 0;
  for (let n = 0; n < N; n++) if (argmaxRow<T>(y, n, C) == <i32>load<u8>(labels + <usize>n)) correct++;
  return correct;
}

/** Index of the first maximum of row n (numpy argmax semantics: NaN never wins a `>`). */
// @ts-ignore: decorator
@inline function argmaxRow<T>(y: usize, n: i32, C: i32): i32 {
  const S = BYTES<T>();
  const row = y + <usize>n * C * S;
  let best = load<T>(row);
  let arg = 0;
  for (let c = 1; c < C; c++) {
    const v = load<T>(row + <usize>c * S);
    if (v > best) { best = v; arg = c; }
  }
  return arg;
}
