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
import { LANES, BYTES, loadPart, storePart, finish } from "./lanes";

/** Scratch bytes one row's list takes: K values + K u32 offsets. */
// @ts-ignore: decorator
@inline export function rowListBytes<T>(K: i32): usize {
  return <usize>K * (sizeof<T>() + 4);
}

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

/**
 * Will the 4 rows of A at a0 (contiguous rows, stepA = element size) go row by row? Counts
 * their nonzero values with vector loads: under 40% (rowIsSparse). The dispatcher asks this of
 * the first block before deciding whether to pack B (the row path reads B unpacked); gemmABRows
 * itself decides block by block from each block's first row, whose list it then keeps.
 * One row at a time needs more loads per multiply-add than the 4×8 tile (8 per 6 against 6 per
 * 8) and lists its steps first; measured, it breaks even with the dense tile near 50% density
 * (Fashion-MNIST items) and takes about half the dense time on MNIST digits (~19% ink).
 * Other layouts (xᵀ in dW = xᵀ·dout): no — sparse-scatter.ts or gemm.ts's 4-row
 * nonzeroSteps handle those.
 */
export function blockIsSparse<T>(a0: usize, K: i32, rowA: usize, stepA: usize): bool {
  const S = BYTES<T>();
  const L = LANES<T>();
  if (stepA != S) return false;
  let count = 0;
  for (let r = 0; r < 4; r++) {
    let pa = a0 + <usize>r * rowA;
    let k = 0;
    for (; k + L <= K; k += L) {
      count += <i32>popcnt<u32>(nonzeroLanes<T>(v128.load(pa)));
      pa += 16;
    }
    for (; k < K; k++) {
      count += <i32>nonzero<T>(load<T>(pa));
      pa += S;
    }
  }
  return rowIsSparse(count, 4 * K);
}

/**
 * Is the K×M view at A (rows `ld` elements apart) under `percent`% nonzero? (x of an image
 * batch in dW = xᵀ·dout: then sparse-scatter.ts pays.) Looks at every 8th row only: it picks
 * a path, and every path gives the same bits, so an estimate will do.
 */
export function mostlyZero<T>(A: usize, M: i32, K: i32, ld: i32, percent: i32 = 40): bool {
  const S = BYTES<T>();
  const L = LANES<T>();
  let count: i64 = 0, seen: i64 = 0;
  for (let k = 0; k < K; k += 8) {
    let pa = A + <usize>k * <usize>ld * S;
    let i = 0;
    for (; i + L <= M; i += L) {
      count += <i64>popcnt<u32>(nonzeroLanes<T>(v128.load(pa)));
      pa += 16;
    }
    for (; i < M; i++) {
      count += <i64>nonzero<T>(load<T>(pa));
      pa += S;
    }
    seen += M;
  }
  return count * 100 < <i64>percent * seen;
}

/** Under 40% nonzero: one row at a time beats the 4×8 tile (see blockIsSparse). */
// @ts-ignore: decorator
@inline export function rowIsSparse(n: i32, K: i32): bool {
  return n * 5 < 2 * K;
}

/**
 * Row i of C = A·B (+ bias, ReLU) from the nonzero steps of A's row. `list` is scratch of
 * rowListBytes<T>(K) bytes.
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
  const L = LANES<T>();
  const vals = list;
  const offs = list + <usize>K * S;
  const pc = C + <usize>i * <usize>N * S;
  let j = 0;
  for (; N - j >= 7 * L; j += 6 * L) rowTile<T>(pc, B, bias, j, n, vals, offs, relu, 6);
  if (N - j > 6 * L) { // 6 vectors + a partial one in one pass (N = 50: 24 + 26 columns)
    const r = N - j - 6 * L;
    if (r == 1) rowTile<T>(pc, B, bias, j, n, vals, offs, relu, 6, 1);
    else if (r == 2) rowTile<T>(pc, B, bias, j, n, vals, offs, relu, 6, 2);
    else rowTile<T>(pc, B, bias, j, n, vals, offs, relu, 6, 3);
    return;
  }
  if (N - j == 6 * L) { rowTile<T>(pc, B, bias, j, n, vals, offs, relu, 6); return; }
  if (N - j >= 4 * L) { rowTile<T>(pc, B, bias, j, n, vals, offs, relu, 4); j += 4 * L; }
  if (N - j >= 2 * L) { rowTile<T>(pc, B, bias, j, n, vals, offs, relu, 2); j += 2 * L; }
  if (N - j >= L) { rowTile<T>(pc, B, bias, j, n, vals, offs, relu, 1); j += L; }
  const r = N - j; // 0 ≤ r < L
  if (r == 1) rowPart<T>(pc, B, bias, j, n, vals, offs, relu, 1);
  else if (r == 2) rowPart<T>(pc, B, bias, j, n, vals, offs, relu, 2);
  else if (r == 3) rowPart<T>(pc, B, bias, j, n, vals, offs, relu, 3);
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

/**
 * Columns [j, j + nv·L) of one C row: nv vector accumulators over the listed steps (nv constant:
 * 1, 2, 4 or 6). Not 8: V8 loads all of a step's B vectors before multiplying, so 8 accumulators
 * + 8 loaded vectors + the splat overflow x64's 15 usable xmm registers, and the spilled
 * accumulator's store→load round trip every step measured 2.2× slower than 6.
 */
