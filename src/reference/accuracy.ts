// argmax per row (first maximum, as numpy) and the number of rows whose argmax is the label.
type Vec = ArrayLike<number>;

export function argmaxRows(out: Int32Array, y: Vec, N: number, C: number): void {
  for (let n = 0; n < N; n++) out[n] = argmaxRow(y, n * C, C);
}

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
