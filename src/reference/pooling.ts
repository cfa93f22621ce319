// Max pooling in plain float64 (the book's common/layers.py Pooling), NCHW in and out: the
// oracle for assembly/pooling.ts.
import { convOutSize, pixel, type ConvGeometry } from "./im2col.js";

type Vec = ArrayLike<number>;
type Out = Float64Array | Float32Array;

/** Max pooling, NCHW in and out; argMax = first maximal tap ky·PW + kx, padding counts as 0. */
export function maxPoolForward(out: Out, argMax: Int32Array, x: Vec, g: ConvGeometry): void {
  const { OH, OW } = convOutSize(g);
  let o = 0;
  for (let n = 0; n < g.N; n++) for (let c = 0; c < g.C; c++) for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) {
    let best = -Infinity, arg = -1;
    for (let ky = 0; ky < g.FH; ky++) for (let kx = 0; kx < g.FW; kx++) {
      const v = pixel(x, g, n, c, oy * g.stride + ky - g.pad, ox * g.stride + kx - g.pad);
      if (v > best) { best = v; arg = ky * g.FW + kx; }
    }
    out[o] = best;
    argMax[o++] = arg;
  }
}

/** dx = dout routed to each window's argMax pixel, overlapping windows adding up. */
export function maxPoolBackward(dx: Out, dout: Vec, argMax: Int32Array, g: ConvGeometry): void {
  const { OH, OW } = convOutSize(g);
  dx.fill(0);
  let o = 0;
  for (let n = 0; n < g.N; n++) for (let c = 0; c < g.C; c++) for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) {
    const iy = oy * g.stride - g.pad + Math.floor(argMax[o] / g.FW), ix = ox * g.stride - g.pad + (argMax[o] % g.FW);
    if (iy >= 0 && iy < g.H && ix >= 0 && ix < g.W) dx[((n * g.C + c) * g.H + iy) * g.W + ix] += dout[o];
    o++;
  }
}
