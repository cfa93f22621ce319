// Minibatch gather: rows idx[b] of a uint8 image matrix, as floats, optionally ÷255 (normalize):
// the oracle for assembly/data.ts.
export function gatherRowsU8(
  out: Float64Array | Float32Array, src: Uint8Array, idx: ArrayLike<number>, batch: number, rowLen: number, normalize: boolean,
): void {
  for (let b = 0; b < batch; b++) {
    const from = idx[b] * rowLen;
    const to = b * rowLen;
    for (let c = 0; c < rowLen; c++) out[to + c] = normalize ? src[from + c] / 255 : src[from + c];
  }
}
