// gemmAB one output row at a time from the nonzero entries of that row of A.
//
// Image rows are mostly background: an MNIST digit has ~19% nonzero pixels, a Fashion-MNIST
// item ~50%. The 4×8 register tile (gemm.ts) can only skip a step k when all four of its rows
// are zero there, which four different images rarely are. Here each row of C is computed
// alone: list the row's nonzero steps once, then sweep the whole row of C (6 vectors of
// accumulators at a time: N = 50 in three passes) over just those steps of B. Per multiply-add
// this costs a little more than the 4×8 tile, so it is used for blocks under 40% dense.
//
// Same bits as the dense recipe (gemm.ts): per element s = 0; s = s + a·b over ascending k;
// + bias; ReLU. Only steps with a = ±0 are left out, which add ±0 to s and change nothing
// when B is finite (the caller checks B once per product).
import { LANES, BYTES } from "./lanes";
import { columnPasses } from "./column-passes";

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

/**
 * Is the K×M view at A (rows `ld` elements apart) under `percent`% nonzero? (x of an image
 * batch in dW = xᵀ·dout: then sparse-scatter.ts pays.) Looks at every 8th row only: it picks
 * a path, and every path gives the same bits, so an estimate will do.
 */
export function mostlyZero<T>(A: usize, M: i32, K: i32, ld: i32, percent: i32): bool {
  let count: i64 = 0, seen: i64 = 0;
  for (let k = 0; k < K; k += 8) {
    count += countNonzeros<T>(A + <usize>k * <usize>ld * sizeof<T>(), M);
    seen += M;
  }
  return count * 100 < <i64>percent * seen;
}

/**
 * Should a row of n nonzero steps out of K go on its own (under 40%)? One row at a time needs
 * more loads per multiply-add than the 4×8 tile (8 per 6 against 6 per 8) and lists its steps
 * first; measured, it breaks even with the dense tile near 50% density (Fashion-MNIST items)
 * and takes about half the dense time on MNIST digits (~19% ink). gemmABRows asks it of each
 * 4-row block's first row; the dispatcher of the first row only, to skip packing B.
 */
// @ts-ignore: decorator
@inline export function rowIsSparse(n: i32, K: i32): bool {
  return n * 5 < 2 * K;
}

/**
 * Row i of C = A·B (+ bias, ReLU) from the nonzero steps of A's row. `list` is scratch for K
 * values and K u32 offsets.
 */
export function sparseRow<T>(
  C: usize, A: usize, B: usize, bias: usize, i: i32, N: i32, K: i32,
  rowA: usize, stepA: usize, relu: bool, list: usize,
): void {
  rowFromList<T>(C, B, bias, i, N, K, relu, list, listRow<T>(A, i, N, K, rowA, stepA, list));
}

/** List row i of A's nonzero steps into `list` (values, then B offsets); returns how many. */
export function listRow<T>(A: usize, i: i32, N: i32, K: i32, rowA: usize, stepA: usize, list: usize): i32 {
  const S = BYTES<T>();
  return listNonzeros<T>(list, list + <usize>K * S, A + <usize>i * rowA, K, stepA, <usize>N * S);
}

/** Row i of C from the n steps listRow wrote to `list`. */
export function rowFromList<T>(C: usize, B: usize, bias: usize, i: i32, N: i32, K: i32, relu: bool, list: usize, n: i32): void {
  const S = BYTES<T>();
  columnPasses<T>(false, C + <usize>i * <usize>N * S, B, bias, N, n, list, list + <usize>K * S, relu);
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