// @ts-ignore: decorator
@inline function rowTile<T>(
  pc: usize, B: usize, bias: usize, j: i32, n: i32, vals: usize, offs: usize, relu: bool, nv: i32, r: i32 = 0,
): void {
  const S = BYTES<T>();
  let c0 = v128.splat<T>(0), c1 = v128.splat<T>(0), c2 = v128.splat<T>(0), c3 = v128.splat<T>(0);
  let c4 = v128.splat<T>(0), c5 = v128.splat<T>(0), c6 = v128.splat<T>(0);
  const bj = B + <usize>j * S;
  for (let t = 0; t < n; t++) {
    const a = v128.load_splat<T>(vals + <usize>t * S);
    const pb = bj + <usize>load<u32>(offs + (<usize>t << 2));
    c0 = v128.add<T>(c0, v128.mul<T>(a, v128.load(pb)));
    if (nv > 1) c1 = v128.add<T>(c1, v128.mul<T>(a, v128.load(pb, 16)));
    if (nv > 2) {
      c2 = v128.add<T>(c2, v128.mul<T>(a, v128.load(pb, 32)));
      c3 = v128.add<T>(c3, v128.mul<T>(a, v128.load(pb, 48)));
    }
    if (nv > 4) {
      c4 = v128.add<T>(c4, v128.mul<T>(a, v128.load(pb, 64)));
      c5 = v128.add<T>(c5, v128.mul<T>(a, v128.load(pb, 80)));
    }
    if (r > 0) c6 = v128.add<T>(c6, v128.mul<T>(a, loadPart<T>(pb + <usize>nv * 16, r)));
  }
  const hasBias = bias != 0;
  const zero = v128.splat<T>(0);
  const pbias = bias + <usize>j * S;
  const p = pc + <usize>j * S;
  v128.store(p, finish<T>(c0, hasBias ? v128.load(pbias) : zero, hasBias, relu));
  if (nv > 1) v128.store(p, finish<T>(c1, hasBias ? v128.load(pbias, 16) : zero, hasBias, relu), 16);
  if (nv > 2) {
    v128.store(p, finish<T>(c2, hasBias ? v128.load(pbias, 32) : zero, hasBias, relu), 32);
    v128.store(p, finish<T>(c3, hasBias ? v128.load(pbias, 48) : zero, hasBias, relu), 48);
  }
  if (nv > 4) {
    v128.store(p, finish<T>(c4, hasBias ? v128.load(pbias, 64) : zero, hasBias, relu), 64);
    v128.store(p, finish<T>(c5, hasBias ? v128.load(pbias, 80) : zero, hasBias, relu), 80);
  }
  if (r > 0) storePart<T>(p + <usize>nv * 16, finish<T>(c6, hasBias ? loadPart<T>(pbias + <usize>nv * 16, r) : zero, hasBias, relu), r);
}

/** The last r < LANES columns of one C row (partial loads/stores: nothing read past B's row end). */
// @ts-ignore: decorator
@inline function rowPart<T>(
  pc: usize, B: usize, bias: usize, j: i32, n: i32, vals: usize, offs: usize, relu: bool, r: i32,
): void {
  const S = BYTES<T>();
  let c = v128.splat<T>(0);
  const bj = B + <usize>j * S;
  for (let t = 0; t < n; t++) {
    const a = v128.load_splat<T>(vals + <usize>t * S);
    c = v128.add<T>(c, v128.mul<T>(a, loadPart<T>(bj + <usize>load<u32>(offs + (<usize>t << 2)), r)));
  }
  const hasBias = bias != 0;
  const bv = hasBias ? loadPart<T>(bias + <usize>j * S, r) : v128.splat<T>(0);
  storePart<T>(pc + <usize>j * S, finish<T>(c, bv, hasBias, relu), r);
}
