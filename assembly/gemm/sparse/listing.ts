// Finding the nonzero (not ±0) values of A, shared by both sparse products (rows.ts, scatter.ts)
// and the plan's density probes. Leaving out a = ±0 is exact when B is finite: each such step
// adds ±0 to a sum that can never be -0 (it starts at +0), so every sparse path gives the same
// bits as the dense recipe. NaN and denormals count as nonzero (a bit test, not a compare).
import { LANES, BYTES } from "../../lanes";

/** true if a is neither +0 nor -0 (bit test: NaN and denormals count as nonzero). */
// @ts-ignore: decorator
@inline function nonzero<T>(a: T): bool {
  if (sizeof<T>() == 4) return (reinterpret<u32>(<f32>a) << 1) != 0;
  return (reinterpret<u64>(<f64>a) << 1) != 0;
}

// Nonzero lanes of v, as a bitmask (lane 0 = bit 0).
// @ts-ignore: decorator
@inline function nonzeroLanes<T>(v: v128): i32 {
  if (sizeof<T>() == 4) return i32x4.bitmask(i32x4.ne(i32x4.shl(v, 1), i32x4.splat(0)));
  return i64x2.bitmask(i64x2.ne(i64x2.shl(v, 1), i64x2.splat(0)));
}

/** Nonzero (not ±0) values among the n contiguous values at p. */
export function countNonzeros<T>(p: usize, n: i32): i32 {
  const S = BYTES<T>();
  const L = LANES<T>();
  let count = 0;
  let i = 0;
  for (; i + L <= n; i += L) {
    count += <i32>popcnt<u32>(nonzeroLanes<T>(v128.load(p)));
    p += 16;
  }
  for (; i < n; i++) {
    count += <i32>nonzero<T>(load<T>(p));
    p += S;
  }
  return count;
}

/** Nonzero bytes among the n bytes at p (a uint8 image row: a pixel is ink exactly when its float is). */
export function countNonzeroBytes(p: usize, n: i32): i32 {
  let count = 0;
  let i = 0;
  const zero = i8x16.splat(0);
  for (; i + 16 <= n; i += 16) count += <i32>popcnt<u32>(i8x16.bitmask(i8x16.ne(v128.load(p + <usize>i), zero)));
  for (; i < n; i++) count += <i32>(load<u8>(p + <usize>i) != 0);
  return count;
}

/** The share (%) of nonzero values in the K×M view at A (rows `ld` apart), from every 8th row: an estimate for the plan. */
export function nonzeroPercent<T>(A: usize, M: i32, K: i32, ld: i32): i32 {
  let count: i64 = 0, seen: i64 = 0;
  for (let k = 0; k < K; k += 8) {
    count += countNonzeros<T>(A + <usize>k * <usize>ld * sizeof<T>(), M);
    seen += M;
  }
  return seen == 0 ? 100 : <i32>(count * 100 / seen);
}

// Byte shuffles (i8x16.swizzle) that move the lanes set in a nonzero mask to the front, in lane
// order: entry m (16 bytes) for 4 × 32-bit lanes, and for 2 × 64-bit lanes. Read-only: the
// threads build re-writes these same bytes when a worker instantiates the module, harmlessly.
const PACK32 = memory.data<u8>([
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  4, 5, 6, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 2, 3, 4, 5, 6, 7, 0, 0, 0, 0, 0, 0, 0, 0,
  8, 9, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 2, 3, 8, 9, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0,
  4, 5, 6, 7, 8, 9, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0, 0, 0, 0,
  12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 2, 3, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0,
  4, 5, 6, 7, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15, 0, 0, 0, 0,
  8, 9, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0,
  4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
]);
const PACK64 = memory.data<u8>([
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 2, 3, 4, 5, 6, 7, 0, 0, 0, 0, 0, 0, 0, 0,
  8, 9, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
]);

/**
 * Write the nonzero values of the row at ai (K steps of stepA bytes) to vals and the byte
 * offsets of their B rows (k·rowB) to offs, in ascending k; return how many. A contiguous row
 * goes a vector at a time without branches (whether a pixel is ink is data, and data-dependent
 * branches on fresh batches mispredict): the vector's nonzero lanes and their offsets are
 * shuffled to the front and stored whole, and the count advances by the popcount (stores past
 * the count are scratch, overwritten next). Other strides: one element at a time, also branchless.
 */
// @ts-ignore: decorator
@inline export function listNonzeros<T>(vals: usize, offs: usize, ai: usize, K: i32, stepA: usize, rowB: usize): i32 {
  const S = BYTES<T>();
  const L = LANES<T>();
  let n = 0;
  let k = 0;
  let pa = ai;
  let ob = <u32>0;
  if (stepA == S) {
    const rb = <i32>rowB;
    let obv = i32x4(0, rb, 2 * rb, 3 * rb); // offsets of the vector's lanes
    const step = i32x4.splat(L * rb);
    for (; k + L <= K; k += L) {
      const v = v128.load(pa);
      const m = nonzeroLanes<T>(v);
      const pack32 = v128.load(PACK32 + (<usize>m << 4));
      if (sizeof<T>() == 4) {
        v128.store(vals + (<usize>n << 2), i8x16.swizzle(v, pack32));
        v128.store(offs + (<usize>n << 2), i8x16.swizzle(obv, pack32));
      } else {
        v128.store(vals + (<usize>n << 3), i8x16.swizzle(v, v128.load(PACK64 + (<usize>m << 4))));
        v128.store64_lane(offs + (<usize>n << 2), i8x16.swizzle(obv, pack32), 0);
      }
      n += <i32>popcnt<u32>(m);
      obv = i32x4.add(obv, step);
      pa += 16;
    }
    ob = <u32>(<usize>k * rowB);
  }
  for (; k < K; k++) {
    n = listOne<T>(vals, offs, n, pa, ob);
    pa += stepA;
    ob += <u32>rowB;
  }
  return n;
}

/** Append (value at pa, B offset ob) to the lists; the count only advances if the value is not ±0. */
// @ts-ignore: decorator
@inline function listOne<T>(vals: usize, offs: usize, n: i32, pa: usize, ob: u32): i32 {
  const a = load<T>(pa);
  store<T>(vals + <usize>n * BYTES<T>(), a);
  store<u32>(offs + (<usize>n << 2), ob);
  return n + <i32>nonzero<T>(a);
}
