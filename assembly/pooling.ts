// Max pooling (book §7.4), generic over f32/f64, NCHW. Outputs first, then inputs, then sizes.
// The general backward zeroes dx first, then adds where windows overlap; the 2×2 stride-2 pair
// (SimpleConvNet's pool) writes every element once.
// Both backwards can also take the ReLU before the pool along (`maxima`: the pool's forward
// output): a window then passes its gradient only if its maximum is > 0. Every dx element that
// receives a gradient is its window's maximum, so this is exactly reluBackward(poolBackward(dout),
// x) with x the pool's input — one pass over the big input-sized dx instead of two.
// Every plane (image × channel) is independent: big batches go over the threads in ranges of
// planes (per-range.ts), each range running these same functions.
import { BYTES } from "./lanes";
import { outSize } from "./im2col";
import { runPlanes, POOL_FORWARD, POOL_2X2_FORWARD, POOL_BACKWARD, POOL_2X2_BACKWARD } from "./per-range";

export function maxPoolForward<T>(out: usize, argMax: usize, x: usize, N: i32, C: i32, H: i32, W: i32, PH: i32, PW: i32, stride: i32, pad: i32): void {
  runPlanes<T>(POOL_FORWARD, out, argMax, x, 0, N * C, H, W, PH, PW, stride, pad);
}

export function maxPool2x2Forward<T>(out: usize, argMax: usize, x: usize, N: i32, C: i32, H: i32, W: i32): void {
  runPlanes<T>(POOL_2X2_FORWARD, out, argMax, x, 0, N * C, H, W, 2, 2, 2, 0);
}

/** `maxima`: 0, or the forward's output, to take the ReLU before the pool along (see above). */
export function maxPoolBackward<T>(dx: usize, dout: usize, argMax: usize, maxima: usize, N: i32, C: i32, H: i32, W: i32, PH: i32, PW: i32, stride: i32, pad: i32): void {
  runPlanes<T>(POOL_BACKWARD, dx, dout, argMax, maxima, N * C, H, W, PH, PW, stride, pad);
}

/** `maxima`: 0, or the forward's output, to take the ReLU before the pool along (see above). */
export function maxPool2x2Backward<T>(dx: usize, dout: usize, argMax: usize, maxima: usize, N: i32, C: i32, H: i32, W: i32): void {
  runPlanes<T>(POOL_2X2_BACKWARD, dx, dout, argMax, maxima, N * C, H, W, 2, 2, 2, 0);
}

/**
 * Max pooling forward, NCHW → NCHW [N×C×OH×OW], as the book's Pooling: windows that reach into
 * the padding see zeros there; argMax[i] is the tap index ky·PW + kx of the first maximum
 * (np.argmax order), counted over the whole window, padding included.
 */
export function maxPoolForwardPlanes<T>(
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
export function maxPool2x2ForwardPlanes<T>(
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
export function maxPool2x2BackwardPlanes<T>(
  dx: usize, // [N×C×H×W] out, H and W even
  dout: usize, // [N×C×OH×OW]
  argMax: usize, // [N×C×OH×OW] int32
  maxima: usize, // [N×C×OH×OW] the forward's output, or 0 (no ReLU taken along)
  N: i32, C: i32, H: i32, W: i32,
): void {
  if (maxima != 0) pool2x2BackwardPlanes<T>(dx, dout, argMax, maxima, true, N, C, H, W);
  else pool2x2BackwardPlanes<T>(dx, dout, argMax, 0, false, N, C, H, W);
}

/** maxPool2x2BackwardPlanes with `masked` constant, so each instantiation keeps one loop. */
// @ts-ignore: decorator
@inline function pool2x2BackwardPlanes<T>(dx: usize, dout: usize, argMax: usize, maxima: usize, masked: bool, N: i32, C: i32, H: i32, W: i32): void {
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
          let g = v128.load(dout + o * S);
          if (masked) g = v128.bitselect(g, zero, f32x4.gt(v128.load(maxima + o * S), zero)); // reluBackward's formula
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
        let g = load<T>(dout + o * S);
        if (masked && stoppedByRelu<T>(maxima, o)) g = <T>0;
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
export function maxPoolBackwardPlanes<T>(
  dx: usize, // [N×C×H×W] out
  dout: usize, // [N×C×OH×OW]
  argMax: usize, // [N×C×OH×OW] int32 from maxPoolForward
  maxima: usize, // [N×C×OH×OW] the forward's output, or 0 (no ReLU taken along)
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
          // with a ReLU taken along, a maximum ≤ 0 (or NaN) passes +0: reluBackward's value for it
          const g = maxima != 0 && stoppedByRelu<T>(maxima, o) ? <T>0 : load<T>(dout + o * S);
          store<T>(p, load<T>(p) + g);
        }
        o++;
      }
    }
  }
}

/** Does the ReLU before the pool stop window o's gradient? Its maximum is not > 0 (≤ 0 or NaN): reluBackward's test. */
// @ts-ignore: decorator
@inline function stoppedByRelu<T>(maxima: usize, o: usize): bool {
  return !(load<T>(maxima + o * sizeof<T>()) > <T>0);
}
