// dW = xᵀ·dout from the nonzero entries of x, without transposing x.
//
// C [M×N] = Aᵀ·B with A stored [K×M] row-major (A(i,k) = x[k, i]: K samples of M pixels) and
// B [K×N]. For each sample k in ascending order, list the nonzero pixels i of x's row k
// (a contiguous row: the branchless vector listing of sparse-rows.ts) and add x[k,i]·B[k,:]
// to C's row i, with B's row held in registers. Work is proportional to the nonzeros of x
// (MNIST ~19%, Fashion-MNIST ~50%) instead of M·K.
//
// Same bits as the dense recipe (gemm.ts): C[i,j] starts at +0 and receives s = s + a·b for
// k ascending, leaving out only a = ±0 steps (exact when B is finite; the caller checks).
// Threads split the output rows [i0, i1): each walks all samples in order over its own rows.
import { LANES, BYTES, loadPart, storePart } from "./lanes";
import { listNonzeros } from "./sparse-rows";

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
  const L = LANES<T>();
  const rowC = <usize>N * S;
  const rows = i1 - i0;
  const C0 = C + <usize>i0 * rowC;
  memory.fill(C0, 0, <usize>rows * rowC); // every sum starts at +0, as in the dense recipe
  const vals = list;
  const offs = list + <usize>rows * S;
  for (let k = 0; k < K; k++) {
    const n = listNonzeros<T>(vals, offs, A + (<usize>k * <usize>lda + <usize>i0) * S, rows, S, rowC);
    if (n == 0) continue;
    const bk = B + <usize>k * rowC; // B [K×N]: row k has the same stride as C
    let j = 0;
    for (; N - j >= 7 * L; j += 6 * L) scatterPass<T>(C0, bk, j, n, vals, offs, 6, 0);
    if (N - j > 6 * L) { // 6 vectors + a partial one (N = 50: 24 + 26 columns)
      const r = N - j - 6 * L;
      if (r == 1) scatterPass<T>(C0, bk, j, n, vals, offs, 6, 1);
      else if (r == 2) scatterPass<T>(C0, bk, j, n, vals, offs, 6, 2);
      else scatterPass<T>(C0, bk, j, n, vals, offs, 6, 3);
      continue;
    }
    if (N - j >= 4 * L) { scatterPass<T>(C0, bk, j, n, vals, offs, 4, 0); j += 4 * L; }
    if (N - j >= 2 * L) { scatterPass<T>(C0, bk, j, n, vals, offs, 2, 0); j += 2 * L; }
    if (N - j >= L) { scatterPass<T>(C0, bk, j, n, vals, offs, 1, 0); j += L; }
    const r = N - j; // 0 ≤ r < L
    if (r == 1) scatterPass<T>(C0, bk, j, n, vals, offs, 0, 1);
    else if (r == 2) scatterPass<T>(C0, bk, j, n, vals, offs, 0, 2);
    else if (r == 3) scatterPass<T>(C0, bk, j, n, vals, offs, 0, 3);
  }
}

/**
 * Columns [j, j + nv·L + r) of the listed C rows += a · B[k, those columns] (nv ∈ {0, 1, 2, 4, 6}
 * full vectors then r < LANES lanes, both constants). B's part stays in registers; each listed
 * row is loaded, updated and stored. At most 7 B vectors + 7 C vectors + the splat: V8 issues a
 * step's loads first, and x64 has 15 usable xmm registers.
 */
// @ts-ignore: decorator
@inline function scatterPass<T>(C0: usize, bk: usize, j: i32, n: i32, vals: usize, offs: usize, nv: i32, r: i32): void {
  const S = BYTES<T>();
  const pb = bk + <usize>j * S;
  const zero = v128.splat<T>(0);
  const b0 = nv > 0 ? v128.load(pb) : zero, b1 = nv > 1 ? v128.load(pb, 16) : zero;
  const b2 = nv > 2 ? v128.load(pb, 32) : zero, b3 = nv > 2 ? v128.load(pb, 48) : zero;
  const b4 = nv > 4 ? v128.load(pb, 64) : zero, b5 = nv > 4 ? v128.load(pb, 80) : zero;
  const bp = r > 0 ? loadPart<T>(pb + <usize>nv * 16, r) : zero;
  const Cj = C0 + <usize>j * S;
  for (let t = 0; t < n; t++) {
    const a = v128.load_splat<T>(vals + <usize>t * S);
    const pc = Cj + <usize>load<u32>(offs + (<usize>t << 2));
    if (nv > 0) v128.store(pc, v128.add<T>(v128.load(pc), v128.mul<T>(a, b0)));
    if (nv > 1) v128.store(pc, v128.add<T>(v128.load(pc, 16), v128.mul<T>(a, b1)), 16);
    if (nv > 2) {
      v128.store(pc, v128.add<T>(v128.load(pc, 32), v128.mul<T>(a, b2)), 32);
      v128.store(pc, v128.add<T>(v128.load(pc, 48), v128.mul<T>(a, b3)), 48);
    }
    if (nv > 4) {
      v128.store(pc, v128.add<T>(v128.load(pc, 64), v128.mul<T>(a, b4)), 64);
      v128.store(pc, v128.add<T>(v128.load(pc, 80), v128.mul<T>(a, b5)), 80);
    }
    if (r > 0) {
      const pr = pc + <usize>nv * 16;
      storePart<T>(pr, v128.add<T>(loadPart<T>(pr, r), v128.mul<T>(a, bp)), r);
    }
  }
}
