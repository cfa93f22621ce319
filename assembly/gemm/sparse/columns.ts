// dW = xᵀ·dout by output columns, over the nonzero entries of dout.
//
// C [M×N] = Aᵀ·B with A stored [K×M] row-major (A(i,k) = x[k, i]: K samples of M pixels) and
// B [K×N] (dout: after a ReLU about half of it is exactly zero, whatever the images). For each
// column j of C, list the samples k with B[k, j] ≠ ±0 (listColumns, once per product); then a
// range of C's rows is swept a column at a time: accumulators over a block of rows i (contiguous
// in A's row k, so whole vectors), for each listed k: acc += A[k, i…]·B[k, j]; stored lane by lane
// into C's column. Work is proportional to the nonzeros of B instead of M·N·K, and each step
// reads A along its rows — Fashion-MNIST's dense images do not matter, the ReLU's zeros do.
//
// Same bits as the dense recipe (../tiles.ts): C[i,j] starts at +0 and receives s = s + a·b for
// k ascending, leaving out only b = ±0 steps, which add ±0 to a sum that can never be -0 —
// exact when A is finite (0·Inf would be NaN; the plan checks A, or the caller vouches for it).
import { LANES, BYTES, loadPart, madd, storeDown } from "../../lanes";

/** Bytes of the lists for B [K×N]: N counts, then N×K entries. */
// @ts-ignore: decorator
@inline export function columnListBytes<T>(N: i32, K: i32): usize {
  return (<usize>N << 2) + <usize>N * <usize>K * ENTRY<T>();
}

/**
 * Bytes of one list entry: B's value, then the u32 byte offset of A's row (f64: padded to 16
 * bytes, so the values stay aligned). Value and offset side by side, so a step of the column
 * loop advances one pointer and reads both at fixed offsets from it: two instructions fewer per
 * step than two separate lists (dW1 of the book's step on Fashion-MNIST ~4% faster, the step 2–3%).
 */
// @ts-ignore: decorator
@inline function ENTRY<T>(): usize {
  return 2 * BYTES<T>();
}

/**
 * For every column j of B [K×N]: how many k have B[k, j] ≠ ±0 (counts[j]), and for each of
 * them, k ascending, an entry (entries from j·K on): the value, and the byte offset k·lda·S of
 * A's row k.
 * Branchless: every entry is written, the count advances only past a nonzero.
 */
export function listColumns<T>(lists: usize, B: usize, N: i32, K: i32, lda: i32): void {
  listColumnRows<T>(lists, B, N, K, lda, 0, K);
}

/**
 * listColumns for B's rows [k0, k1) only: rows k0 = 0 first (it zeroes the counts), then the
 * next ranges in order, each appended — so a producer of B's rows can list them as it goes
 * (twolayer-stages.ts), with the same lists as one listColumns after the last row.
 */
export function listColumnRows<T>(lists: usize, B: usize, N: i32, K: i32, lda: i32, k0: i32, k1: i32): void {
  const S = BYTES<T>();
  const counts = lists;
  const E = ENTRY<T>();
  const entries = counts + (<usize>N << 2);
  if (k0 == 0) memory.fill(counts, 0, <usize>N << 2);
  const rowA = <u32>(<usize>lda * S);
  let ok = <u32>k0 * rowA;
  for (let k = k0; k < k1; k++) {
    const bk = B + <usize>k * <usize>N * S;
    for (let j = 0; j < N; j++) {
      const b = load<T>(bk + <usize>j * S);
      const pc = counts + (<usize>j << 2);
      const n = load<i32>(pc);
      const at = entries + (<usize>j * <usize>K + <usize>n) * E;
      store<T>(at, b);
      store<u32>(at, ok, sizeof<T>());
      store<i32>(pc, n + <i32>nonzero<T>(b));
    }
    ok += rowA;
  }
}

