// Convolution and pooling helpers (book §7.4), generic over f32/f64. x is always NCHW.
// Outputs first, then inputs, then sizes. Kernels overwrite their outputs (col2im and the pool
// backward zero dx first, then accumulate overlapping windows, as the book's col2im does).
//
// im2col / col2im take the col layout as three strides, so one kernel serves every layout:
//   image n, patch q = oy·OW + ox, tap k = (c·FH + ky)·FW + kx,
//   element (n, q, k) lives at col[n·sn + q·sp + k·sk].
//   - the book's util.py layout [N·OH·OW × C·FH·FW]:   sn = OH·OW·CK, sp = CK, sk = 1;
//   - Convolution's layout      [N × C·FH·FW × OH·OW]: sn = CK·OH·OW, sp = 1,  sk = OH·OW
//     (per image, the transpose of the book's rows).
// With the second, image n's product W[FN×CK]·col_n[CK×P] is a plain gemmAB whose rows are the
// filters, i.e. exactly image n's NCHW output block: the book's reshape + transpose(0,3,1,2)
// disappears, and every per-image operand (≈ 60–70 KB for MNIST) stays in L2 while it is used.
import { LANES, BYTES, hsum } from "./lanes";
import { gemmAB, gemmABt } from "./gemm";

/** Output extent of one spatial axis: (in + 2·pad − f) / stride + 1 (caller checks it is whole). */
// @ts-ignore: decorator
@inline function outSize(inSize: i32, f: i32, stride: i32, pad: i32): i32 {
  return (inSize + 2 * pad - f) / stride + 1;
}

