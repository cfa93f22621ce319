// Matrix products for backprop, generic over f32/f64, row-major, allocation-free.
//
//   gemmAB   C[M×N] = A·B (+ bias[N])   A(i,k) read at A[i*sai + k*sak]
//            sai=K, sak=1 → A·B  (Affine forward:  out = x·W + b)
//            sai=1, sak=M → Aᵀ·B (Affine backward: dW = xᵀ·dout, A is x [K×M])
//   gemmABt  C[M×N] = A·Bᵀ          A [M×K], B [N×K]   (Affine backward: dx = dout·Wᵀ)
//
// Kernels overwrite C (no accumulate): the book assigns `self.dW = ...`.
//
// Rounding contract: every C element is computed by one fixed recipe whatever path
// (register tile, narrow tile, scalar tail) produces it —
//   gemmAB : s = 0; for k in 0..K-1: s = s + a(i,k)*b(k,j); then C = s + bias[j] (then max-with-0
//            when the ReLU epilogue is asked for) — every path is a vector lane of this, including
//            the narrow last tile, so there is no scalar column tail
//   gemmABt: lane sums over k ≡ l (mod LANES) in k order, hsum lanes 0..L-1, then the k tail in order
// so splitting the output over rows/columns (threads, tiles) never changes a bit. Two speed-ups
// keep the recipe too: B copied into contiguous panels (packPanels: same values), and steps whose
// A values are all ±0 left out when B is finite (nonzeroSteps: they add exact zeros).
import { LANES, BYTES, hsum, loadPart, storePart, finish } from "./lanes";
import { listRow, rowFromList, rowIsSparse, sparseRow } from "./sparse-rows";

/** C[M×N] = A·B (+ bias), A(i,k) at element offset i*sai + k*sak. `bias` = 0 means none. */
export function gemmAB<T>(
  C: usize, // [M×N] out
  A: usize, // strided, see above
  B: usize, // [K×N]
  bias: usize, // [N] or 0
  M: i32, N: i32, K: i32, sai: i32, sak: i32,
): void {
  gemmABRows<T>(C, A, B, bias, N, K, sai, sak, 0, M, false);
}

/**
 * Rows [i0, i1) of gemmAB, optionally with ReLU applied before the store (the fused
 * Affine→Relu epilogue: `relu(s + bias)` is exactly what reluForward would make of C).
 * Threads call this on disjoint row ranges; the recipe per element does not depend on the range.
 */