/**
 * Rows [i0, i1) of C = Aᵀ·B from the lists of listColumns: blocks of 6 vectors of rows (24 f32,
 * 12 f64; 6 accumulators, 6 loaded vectors and the broadcast fit V8's registers, which issue a
 * step's loads first), then what is left, a vector (or a part of one) at a time.
 */
export function gemmAtBColumns<T>(C: usize, A: usize, lists: usize, N: i32, K: i32, i0: i32, i1: i32): void {
  const L = LANES<T>();
  let i = i0;
  for (; i + 6 * L <= i1; i += 6 * L) rowBlock<T>(C, A, lists, N, K, i, 6, 0);
  for (; i + L <= i1; i += L) rowBlock<T>(C, A, lists, N, K, i, 1, 0);
  const r = i1 - i;
  if (r == 1) rowBlock<T>(C, A, lists, N, K, i, 0, 1);
  else if (r == 2) rowBlock<T>(C, A, lists, N, K, i, 0, 2);
  else if (r == 3) rowBlock<T>(C, A, lists, N, K, i, 0, 3);
}

/** Rows [i, i + nv·L + r) of C, every column: nv ∈ {0, 1, 6} whole vectors, then r < L lanes (constants). */
// @ts-ignore: decorator
@inline function rowBlock<T>(C: usize, A: usize, lists: usize, N: i32, K: i32, i: i32, nv: i32, r: i32): void {
  const S = BYTES<T>();
  const L = LANES<T>();
  const E = ENTRY<T>();
  const counts = lists;
  const entries = counts + (<usize>N << 2);
  const ai = A + <usize>i * S;
  for (let j = 0; j < N; j++) {
    let c0 = v128.splat<T>(0), c1 = v128.splat<T>(0), c2 = v128.splat<T>(0), c3 = v128.splat<T>(0);
    let c4 = v128.splat<T>(0), c5 = v128.splat<T>(0), c6 = v128.splat<T>(0);
    let pe = entries + <usize>j * <usize>K * E;
    const end = pe + <usize>load<i32>(counts + (<usize>j << 2)) * E;
    for (; pe < end; pe += E) {
      const b = v128.load_splat<T>(pe);
      const pa = ai + <usize>load<u32>(pe, sizeof<T>());
      if (nv > 0) c0 = madd<T>(c0, v128.load(pa), b);
      if (nv > 1) {
        c1 = madd<T>(c1, v128.load(pa, 16), b);
        c2 = madd<T>(c2, v128.load(pa, 32), b);
        c3 = madd<T>(c3, v128.load(pa, 48), b);
        c4 = madd<T>(c4, v128.load(pa, 64), b);
        c5 = madd<T>(c5, v128.load(pa, 80), b);
      }
      if (r > 0) c6 = madd<T>(c6, loadPart<T>(pa + <usize>nv * 16, r), b);
    }
    // column j of rows i…: one lane per row
    const pc = C + (<usize>i * <usize>N + <usize>j) * S;
    const rowC = <usize>N * S;
    if (nv > 0) storeDown<T>(pc, rowC, c0, L);
    if (nv > 1) {
      storeDown<T>(pc + rowC * <usize>L, rowC, c1, L);
      storeDown<T>(pc + rowC * <usize>(2 * L), rowC, c2, L);
      storeDown<T>(pc + rowC * <usize>(3 * L), rowC, c3, L);
      storeDown<T>(pc + rowC * <usize>(4 * L), rowC, c4, L);
      storeDown<T>(pc + rowC * <usize>(5 * L), rowC, c5, L);
    }
    if (r > 0) storeDown<T>(pc + rowC * <usize>(nv * L), rowC, c6, r);
  }
}

/** true if b is neither +0 nor -0 (a bit test: NaN and denormals count as nonzero). */
// @ts-ignore: decorator
@inline function nonzero<T>(b: T): bool {
  if (sizeof<T>() == 4) return (reinterpret<u32>(<f32>b) << 1) != 0;
  return (reinterpret<u64>(<f64>b) << 1) != 0;
}
