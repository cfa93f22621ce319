// The dense recipe of C = A·Bᵀ (Affine backward dx = dout·Wᵀ; A [M×K], B [N×K]): dot products
// along contiguous rows, 4×2 of them at a time. Every element is
//   lane sums over k ≡ l (mod LANES) in k order, hsum of lanes 0..L-1, then the k tail in order
// whichever tile computes it, so a split over rows or threads gives the same bits.
import { LANES, BYTES, hsum, madd } from "../lanes";

/** Rows [i0, i1) of C[·×N] = A·Bᵀ, A [·×K], B [N×K] (threads take disjoint ranges). */
export function gemmABtRows<T>(C: usize, A: usize, B: usize, N: i32, K: i32, i0: i32, i1: i32): void {
  abtRows<T>(C, A, B, N, K, i0, i1, <usize>N * BYTES<T>(), BYTES<T>(), false);
}

/**
 * Rows [i0, i1) of A·Bᵀ (A [·×K], B [N×K]) stored transposed into Ct [N×ldCt]: element (i, j)
 * goes to Ct[j, i], written (`add` false) or added to what is there (`add` true: Ct[j, i] + s,
 * one rounding, as a separate pass adding a stored product would). A convolution's dW takes its
 * images' terms this way (conv.ts paramTerm), without a scratch product and a strided pass over it.
 */
export function gemmABtRowsTransposedInto<T>(Ct: usize, ldCt: i32, A: usize, B: usize, N: i32, K: i32, i0: i32, i1: i32, add: bool): void {
  const S = BYTES<T>();
  abtRows<T>(Ct, A, B, N, K, i0, i1, S, <usize>ldCt * S, add);
}

/** C's element (i, j) lives at C + i·rowC + j·colC; `add`: added to it instead of written. */
// @ts-ignore: decorator
@inline function abtRows<T>(C: usize, A: usize, B: usize, N: i32, K: i32, i0: i32, i1: i32, rowC: usize, colC: usize, add: bool): void {
  const rowA = <usize>K * BYTES<T>();
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const a0 = A + <usize>i * rowA;
    let j = 0;
    for (; j + 2 <= N; j += 2) dot4x2<T>(C + <usize>i * rowC + <usize>j * colC, a0, B + <usize>j * rowA, K, rowA, rowC, colC, add);
    for (; j < N; j++) {
      for (let r = 0; r < 4; r++) {
        put<T>(C + <usize>(i + r) * rowC + <usize>j * colC, dot<T>(a0 + <usize>r * rowA, B + <usize>j * rowA, K), add);
      }
    }
  }
  for (; i < i1; i++) {
    const ai = A + <usize>i * rowA;
    for (let j = 0; j < N; j++) put<T>(C + <usize>i * rowC + <usize>j * colC, dot<T>(ai, B + <usize>j * rowA, K), add);
  }
}

/** Store s at p, or add it to the value there. */
// @ts-ignore: decorator
@inline function put<T>(p: usize, s: T, add: bool): void {
  store<T>(p, add ? load<T>(p) + s : s);
}

// @ts-ignore: decorator
@inline function dot4x2<T>(pc: usize, a0: usize, b0: usize, K: i32, rowA: usize, rowC: usize, colC: usize, add: bool): void {
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
    c00 = madd<T>(c00, a, vb0); c01 = madd<T>(c01, a, vb1);
    a = v128.load(a0 + rowA + off);
    c10 = madd<T>(c10, a, vb0); c11 = madd<T>(c11, a, vb1);
    a = v128.load(a0 + 2 * rowA + off);
    c20 = madd<T>(c20, a, vb0); c21 = madd<T>(c21, a, vb1);
    a = v128.load(a0 + 3 * rowA + off);
    c30 = madd<T>(c30, a, vb0); c31 = madd<T>(c31, a, vb1);
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
  put<T>(pc, s00, add); put<T>(pc + colC, s01, add);
  put<T>(pc + rowC, s10, add); put<T>(pc + rowC + colC, s11, add);
  put<T>(pc + 2 * rowC, s20, add); put<T>(pc + 2 * rowC + colC, s21, add);
  put<T>(pc + 3 * rowC, s30, add); put<T>(pc + 3 * rowC + colC, s31, add);
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
    c = madd<T>(c, v128.load(a + off), v128.load(b + off));
    off += 16;
  }
  let s = hsum<T>(c);
  for (; k < K; k++) s += load<T>(a + <usize>k * S) * load<T>(b + <usize>k * S);
  return s;
}
