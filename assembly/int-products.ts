// x·W1 in integers for the accuracy pass's dense rows (proven-class.ts says why and what W1's
// integers are). A row's bytes are widened to int16 less 128 (so |x'| ≤ 128 and D·128·qMax fits
// int32), and W1's integers packed for i32x4.dot_i16x8_s: per block of four columns, per pair
// of pixels (2p, 2p+1), the four columns' two weights side by side — 16 bytes. A broadcast pair
// of a row's pixels times a block's 16 bytes is then those two steps for four columns at once:
// eight multiply-adds per instruction, exact.
import { align16 } from "./lanes";

/** Pairs of pixels in a row of D (the odd one out is paired with a zero weight). */
// @ts-ignore: decorator
@inline export function pixelPairs(D: i32): i32 { return (D + 1) >> 1; }

/** Blocks of four columns for H hidden units (the last one padded with zero weights). */
// @ts-ignore: decorator
@inline export function columnBlocks(H: i32): i32 { return (H + 3) >> 2; }

/** Bytes of one block of four columns' packed integer weights. */
// @ts-ignore: decorator
@inline export function blockBytes(D: i32): usize { return <usize>pixelPairs(D) << 4; }

/** Bytes of a row of x' as int16 (whole pairs, rounded up to 16 bytes). */
// @ts-ignore: decorator
@inline export function widenedRowBytes(D: i32): usize {
  return align16(<usize>(pixelPairs(D) * 4));
}

/** int32 sums per row of I: whole blocks of four columns. */
// @ts-ignore: decorator
@inline export function sumColumns(H: i32): i32 {
  return columnBlocks(H) * 4;
}

/** Store the integer weight q of W1[k, j] in the packed blocks at `panels`. */
// @ts-ignore: decorator
@inline export function storeWeight(panels: usize, D: i32, k: i32, j: i32, q: i32): void {
  store<i16>(panels + <usize>(j >> 2) * blockBytes(D) + (<usize>(k >> 1) << 4) + (<usize>(j & 3) << 2) + (<usize>(k & 1) << 1), <i16>q);
}

/**
 * A row of D bytes at src widened to x' = byte − 128 (int16) at dst; writes the row's byte sum and
 * sum of squares (int32: ≤ D·255² for D ≤ 33 000) at stats and stats + 4.
 */
export function widenRow(dst: usize, src: usize, D: i32, stats: usize): void {
  let sums = i32x4.splat(0), squares = i32x4.splat(0);
  const shift = i16x8.splat(128);
  let c = 0;
  for (; c + 16 <= D; c += 16) {
    const v = v128.load(src + <usize>c);
    const lo = i16x8.extend_low_i8x16_u(v), hi = i16x8.extend_high_i8x16_u(v);
    v128.store(dst + (<usize>c << 1), i16x8.sub(lo, shift));
    v128.store(dst + (<usize>c << 1), i16x8.sub(hi, shift), 16);
    sums = i32x4.add(sums, i32x4.extadd_pairwise_i16x8_u(i16x8.extadd_pairwise_i8x16_u(v)));
    squares = i32x4.add(squares, i32x4.add(i32x4.dot_i16x8_s(lo, lo), i32x4.dot_i16x8_s(hi, hi)));
  }
  let sum = i32x4.extract_lane(sums, 0) + i32x4.extract_lane(sums, 1) + i32x4.extract_lane(sums, 2) + i32x4.extract_lane(sums, 3);
  let square = i32x4.extract_lane(squares, 0) + i32x4.extract_lane(squares, 1) + i32x4.extract_lane(squares, 2) + i32x4.extract_lane(squares, 3);
  for (; c < D; c++) {
    const b = <i32>load<u8>(src + <usize>c);
    store<i16>(dst + (<usize>c << 1), <i16>(b - 128));
    sum += b;
    square += b * b;
  }
  if ((D & 1) != 0) store<i16>(dst + (<usize>D << 1), 0); // meets a zero weight
  store<i32>(stats, sum);
  store<i32>(stats, square, 4);
}

/**
 * I [n × sumColumns(H)] int32 = x' [n rows, widenedRowBytes apart] · the packed weights at
 * `panels` (columnBlocks(H) blocks of blockBytes(D)).
 */
