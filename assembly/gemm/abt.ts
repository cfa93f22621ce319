// The dense recipe of C = A·Bᵀ (Affine backward dx = dout·Wᵀ; A [M×K], B [N×K]): dot products
// along contiguous rows, 4×2 of them at a time. Every element is
//   lane sums over k ≡ l (mod LANES) in k order, hsum of lanes 0..L-1, then the k tail in order
// whichever tile computes it, so a split over rows or threads gives the same bits.
import { LANES, BYTES, hsum, madd } from "../lanes";

/** Rows [i0, i1) of C[·×N] = A·Bᵀ, A [·×K], B [N×K] (threads take disjoint ranges). */
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
    c = madd<T>(c, v128.load(a + off), v128.load(b + off));
    off += 16;
  }
  let s = hsum<T>(c);
  for (; k < K; k++) s += load<T>(a + <usize>k * S) * load<T>(b + <usize>k * S);
  return s;
}
