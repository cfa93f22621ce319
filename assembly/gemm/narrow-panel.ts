// The narrow columns of a dense product (N mod 2L of them: x·W1's last 2 of 50) for two 4-row
// blocks at a time, from the eight rows of A copied side by side into a panel (pack.ts
// packRows8). tiles.ts's 4-row narrow tile is the recipe's plain form; this is the same
// recipe with the rows as vectors and each column a broadcast, for the products that skip
// nothing (plan.ts runPlan: their list slot is free to hold the panel).
import { LANES, BYTES, finish, madd, storeDown } from "../lanes";
import { packRows8 } from "./pack";

/**
 * Rows i..i+7 (two blocks), the last N mod 2L columns, from the eight rows packed side by side
 * (pack.ts packRows8) into `panel`, `panelSteps` steps at a time. The rows are the vectors here
 * and each column a broadcast: a step is a load of A, a broadcast of B and a multiply-add per
 * vector, with 2 (f32) or 4 (f64) independent sums per column — where narrowTiles' 4-row tile
 * broadcasts four A values, computes two useful lanes of four (N = 50) and waits on four sums.
 * The book's x·W1 (48 + 2 columns): the last 2 columns in 0.83× the time, packing included; the
 * product 0.98×. Each lane is still one output's s = s + a·b over k ascending (a·b = b·a
 * exactly): the same bits.
 */
export function narrowTiles8<T>(
  C: usize, a0: usize, rowA: usize, B: usize, bias: usize, i: i32, N: i32, K: i32, relu: bool, panel: usize, panelSteps: i32,
): void {
  const whole = K <= panelSteps; // one packing serves every column pass
  if (whole) packRows8<T>(panel, a0, rowA, K);
  let j = N - N % (2 * LANES<T>());
  if (sizeof<T>() == 4) for (; j + 2 <= N; j += 2) narrowPass8<T>(C, a0, rowA, B, bias, i, j, N, K, relu, panel, panelSteps, !whole, 2);
  for (; j < N; j++) narrowPass8<T>(C, a0, rowA, B, bias, i, j, N, K, relu, panel, panelSteps, !whole, 1);
}

/**
 * Columns j (and j+1 if nc = 2, f32 only) of rows i..i+7 over all K steps, packing each run of
 * panelSteps steps first when `repack` (K does not fit the panel at once).
 * f32: c0 c1 are rows 0–3 and 4–7 of column j, d0 d1 of column j+1; f64: c0 c1 d0 d1 rows 0–1 … 6–7.
 */
// @ts-ignore: decorator
@inline function narrowPass8<T>(
  C: usize, a0: usize, rowA: usize, B: usize, bias: usize, i: i32, j: i32, N: i32, K: i32, relu: bool,
  panel: usize, panelSteps: i32, repack: bool, nc: i32,
): void {
  const S = BYTES<T>();
  const rowB = <usize>N * S;
  let c0 = v128.splat<T>(0), c1 = v128.splat<T>(0), d0 = v128.splat<T>(0), d1 = v128.splat<T>(0);
  let pb = B + <usize>j * S;
  for (let k0 = 0; k0 < K; k0 += panelSteps) {
    const steps = K - k0 < panelSteps ? K - k0 : panelSteps;
    if (repack) packRows8<T>(panel, a0 + <usize>k0 * S, rowA, steps);
    let pa = panel;
    for (let k = 0; k < steps; k++) {
      const b = v128.load_splat<T>(pb);
      const a = v128.load(pa), a1 = v128.load(pa, 16);
      c0 = madd<T>(c0, a, b);
      c1 = madd<T>(c1, a1, b);
      if (sizeof<T>() == 8) {
        d0 = madd<T>(d0, v128.load(pa, 32), b);
        d1 = madd<T>(d1, v128.load(pa, 48), b);
      } else if (nc > 1) {
        const b1 = v128.load_splat<T>(pb, sizeof<T>());
        d0 = madd<T>(d0, a, b1);
        d1 = madd<T>(d1, a1, b1);
      }
      pa += 8 * S;
      pb += rowB;
    }
  }
  if (sizeof<T>() == 8) {
    storeRows<T>(C, bias, i, j, N, relu, c0, c1);
    storeRows<T>(C, bias, i + 4, j, N, relu, d0, d1);
  } else {
    storeRows<T>(C, bias, i, j, N, relu, c0, c0);
    storeRows<T>(C, bias, i + 4, j, N, relu, c1, c1);
    if (nc > 1) {
      storeRows<T>(C, bias, i, j + 1, N, relu, d0, d0);
      storeRows<T>(C, bias, i + 4, j + 1, N, relu, d1, d1);
    }
  }
}

/** Column j of rows i..i+3 from one vector of rows (f32: v0) or two (f64: v0, v1), + bias, ReLU. */
// @ts-ignore: decorator
@inline function storeRows<T>(C: usize, bias: usize, i: i32, j: i32, N: i32, relu: bool, v0: v128, v1: v128): void {
  const S = BYTES<T>();
  const hasBias = bias != 0;
  const bv = hasBias ? v128.load_splat<T>(bias + <usize>j * S) : v128.splat<T>(0);
  const rowC = <usize>N * S;
  const pc = C + (<usize>i * N + <usize>j) * S;
  const L = LANES<T>();
  storeDown<T>(pc, rowC, finish<T>(v0, bv, hasBias, relu), L);
  if (sizeof<T>() == 8) storeDown<T>(pc + 2 * rowC, rowC, finish<T>(v1, bv, hasBias, relu), L);
}