export function integerProducts(I: usize, xi: usize, panels: usize, n: i32, D: i32, H: i32): void {
  const rowX = widenedRowBytes(D);
  const block = blockBytes(D);
  const blocks = columnBlocks(H);
  const rowI = <usize>sumColumns(H) << 2;
  const P = pixelPairs(D);
  let r = 0;
  for (; r + 4 <= n; r += 4) {
    let b = 0;
    for (; b + 2 <= blocks; b += 2) tile4x2i(I + <usize>r * rowI + (<usize>b << 4), rowI, xi + <usize>r * rowX, rowX, panels + <usize>b * block, block, P);
    if (b < blocks) tile4x1i(I + <usize>r * rowI + (<usize>b << 4), rowI, xi + <usize>r * rowX, rowX, panels + <usize>b * block, P);
  }
  for (; r < n; r++) {
    for (let b = 0; b < blocks; b++) tile1x1i(I + <usize>r * rowI + (<usize>b << 4), xi + <usize>r * rowX, panels + <usize>b * block, P);
  }
}

/** Four rows × two column blocks: 8 int32x4 sums, a step per pair of pixels. */
function tile4x2i(out: usize, rowI: usize, pa: usize, rowX: usize, pb: usize, block: usize, P: i32): void {
  let c00 = i32x4.splat(0), c01 = i32x4.splat(0), c10 = i32x4.splat(0), c11 = i32x4.splat(0);
  let c20 = i32x4.splat(0), c21 = i32x4.splat(0), c30 = i32x4.splat(0), c31 = i32x4.splat(0);
  let pc = pb + block;
  const rowX2 = rowX + rowX, rowX3 = rowX2 + rowX;
  for (let p = 0; p < P; p++) {
    const b0 = v128.load(pb), b1 = v128.load(pc);
    let a = v128.load32_splat(pa);
    c00 = i32x4.add(c00, i32x4.dot_i16x8_s(a, b0));
    c01 = i32x4.add(c01, i32x4.dot_i16x8_s(a, b1));
    a = v128.load32_splat(pa + rowX);
    c10 = i32x4.add(c10, i32x4.dot_i16x8_s(a, b0));
    c11 = i32x4.add(c11, i32x4.dot_i16x8_s(a, b1));
    a = v128.load32_splat(pa + rowX2);
    c20 = i32x4.add(c20, i32x4.dot_i16x8_s(a, b0));
    c21 = i32x4.add(c21, i32x4.dot_i16x8_s(a, b1));
    a = v128.load32_splat(pa + rowX3);
    c30 = i32x4.add(c30, i32x4.dot_i16x8_s(a, b0));
    c31 = i32x4.add(c31, i32x4.dot_i16x8_s(a, b1));
    pa += 4;
    pb += 16;
    pc += 16;
  }
  v128.store(out, c00); v128.store(out, c01, 16);
  v128.store(out + rowI, c10); v128.store(out + rowI, c11, 16);
  v128.store(out + 2 * rowI, c20); v128.store(out + 2 * rowI, c21, 16);
  v128.store(out + 3 * rowI, c30); v128.store(out + 3 * rowI, c31, 16);
}

/** Four rows × one column block. */
function tile4x1i(out: usize, rowI: usize, pa: usize, rowX: usize, pb: usize, P: i32): void {
  let c0 = i32x4.splat(0), c1 = i32x4.splat(0), c2 = i32x4.splat(0), c3 = i32x4.splat(0);
  const rowX2 = rowX + rowX, rowX3 = rowX2 + rowX;
  for (let p = 0; p < P; p++) {
    const b = v128.load(pb);
    c0 = i32x4.add(c0, i32x4.dot_i16x8_s(v128.load32_splat(pa), b));
    c1 = i32x4.add(c1, i32x4.dot_i16x8_s(v128.load32_splat(pa + rowX), b));
    c2 = i32x4.add(c2, i32x4.dot_i16x8_s(v128.load32_splat(pa + rowX2), b));
    c3 = i32x4.add(c3, i32x4.dot_i16x8_s(v128.load32_splat(pa + rowX3), b));
    pa += 4;
    pb += 16;
  }
  v128.store(out, c0); v128.store(out + rowI, c1); v128.store(out + 2 * rowI, c2); v128.store(out + 3 * rowI, c3);
}

/** One row × one column block (a chunk's last 1–3 dense rows). */
function tile1x1i(out: usize, pa: usize, pb: usize, P: i32): void {
  let c = i32x4.splat(0);
  for (let p = 0; p < P; p++) {
    c = i32x4.add(c, i32x4.dot_i16x8_s(v128.load32_splat(pa), v128.load(pb)));
    pa += 4;
    pb += 16;
  }
  v128.store(out, c);
}
