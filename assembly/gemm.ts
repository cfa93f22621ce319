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
//   gemmAB : s = 0; for k in 0..K-1: s = s + a(i,k)*b(k,j); then C = s + bias[j]
//   gemmABt: lane sums over k ≡ l (mod LANES) in k order, hsum lanes 0..L-1, then the k tail in order
// so splitting the output over rows/columns (threads, tiles) never changes a bit.
import { LANES, BYTES, hsum } from "./lanes";

/** C[M×N] = A·B (+ bias), A(i,k) at element offset i*sai + k*sak. `bias` = 0 means none. */
export function gemmAB<T>(
  C: usize, // [M×N] out
  A: usize, // strided, see above
  B: usize, // [K×N]
  bias: usize, // [N] or 0
  M: i32, N: i32, K: i32, sai: i32, sak: i32,
): void {
  const S = BYTES<T>();
  const L = LANES<T>();
  const NR = 2 * L; // tile width: two vectors per row, 4 rows → 8 accumulators (fits 16 xmm)
  const rowA = <usize>sai * S;
  const stepA = <usize>sak * S;
  const rowB = <usize>N * S;
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    const a0 = A + <usize>i * rowA;
    let j = 0;
    for (; j + NR <= N; j += NR) tile4x2<T>(C, a0, B, bias, i, j, N, K, rowA, stepA, rowB);
    for (; j + L <= N; j += L) tile4x1<T>(C, a0, B, bias, i, j, N, K, rowA, stepA, rowB);
    for (; j < N; j++) {
      for (let r = 0; r < 4; r++) scalarAB<T>(C, a0 + <usize>r * rowA, B, bias, i + r, j, N, K, stepA, rowB);
    }
  }
  for (; i < M; i++) {
    const ai = A + <usize>i * rowA;
    let j = 0;
    for (; j + L <= N; j += L) tile1x1<T>(C, ai, B, bias, i, j, N, K, stepA, rowB);
    for (; j < N; j++) scalarAB<T>(C, ai, B, bias, i, j, N, K, stepA, rowB);
  }
}

// @ts-ignore: decorator
@inline function tile4x2<T>(
  C: usize, a0: usize, B: usize, bias: usize, i: i32, j: i32, N: i32, K: i32,
  rowA: usize, stepA: usize, rowB: usize,
): void {
  const S = BYTES<T>();
  let c00 = v128.splat<T>(0), c01 = v128.splat<T>(0);
  let c10 = v128.splat<T>(0), c11 = v128.splat<T>(0);
  let c20 = v128.splat<T>(0), c21 = v128.splat<T>(0);
  let c30 = v128.splat<T>(0), c31 = v128.splat<T>(0);
  let pa = a0;
  let pb = B + <usize>j * S;
  for (let k = 0; k < K; k++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load_splat<T>(pa);
    c00 = v128.add<T>(c00, v128.mul<T>(a, b0));
    c01 = v128.add<T>(c01, v128.mul<T>(a, b1));
    a = v128.load_splat<T>(pa + rowA);
    c10 = v128.add<T>(c10, v128.mul<T>(a, b0));
    c11 = v128.add<T>(c11, v128.mul<T>(a, b1));
    a = v128.load_splat<T>(pa + 2 * rowA);
    c20 = v128.add<T>(c20, v128.mul<T>(a, b0));
    c21 = v128.add<T>(c21, v128.mul<T>(a, b1));
    a = v128.load_splat<T>(pa + 3 * rowA);
    c30 = v128.add<T>(c30, v128.mul<T>(a, b0));
    c31 = v128.add<T>(c31, v128.mul<T>(a, b1));
    pa += stepA;
    pb += rowB;
  }
  if (bias) {
    const bv0 = v128.load(bias + <usize>j * S);
    const bv1 = v128.load(bias + <usize>j * S, 16);
    c00 = v128.add<T>(c00, bv0); c01 = v128.add<T>(c01, bv1);
    c10 = v128.add<T>(c10, bv0); c11 = v128.add<T>(c11, bv1);
    c20 = v128.add<T>(c20, bv0); c21 = v128.add<T>(c21, bv1);
    c30 = v128.add<T>(c30, bv0); c31 = v128.add<T>(c31, bv1);
  }
  const rowC = <usize>N * S;
  const pc = C + (<usize>i * N + <usize>j) * S;
  v128.store(pc, c00); v128.store(pc, c01, 16);
  v128.store(pc + rowC, c10); v128.store(pc + rowC, c11, 16);
  v128.store(pc + 2 * rowC, c20); v128.store(pc + 2 * rowC, c21, 16);
  v128.store(pc + 3 * rowC, c30); v128.store(pc + 3 * rowC, c31, 16);
}

