// dW = xᵀ·dout from the nonzero entries of x, without transposing x.
//
// C [M×N] = Aᵀ·B with A stored [K×M] row-major (A(i,k) = x[k, i]: K samples of M pixels) and
// B [K×N]. For each sample k in ascending order, list the nonzero pixels i of x's row k
// (a contiguous row: the branchless vector listing of listing.ts) and add x[k,i]·B[k,:]
// to C's row i, with B's row held in registers. Work is proportional to the nonzeros of x
// (MNIST ~19%, Fashion-MNIST ~50%) instead of M·K.
//
// Same bits as the dense recipe (../tiles.ts): C[i,j] starts at +0 and receives s = s + a·b for
// k ascending, leaving out only a = ±0 steps (exact when B is finite; the plan checks).
// Threads split the output rows [i0, i1): each walks all samples in order over its own rows.
import { BYTES } from "../../lanes";
import { listNonzeros } from "./listing";
import { columnPasses } from "./column-passes";

/** C bytes one slice may span: most of a 32 KB L1 data cache (the lists and B rows need the rest). */
const SCATTER_L1_BYTES: usize = 24 << 10;

/** Rows [i0, i1) of C = Aᵀ·B, A(i,k) at A[k·lda + i]. `list` scratch: `listRows` × (element size + 4) bytes. */
export function gemmAtBScatter<T>(
  C: usize, A: usize, B: usize, N: i32, K: i32, lda: i32, i0: i32, i1: i32, list: usize, listRows: i32,
): void {
  // Slices of output rows small enough to stay in L1 while every sample adds into them (the
  // whole 784×50 float32 dW is 157 KB, L2-resident: updating it sample by sample measured
  // 2.6× slower than slice by slice), and no more rows than one list holds.
  let slice = <i32>(SCATTER_L1_BYTES / (<usize>N * BYTES<T>()));
  if (slice > listRows) slice = listRows;
  if (slice < 4) slice = 4;
  for (let s0 = i0; s0 < i1; s0 += slice) {
    const s1 = s0 + slice < i1 ? s0 + slice : i1;
    scatterSlice<T>(C, A, B, N, K, lda, s0, s1, list);
  }
}

function scatterSlice<T>(C: usize, A: usize, B: usize, N: i32, K: i32, lda: i32, i0: i32, i1: i32, list: usize): void {
  const S = BYTES<T>();
  const rowC = <usize>N * S;
  const rows = i1 - i0;
  const C0 = C + <usize>i0 * rowC;
  memory.fill(C0, 0, <usize>rows * rowC); // every sum starts at +0, as in the dense recipe
  const vals = list;
  const offs = list + <usize>rows * S;
  for (let k = 0; k < K; k++) {
    const n = listNonzeros<T>(vals, offs, A + (<usize>k * <usize>lda + <usize>i0) * S, rows, S, rowC);
    if (n == 0) continue;
    columnPasses<T>(true, C0, B + <usize>k * rowC, 0, N, n, vals, offs, false); // B row k: C's stride
  }
}
