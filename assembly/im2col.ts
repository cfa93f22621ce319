// im2col / col2im (book §7.4), generic over f32/f64. x is always NCHW. Outputs first, then
// inputs, then sizes. col2im zeroes dx first, then adds overlapping patches, as the book's does.
//
// Both take the col layout as three strides, so one kernel serves every layout:
//   image n, patch q = oy·OW + ox, tap k = (c·FH + ky)·FW + kx,
//   element (n, q, k) lives at col[n·sn + q·sp + k·sk].
//   - the book's util.py layout [N·OH·OW × C·FH·FW]:   sn = OH·OW·CK, sp = CK, sk = 1;
//   - Convolution's layout      [N × C·FH·FW × OH·OW]: sn = CK·OH·OW, sp = 1,  sk = OH·OW
//     (per image, the transpose of the book's rows: conv.ts multiplies it without a transpose).
import { LANES, BYTES } from "./lanes";

/** Output extent of one spatial axis: (in + 2·pad − f) / stride + 1 (caller checks it is whole). */
// @ts-ignore: decorator
@inline export function outSize(inSize: i32, f: i32, stride: i32, pad: i32): i32 {
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
          if (contiguous && OW == W && lo < hi) {
            const block = col + (<usize>n * <usize>sn + <usize>k * <usize>sk) * S;
            shiftedPlane<T>(block, plane, H, W, OH, ky - pad, kx - pad, lo, hi);
            continue;
          }
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
              // a short run (OW values: 28 for MNIST): vector copies inline; memory.copy is a
              // call into the engine per run, which cost more than the copy itself
              const len = hi - lo;
              copyShort(dst, row + <usize>(lo + kx - pad) * S, <usize>len * S);
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
 * col2im of one image of a "same" convolution (stride 1, OH = H, OW = W) in Convolution's layout
 * (sp = 1, sk = H·W), for a col that is scratch: the layer's dcol_n, which nothing reads after.
 * As in shiftedPlane, a tap's rows inside the image are one run of the plane shifted by one
 * offset, so the tap is added as one long vector run instead of a run of 28 (or 7) values per row
 * with a scalar tail. The run also crosses the entries of the border columns that the book's
 * col2im drops (taps that fell on the padding); those are set to +0 first, and dx + 0 is dx
 * exactly, because dx is never −0 (it starts at +0, and a sum is −0 only when both terms are).
 * So every pixel gets the same additions, tap (ky, kx) ascending, as col2im's: the same bits.
 */
export function col2imSameScratch<T>(dx: usize, col: usize, C: i32, H: i32, W: i32, FH: i32, FW: i32, pad: i32): void {
  const S = BYTES<T>();
  const P = <usize>H * <usize>W;
  memory.fill(dx, 0, <usize>C * P * S);
  for (let c = 0; c < C; c++) {
    const plane = dx + <usize>c * P * S;
    for (let ky = 0; ky < FH; ky++) {
      const dy = ky - pad;
      // the rows whose input row oy + dy is inside the image: the columns' rule, along y
      const oyLo = firstInside(ky, 1, pad, H);
      const oyHi = endInside(ky, 1, pad, H, H, oyLo);
      for (let kx = 0; kx < FW; kx++) {
        const lo = firstInside(kx, 1, pad, W);
        const hi = endInside(kx, 1, pad, W, W, lo);
        if (oyLo == oyHi || lo == hi) continue;
        const block = col + <usize>((c * FH + ky) * FW + kx) * P * S;
        if (lo > 0 || hi < W) {
          for (let oy = oyLo; oy < oyHi; oy++) {
            const r = block + <usize>oy * <usize>W * S;
            for (let ox = 0; ox < lo; ox++) store<T>(r + <usize>ox * S, <T>0);
            for (let ox = hi; ox < W; ox++) store<T>(r + <usize>ox * S, <T>0);
          }
        }
        const first = oyLo * W + lo, last = (oyHi - 1) * W + hi;
        addRun<T>(plane + <usize>(first + dy * W + kx - pad) * S, block + <usize>first * S, last - first);
      }
    }
  }
}

/** dst[0..n) += src[0..n) (no overlap), vectors then the tail. */
// @ts-ignore: decorator
@inline function addRun<T>(dst: usize, src: usize, n: i32): void {
  const S = BYTES<T>();
  const L = LANES<T>();
  let i = 0;
  for (; i + 2 * L <= n; i += 2 * L) {
    const o = <usize>i * S;
    v128.store(dst + o, v128.add<T>(v128.load(dst + o), v128.load(src + o)));
    v128.store(dst + o, v128.add<T>(v128.load(dst + o, 16), v128.load(src + o, 16)), 16);
  }
  if (i + L <= n) {
    const o = <usize>i * S;
    v128.store(dst + o, v128.add<T>(v128.load(dst + o), v128.load(src + o)));
    i += L;
  }
  for (; i < n; i++) store<T>(dst + <usize>i * S, load<T>(dst + <usize>i * S) + load<T>(src + <usize>i * S));
}

/**
 * One tap's block of a "same" convolution (stride 1, OW = W): block[oy·W + ox] = plane[(oy + dy)·W
 * + ox + dx], 0 where that falls outside the image. Its rows inside the image are one contiguous
 * run of the plane shifted by dy·W + dx, so they are copied as one long run — the border elements
 * that run carries over from the neighbouring row are then zeroed — instead of row by row: the
 * per-row runs of 28 (MNIST) or 7 (DeepConvNet's last layers) values were mostly loop overhead.
 * The stored values are the same as the row-by-row loop's.
 */
// @ts-ignore: decorator
@inline function shiftedPlane<T>(block: usize, plane: usize, H: i32, W: i32, OH: i32, dy: i32, dx: i32, lo: i32, hi: i32): void {
  const S = BYTES<T>();
  const row = <usize>W * S;
  const oyLo = dy < 0 ? (-dy < OH ? -dy : OH) : 0; // first row whose input row oy + dy ≥ 0
  const end = H - dy; // rows with oy + dy < H
  const oyHi = end < OH ? (end > oyLo ? end : oyLo) : OH;
  zeroRun(block, <usize>oyLo * row);
  zeroRun(block + <usize>oyHi * row, <usize>(OH - oyHi) * row);
  if (oyLo == oyHi) return;
  // from (oyLo, lo) to (oyHi − 1, hi − 1): every source element lies in rows oyLo + dy … oyHi − 1 + dy
  const first = block + (<usize>oyLo * <usize>W + <usize>lo) * S;
  const last = block + (<usize>(oyHi - 1) * <usize>W + <usize>hi) * S;
  memory.copy(first, plane + (<usize>(oyLo + dy) * <usize>W + <usize>(lo + dx)) * S, last - first);
  if (lo == 0 && hi == W) return;
  for (let oy = oyLo; oy < oyHi; oy++) {
    const r = block + <usize>oy * row;
    for (let ox = 0; ox < lo; ox++) store<T>(r + <usize>ox * S, <T>0);
    for (let ox = hi; ox < W; ox++) store<T>(r + <usize>ox * S, <T>0);
  }
}

/** Zero `bytes` bytes (a multiple of 4) at dst. */
// @ts-ignore: decorator
@inline function zeroRun(dst: usize, bytes: usize): void {
  const zero = v128.splat<i32>(0);
  let i: usize = 0;
  for (; i + 16 <= bytes; i += 16) v128.store(dst + i, zero);
  for (; i < bytes; i += 4) store<u32>(dst + i, 0);
}

/** Copy `bytes` bytes (a row segment of a few hundred bytes at most) from src to dst, which do not overlap. */
// @ts-ignore: decorator
@inline function copyShort(dst: usize, src: usize, bytes: usize): void {
  let i: usize = 0;
  for (; i + 32 <= bytes; i += 32) {
    v128.store(dst + i, v128.load(src + i));
    v128.store(dst + i, v128.load(src + i, 16), 16);
  }
  if (i + 16 <= bytes) { v128.store(dst + i, v128.load(src + i)); i += 16; }
  if (i + 8 <= bytes) { store<u64>(dst + i, load<u64>(src + i)); i += 8; }
  if (i + 4 <= bytes) { store<u32>(dst + i, load<u32>(src + i)); i += 4; }
}
