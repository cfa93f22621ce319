// Softmax, cross-entropy, SoftmaxWithLoss backward, and argmax / correct counts (first maximum,
// as numpy), plain float64 (common/functions.py): the oracle for assembly/softmax.ts.
type Vec = ArrayLike<number>;
type Out = Float64Array | Float32Array;

/** The book's `delta` inside the log: keeps log(0) finite. */
export const CROSS_ENTROPY_DELTA = 1e-7;

/** y = exp(x - rowmax) / Σ exp(x - rowmax), per row of [N×C]. */
export function softmaxRows(y: Out, x: Vec, N: number, C: number): void {
  for (let n = 0; n < N; n++) {
    const r = n * C;
    let m = x[r];
    for (let c = 1; c < C; c++) if (x[r + c] > m) m = x[r + c];
    let s = 0;
    for (let c = 0; c < C; c++) {
      const e = Math.exp(x[r + c] - m);
      y[r + c] = e;
      s += e;
    }
    for (let c = 0; c < C; c++) y[r + c] /= s;
  }
}

/** -Σ t·log(y + 1e-7) / N for one-hot (or soft) targets t [N×C]. */
export function crossEntropyOneHot(y: Vec, t: Vec, N: number, C: number): number {
  let total = 0;
  for (let i = 0; i < N * C; i++) if (t[i] !== 0) total += t[i] * Math.log(y[i] + CROSS_ENTROPY_DELTA);
  return -total / N;
}

/** -Σ log(y[n, labels[n]] + 1e-7) / N. */
export function crossEntropyLabels(y: Vec, labels: Vec, N: number, C: number): number {
  let total = 0;
  for (let n = 0; n < N; n++) total += Math.log(y[n * C + labels[n]] + CROSS_ENTROPY_DELTA);
  return -total / N;
}

/** dx = (y - t) / N for one-hot t. */
export function softmaxLossBackwardOneHot(dx: Out, y: Vec, t: Vec, N: number, C: number): void {
  for (let i = 0; i < N * C; i++) dx[i] = (y[i] - t[i]) / N;
}

/** dx = y; dx[n, labels[n]] -= 1; dx /= N. */
export function softmaxLossBackwardLabels(dx: Out, y: Vec, labels: Vec, N: number, C: number): void {
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const i = n * C + c;
      dx[i] = (c === labels[n] ? y[i] - 1 : y[i]) / N;
    }
  }
}

/** The argmax of each row of [N×C]. */
export function argmaxRows(out: Int32Array, y: Vec, N: number, C: number): void {
  for (let n = 0; n < N; n++) out[n] = argmaxRow(y, n * C, C);
}

/** Rows whose argmax is the label. */
export function countCorrect(y: Vec, labels: Vec, N: number, C: number): number {
  let correct = 0;
  for (let n = 0; n < N; n++) if (argmaxRow(y, n * C, C) === labels[n]) correct++;
  return correct;
}

function argmaxRow(y: Vec, start: number, C: number): number {
  let best = y[start];
  let arg = 0;
  for (let c = 1; c < C; c++) {
    if (y[start + c] > best) { best = y[start + c]; arg = c; }
  }
  return arg;
}
