// Exact zero skipping inside the 4-row tiles. With B finite (the plan checks it), a step k whose
// four A values are all ±0 adds only ±0 products, and s + ±0 == s for every s the recipe can
// hold (s starts at +0 and round-to-nearest never produces -0 from it), so leaving those steps
// out gives the same bits. Images are mostly background, so a 4-row block of x (or 4 adjacent
// pixels of xᵀ) has many such steps. The plan first counts the busy steps (vectorised, no
// stores) and lists them only when enough are idle (plan.ts: stepsWorthListing).
import { LANES, BYTES } from "../../lanes";

/** Steps k in [0, K) where some of the four rows of the block at a0 is not ±0 (K: stride not counted). */
// @ts-ignore: decorator
@inline export function busySteps<T>(a0: usize, K: i32, rowA: usize, stepA: usize): i32 {
  const S = BYTES<T>();
  const rowA2 = rowA + rowA, rowA3 = rowA2 + rowA;
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
  return count;
}

/**
 * Write the byte offsets of the busy steps of the block at a0, into A and into B (steps stepB
 * bytes apart), to `lists` ([K] + [K] u32) in ascending k, so the order of the additions is
 * unchanged; return their count. Branchless: every offset is written, the count advances only
 * for a busy step.
 */
// @ts-ignore: decorator
@inline export function listBusySteps<T>(lists: usize, a0: usize, K: i32, rowA: usize, stepA: usize, stepB: usize): i32 {
  const rowA2 = rowA + rowA, rowA3 = rowA2 + rowA;
  const offB = lists + (<usize>K << 2);
  let n = 0;
  let pa = a0;
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
