// Minibatch rows, uint8 → float: the dataset stays uint8 in linear memory and only the sampled
// rows are converted (and divided by 255 when asked, the book's `normalize`). One range of rows;
// data.ts's gatherRowsU8 splits a big batch over the threads (gemm/threads.ts runs this per chunk).
//
// The book divides, so v/255 must be the correctly rounded quotient. A product with fl(1/255)
// is wrong in the last bit for 126 of the 256 bytes; f32x4.div is right but slow (a f64 product
// rounded to f32 is exact too and took as long, a 256-entry table is scalar and slower). So, in
// float32, v/255 = v·R_HI + v·R_LO, where R_HI is 1/255 cut to 16 significant bits and
// R_LO = fl(1/255 − R_HI):
//   - v·R_HI is exact (8 bits × 16 bits fit the 24-bit significand);
//   - v·R_LO is ~2^-16 of the result, so its rounding error is ~2^-40 of it;
//   - the sum is rounded once. In binary, v/255 is v's 8 bits repeating forever, so the bits
//     past a float's last one read (R − 127.5)/255 of an ulp away from the midpoint (R: those 8
//     bits rotated), never closer than 1/510 of an ulp (~2^-32 of the value): the error above
//     cannot cross it, and the one rounding is the quotient's own.
// test/unit/assembly/data.test.ts checks all 256 bytes against the division, in the vector loop
// and the scalar one. Float64 keeps the division (it is for checks, not speed). Measured against
// the division (2026-11-30, 3 alternating runs): 100 rows in cache 17.3 → 14.7 µs, 100 random
// rows 26.5–28.4 → 24.3–25.3 µs (what is left is the rows' cache misses), the accuracy pass 0.99×.
import { BYTES } from "./lanes";

/** 1/255 cut to 16 significant bits: v·R_HI is exact in float32 for every byte v. */
const R_HI: f32 = 0.003921627998352051;
/** fl(1/255 − R_HI). */
const R_LO: f32 = -5.9370901084321304e-8;

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
  gatherRowColumns<T>(out, src, idx, batch, rowLen, normalize, 0, rowLen);
}

/** gatherRows for columns [c0, c1) of every row only (the rest of `out` is left as it is). */
export function gatherRowColumns<T>(
  out: usize, src: usize, idx: usize, batch: i32, rowLen: i32, normalize: bool, c0: i32, c1: i32,
): void {
  const S = BYTES<T>();
  const row = <usize>rowLen;
  touchRowColumns(src, idx, batch, rowLen, c0, c1);
  const from = <usize>c0, to = <usize>c0 * S;
  for (let b = 0; b < batch; b++) {
    convertRow<T>(out + <usize>b * row * S + to, src + <usize>load<i32>(idx + (<usize>b << 2)) * row + from, c1 - c0, normalize);
  }
}

/**
 * Load a byte of every cache line of columns [c0, c1) of the `batch` rows listed at idx, and
 * nothing else: their cache and TLB misses are then under way together, before anything
 * converts them (gatherRowColumns), or while other work runs (twolayer-stages.ts touches the
 * next block's rows before the tiles of this one).
 */
export function touchRowColumns(src: usize, idx: usize, batch: i32, rowLen: i32, c0: i32, c1: i32): void {
  const row = <usize>rowLen;
  let touched: u32 = 0;
  for (let b = 0; b < batch; b++) {
    const p = src + <usize>load<i32>(idx + (<usize>b << 2)) * row;
    for (let o = <usize>c0; o < <usize>c1; o += 64) touched += <u32>load<u8>(p + o);
  }
  TOUCHED += touched;
}

/** out[r, :] = f(src[r, :]) for `rows` consecutive rows. */
export function convertRows<T>(out: usize, src: usize, rows: i32, rowLen: i32, normalize: bool): void {
  const S = BYTES<T>();
  for (let r = 0; r < rows; r++) convertRow<T>(out + <usize>r * <usize>rowLen * S, src + <usize>r * <usize>rowLen, rowLen, normalize);
}

// @ts-ignore: decorator
@inline function convertRow<T>(to: usize, from: usize, rowLen: i32, normalize: bool): void {
  const S = BYTES<T>();
  let c = 0;
  if (sizeof<T>() == 4) { // f64 is for checks, not speed: it takes the scalar loop
    // 8 bytes → two f32x4 per iteration: widen u8 → u16 → i32, convert, ÷255 as above
    for (; c + 8 <= rowLen; c += 8) {
      const w = v128.load8x8_u(from + <usize>c);
      let lo = v128.convert<i32>(v128.extend_low<u16>(w));
      let hi = v128.convert<i32>(v128.extend_high<u16>(w));
      if (normalize) { lo = bytesOver255(lo); hi = bytesOver255(hi); }
      v128.store(to + <usize>c * S, lo);
      v128.store(to + <usize>c * S, hi, 16);
    }
  }
  for (; c < rowLen; c++) {
    const v = <T>load<u8>(from + <usize>c);
    store<T>(to + <usize>c * S, normalize ? byteOver255<T>(v) : v);
  }
}

/** v/255 for four bytes held as float32 lanes, correctly rounded: the two products above. */
// @ts-ignore: decorator
@inline function bytesOver255(v: v128): v128 {
  return f32x4.add(f32x4.mul(v, f32x4.splat(R_HI)), f32x4.mul(v, f32x4.splat(R_LO)));
}

/** v/255 for a byte v held as T, correctly rounded (float32: the two products above). */
// @ts-ignore: decorator
@inline function byteOver255<T>(v: T): T {
  if (sizeof<T>() == 4) return <T>(<f32>v * R_HI + <f32>v * R_LO);
  return v / <T>255;
}
