// Transposed copies for the products that read A down its columns.
import { LANES, BYTES } from "./lanes";

/**
 * dst [M×K] row-major ← the K×M view at src whose rows are `ld` elements apart
 * (dst[i·K + k] = src[k·ld + i]). 4×4 (f32) or 2×2 (f64) register blocks, scalar edges.
 * A copy of values: nothing is rounded.
 */
export function transposeInto<T>(dst: usize, src: usize, M: i32, K: i32, ld: i32): void {
  const S = BYTES<T>();
  const L = LANES<T>();
  const rowS = <usize>ld * S; // one source row (one k)
  const rowD = <usize>K * S; // one destination row (one i)
  let k = 0;
  for (; k + L <= K; k += L) {
    const s0 = src + <usize>k * rowS;
    let i = 0;
    for (; i + L <= M; i += L) {
      const ps = s0 + <usize>i * S;
      const pd = dst + <usize>i * rowD + <usize>k * S;
      if (sizeof<T>() == 4) {
        const r0 = v128.load(ps), r1 = v128.load(ps + rowS), r2 = v128.load(ps + 2 * rowS), r3 = v128.load(ps + 3 * rowS);
        const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
        const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5), t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
        v128.store(pd, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
        v128.store(pd + rowD, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
        v128.store(pd + 2 * rowD, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
        v128.store(pd + 3 * rowD, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
      } else {
        const r0 = v128.load(ps), r1 = v128.load(ps + rowS);
        v128.store(pd, v128.shuffle<f64>(r0, r1, 0, 2));
        v128.store(pd + rowD, v128.shuffle<f64>(r0, r1, 1, 3));
      }
    }
    for (; i < M; i++) {
      for (let l = 0; l < L; l++) store<T>(dst + <usize>i * rowD + <usize>(k + l) * S, load<T>(s0 + <usize>l * rowS + <usize>i * S));
    }
  }
  for (; k < K; k++) {
    for (let i = 0; i < M; i++) store<T>(dst + <usize>i * rowD + <usize>k * S, load<T>(src + <usize>k * rowS + <usize>i * S));
  }
}