export function gemmABRows<T>(
  C: usize, A: usize, B: usize, bias: usize,
  N: i32, K: i32, sai: i32, sak: i32, i0: i32, i1: i32, relu: bool, Bp: usize = 0, lists: usize = 0,
): void {
  const S = BYTES<T>();
  const L = LANES<T>();
  const NR = 2 * L; // tile width: two vectors per row, 4 rows → 8 accumulators (fits 16 xmm)
  const rowA = <usize>sai * S;
  const stepA = <usize>sak * S;
  const rowB = <usize>N * S;
  // The last j-tile is a narrower vector tile whose loads/stores touch only the r valid
  // lanes (load32_zero/load64_zero/load_lane): no scalar column tail, no read past B's end.
  const jVec = N - N % NR;
  const rest = N - jVec; // 0 ≤ rest < 2L
  const rest1 = rest >= L ? L : rest; // first narrow vector
  const rest2 = rest - rest1; // second narrow vector (only if rest > L)
  let i = i0;
  let tryRows = lists != 0 && stepA == S;
  for (; i + 4 <= i1; i += 4) {
    const a0 = A + <usize>i * rowA;
    if (tryRows) {
      // Mostly-zero rows (MNIST digits): each row alone over its own nonzero steps
      // (sparse-rows.ts). The block's first row decides, and its list is kept when it does;
      // after one dense block the rest of the call stays on the tiles (dense inputs such as
      // conv weights would otherwise pay for a wasted listing in every block).
      const n0 = listRow<T>(A, i, N, K, rowA, stepA, lists);
      if (rowIsSparse(n0, K)) {
        rowFromList<T>(C, B, bias, i, N, K, relu, lists, n0);
        for (let r = 1; r < 4; r++) sparseRow<T>(C, A, B, bias, i + r, N, K, rowA, stepA, relu, lists);
        continue;
      }
      tryRows = false;
    }
    const panel = <usize>K * <usize>NR * S; // packed: panel p holds columns [p·2L, p·2L + 2L) as K rows of 2L
    const nnz = lists != 0 ? nonzeroSteps<T>(lists, a0, K, rowA, stepA, Bp != 0 ? <usize>NR * S : rowB) : K;
    const offB = lists + (<usize>K << 2);
    if (nnz < K) {
      if (Bp != 0) for (let j = 0; j < jVec; j += NR) tile4x2<T>(C, a0, Bp + <usize>(j / NR) * panel, 0, bias, i, j, N, nnz, rowA, 0, relu, true, lists, offB);
      else for (let j = 0; j < jVec; j += NR) tile4x2<T>(C, a0, B + <usize>j * S, 0, bias, i, j, N, nnz, rowA, 0, relu, true, lists, offB);
    } else if (Bp != 0) {
      for (let j = 0; j < jVec; j += NR) tile4x2<T>(C, a0, Bp + <usize>(j / NR) * panel, <usize>NR * S, bias, i, j, N, K, rowA, stepA, relu, false, 0, 0);
    } else {
      for (let j = 0; j < jVec; j += NR) tile4x2<T>(C, a0, B + <usize>j * S, rowB, bias, i, j, N, K, rowA, stepA, relu, false, 0, 0);
    }
    if (rest1 > 0) tile4x1Any<T>(C, a0, B, bias, i, jVec, N, K, rowA, stepA, rowB, relu, rest1);
    if (rest2 > 0) tile4x1Any<T>(C, a0, B, bias, i, jVec + L, N, K, rowA, stepA, rowB, relu, rest2);
  }
  for (; i < i1; i++) {
    const ai = A + <usize>i * rowA;
    let j = 0;
    for (; j + L <= N; j += L) tile1x1<T>(C, ai, B, bias, i, j, N, K, stepA, rowB, relu, L);
    if (j < N) tile1x1Any<T>(C, ai, B, bias, i, j, N, K, stepA, rowB, relu, N - j);
  }
}

/**
 * Exact zero skipping. With B finite (the caller checks), a step k whose four A values are all
 * ±0 adds only ±0 products, and s + ±0 == s for every s the recipe can hold (s starts at +0 and
 * round-to-nearest never produces -0 from it), so leaving those steps out gives the same bits.
 * Images are mostly background, so a 4-row block of x (or 4 adjacent pixels of xᵀ) has many
 * such steps. Writes the byte offsets of the remaining steps (into A and into B) to `lists`
 * ([K] + [K] u32) in ascending k, so the order of the additions is unchanged; returns their count.
 */
