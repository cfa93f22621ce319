// C = A·B stored transposed: C[j·ldc + i] = Σ_k A(i, k)·B(k, j) (+ bias[j]), with A(i, k) at
// A[k·sak + i] (four rows i…i+3 adjacent: immediate offsets) and B in zero-padded panels of 2L
// columns. The convolution layer's products run this way (conv.ts): out_n = W·col_n is computed as
// col_nᵀ·Wᵀ, its rows the OH·OW output pixels in blocks of 4 and its columns the filters in
// panels of 8, so the short pixel rows of deep layers (7·7 = 49) no longer end in a latency-bound
// one-column tile, and Wᵀ, packed once per batch, is read from cache by every image.
//
// Same bits as the dense recipe (tiles.ts): every element is s = 0; s = s + a·b for k ascending
// (a·b = b·a exactly); + bias; then, if asked, reluForward's max-with-0 (so the convolution and
// the ReLU after it are one pass over the output); the transposition is only where it is stored.
// Padding columns compute 0·a and are never stored.
import { LANES, BYTES, madd, finish } from "../lanes";

/** Bytes of B [K×N] packed in zero-padded panels of 2L columns. */
// @ts-ignore: decorator
@inline export function paddedPanelBytes<T>(N: i32, K: i32): usize {
  const NR = 2 * LANES<T>();
  return <usize>((N + NR - 1) / NR) * <usize>NR * <usize>K * BYTES<T>();
}

/** Pack B [K×N], element (k, j) at B[k·rs + j·cs], into panels [⌈N/2L⌉][K][2L], zeros past column N. */
export function packPaddedPanels<T>(Bp: usize, B: usize, N: i32, K: i32, rs: i32, cs: i32): void {
  const S = BYTES<T>();
  const NR = 2 * LANES<T>();
  let out = Bp;
  for (let j0 = 0; j0 < N; j0 += NR) {
    for (let k = 0; k < K; k++) {
      for (let l = 0; l < NR; l++) {
        const j = j0 + l;
        store<T>(out, j < N ? load<T>(B + (<usize>k * <usize>rs + <usize>j * <usize>cs) * S) : <T>0);
        out += S;
      }
    }
  }
}

/**
 * All of C (M rows i, N columns j) from A (sak elements between steps) and the packed panels Bp;
 * C stored transposed with ldc elements between its rows j. `bias` = 0: none. `relu`: every
 * stored value is reluForward's (s > 0 ? s : 0), bit for bit.
 */
export function gemmTransposedOut<T>(C: usize, ldc: i32, A: usize, sak: i32, Bp: usize, bias: usize, M: i32, N: i32, K: i32, relu: bool): void {
  const S = BYTES<T>();
  const NR = 2 * LANES<T>();
  const panel = <usize>K * <usize>NR * S;
  const stepA = <usize>sak * S;
  let p: usize = 0;
  for (let j = 0; j < N; j += NR) {
    const bp = Bp + p * panel;
    let i = 0;
    for (; i + 4 <= M; i += 4) tile4<T>(C, ldc, A + <usize>i * S, stepA, bp, bias, i, j, N, K, relu);
    if (i < M && M >= 4) {
      // the last rows (7·7 = 49 pixels leave one) as the tile of the last four: the rows it
      // shares with the tile before are computed by the same recipe and stored again with the
      // same bits, and the one-row tile, a single chain of K dependent adds, is not needed
      tile4<T>(C, ldc, A + <usize>(M - 4) * S, stepA, bp, bias, M - 4, j, N, K, relu);
    } else {
      for (; i < M; i++) tile1<T>(C, ldc, A + <usize>i * S, stepA, bp, bias, i, j, N, K, relu);
    }
    p++;
  }
}

/** Rows i…i+3, panel columns j…j+2L−1 (those < N stored). */
// @ts-ignore: decorator
@inline function tile4<T>(C: usize, ldc: i32, a0: usize, stepA: usize, bp: usize, bias: usize, i: i32, j: i32, N: i32, K: i32, relu: bool): void {
  const S = BYTES<T>();
  let c00 = v128.splat<T>(0), c01 = v128.splat<T>(0), c10 = v128.splat<T>(0), c11 = v128.splat<T>(0);
  let c20 = v128.splat<T>(0), c21 = v128.splat<T>(0), c30 = v128.splat<T>(0), c31 = v128.splat<T>(0);
  let pa = a0, pb = bp;
  for (let k = 0; k < K; k++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let a = v128.load_splat<T>(pa);
    c00 = madd<T>(c00, a, b0); c01 = madd<T>(c01, a, b1);
    a = v128.load_splat<T>(pa, <usize>S);
    c10 = madd<T>(c10, a, b0); c11 = madd<T>(c11, a, b1);
    a = v128.load_splat<T>(pa, <usize>(2 * S));
    c20 = madd<T>(c20, a, b0); c21 = madd<T>(c21, a, b1);
    a = v128.load_splat<T>(pa, <usize>(3 * S));
    c30 = madd<T>(c30, a, b0); c31 = madd<T>(c31, a, b1);
    pa += stepA;
    pb += 32;
  }
  const pc = C + (<usize>j * <usize>ldc + <usize>i) * S;
  const row = <usize>ldc * S;
  if (sizeof<T>() == 4) {
    // columns j…j+3 from (c00, c10, c20, c30), j+4…j+7 from (c01, …): 4×4 transposes
    storeColumns4(pc, row, c00, c10, c20, c30, bias, j, N, relu);
    storeColumns4(pc + 4 * row, row, c01, c11, c21, c31, bias, j + 4, N, relu);
  } else {
    // f64: each accumulator holds 2 columns; rows i, i+1 and i+2, i+3 pair up per column
    storeColumns2(pc, row, c00, c10, c20, c30, bias, j, N, relu);
    storeColumns2(pc + 2 * row, row, c01, c11, c21, c31, bias, j + 2, N, relu);
  }
}

