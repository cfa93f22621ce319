// Convolution and pooling helpers (book §7.4), generic over f32/f64. x is always NCHW.
// Outputs first, then inputs, then sizes. Kernels overwrite their outputs (col2im and the pool
// backward zero dx first, then accumulate overlapping windows, as the book's col2im does).
//
// im2col / col2im take the col layout as two strides, so one kernel serves both layouts:
//   patch p = (n, oy, ox) = (n·OH + oy)·OW + ox,   tap k = (c, ky, kx) = (c·FH + ky)·FW + kx,
//   element (p, k) lives at col[p·sp + k·sk].
//   - the book's util.py layout  [N·OH·OW × C·FH·FW]: sp = C·FH·FW, sk = 1;
//   - Convolution's layout        [C·FH·FW × N·OH·OW]: sp = 1, sk = N·OH·OW (the transpose).
// The second makes the conv product W[FN×CK]·col[CK×NP] a plain gemmAB whose rows are filters,
// so the book's `reshape(N,OH,OW,-1).transpose(0,3,1,2)` becomes a copy of contiguous OH·OW
// runs (swapAxes01 below) instead of an element-by-element transpose.
import { LANES, BYTES, hsum } from "./lanes";

/** Output extent of one spatial axis: (in + 2·pad − f) / stride + 1 (caller checks it is whole). */
// @ts-ignore: decorator
@inline function outSize(inSize: i32, f: i32, stride: i32, pad: i32): i32 {
  return (inSize + 2 * pad - f) / stride + 1;
}

/** First ox whose input column ox·stride + kx − pad is ≥ 0. */
// @ts-ignore: decorator
@inline function firstInside(kx: i32, stride: i32, pad: i32): i32 {
  const d = pad - kx;
  return d <= 0 ? 0 : (d + stride - 1) / stride;
}

/** One past the last ox whose input column is < W (clamped to [lo, OW]). */
// @ts-ignore: decorator
@inline function endInside(kx: i32, stride: i32, pad: i32, W: i32, OW: i32, lo: i32): i32 {
  const d = W - 1 + pad - kx; // ox·stride ≤ d
  if (d < 0) return lo;
  const e = d / stride + 1;
  return e < OW ? (e < lo ? lo : e) : OW;
}

/** col ← the patches of x (zero outside the image), see the layout note at the top. */
export function im2col<T>(
  col: usize, // see header
  x: usize, // [N×C×H×W]
  N: i32, C: i32, H: i32, W: i32, FH: i32, FW: i32, stride: i32, pad: i32,
  sp: i32, sk: i32,
): void {
  const S = BYTES<T>();
  const OH = outSize(H, FH, stride, pad);
  const OW = outSize(W, FW, stride, pad);
  const stepP = <usize>sp * S;
  const contiguous = sp == 1 && stride == 1;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const plane = x + (<usize>(n * C + c) * <usize>H * <usize>W) * S;
      for (let ky = 0; ky < FH; ky++) {
        for (let kx = 0; kx < FW; kx++) {
          const k = (c * FH + ky) * FW + kx;
          const lo = firstInside(kx, stride, pad);
          const hi = endInside(kx, stride, pad, W, OW, lo);
          for (let oy = 0; oy < OH; oy++) {
            const p0 = (n * OH + oy) * OW;
            let dst = col + (<usize>p0 * <usize>sp + <usize>k * <usize>sk) * S;
            const iy = oy * stride + ky - pad;
            if (iy < 0 || iy >= H) {
              for (let ox = 0; ox < OW; ox++) { store<T>(dst, <T>0); dst += stepP; }
              continue;
            }
            const row = plane + <usize>iy * <usize>W * S;
            let ox = 0;
            for (; ox < lo; ox++) { store<T>(dst, <T>0); dst += stepP; }
            if (contiguous) {
              const len = hi - lo;
              memory.copy(dst, row + <usize>(lo + kx - pad) * S, <usize>len * S);
              dst += <usize>len * S;
              ox = hi;
            } else {
              let src = row + <usize>(lo * stride + kx - pad) * S;
              const stepX = <usize>stride * S;
              for (; ox < hi; ox++) { store<T>(dst, load<T>(src)); dst += stepP; src += stepX; }
            }
            for (; ox < OW; ox++) { store<T>(dst, <T>0); dst += stepP; }
          }
        }
      }
    }
  }
}

