// ReLU and Sigmoid forward/backward and the bias gradient's column sum, plain float64 (the
// book's common/layers.py): the oracle for assembly/elementwise.ts.
// Math.exp is fine here: this is the test oracle and bench baseline, never library output.
type Vec = ArrayLike<number>;
type Out = Float64Array | Float32Array;

export function reluForward(out: Out, x: Vec, n: number): void {
  for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? x[i] : 0;
}

/** dx = dout where the forward output was positive, else 0. */
export function reluBackward(dx: Out, dout: Vec, out: Vec, n: number): void {
  for (let i = 0; i < n; i++) dx[i] = out[i] > 0 ? dout[i] : 0;
}

export function sigmoidForward(out: Out, x: Vec, n: number): void {
  for (let i = 0; i < n; i++) out[i] = 1 / (1 + Math.exp(-x[i]));
}

/** dx = dout · (1 - out) · out. */
export function sigmoidBackward(dx: Out, dout: Vec, out: Vec, n: number): void {
  for (let i = 0; i < n; i++) dx[i] = dout[i] * (1 - out[i]) * out[i];
}

/** db[j] = Σ_i dout[i, j] (np.sum(dout, axis=0)), summed in row order. */
export function columnSum(db: Out, dout: Vec, rows: number, cols: number): void {
  for (let j = 0; j < cols; j++) {
    let s = 0;
    for (let i = 0, p = j; i < rows; i++, p += cols) s += dout[p];
    db[j] = s;
  }
}
