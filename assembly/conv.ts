// Convolution forward and backward over Convolution's col layout [N × C·FH·FW × OH·OW]
// (im2col.ts), generic over f32/f64. With that layout, image n's product W[FN×CK]·col_n[CK×P]
// is a plain matrix product whose rows are the filters, i.e. exactly image n's NCHW output
// block: the book's reshape + transpose(0,3,1,2) disappears, and every per-image operand
// (≈ 60–70 KB for MNIST) stays in L2 while it is used. The products take the dense recipe
// directly (gemm/tiles.ts, gemm/abt.ts): per image they are too small to plan.
import { LANES, BYTES, hsum } from "./lanes";
import { gemmABRows } from "./gemm/tiles";
import { gemmABtRows } from "./gemm/abt";

/**
 * Convolution forward for a batch: out_n[FN×P] = W[FN×CK]·col_n[CK×P] + b (b per row), image by
 * image, so the output lands in NCHW directly. Same rounding as gemmAB with a bias: Σ_k first, then + b.
 */
export function convForward<T>(
  out: usize, // [N×FN×P] (NCHW)
  col: usize, // [N×CK×P]
  W: usize, // [FN×CK]
  b: usize, // [FN]
  N: i32, FN: i32, CK: i32, P: i32,
): void {
  const S = BYTES<T>();
  const outImage = <usize>FN * <usize>P * S;
  const colImage = <usize>CK * <usize>P * S;
  for (let n = 0; n < N; n++) {
    const o = out + <usize>n * outImage;
    gemmABRows<T>(o, W, col + <usize>n * colImage, 0, P, CK, CK, 1, 0, FN);
    for (let f = 0; f < FN; f++) addScalar<T>(o + <usize>f * <usize>P * S, load<T>(b + <usize>f * S), P);
  }
}

/**
 * dW[FN×CK] = Σ_n dout_n[FN×P]·col_nᵀ and db[f] = Σ_n Σ_q dout_n[f, q], images added in order
 * (dW_0 + dW_1) + dW_2 …. Each image's term is computed transposed, tmp[CK×FN] = col_n·dout_nᵀ
 * (gemm/abt.ts's recipe): with CK = 25 rows and FN = 30 columns that keeps 96% of SimpleConvNet's
 * dot products in gemmABt's 4×2 register tiles (the untransposed 30×25 shape manages 90%, and
 * its leftovers run as single accumulators). `tmp` is scratch. Overwrites dW and db.
 */
export function convBackwardParams<T>(
  dW: usize, // [FN×CK] out
  db: usize, // [FN] out
  tmp: usize, // [CK×FN] scratch
  dout: usize, // [N×FN×P] (NCHW)
  col: usize, // [N×CK×P]
  N: i32, FN: i32, CK: i32, P: i32,
): void {
  const S = BYTES<T>();
  const outImage = <usize>FN * <usize>P * S;
  const colImage = <usize>CK * <usize>P * S;
  for (let n = 0; n < N; n++) {
    const d = dout + <usize>n * outImage;
    gemmABtRows<T>(tmp, col + <usize>n * colImage, d, FN, P, 0, CK);
    for (let f = 0; f < FN; f++) {
      const row = dW + <usize>f * <usize>CK * S;
      for (let c = 0; c < CK; c++) {
        const v = load<T>(tmp + (<usize>c * <usize>FN + <usize>f) * S);
        store<T>(row + <usize>c * S, n == 0 ? v : load<T>(row + <usize>c * S) + v);
      }
      const s = sumOf<T>(d + <usize>f * <usize>P * S, P);
      store<T>(db + <usize>f * S, n == 0 ? s : load<T>(db + <usize>f * S) + s);
    }
  }
}

/** dcol_n[CK×P] = Wᵀ·dout_n for every image (W [FN×CK] read transposed through the A strides). */
export function convBackwardData<T>(
  dcol: usize, // [N×CK×P] out
  W: usize, // [FN×CK]
  dout: usize, // [N×FN×P]
  N: i32, FN: i32, CK: i32, P: i32,
): void {
  const S = BYTES<T>();
  for (let n = 0; n < N; n++) {
    gemmABRows<T>(dcol + <usize>n * <usize>CK * <usize>P * S, W, dout + <usize>n * <usize>FN * <usize>P * S, 0, P, FN, 1, CK, 0, CK);
  }
}

/** x[0..n) += v. */
// @ts-ignore: decorator
@inline function addScalar<T>(x: usize, v: T, n: i32): void {
  const S = BYTES<T>();
  const L = LANES<T>();
  const vv = v128.splat<T>(v);
  let i = 0;
  for (; i + L <= n; i += L) v128.store(x + <usize>i * S, v128.add<T>(v128.load(x + <usize>i * S), vv));
  for (; i < n; i++) store<T>(x + <usize>i * S, load<T>(x + <usize>i * S) + v);
}

/** Σ x[0..n): lane sums in order, lanes 0..L-1 added, then the tail. */
// @ts-ignore: decorator
@inline function sumOf<T>(x: usize, n: i32): T {
  const S = BYTES<T>();
  const L = LANES<T>();
  let acc = v128.splat<T>(0);
  let i = 0;
  for (; i + L <= n; i += L) acc = v128.add<T>(acc, v128.load(x + <usize>i * S));
  let s = hsum<T>(acc);
  for (; i < n; i++) s += load<T>(x + <usize>i * S);
  return s;
}
