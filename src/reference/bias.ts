// Bias add and its backward (the column sum db = Σ_rows dout), plain float64.
type Vec = ArrayLike<number>;
type Out = Float64Array | Float32Array;

/** out[i, j] = x[i, j] + b[j] over a [rows×cols] matrix. */
export function addBias(out: Out, x: Vec, b: Vec, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) {
    const r = i * cols;
    for (let j = 0; j < cols; j++) out[r + j] = x[r + j] + b[j];
  }
}

/** db[j] = Σ_i dout[i, j] (np.sum(dout, axis=0)), summed in row order. */
export function columnSum(db: Out, dout: Vec, rows: number, cols: number): void {
  for (let j = 0; j < cols; j++) {
    let s = 0;
    for (let i = 0, p = j; i < rows; i++, p += cols) s += dout[p];
    db[j] = s;
  }
}