/** First ox whose input column ox·stride + kx − pad is ≥ 0, at most OW (a wide pad can push it past the row). */
// @ts-ignore: decorator
@inline function firstInside(kx: i32, stride: i32, pad: i32, OW: i32): i32 {
  const d = pad - kx;
  const lo = d <= 0 ? 0 : (d + stride - 1) / stride;
  return lo < OW ? lo : OW;
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
  sn: i32, sp: i32, sk: i32,
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
          const lo = firstInside(kx, stride, pad, OW);
          const hi = endInside(kx, stride, pad, W, OW, lo);
          for (let oy = 0; oy < OH; oy++) {
            const q0 = oy * OW;
            let dst = col + (<usize>n * <usize>sn + <usize>q0 * <usize>sp + <usize>k * <usize>sk) * S;
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
  sn: i32, sp: i32, sk: i32,
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
          const lo = firstInside(kx, stride, pad, OW);
          const hi = endInside(kx, stride, pad, W, OW, lo);
          for (let oy = 0; oy < OH; oy++) {
            const iy = oy * stride + ky - pad;
            if (iy < 0 || iy >= H) continue;
            const q0 = oy * OW;
            let src = col + (<usize>n * <usize>sn + <usize>(q0 + lo) * <usize>sp + <usize>k * <usize>sk) * S;
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
 * Convolution forward for a batch: out_n[FN×P] = W[FN×CK]·col_n[CK×P] + b (b per row), image by
 * image, so the output lands in NCHW directly. Same rounding as gemmAB with a bias: Σ_k first, then + b.
 */
export function convForward<T>(
  out: usize, // [N×FN×P] (NCHW)
  col: usize, // [N×CK×P]
  W: usize, // [FN×CK]
  b: usize, // [FN]
  N: i32, FN: i32, CK: i32, P: i32,
): void {
  const S = BYTES<T>();
  const outImage = <usize>FN * <usize>P * S;
  const colImage = <usize>CK * <usize>P * S;
  for (let n = 0; n < N; n++) {
    const o = out + <usize>n * outImage;
    gemmAB<T>(o, W, col + <usize>n * colImage, 0, FN, P, CK, CK, 1);
    for (let f = 0; f < FN; f++) addScalar<T>(o + <usize>f * <usize>P * S, load<T>(b + <usize>f * S), P);
  }
}

/**
 * dW[FN×CK] = Σ_n dout_n[FN×P]·col_nᵀ and db[f] = Σ_n Σ_q dout_n[f, q], images added in order
 * (dW_0 + dW_1) + dW_2 …. Each image's term is computed transposed, tmp[CK×FN] = col_n·dout_nᵀ
 * (gemmABt's recipe): with CK = 25 rows and FN = 30 columns that keeps 96% of SimpleConvNet's
 * dot products in gemmABt's 4×2 register tiles (the untransposed 30×25 shape manages 90%, and
 * its leftovers run as single accumulators). `tmp` is scratch. Overwrites dW and db.
 */
export function convBackwardParams<T>(
  dW: usize, // [FN×CK] out
  db: usize, // [FN] out
  tmp: usize, // [CK×FN] scratch
  dout: usize, // [N×FN×P] (NCHW)
  col: usize, // [N×CK×P]
  N: i32, FN: i32, CK: i32, P: i32,
): void {
  const S = BYTES<T>();
  const outImage = <usize>FN * <usize>P * S;
  const colImage = <usize>CK * <usize>P * S;
  for (let n = 0; n < N; n++) {
    const d = dout + <usize>n * outImage;
    gemmABt<T>(tmp, col + <usize>n * colImage, d, CK, FN, P);
    for (let f = 0; f < FN; f++) {
      const row = dW + <usize>f * <usize>CK * S;
      for (let c = 0; c < CK; c++) {
        const v = load<T>(tmp + (<usize>c * <usize>FN + <usize>f) * S);
        store<T>(row + <usize>c * S, n == 0 ? v : load<T>(row + <usize>c * S) + v);
      }
      const s = sumOf<T>(d + <usize>f * <usize>P * S, P);
      store<T>(db + <usize>f * S, n == 0 ? s : load<T>(db + <usize>f * S) + s);
    }
  }
}

/** dcol_n[CK×P] = Wᵀ·dout_n for every image (W [FN×CK] read transposed through gemmAB's strides). */
export function convBackwardData<T>(
  dcol: usize, // [N×CK×P] out
  W: usize, // [FN×CK]
  dout: usize, // [N×FN×P]
  N: i32, FN: i32, CK: i32, P: i32,
): void {
  const S = BYTES<T>();
  for (let n = 0; n < N; n++) {
    gemmAB<T>(dcol + <usize>n * <usize>CK * <usize>P * S, W, dout + <usize>n * <usize>FN * <usize>P * S, 0, CK, P, FN, 1, CK);
  }
}

/** x[0..n) += v. */
// @ts-ignore: decorator
@inline function addScalar<T>(x: usize, v: T, n: i32): void {
  const S = BYTES<T>();
  const L = LANES<T>();
  const vv = v128.splat<T>(v);
  let i = 0;
  for (; i + L <= n; i += L) v128.store(x + <usize>i * S, v128.add<T>(v128.load(x + <usize>i * S), vv));
  for (; i < n; i++) store<T>(x + <usize>i * S, load<T>(x + <usize>i * S) + v);
}

/** Σ x[0..n): lane sums in order, lanes 0..L-1 added, then the tail. */
// @ts-ignore: decorator
@inline function sumOf<T>(x: usize, n: i32): T {
  const S = BYTES<T>();
  const L = LANES<T>();
  let acc = v128.splat<T>(0);
  let i = 0;
  for (; i + L <= n; i += L) acc = v128.add<T>(acc, v128.load(x + <usize>i * S));
  let s = hsum<T>(acc);
  for (; i < n; i++) s += load<T>(x + <usize>i * S);
  return s;
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

/**
 * 2×2, stride 2, no padding (SimpleConvNet's pool): the same results by a shorter path. For f32,
 * four windows at a time: even/odd columns of two input rows are split by shuffles, then three
 * compare-and-select steps in the scalar order (a, b, c, d; strict >, so the first maximum wins).
 */
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
  const i1 = i32x4.splat(1), i2 = i32x4.splat(2), i3 = i32x4.splat(3);
  let o: usize = 0;
  for (let q = 0; q < planes; q++) {
    let r0 = x + <usize>q * <usize>H * rowX;
    for (let oy = 0; oy < OH; oy++) {
      let p = r0;
      let ox = 0;
      if (sizeof<T>() == 4) { // f64 is for checks, not speed: it takes the scalar loop
        for (; ox + 4 <= OW; ox += 4) {
          const u0 = v128.load(p), u1 = v128.load(p, 16), w0 = v128.load(p + rowX), w1 = v128.load(p + rowX, 16);
          const a = v128.shuffle<f32>(u0, u1, 0, 2, 4, 6), b = v128.shuffle<f32>(u0, u1, 1, 3, 5, 7);
          const c = v128.shuffle<f32>(w0, w1, 0, 2, 4, 6), d = v128.shuffle<f32>(w0, w1, 1, 3, 5, 7);
          let best = a;
          let arg = i32x4.splat(0);
          let m = f32x4.gt(b, best);
          best = v128.bitselect(b, best, m); arg = v128.bitselect(i1, arg, m);
          m = f32x4.gt(c, best);
          best = v128.bitselect(c, best, m); arg = v128.bitselect(i2, arg, m);
          m = f32x4.gt(d, best);
          best = v128.bitselect(d, best, m); arg = v128.bitselect(i3, arg, m);
          v128.store(out + o * S, best);
          v128.store(argMax + (o << 2), arg);
          o += 4;
          p += 8 * S;
        }
      }
      for (; ox < OW; ox++) {
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

/**
 * Backward of maxPool2x2Forward: windows tile the input exactly, so every dx element is written
 * once (dout where it was its window's argMax, else 0) — no zero fill, no scatter.
 */
export function maxPool2x2Backward<T>(
  dx: usize, // [N×C×H×W] out, H and W even
  dout: usize, // [N×C×OH×OW]
  argMax: usize, // [N×C×OH×OW] int32
  N: i32, C: i32, H: i32, W: i32,
): void {
  const S = BYTES<T>();
  const OH = H >> 1, OW = W >> 1;
  const planes = N * C;
  const rowX = <usize>W * S;
  const zero = v128.splat<T>(0);
  const i1 = i32x4.splat(1), i2 = i32x4.splat(2), i3 = i32x4.splat(3);
  let o: usize = 0;
  for (let q = 0; q < planes; q++) {
    let r0 = dx + <usize>q * <usize>H * rowX;
    for (let oy = 0; oy < OH; oy++) {
      let p = r0;
      let ox = 0;
      if (sizeof<T>() == 4) {
        for (; ox + 4 <= OW; ox += 4) {
          const g = v128.load(dout + o * S);
          const arg = v128.load(argMax + (o << 2));
          const a = v128.bitselect(g, zero, i32x4.eq(arg, zero));
          const b = v128.bitselect(g, zero, i32x4.eq(arg, i1));
          const c = v128.bitselect(g, zero, i32x4.eq(arg, i2));
          const d = v128.bitselect(g, zero, i32x4.eq(arg, i3));
          v128.store(p, v128.shuffle<f32>(a, b, 0, 4, 1, 5));
          v128.store(p, v128.shuffle<f32>(a, b, 2, 6, 3, 7), 16);
          v128.store(p + rowX, v128.shuffle<f32>(c, d, 0, 4, 1, 5));
          v128.store(p + rowX, v128.shuffle<f32>(c, d, 2, 6, 3, 7), 16);
          o += 4;
          p += 8 * S;
        }
      }
      for (; ox < OW; ox++) {
        const g = load<T>(dout + o * S);
        const arg = load<i32>(argMax + (o << 2));
        store<T>(p, arg == 0 ? g : <T>0);
        store<T>(p, arg == 1 ? g : <T>0, S);
        store<T>(p + rowX, arg == 2 ? g : <T>0);
        store<T>(p + rowX, arg == 3 ? g : <T>0, S);
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