// @ts-ignore: decorator
@inline function nonzeroSteps<T>(lists: usize, a0: usize, K: i32, rowA: usize, stepA: usize, stepB: usize): i32 {
  const rowA2 = rowA + rowA, rowA3 = rowA2 + rowA;
  // First only count (vectorised, no stores): dense blocks (a photo-like image) keep the plain
  // loop, because the indirection costs more than skipping under half of the steps saves.
  const S = BYTES<T>();
  let count = 0;
  let pa = a0;
  let k = 0;
  if (stepA == S) { // row-major A: LANES consecutive steps of the 4 rows per vector load
    const L = LANES<T>();
    for (; k + L <= K; k += L) {
      const v = v128.or(v128.or(v128.load(pa), v128.load(pa + rowA)), v128.or(v128.load(pa + rowA2), v128.load(pa + rowA3)));
      const nz = sizeof<T>() == 4 ? i32x4.ne(i32x4.shl(v, 1), i32x4.splat(0)) : i64x2.ne(i64x2.shl(v, 1), i64x2.splat(0));
      count += <i32>popcnt<u32>(sizeof<T>() == 4 ? i32x4.bitmask(nz) : i64x2.bitmask(nz));
      pa += <usize>L * S;
    }
  } else if (rowA == S) { // transposed A (xᵀ): the 4 rows of one step are adjacent
    for (; k < K; k++) {
      let v = v128.load(pa);
      if (sizeof<T>() == 8) v = v128.or(v, v128.load(pa, 16));
      count += <i32>v128.any_true(sizeof<T>() == 4 ? i32x4.shl(v, 1) : i64x2.shl(v, 1));
      pa += stepA;
    }
  } else {
    return K; // other strides: not worth a scalar scan
  }
  for (; k < K; k++) {
    if (sizeof<T>() == 4) count += <i32>(((load<u32>(pa) | load<u32>(pa + rowA) | load<u32>(pa + rowA2) | load<u32>(pa + rowA3)) << 1) != 0);
    else count += <i32>(((load<u64>(pa) | load<u64>(pa + rowA) | load<u64>(pa + rowA2) | load<u64>(pa + rowA3)) << 1) != 0);
    pa += stepA;
  }
  if (count * 2 >= K) return K;
  const offB = lists + (<usize>K << 2);
  let n = 0;
  pa = a0;
  let ob: usize = 0;
  for (let k = 0; k < K; k++) {
    let any: bool;
    if (sizeof<T>() == 4) any = ((load<u32>(pa) | load<u32>(pa + rowA) | load<u32>(pa + rowA2) | load<u32>(pa + rowA3)) << 1) != 0;
    else any = ((load<u64>(pa) | load<u64>(pa + rowA) | load<u64>(pa + rowA2) | load<u64>(pa + rowA3)) << 1) != 0;
    store<u32>(lists + (<usize>n << 2), <u32>(pa - a0)); // written always, kept only if `any` (no branch)
    store<u32>(offB + (<usize>n << 2), <u32>ob);
    n += <i32>any;
    pa += stepA;
    ob += stepB;
  }
  return n;
}

/** Epilogue of the 4×2-vector tiles: + bias, ReLU if asked, store. */
// @ts-ignore: decorator
@inline function store4x2<T>(
  C: usize, bias: usize, i: i32, j: i32, N: i32, relu: bool,
  c00: v128, c01: v128, c10: v128, c11: v128, c20: v128, c21: v128, c30: v128, c31: v128,
): void {
  const S = BYTES<T>();
  const hasBias = bias != 0;
  let bv0 = v128.splat<T>(0), bv1 = v128.splat<T>(0);
  if (hasBias) {
    bv0 = v128.load(bias + <usize>j * S);
    bv1 = v128.load(bias + <usize>j * S, 16);
  }
  const rowC = <usize>N * S;
  const pc = C + (<usize>i * N + <usize>j) * S;
  v128.store(pc, finish<T>(c00, bv0, hasBias, relu)); v128.store(pc, finish<T>(c01, bv1, hasBias, relu), 16);
  v128.store(pc + rowC, finish<T>(c10, bv0, hasBias, relu)); v128.store(pc + rowC, finish<T>(c11, bv1, hasBias, relu), 16);
  v128.store(pc + 2 * rowC, finish<T>(c20, bv0, hasBias, relu)); v128.store(pc + 2 * rowC, finish<T>(c21, bv1, hasBias, relu), 16);
  v128.store(pc + 3 * rowC, finish<T>(c30, bv0, hasBias, relu)); v128.store(pc + 3 * rowC, finish<T>(c31, bv1, hasBias, relu), 16);
}

/**
 * Copy the full 2L-wide column panels of B [K×N] into Bp as [panel][K][2L]: the 4×2L tile then
 * reads its B values as one contiguous stream (half the cache lines of strided rows, no L1
 * thrashing). The values are copied, not changed, so the results are the same bits.
 */
