// Convolution forward in plain float64, by its definition (a sum over the window, no im2col):
// the oracle for assembly/conv.ts's products.
import { convOutSize, pixel, type ConvGeometry } from "./im2col.js";

type Vec = ArrayLike<number>;
type Out = Float64Array | Float32Array;

/** Convolution forward, NCHW: out[n, f, oy, ox] = Σ_{c,ky,kx} W[f,c,ky,kx]·x_pad[…] + b[f]. */
export function convForward(out: Out, x: Vec, Wt: Vec, b: Vec, FN: number, g: ConvGeometry): void {
  const { OH, OW } = convOutSize(g);
  for (let n = 0; n < g.N; n++) for (let f = 0; f < FN; f++) for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) {
    let s = 0;
    for (let c = 0; c < g.C; c++) for (let ky = 0; ky < g.FH; ky++) for (let kx = 0; kx < g.FW; kx++) {
      s += Wt[((f * g.C + c) * g.FH + ky) * g.FW + kx] * pixel(x, g, n, c, oy * g.stride + ky - g.pad, ox * g.stride + kx - g.pad);
    }
    out[((n * FN + f) * OH + oy) * OW + ox] = s + b[f];
  }
}
