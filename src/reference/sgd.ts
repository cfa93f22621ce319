// SGD (§6.1.2): p ← p - lr · g over a flat parameter array.
export function sgdUpdate(p: Float64Array | Float32Array, g: ArrayLike<number>, lr: number, n: number): void {
  for (let i = 0; i < n; i++) p[i] -= lr * g[i];
}