// @ts-ignore: decorator
@inline function tile4x1<T>(
  C: usize, a0: usize, B: usize, bias: usize, i: i32, j: i32, N: i32, K: i32,
  rowA: usize, stepA: usize, rowB: usize,
): void {
  const S = BYTES<T>();
  let c0 = v128.splat<T>(0), c1 = v128.splat<T>(0), c2 = v128.splat<T>(0), c3 = v128.splat<T>(0);
  let pa = a0;
  let pb = B + <usize>j * S;
  for (let k = 0; k < K; k++) {
    const b = v128.load(pb);
    c0 = v128.add<T>(c0, v128.mul<T>(v128.load_splat<T>(pa), b));
    c1 = v128.add<T>(c1, v128.mul<T>(v128.load_splat<T>(pa + rowA), b));
    c2 = v128.add<T>(c2, v128.mul<T>(v128.load_splat<T>(pa + 2 * rowA), b));
    c3 = v128.add<T>(c3, v128.mul<T>(v128.load_splat<T>(pa + 3 * rowA), b));
    pa += stepA;
    pb += rowB;
  }
  if (bias) {
    const bv = v128.load(bias + <usize>j * S);
    c0 = v128.add<T>(c0, bv); c1 = v128.add<T>(c1, bv);
    c2 = v128.add<T>(c2, bv); c3 = v128.add<T>(c3, bv);
  }
  const rowC = <usize>N * S;
  const pc = C + (<usize>i * N + <usize>j) * S;
  v128.store(pc, c0);
  v128.store(pc + rowC, c1);
  v128.store(pc + 2 * rowC, c2);
  v128.store(pc + 3 * rowC, c3);
}

// @ts-ignore: decorator
@inline function tile1x1<T>(
  C: usize, ai: usize, B: usize, bias: usize, i: i32, j: i32, N: i32, K: i32,
  stepA: usize, rowB: usize,
): void {
  const S = BYTES<T>();
  let c = v128.splat<T>(0);
  let pa = ai;
  let pb = B + <usize>j * S;
  for (let k = 0; k < K; k++) {
    c = v128.add<T>(c, v128.mul<T>(v128.load_splat<T>(pa), v128.load(pb)));
    pa += stepA;
    pb += rowB;
  }
  if (bias) c = v128.add<T>(c, v128.load(bias + <usize>j * S));
  v128.store(C + (<usize>i * N + <usize>j) * S, c);
}

// @ts-ignore: decorator
@inline function scalarAB<T>(
  C: usize, ai: usize, B: usize, bias: usize, i: i32, j: i32, N: i32, K: i32,
  stepA: usize, rowB: usize,
): void {
  const S = BYTES<T>();
  let s: T = <T>0;
  let pa = ai;
  let pb = B + <usize>j * S;
  for (let k = 0; k < K; k++) {
    s += load<T>(pa) * load<T>(pb);
    pa += stepA;
    pb += rowB;
  }
  if (bias) s += load<T>(bias + <usize>j * S);
  store<T>(C + (<usize>i * N + <usize>j) * S, s);
}

/** C[M×N] = A·Bᵀ with A [M×K], B [N×K]: dot products along contiguous rows. */
export function gemmABt<T>(
  C: usize, // [M×N] out
  A: usize, // [M×K]
  B: usize, // [N×K]
  M: i32, N: i32, K: i32,
): void {
  const S = BYTES<T>();
  const rowA = <usize>K * S;
  const rowC = <usize>N * S;
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    const a0 = A + <usize>i * rowA;
    let j = 0;
    for (; j + 2 <= N; j += 2) dot4x2<T>(C + <usize>i * rowC + <usize>j * S, a0, B + <usize>j * rowA, K, rowA, rowC);
    for (; j < N; j++) {
      for (let r = 0; r < 4; r++) {
        store<T>(C + <usize>(i + r) * rowC + <usize>j * S, dot<T>(a0 + <usize>r * rowA, B + <usize>j * rowA, K));
      }
    }
  }
  for (; i < M; i++) {
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