export function packPanels<T>(Bp: usize, B: usize, N: i32, K: i32): void {
  const S = BYTES<T>();
  const NR = 2 * LANES<T>();
  const rowB = <usize>N * S;
  let out = Bp;
  for (let j = 0; j + NR <= N; j += NR) {
    let pb = B + <usize>j * S;
    for (let k = 0; k < K; k++) {
      v128.store(out, v128.load(pb));
      v128.store(out, v128.load(pb, 16), 16);
      out += 32;
      pb += rowB;
    }
  }
}

/**
 * The 4×2-vector register tile over K steps — every step (`lists` = 0: A and B advance by
 * stepA / rowB), or only the `K` steps listed by nonzeroSteps (`lists` = their byte offsets).
 * Called with `sparse` constant, so each instantiation keeps only one way of stepping.
 */
// @ts-ignore: decorator
@inline function tile4x2<T>(
  C: usize, a0: usize, pb0: usize, rowB: usize, bias: usize, i: i32, j: i32, N: i32, K: i32,
  rowA: usize, stepA: usize, relu: bool, sparse: bool, offA: usize, offB: usize,
): void {
  let c00 = v128.splat<T>(0), c01 = v128.splat<T>(0);
  let c10 = v128.splat<T>(0), c11 = v128.splat<T>(0);
  let c20 = v128.splat<T>(0), c21 = v128.splat<T>(0);
  let c30 = v128.splat<T>(0), c31 = v128.splat<T>(0);
  let pa = a0;
  let pb = pb0;
  const rowA2 = rowA + rowA, rowA3 = rowA2 + rowA;
  for (let k = 0; k < K; k++) {
    if (sparse) {
      pa = a0 + <usize>load<u32>(offA + (<usize>k << 2));
      pb = pb0 + <usize>load<u32>(offB + (<usize>k << 2));
    }
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load_splat<T>(pa);
    c00 = v128.add<T>(c00, v128.mul<T>(a, b0));
    c01 = v128.add<T>(c01, v128.mul<T>(a, b1));
    a = v128.load_splat<T>(pa + rowA);
    c10 = v128.add<T>(c10, v128.mul<T>(a, b0));
    c11 = v128.add<T>(c11, v128.mul<T>(a, b1));
    a = v128.load_splat<T>(pa + rowA2);
    c20 = v128.add<T>(c20, v128.mul<T>(a, b0));
    c21 = v128.add<T>(c21, v128.mul<T>(a, b1));
    a = v128.load_splat<T>(pa + rowA3);
    c30 = v128.add<T>(c30, v128.mul<T>(a, b0));
    c31 = v128.add<T>(c31, v128.mul<T>(a, b1));
    if (!sparse) {
      pa += stepA;
      pb += rowB;
    }
  }
  store4x2<T>(C, bias, i, j, N, relu, c00, c01, c10, c11, c20, c21, c30, c31);
}

/** tile4x1 for any lane count r in 1..LANES, each instantiated with a constant. */
// @ts-ignore: decorator
@inline function tile4x1Any<T>(
  C: usize, a0: usize, B: usize, bias: usize, i: i32, j: i32, N: i32, K: i32,
  rowA: usize, stepA: usize, rowB: usize, relu: bool, r: i32,
): void {
  if (r == LANES<T>()) tile4x1<T>(C, a0, B, bias, i, j, N, K, rowA, stepA, rowB, relu, LANES<T>());
  else if (r == 1) tile4x1<T>(C, a0, B, bias, i, j, N, K, rowA, stepA, rowB, relu, 1);
  else if (r == 2) tile4x1<T>(C, a0, B, bias, i, j, N, K, rowA, stepA, rowB, relu, 2);
  else tile4x1<T>(C, a0, B, bias, i, j, N, K, rowA, stepA, rowB, relu, 3);
}