/** f32: rows i…i+3 of columns j…j+3 (lanes of r0…r3 are the columns), + bias, columns < N only. */
// @ts-ignore: decorator
@inline function storeColumns4(pc: usize, row: usize, r0: v128, r1: v128, r2: v128, r3: v128, bias: usize, j: i32, N: i32, relu: bool): void {
  const t0 = v128.shuffle<i32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<i32>(r2, r3, 0, 4, 1, 5);
  const t2 = v128.shuffle<i32>(r0, r1, 2, 6, 3, 7), t3 = v128.shuffle<i32>(r2, r3, 2, 6, 3, 7);
  storeColumn<f32>(pc, v128.shuffle<i64>(t0, t1, 0, 2), bias, j, N, relu);
  if (j + 1 < N) storeColumn<f32>(pc + row, v128.shuffle<i64>(t0, t1, 1, 3), bias, j + 1, N, relu);
  if (j + 2 < N) storeColumn<f32>(pc + 2 * row, v128.shuffle<i64>(t2, t3, 0, 2), bias, j + 2, N, relu);
  if (j + 3 < N) storeColumn<f32>(pc + 3 * row, v128.shuffle<i64>(t2, t3, 1, 3), bias, j + 3, N, relu);
}

/** f64: rows i…i+3 of columns j, j+1 (lanes of r0…r3 are the columns), + bias, columns < N only. */
// @ts-ignore: decorator
@inline function storeColumns2(pc: usize, row: usize, r0: v128, r1: v128, r2: v128, r3: v128, bias: usize, j: i32, N: i32, relu: bool): void {
  if (j < N) {
    storeColumn<f64>(pc, v128.shuffle<i64>(r0, r1, 0, 2), bias, j, N, relu);
    storeColumn<f64>(pc + 16, v128.shuffle<i64>(r2, r3, 0, 2), bias, j, N, relu);
  }
  if (j + 1 < N) {
    storeColumn<f64>(pc + row, v128.shuffle<i64>(r0, r1, 1, 3), bias, j + 1, N, relu);
    storeColumn<f64>(pc + row + 16, v128.shuffle<i64>(r2, r3, 1, 3), bias, j + 1, N, relu);
  }
}

/** One vector of column j's consecutive rows, + bias[j] if any (s + b, as the dense recipe), then the ReLU if asked. */
// @ts-ignore: decorator
@inline function storeColumn<T>(p: usize, v: v128, bias: usize, j: i32, N: i32, relu: bool): void {
  if (j >= N) return;
  const hasBias = bias != 0;
  v128.store(p, finish<T>(v, hasBias ? v128.splat<T>(load<T>(bias + <usize>j * sizeof<T>())) : v128.splat<T>(0), hasBias, relu));
}

/** Row i alone, panel columns j…j+2L−1: two vectors of columns, stored lane by lane. */
// @ts-ignore: decorator
@inline function tile1<T>(C: usize, ldc: i32, ai: usize, stepA: usize, bp: usize, bias: usize, i: i32, j: i32, N: i32, K: i32, relu: bool): void {
  const S = BYTES<T>();
  const L = LANES<T>();
  let c0 = v128.splat<T>(0), c1 = v128.splat<T>(0);
  let pa = ai, pb = bp;
  for (let k = 0; k < K; k++) {
    const a = v128.load_splat<T>(pa);
    c0 = madd<T>(c0, a, v128.load(pb));
    c1 = madd<T>(c1, a, v128.load(pb, 16));
    pa += stepA;
    pb += 32;
  }
  for (let l = 0; l < 2 * L; l++) {
    const jj = j + l;
    if (jj >= N) break;
    let s: T = l < L ? laneOf<T>(c0, l) : laneOf<T>(c1, l - L);
    if (bias != 0) s += load<T>(bias + <usize>jj * S);
    if (relu) s = s > <T>0 ? s : <T>0; // reluForward's scalar formula
    store<T>(C + (<usize>jj * <usize>ldc + <usize>i) * S, s);
  }
}

// @ts-ignore: decorator
@inline function laneOf<T>(v: v128, l: i32): T {
  if (sizeof<T>() == 4) {
    if (l == 0) return <T>v128.extract_lane<f32>(v, 0);
    if (l == 1) return <T>v128.extract_lane<f32>(v, 1);
    if (l == 2) return <T>v128.extract_lane<f32>(v, 2);
    return <T>v128.extract_lane<f32>(v, 3);
  }
  return l == 0 ? <T>v128.extract_lane<f64>(v, 0) : <T>v128.extract_lane<f64>(v, 1);
}