/**
 * dx ← Σ over patches of col scattered back to the pixels they came from (the book's col2im:
 * overlapping patches add up; taps that fell on the padding are dropped). Per pixel, the
 * contributions are added in the book's order: tap (ky, kx) ascending.
 */
export function col2im<T>(
  dx: usize, // [N×C×H×W] out
  col: usize, // see header
  N: i32, C: i32, H: i32, W: i32, FH: i32, FW: i32, stride: i32, pad: i32,
  sp: i32, sk: i32,
): void {
  const S = BYTES<T>();
  const L = LANES<T>();
  const OH = outSize(H, FH, stride, pad);
  const OW = outSize(W, FW, stride, pad);
  const stepP = <usize>sp * S;
  const contiguous = sp == 1 && stride == 1;
  memory.fill(dx, 0, <usize>N * <usize>C * <usize>H * <usize>W * S);
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const plane = dx + (<usize>(n * C + c) * <usize>H * <usize>W) * S;
      for (let ky = 0; ky < FH; ky++) {
        for (let kx = 0; kx < FW; kx++) {
          const k = (c * FH + ky) * FW + kx;
          const lo = firstInside(kx, stride, pad);
          const hi = endInside(kx, stride, pad, W, OW, lo);
          for (let oy = 0; oy < OH; oy++) {
            const iy = oy * stride + ky - pad;
            if (iy < 0 || iy >= H) continue;
            const p0 = (n * OH + oy) * OW;
            let src = col + (<usize>(p0 + lo) * <usize>sp + <usize>k * <usize>sk) * S;
            let dst = plane + (<usize>iy * <usize>W + <usize>(lo * stride + kx - pad)) * S;
            let ox = lo;
            if (contiguous) {
              for (; ox + L <= hi; ox += L) {
                v128.store(dst, v128.add<T>(v128.load(dst), v128.load(src)));
                dst += 16; src += 16;
              }
            }
            const stepX = <usize>stride * S;
            for (; ox < hi; ox++) {
              store<T>(dst, load<T>(dst) + load<T>(src));
              dst += stepX; src += stepP;
            }
          }
        }
      }
    }
  }
}

/**
 * out[b, a, :] = src[a, b, :] (+ bias[a]) for src [A×B×P]: swaps the two leading axes, moving
 * contiguous runs of P. Convolution uses it both ways: forward [FN×N×P] + b → NCHW [N×FN×P],
 * backward dout NCHW [N×FN×P] → [FN×N×P]. `bias` = 0 means none.
 */
export function swapAxes01<T>(
  out: usize, // [B×A×P]
  src: usize, // [A×B×P]
  bias: usize, // [A] or 0
  A: i32, B: i32, P: i32,
): void {
  const S = BYTES<T>();
  const L = LANES<T>();
  const run = <usize>P * S;
  for (let a = 0; a < A; a++) {
    const bv: T = bias ? load<T>(bias + <usize>a * S) : <T>0;
    const vb = v128.splat<T>(bv);
    for (let b = 0; b < B; b++) {
      const from = src + (<usize>a * <usize>B + <usize>b) * run;
      const to = out + (<usize>b * <usize>A + <usize>a) * run;
      if (!bias) { memory.copy(to, from, run); continue; }
      let i = 0;
      for (; i + L <= P; i += L) {
        const o = <usize>i * S;
        v128.store(to + o, v128.add<T>(v128.load(from + o), vb));
      }
      for (; i < P; i++) {
        const o = <usize>i * S;
        store<T>(to + o, load<T>(from + o) + bv);
      }
    }
  }
}

/** sums[r] = Σ_j m[r, j] for m [R×J] (the conv bias gradient over its [FN × N·OH·OW] dout). */
export function rowSum<T>(sums: usize, m: usize, R: i32, J: i32): void {
  const S = BYTES<T>();
  const L = LANES<T>();
  for (let r = 0; r < R; r++) {
    const row = m + <usize>r * <usize>J * S;
    let acc = v128.splat<T>(0);
    let j = 0;
    for (; j + L <= J; j += L) acc = v128.add<T>(acc, v128.load(row + <usize>j * S));
    let s = hsum<T>(acc); // fixed order: lanes 0..L-1, then the tail
    for (; j < J; j++) s += load<T>(row + <usize>j * S);
    store<T>(sums + <usize>r * S, s);
  }
}

