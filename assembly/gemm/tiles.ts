// The dense recipe of C = A·B (+ bias): 4×2-vector register tiles, a narrow vector tile for the
// last columns (or, two blocks at a time, an 8-row one over A packed by rows: narrow-panel.ts),
// one-row tiles for the last rows. Every element is
//   s = 0; for k in 0..K-1: s = s + a(i,k)·b(k,j); C = s + bias[j] (then max-with-0 for ReLU)
// as one vector lane, whichever tile computes it (there is no scalar column tail), so any split
// of the output over rows, tiles or threads gives the same bits. A tile may also start from the
// sum a tile over the steps before it stored in C (`onto`, with no bias and no ReLU stored
// there): a sum stored and loaded again is the same value, so a product cut into ranges of k
// done one after another (twolayer-stages.ts) gives the same bits as well. B is read as it is or from
// packed panels (pack.ts), and a tile walks either every step or only listed ones
// (sparse/steps.ts): the same values in the same order either way. plan.ts picks among these.
//
// Register budget: 4 rows × 2 vectors = 8 accumulators + 2 B vectors + 1 broadcast A value fit
// V8's 16 xmm registers (a 5×2 tile measured 30–45% slower: spills). The general registers are
// tight too: see wideTiles.
import { LANES, BYTES, loadPart, storePart, finish, madd } from "../lanes";
import { panelBytes } from "./pack";

/**
 * Rows [i0, i1) of C[·×N] = A·B (+ bias), A(i,k) at A[i*sai + k*sak], by the dense recipe alone:
 * no packing, no skipping, no threads. The small products of the fused step, the convolution
 * products and the tests' reference path call it.
 */
export function gemmABRows<T>(
  C: usize, A: usize, B: usize, bias: usize, N: i32, K: i32, sai: i32, sak: i32, i0: i32, i1: i32,
): void {
  const rowA = <usize>sai * BYTES<T>();
  const stepA = <usize>sak * BYTES<T>();
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const a0 = A + <usize>i * rowA;
    wideTilesHere<T>(a0, rowA, stepA, K, B, 0, N, C, bias, i, false, false);
    narrowTiles<T>(C, a0, B, bias, i, N, K, rowA, stepA, false);
  }
  for (; i < i1; i++) tileRow<T>(C, A + <usize>i * rowA, B, bias, i, N, K, stepA, false);
}

/**
 * Rows i..i+3, the columns of whole 2L-wide tiles, over all K steps; B read as it is (Bp = 0)
 * or from its packed panels at Bp. (narrowTiles does the rest of the columns.)
 *
 * A function of its own for plan.ts, called once per block, with what its inner loop needs
 * first (V8 passes the first wasm arguments in registers, the rest on the stack): inlined into
 * the row loops of plan.ts, V8 ran short of general registers and reloaded the A pointer and
 * stride from the stack at every step (x·W1 on Fashion-MNIST 4–7% slower). A call per block
 * costs nothing next to a block's K·N multiply-adds. gemmABRows, with fewer values alive,
 * inlines the same loop (wideTilesHere).
 */
export function wideTiles<T>(
  a0: usize, rowA: usize, stepA: usize, K: i32, B: usize, Bp: usize, N: i32, C: usize, bias: usize, i: i32, relu: bool,
): void {
  wideTilesHere<T>(a0, rowA, stepA, K, B, Bp, N, C, bias, i, relu, false);
}

/** wideTiles starting from the partial sums in C (a product's earlier steps) instead of 0. */
export function wideTilesOnto<T>(
  a0: usize, rowA: usize, stepA: usize, K: i32, B: usize, Bp: usize, N: i32, C: usize, bias: usize, i: i32, relu: bool,
): void {
  wideTilesHere<T>(a0, rowA, stepA, K, B, Bp, N, C, bias, i, relu, true);
}

// @ts-ignore: decorator
@inline function wideTilesHere<T>(
  a0: usize, rowA: usize, stepA: usize, K: i32, B: usize, Bp: usize, N: i32, C: usize, bias: usize, i: i32, relu: bool, onto: bool,
): void {
  const S = BYTES<T>();
  const NR = 2 * LANES<T>(); // tile width: two vectors per row
  const jVec = N - N % NR;
  if (Bp != 0) {
    const panel = panelBytes<T>(K); // panel p holds columns [p·NR, p·NR + NR) as K rows of NR
    for (let j = 0; j < jVec; j += NR) tile4x2<T>(C, a0, Bp + <usize>(j / NR) * panel, <usize>NR * S, bias, i, j, N, K, rowA, stepA, relu, false, 0, 0, onto);
  } else {
    for (let j = 0; j < jVec; j += NR) tile4x2<T>(C, a0, B + <usize>j * S, <usize>N * S, bias, i, j, N, K, rowA, stepA, relu, false, 0, 0, onto);
  }
}

