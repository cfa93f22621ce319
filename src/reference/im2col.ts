// im2col / col2im in plain float64, written straight from the book's common/util.py: the
// oracle for assembly/im2col.ts. Layouts are the book's: col is [N·OH·OW × C·FH·FW]. The
// geometry helpers here serve the pooling and conv references too (as in assembly/).
type Vec = ArrayLike<number>;
type Out = Float64Array | Float32Array;

export interface ConvGeometry {
  N: number; C: number; H: number; W: number; FH: number; FW: number; stride: number; pad: number;
}

export function convOutSize(g: ConvGeometry): { OH: number; OW: number } {
  return { OH: Math.floor((g.H + 2 * g.pad - g.FH) / g.stride) + 1, OW: Math.floor((g.W + 2 * g.pad - g.FW) / g.stride) + 1 };
}

/** x[n, c, iy, ix] with zeros outside the image (np.pad with 0). */
export function pixel(x: Vec, g: ConvGeometry, n: number, c: number, iy: number, ix: number): number {
  if (iy < 0 || iy >= g.H || ix < 0 || ix >= g.W) return 0;
  return x[((n * g.C + c) * g.H + iy) * g.W + ix];
}

/** col[(n,oy,ox), (c,ky,kx)] = padded x[n, c, oy·s + ky, ox·s + kx]. */
export function im2col(col: Out, x: Vec, g: ConvGeometry): void {
  const { OH, OW } = convOutSize(g);
  const K = g.C * g.FH * g.FW;
  for (let n = 0; n < g.N; n++) for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) {
    const row = ((n * OH + oy) * OW + ox) * K;
    for (let c = 0; c < g.C; c++) for (let ky = 0; ky < g.FH; ky++) for (let kx = 0; kx < g.FW; kx++) {
      col[row + (c * g.FH + ky) * g.FW + kx] = pixel(x, g, n, c, oy * g.stride + ky - g.pad, ox * g.stride + kx - g.pad);
    }
  }
}

/** dx[n, c, iy, ix] = Σ of the col entries that im2col copied from that pixel (padding dropped). */
export function col2im(dx: Out, col: Vec, g: ConvGeometry): void {
  const { OH, OW } = convOutSize(g);
  const K = g.C * g.FH * g.FW;
  dx.fill(0);
  // the book's loop order: for each tap (ky, kx), add that tap's values of every patch
  for (let ky = 0; ky < g.FH; ky++) for (let kx = 0; kx < g.FW; kx++) {
    for (let n = 0; n < g.N; n++) for (let c = 0; c < g.C; c++) for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) {
      const iy = oy * g.stride + ky - g.pad, ix = ox * g.stride + kx - g.pad;
      if (iy < 0 || iy >= g.H || ix < 0 || ix >= g.W) continue;
      dx[((n * g.C + c) * g.H + iy) * g.W + ix] += col[((n * OH + oy) * OW + ox) * K + (c * g.FH + ky) * g.FW + kx];
    }
  }
}