/**
 * Max pooling forward, NCHW → NCHW [N×C×OH×OW], as the book's Pooling: windows that reach into
 * the padding see zeros there; argMax[i] is the tap index ky·PW + kx of the first maximum
 * (np.argmax order), counted over the whole window, padding included.
 */
export function maxPoolForward<T>(
  out: usize, // [N×C×OH×OW]
  argMax: usize, // [N×C×OH×OW] int32
  x: usize, // [N×C×H×W]
  N: i32, C: i32, H: i32, W: i32, PH: i32, PW: i32, stride: i32, pad: i32,
): void {
  const S = BYTES<T>();
  const OH = outSize(H, PH, stride, pad);
  const OW = outSize(W, PW, stride, pad);
  const planes = N * C;
  let o: usize = 0; // output element index
  for (let q = 0; q < planes; q++) {
    const plane = x + <usize>q * <usize>H * <usize>W * S;
    for (let oy = 0; oy < OH; oy++) {
      const y0 = oy * stride - pad;
      for (let ox = 0; ox < OW; ox++) {
        const x0 = ox * stride - pad;
        let best: T = <T>0;
        let arg = -1;
        for (let ky = 0; ky < PH; ky++) {
          const iy = y0 + ky;
          const inY = iy >= 0 && iy < H;
          for (let kx = 0; kx < PW; kx++) {
            const ix = x0 + kx;
            const v: T = inY && ix >= 0 && ix < W ? load<T>(plane + (<usize>iy * <usize>W + <usize>ix) * S) : <T>0;
            if (arg < 0 || v > best) { best = v; arg = ky * PW + kx; }
          }
        }
        store<T>(out + o * S, best);
        store<i32>(argMax + (o << 2), arg);
        o++;
      }
    }
  }
}

/** 2×2, stride 2, no padding (SimpleConvNet's pool): the same results by a shorter path. */
export function maxPool2x2Forward<T>(
  out: usize, // [N×C×OH×OW]
  argMax: usize, // [N×C×OH×OW] int32
  x: usize, // [N×C×H×W], H and W even
  N: i32, C: i32, H: i32, W: i32,
): void {
  const S = BYTES<T>();
  const OH = H >> 1, OW = W >> 1;
  const planes = N * C;
  const rowX = <usize>W * S;
  let o: usize = 0;
  for (let q = 0; q < planes; q++) {
    let r0 = x + <usize>q * <usize>H * rowX;
    for (let oy = 0; oy < OH; oy++) {
      let p = r0;
      for (let ox = 0; ox < OW; ox++) {
        const a = load<T>(p), b = load<T>(p, S), c = load<T>(p + rowX), d = load<T>(p + rowX, S);
        let best = a, arg = 0;
        if (b > best) { best = b; arg = 1; }
        if (c > best) { best = c; arg = 2; }
        if (d > best) { best = d; arg = 3; }
        store<T>(out + o * S, best);
        store<i32>(argMax + (o << 2), arg);
        o++;
        p += 2 * S;
      }
      r0 += 2 * rowX;
    }
  }
}

/** dx ← dout routed to each window's argMax position (added up where windows overlap). */
export function maxPoolBackward<T>(
  dx: usize, // [N×C×H×W] out
  dout: usize, // [N×C×OH×OW]
  argMax: usize, // [N×C×OH×OW] int32 from maxPoolForward
  N: i32, C: i32, H: i32, W: i32, PH: i32, PW: i32, stride: i32, pad: i32,
): void {
  const S = BYTES<T>();
  const OH = outSize(H, PH, stride, pad);
  const OW = outSize(W, PW, stride, pad);
  const planes = N * C;
  memory.fill(dx, 0, <usize>planes * <usize>H * <usize>W * S);
  let o: usize = 0;
  for (let q = 0; q < planes; q++) {
    const plane = dx + <usize>q * <usize>H * <usize>W * S;
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        const arg = load<i32>(argMax + (o << 2));
        const iy = oy * stride - pad + arg / PW;
        const ix = ox * stride - pad + arg % PW;
        if (iy >= 0 && iy < H && ix >= 0 && ix < W) { // a maximum in the padding has no pixel to go to
          const p = plane + (<usize>iy * <usize>W + <usize>ix) * S;
          store<T>(p, load<T>(p) + load<T>(dout + o * S));
        }
        o++;
      }
    }
  }
}