/**
 * wideTiles over the `steps` listed steps only: `offA`/`offB` hold their byte offsets into the
 * block's A rows and into B (or its panels at Bp), ascending. (Its own function: see wideTiles.)
 */
export function wideTilesListed<T>(
  a0: usize, rowA: usize, offA: usize, offB: usize, steps: i32, B: usize, Bp: usize, K: i32, N: i32, C: usize, bias: usize, i: i32, relu: bool,
): void {
  const S = BYTES<T>();
  const NR = 2 * LANES<T>();
  const jVec = N - N % NR;
  if (Bp != 0) {
    const panel = panelBytes<T>(K);
    for (let j = 0; j < jVec; j += NR) tile4x2<T>(C, a0, Bp + <usize>(j / NR) * panel, 0, bias, i, j, N, steps, rowA, 0, relu, true, offA, offB);
  } else {
    for (let j = 0; j < jVec; j += NR) tile4x2<T>(C, a0, B + <usize>j * S, 0, bias, i, j, N, steps, rowA, 0, relu, true, offA, offB);
  }
}

/**
 * Rows i..i+3, the last N mod 2L columns over all K steps (listed or not, these are cheap and
 * need B's row stride), in at most two narrow tiles of r < 2L columns (tile4x1).
 */
// @ts-ignore: decorator
@inline export function narrowTiles<T>(
  C: usize, a0: usize, B: usize, bias: usize, i: i32, N: i32, K: i32, rowA: usize, stepA: usize, relu: bool, onto: bool = false,
): void {
  const L = LANES<T>();
  const jVec = N - N % (2 * L);
  const rest = N - jVec; // 0 ≤ rest < 2L
  const rest1 = rest >= L ? L : rest; // first narrow vector
  const rest2 = rest - rest1; // second narrow vector (only if rest > L)
  const rowB = <usize>N * BYTES<T>();
  if (rest1 > 0) tile4x1<T>(C, a0, B, bias, i, jVec, N, K, rowA, stepA, rowB, relu, rest1, onto);
  if (rest2 > 0) tile4x1<T>(C, a0, B, bias, i, jVec + L, N, K, rowA, stepA, rowB, relu, rest2, onto);
}