// @ts-ignore: decorator
@inline function tile4x1<T>(
  C: usize, a0: usize, B: usize, bias: usize, i: i32, j: i32, N: i32, K: i32,
  rowA: usize, stepA: usize, rowB: usize, relu: bool, r: i32,
): void {
  const S = BYTES<T>();
  let c0 = v128.splat<T>(0), c1 = v128.splat<T>(0), c2 = v128.splat<T>(0), c3 = v128.splat<T>(0);
  let pa = a0;
  let pb = B + <usize>j * S;
  const rowA2 = rowA + rowA, rowA3 = rowA2 + rowA;
  for (let k = 0; k < K; k++) {
    const b = loadPart<T>(pb, r);
    c0 = v128.add<T>(c0, v128.mul<T>(v128.load_splat<T>(pa), b));
    c1 = v128.add<T>(c1, v128.mul<T>(v128.load_splat<T>(pa + rowA), b));
    c2 = v128.add<T>(c2, v128.mul<T>(v128.load_splat<T>(pa + rowA2), b));
    c3 = v128.add<T>(c3, v128.mul<T>(v128.load_splat<T>(pa + rowA3), b));
    pa += stepA;
    pb += rowB;
  }
  const hasBias = bias != 0;
  const bv = hasBias ? loadPart<T>(bias + <usize>j * S, r) : v128.splat<T>(0);
  const rowC = <usize>N * S;
  const pc = C + (<usize>i * N + <usize>j) * S;
  storePart<T>(pc, finish<T>(c0, bv, hasBias, relu), r);
  storePart<T>(pc + rowC, finish<T>(c1, bv, hasBias, relu), r);
  storePart<T>(pc + 2 * rowC, finish<T>(c2, bv, hasBias, relu), r);
  storePart<T>(pc + 3 * rowC, finish<T>(c3, bv, hasBias, relu), r);
}

// @ts-ignore: decorator
@inline function tile1x1Any<T>(
  C: usize, ai: usize, B: usize, bias: usize, i: i32, j: i32, N: i32, K: i32,
  stepA: usize, rowB: usize, relu: bool, r: i32,
): void {
  if (r == 1) tile1x1<T>(C, ai, B, bias, i, j, N, K, stepA, rowB, relu, 1);
  else if (r == 2) tile1x1<T>(C, ai, B, bias, i, j, N, K, stepA, rowB, relu, 2);
  else tile1x1<T>(C, ai, B, bias, i, j, N, K, stepA, rowB, relu, 3);
}

// @ts-ignore: decorator
@inline function tile1x1<T>(
  C: usize, ai: usize, B: usize, bias: usize, i: i32, j: i32, N: i32, K: i32,
  stepA: usize, rowB: usize, relu: bool, r: i32,
): void {
  const S = BYTES<T>();
  let c = v128.splat<T>(0);
  let pa = ai;
  let pb = B + <usize>j * S;
  for (let k = 0; k < K; k++) {
    c = v128.add<T>(c, v128.mul<T>(v128.load_splat<T>(pa), loadPart<T>(pb, r)));
    pa += stepA;
    pb += rowB;
  }
  const hasBias = bias != 0;
  const bv = hasBias ? loadPart<T>(bias + <usize>j * S, r) : v128.splat<T>(0);
  storePart<T>(C + (<usize>i * N + <usize>j) * S, finish<T>(c, bv, hasBias, relu), r);
}

/** C[M×N] = A·Bᵀ with A [M×K], B [N×K]: dot products along contiguous rows. */
export function gemmABt<T>(
  C: usize, // [M×N] out
  A: usize, // [M×K]
  B: usize, // [N×K]
  M: i32, N: i32, K: i32,
): void {
  gemmABtRows<T>(C, A, B, N, K, 0, M);
}

/** Rows [i0, i1) of gemmABt (threads take disjoint ranges; same recipe per element). */
export function gemmABtRows<T>(C: usize, A: usize, B: usize, N: i32, K: i32, i0: i32, i1: i32): void {
  const S = BYTES<T>();
  const rowA = <usize>K * S;
  const rowC = <usize>N * S;
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const a0 = A + <usize>i * rowA;
    let j = 0;
    for (; j + 2 <= N; j += 2) dot4x2<T>(C + <usize>i * rowC + <usize>j * S, a0, B + <usize>j * rowA, K, rowA, rowC);
    for (; j < N; j++) {
      for (let r = 0; r < 4; r++) {
        store<T>(C + <usize>(i + r) * rowC + <usize>j * S, dot<T>(a0 + <usize>r * rowA, B + <usize>j * rowA, K));
      }
    }
  }
  for (; i < i1; i++) {
    const ai = A + <usize>i * rowA;
    for (let j = 0; j < N; j++) store<T>(C + <usize>i * rowC + <usize>j * S, dot<T>(ai, B + <usize>j * rowA, K));
  }
}

