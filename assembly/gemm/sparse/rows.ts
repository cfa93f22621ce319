// gemmAB one output row at a time from the nonzero entries of that row of A.
//
// Image rows are mostly background: an MNIST digit has ~19% nonzero pixels, a Fashion-MNIST
// item ~50%. The 4×8 register tile (../tiles.ts) can only skip a step k when all four of its
// rows are zero there, which four different images rarely are. Here each row of C is computed
// alone: list the row's nonzero steps once (listing.ts), then sweep the whole row of C (6
// vectors of accumulators at a time: N = 50 in two passes, column-passes.ts) over just those
// steps of B. Per multiply-add this costs a little more than the 4×8 tile; plan.ts decides when
// a block goes this way.
//
// Same bits as the dense recipe: per element s = 0; s = s + a·b over ascending k; + bias; ReLU.
// Only steps with a = ±0 are left out, which add ±0 to s and change nothing when B is finite
// (the plan checks B once per product).
import { BYTES } from "../../lanes";
import { listNonzeros } from "./listing";
import { columnPasses } from "./column-passes";

/**
 * Row i of C = A·B (+ bias, ReLU) from the nonzero steps of A's row. `list` is scratch for K
 * values and K u32 offsets.
 */
export function sparseRow<T>(
  C: usize, A: usize, B: usize, bias: usize, i: i32, N: i32, K: i32,
  rowA: usize, stepA: usize, relu: bool, list: usize,
): void {
  rowFromList<T>(C, B, bias, i, N, K, relu, list, listRow<T>(A, i, N, K, rowA, stepA, list));
}

/** List row i of A's nonzero steps into `list` (values, then B offsets); returns how many. */
export function listRow<T>(A: usize, i: i32, N: i32, K: i32, rowA: usize, stepA: usize, list: usize): i32 {
  const S = BYTES<T>();
  return listNonzeros<T>(list, list + <usize>K * S, A + <usize>i * rowA, K, stepA, <usize>N * S);
}

/** Row i of C from the n steps listRow wrote to `list`. */
export function rowFromList<T>(C: usize, B: usize, bias: usize, i: i32, N: i32, K: i32, relu: bool, list: usize, n: i32): void {
  const S = BYTES<T>();
  columnPasses<T>(false, C + <usize>i * <usize>N * S, B, bias, N, n, list, list + <usize>K * S, relu);
}
