// Plain-TypeScript float64 matrix products (assembly/gemm/): the oracle the wasm gemm is tested against and the
// baseline it is benchmarked against. Row-major; each output element is one dot product kept in
// a local accumulator (the fast honest plain-JS style: a local `s` stays in a register, while
// i-k-j with `C[j] +=` goes through the typed array on every multiply-add).
type Vec = ArrayLike<number>;
type Out = Float64Array | Float32Array;

/** C[M×N] = A[M×K]·B[K×N] (+ bias[N]): Affine forward, out = x·W + b. */
export function gemmAB(C: Out, A: Vec, B: Vec, bias: Vec | null, M: number, N: number, K: number): void {
  for (let i = 0; i < M; i++) {
    const a0 = i * K;
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0, b = j; k < K; k++, b += N) s += A[a0 + k] * B[b];
      C[i * N + j] = bias === null ? s : s + bias[j];
    }
  }
}

/** C[M×N] = Aᵀ·B with A stored [K×M], B [K×N]: Affine backward, dW = xᵀ·dout. */
export function gemmAtB(C: Out, A: Vec, B: Vec, M: number, N: number, K: number): void {
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0, a = i, b = j; k < K; k++, a += M, b += N) s += A[a] * B[b];
      C[i * N + j] = s;
    }
  }
}

/** C[M×N] = A[M×K]·Bᵀ with B stored [N×K]: Affine backward, dx = dout·Wᵀ. */
export function gemmABt(C: Out, A: Vec, B: Vec, M: number, N: number, K: number): void {
  for (let i = 0; i < M; i++) {
    const a0 = i * K;
    for (let j = 0; j < N; j++) {
      const b0 = j * K;
      let s = 0;
      for (let k = 0; k < K; k++) s += A[a0 + k] * B[b0 + k];
      C[i * N + j] = s;
    }
  }
}

/** out[i, j] = x[i, j] + b[j] over a [rows×cols] matrix. */
export function addBias(out: Out, x: Vec, b: Vec, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) {
    const r = i * cols;
    for (let j = 0; j < cols; j++) out[r + j] = x[r + j] + b[j];
  }
}
