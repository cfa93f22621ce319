// Minibatch rows, uint8 → float: the dataset stays uint8 in linear memory and only the sampled
// rows are converted (and divided by 255 when asked, the book's `normalize`). One range of rows;
// data.ts's gatherRowsU8 splits a big batch over the threads (gemm/threads.ts runs this per chunk).
// (A division, not a multiplication by 1/255, which is wrong in the last bit for half the bytes:
// the book divides. f32x4.div is the step's bottleneck here, ~0.25 µs per 784-byte row, and no
// exact trick measured faster: a f64 product rounded to f32 is exact for all 256 bytes but
// takes as long, a 256-entry table is scalar and slower.)
import { BYTES } from "./lanes";

/** Where the touched bytes go, so no optimiser drops the loads (a global: per thread, never read). */
let TOUCHED: u32 = 0;

/**
 * out[b, :] = f(src[idx[b], :]) with f(v) = v/255 when normalize, else v.
 *
 * A minibatch's rows are random rows of a 47 MB dataset, each a cache and TLB miss. Converting
 * them one after another left every miss in the way of the next row (a row's conversion is
 * more instructions than the CPU looks ahead): 100 random rows took ~50 µs against ~17 µs for
 * rows in cache. So every cache line of every row is loaded first — a thousand independent
 * loads, all in flight together — and then converted: ~31 µs.
 */
export function gatherRows<T>(
  out: usize, // [batch×rowLen] float
  src: usize, // [rows×rowLen] uint8
  idx: usize, // [batch] int32 row indices (range-checked by the caller)
  batch: i32, rowLen: i32, normalize: bool,
): void {
  const S = BYTES<T>();
  const row = <usize>rowLen;
  let touched: u32 = 0;
  for (let b = 0; b < batch; b++) {
    const p = src + <usize>load<i32>(idx + (<usize>b << 2)) * row;
    for (let o: usize = 0; o < row; o += 64) touched += <u32>load<u8>(p + o);
  }
  TOUCHED += touched;
  for (let b = 0; b < batch; b++) {
    convertRow<T>(out + <usize>b * row * S, src + <usize>load<i32>(idx + (<usize>b << 2)) * row, rowLen, normalize);
  }
}

/** out[r, :] = f(src[r, :]) for `rows` consecutive rows. */
export function convertRows<T>(out: usize, src: usize, rows: i32, rowLen: i32, normalize: bool): void {
  const S = BYTES<T>();
  for (let r = 0; r < rows; r++) convertRow<T>(out + <usize>r * <usize>rowLen * S, src + <usize>r * <usize>rowLen, rowLen, normalize);
}

// @ts-ignore: decorator
@inline function convertRow<T>(to: usize, from: usize, rowLen: i32, normalize: bool): void {
  const S = BYTES<T>();
  const scale = v128.splat<T>(255);
  let c = 0;
  if (sizeof<T>() == 4) { // f64 is for checks, not speed: it takes the scalar loop
    // 8 bytes → two f32x4 per iteration: widen u8 → u16 → i32, convert, divide
    for (; c + 8 <= rowLen; c += 8) {
      const w = v128.load8x8_u(from + <usize>c);
      let lo = v128.convert<i32>(v128.extend_low<u16>(w));
      let hi = v128.convert<i32>(v128.extend_high<u16>(w));
      if (normalize) { lo = v128.div<T>(lo, scale); hi = v128.div<T>(hi, scale); }
      v128.store(to + <usize>c * S, lo);
      v128.store(to + <usize>c * S, hi, 16);
    }
  }
  for (; c < rowLen; c++) {
    let v = <T>load<u8>(from + <usize>c);
    if (normalize) v = v / <T>255;
    store<T>(to + <usize>c * S, v);
  }
}