// @ts-ignore: decorator
@inline function dot4x2<T>(pc: usize, a0: usize, b0: usize, K: i32, rowA: usize, rowC: usize): void {
  const S = BYTES<T>();
  const L = LANES<T>();
  let c00 = v128.splat<T>(0), c01 = v128.splat<T>(0);
  let c10 = v128.splat<T>(0), c11 = v128.splat<T>(0);
  let c20 = v128.splat<T>(0), c21 = v128.splat<T>(0);
  let c30 = v128.splat<T>(0), c31 = v128.splat<T>(0);
  const b1 = b0 + rowA;
  let k = 0;
  let off: usize = 0;
  for (; k + L <= K; k += L) {
    const vb0 = v128.load(b0 + off);
    const vb1 = v128.load(b1 + off);
    let a = v128.load(a0 + off);
    c00 = v128.add<T>(c00, v128.mul<T>(a, vb0)); c01 = v128.add<T>(c01, v128.mul<T>(a, vb1));
    a = v128.load(a0 + rowA + off);
    c10 = v128.add<T>(c10, v128.mul<T>(a, vb0)); c11 = v128.add<T>(c11, v128.mul<T>(a, vb1));
    a = v128.load(a0 + 2 * rowA + off);
    c20 = v128.add<T>(c20, v128.mul<T>(a, vb0)); c21 = v128.add<T>(c21, v128.mul<T>(a, vb1));
    a = v128.load(a0 + 3 * rowA + off);
    c30 = v128.add<T>(c30, v128.mul<T>(a, vb0)); c31 = v128.add<T>(c31, v128.mul<T>(a, vb1));
    off += 16;
  }
  let s00 = hsum<T>(c00), s01 = hsum<T>(c01), s10 = hsum<T>(c10), s11 = hsum<T>(c11);
  let s20 = hsum<T>(c20), s21 = hsum<T>(c21), s30 = hsum<T>(c30), s31 = hsum<T>(c31);
  for (; k < K; k++) {
    const o = <usize>k * S;
    const vb0 = load<T>(b0 + o), vb1 = load<T>(b1 + o);
    let a = load<T>(a0 + o);
    s00 += a * vb0; s01 += a * vb1;
    a = load<T>(a0 + rowA + o);
    s10 += a * vb0; s11 += a * vb1;
    a = load<T>(a0 + 2 * rowA + o);
    s20 += a * vb0; s21 += a * vb1;
    a = load<T>(a0 + 3 * rowA + o);
    s30 += a * vb0; s31 += a * vb1;
  }
  store<T>(pc, s00); store<T>(pc, s01, S);
  store<T>(pc + rowC, s10); store<T>(pc + rowC, s11, S);
  store<T>(pc + 2 * rowC, s20); store<T>(pc + 2 * rowC, s21, S);
  store<T>(pc + 3 * rowC, s30); store<T>(pc + 3 * rowC, s31, S);
}

/** One A·Bᵀ element by the same recipe as dot4x2 (vector lanes, hsum, then the tail). */
// @ts-ignore: decorator
@inline function dot<T>(a: usize, b: usize, K: i32): T {
  const S = BYTES<T>();
  const L = LANES<T>();
  let c = v128.splat<T>(0);
  let k = 0;
  let off: usize = 0;
  for (; k + L <= K; k += L) {
    c = v128.add<T>(c, v128.mul<T>(v128.load(a + off), v128.load(b + off)));
    off += 16;
  }
  let s = hsum<T>(c);
  for (; k < K; k++) s += load<T>(a + <usize>k * S) * load<T>(b + <usize>k * S);
  return s;
}