/** Row i of C (the rows after the last whole 4-row block), a vector of columns at a time. */
// @ts-ignore: decorator
@inline export function tileRow<T>(
  C: usize, ai: usize, B: usize, bias: usize, i: i32, N: i32, K: i32, stepA: usize, relu: bool, onto: bool = false,
): void {
  const L = LANES<T>();
  const rowB = <usize>N * BYTES<T>();
  let j = 0;
  for (; j + L <= N; j += L) tile1x1<T>(C, ai, B, bias, i, j, N, K, stepA, rowB, relu, L, onto);
  if (j < N) tile1x1<T>(C, ai, B, bias, i, j, N, K, stepA, rowB, relu, N - j, onto);
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
 * The 4×2-vector register tile over K steps — every step (`listed` false: A and B advance by
 * stepA / rowB), or only the K steps whose byte offsets are at offA / offB (sparse/steps.ts).
 * Called with `listed` constant, so each instantiation keeps only one way of stepping.
 */
// @ts-ignore: decorator
@inline function tile4x2<T>(
  C: usize, a0: usize, pb0: usize, rowB: usize, bias: usize, i: i32, j: i32, N: i32, K: i32,
  rowA: usize, stepA: usize, relu: bool, listed: bool, offA: usize, offB: usize, onto: bool = false,
): void {
  let c00 = v128.splat<T>(0), c01 = v128.splat<T>(0);
  let c10 = v128.splat<T>(0), c11 = v128.splat<T>(0);
  let c20 = v128.splat<T>(0), c21 = v128.splat<T>(0);
  let c30 = v128.splat<T>(0), c31 = v128.splat<T>(0);
  if (onto) { // go on from the sums of the steps before, stored in C
    const rowC = <usize>N * BYTES<T>();
    const pc = C + (<usize>i * N + <usize>j) * BYTES<T>();
    c00 = v128.load(pc); c01 = v128.load(pc, 16);
    c10 = v128.load(pc + rowC); c11 = v128.load(pc + rowC, 16);
    c20 = v128.load(pc + 2 * rowC); c21 = v128.load(pc + 2 * rowC, 16);
    c30 = v128.load(pc + 3 * rowC); c31 = v128.load(pc + 3 * rowC, 16);
  }
  let pa = a0;
  let pb = pb0;
  const rowA2 = rowA + rowA, rowA3 = rowA2 + rowA;
  for (let k = 0; k < K; k++) {
    if (listed) {
      pa = a0 + <usize>load<u32>(offA + (<usize>k << 2));
      pb = pb0 + <usize>load<u32>(offB + (<usize>k << 2));
    }
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load_splat<T>(pa);
    c00 = madd<T>(c00, a, b0);
    c01 = madd<T>(c01, a, b1);
    a = v128.load_splat<T>(pa + rowA);
    c10 = madd<T>(c10, a, b0);
    c11 = madd<T>(c11, a, b1);
    a = v128.load_splat<T>(pa + rowA2);
    c20 = madd<T>(c20, a, b0);
    c21 = madd<T>(c21, a, b1);
    a = v128.load_splat<T>(pa + rowA3);
    c30 = madd<T>(c30, a, b0);
    c31 = madd<T>(c31, a, b1);
    if (!listed) {
      pa += stepA;
      pb += rowB;
    }
  }
  store4x2<T>(C, bias, i, j, N, relu, c00, c01, c10, c11, c20, c21, c30, c31);
}

/**
 * Rows i..i+3, columns [j, j + r) (r ≤ LANES): one vector of accumulators per row. Every step
 * but the last loads B's whole vector — its lanes past column j + r hold the next row's first
 * columns, are multiplied and never stored — so the loop does not depend on r; the last step
 * loads only the r valid lanes, so nothing is read past the end of B.
 */
// @ts-ignore: decorator
@inline function tile4x1<T>(
  C: usize, a0: usize, B: usize, bias: usize, i: i32, j: i32, N: i32, K: i32,
  rowA: usize, stepA: usize, rowB: usize, relu: bool, r: i32, onto: bool,
): void {
  const S = BYTES<T>();
  let c0 = v128.splat<T>(0), c1 = v128.splat<T>(0), c2 = v128.splat<T>(0), c3 = v128.splat<T>(0);
  if (onto) { // only the r lanes of C's rows (the last row may end at the end of C)
    const rowC = <usize>N * S;
    const pc = C + (<usize>i * N + <usize>j) * S;
    c0 = loadPart<T>(pc, r); c1 = loadPart<T>(pc + rowC, r); c2 = loadPart<T>(pc + 2 * rowC, r); c3 = loadPart<T>(pc + 3 * rowC, r);
  }
  let pa = a0;
  let pb = B + <usize>j * S;
  const rowA2 = rowA + rowA, rowA3 = rowA2 + rowA;
  for (let k = 1; k < K; k++) {
    const b = v128.load(pb);
    c0 = madd<T>(c0, v128.load_splat<T>(pa), b);
    c1 = madd<T>(c1, v128.load_splat<T>(pa + rowA), b);
    c2 = madd<T>(c2, v128.load_splat<T>(pa + rowA2), b);
    c3 = madd<T>(c3, v128.load_splat<T>(pa + rowA3), b);
    pa += stepA;
    pb += rowB;
  }
  if (K > 0) {
    const b = loadPart<T>(pb, r);
    c0 = madd<T>(c0, v128.load_splat<T>(pa), b);
    c1 = madd<T>(c1, v128.load_splat<T>(pa + rowA), b);
    c2 = madd<T>(c2, v128.load_splat<T>(pa + rowA2), b);
    c3 = madd<T>(c3, v128.load_splat<T>(pa + rowA3), b);
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

/** Row i, columns [j, j + r) (r ≤ LANES): tile4x1 for one row, whole vectors but on the last step. */
// @ts-ignore: decorator
@inline function tile1x1<T>(
  C: usize, ai: usize, B: usize, bias: usize, i: i32, j: i32, N: i32, K: i32,
  stepA: usize, rowB: usize, relu: bool, r: i32, onto: bool,
): void {
  const S = BYTES<T>();
  let c = onto ? loadPart<T>(C + (<usize>i * N + <usize>j) * S, r) : v128.splat<T>(0);
  let pa = ai;
  let pb = B + <usize>j * S;
  for (let k = 1; k < K; k++) {
    c = madd<T>(c, v128.load_splat<T>(pa), v128.load(pb));
    pa += stepA;
    pb += rowB;
  }
  if (K > 0) c = madd<T>(c, v128.load_splat<T>(pa), loadPart<T>(pb, r));
  const hasBias = bias != 0;
  const bv = hasBias ? loadPart<T>(bias + <usize>j * S, r) : v128.splat<T>(0);
  storePart<T>(C + (<usize>i * N + <usize>j) * S, finish<T>(c, bv, hasBias, relu), r);
}
