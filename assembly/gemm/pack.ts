// Packed panels: before a big dense product, B's full 2L-wide column panels are copied into one
// contiguous stream (~5% of the product), so a 4×2L tile walks its B values sequentially
// instead of touching a cache line per row with an N-element stride: +7–10% on x·W1 at 100
// and 1000 rows. The values are copied, not changed, so the results are the same bits.
// (plan.ts decides when it pays; tiles.ts reads the panels.) The same for A's rows in the
// narrow columns' 8-row tile: packRows8 puts the eight values of a step side by side.
import { LANES, BYTES } from "../lanes";

/** Copy the full 2L-wide column panels of B [K×N] into Bp as [panel][K][2L]. */
export function packPanels<T>(Bp: usize, B: usize, N: i32, K: i32): void {
  const NR = 2 * LANES<T>();
  const rowB = <usize>N * BYTES<T>();
  let out = Bp;
  for (let j = 0; j + NR <= N; j += NR) {
    let pb = B + <usize>j * BYTES<T>();
    for (let k = 0; k < K; k++) {
      v128.store(out, v128.load(pb));
      v128.store(out, v128.load(pb, 16), 16);
      out += 32;
      pb += rowB;
    }
  }
}

/** Bytes of one panel: K rows of 2L elements. */
// @ts-ignore: decorator
@inline export function panelBytes<T>(K: i32): usize {
  return <usize>K * <usize>(2 * LANES<T>()) * BYTES<T>();
}

/** Bytes of all full panels of a [K×N] B. */
// @ts-ignore: decorator
@inline export function packedBytes<T>(N: i32, K: i32): usize {
  const NR = 2 * LANES<T>();
  return <usize>(N - N % NR) * <usize>K * BYTES<T>();
}

/**
 * Steps [0, K) of the eight rows a0, a0 + rowA, … a0 + 7·rowA of a row-major A into dst as
 * [K][8]: the eight values of a step side by side (narrow-panel.ts reads them as
 * vectors). The values are copied, not changed.
 */
export function packRows8<T>(dst: usize, a0: usize, rowA: usize, K: i32): void {
  const S = BYTES<T>();
  const step = S * 8;
  for (let half = 0; half < 2; half++) { // rows 0–3, then rows 4–7 (4·S bytes further in each step)
    const a = a0 + <usize>(4 * half) * rowA, d = dst + <usize>(4 * half) * S;
    let k = 0;
    if (sizeof<T>() == 4) { // 4×4 transposes
      for (; k + 4 <= K; k += 4) {
        const p = a + <usize>k * S, q = d + <usize>k * step;
        const r0 = v128.load(p), r1 = v128.load(p + rowA), r2 = v128.load(p + 2 * rowA), r3 = v128.load(p + 3 * rowA);
        const t0 = v128.shuffle<i32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<i32>(r2, r3, 0, 4, 1, 5);
        const t2 = v128.shuffle<i32>(r0, r1, 2, 6, 3, 7), t3 = v128.shuffle<i32>(r2, r3, 2, 6, 3, 7);
        v128.store(q, v128.shuffle<i64>(t0, t1, 0, 2));
        v128.store(q + step, v128.shuffle<i64>(t0, t1, 1, 3));
        v128.store(q + 2 * step, v128.shuffle<i64>(t2, t3, 0, 2));
        v128.store(q + 3 * step, v128.shuffle<i64>(t2, t3, 1, 3));
      }
    } else { // 2×2 transposes
      for (; k + 2 <= K; k += 2) {
        const p = a + <usize>k * S, q = d + <usize>k * step;
        const r0 = v128.load(p), r1 = v128.load(p + rowA), r2 = v128.load(p + 2 * rowA), r3 = v128.load(p + 3 * rowA);
        v128.store(q, v128.shuffle<i64>(r0, r1, 0, 2));
        v128.store(q, v128.shuffle<i64>(r2, r3, 0, 2), 16);
        v128.store(q + step, v128.shuffle<i64>(r0, r1, 1, 3));
        v128.store(q + step, v128.shuffle<i64>(r2, r3, 1, 3), 16);
      }
    }
    for (; k < K; k++) {
      const p = a + <usize>k * S, q = d + <usize>k * step;
      store<T>(q, load<T>(p));
      store<T>(q + S, load<T>(p + rowA));
      store<T>(q + 2 * S, load<T>(p + 2 * rowA));
      store<T>(q + 3 * S, load<T>(p + 3 * rowA));
    }
  }
}
