// Matrix products for backprop, generic over f32/f64, row-major, allocation-free: the entry
// points the layers and the fused step call.
//
//   gemmAB   C[M×N] = A·B (+ bias[N])   A(i,k) read at A[i*sai + k*sak]
//            sai=K, sak=1 → A·B  (Affine forward:  out = x·W + b)
//            sai=1, sak=M → Aᵀ·B (Affine backward: dW = xᵀ·dout, A is x [K×M])
//   gemmABt  C[M×N] = A·Bᵀ          A [M×K], B [N×K]   (Affine backward: dx = dout·Wᵀ)
//
// Kernels overwrite C (no accumulate): the book assigns `self.dW = ...`.
//
// Rounding contract: every C element is computed by one fixed recipe (tiles.ts, abt.ts) whatever
// tile, path or thread produces it, so splitting the output over rows (threads, tiles) never
// changes a bit, and neither do the speed-ups: B copied into panels (pack.ts: the same values)
// and steps whose A values are ±0 left out when B is finite (sparse/: they add exact zeros).
// plan.ts chooses among them; this file carries the plan out.
//
//   gemm.ts     entry points: plan, pack, run here or publish a job
//   plan.ts     the choice and every threshold;  tiles.ts  the dense A·B recipe;  abt.ts  A·Bᵀ
//   narrow-panel.ts  a dense product's last columns, two blocks at a time, over packed rows
//   pack.ts     B in contiguous panels, A's rows side by side;  scratch.ts  panels, lists
//   sparse/     listing nonzeros, rows one at a time, the scatter, the column passes they share
//   threads.ts  the job protocol of the thread pool;  control-block.ts  its shared words and job arguments
import { PLAN_SCATTER, PLAN_PACKED, PLAN_THREADS, PLAN_COLUMNS } from "./plan-codes.generated";
import { planGemmAB, planThreads, runPlan, scatterChunkRows, productChunkRows, columnsChunkRows } from "./plan";
import { packPanels } from "./pack";
import { packArea, scatterList, scatterRows } from "./scratch";
import { gemmABtRows } from "./abt";
import { gemmAtBScatter } from "./sparse/scatter";
import { listColumns, gemmAtBColumns } from "./sparse/columns";
import { threadCount, beginJob, setArg, arg, argI32, runJob, SMALL_JOB_WORK } from "./threads";
import { jobKind, JOB_GEMM_AB, JOB_GEMM_ABT, JOB_SCATTER, JOB_COLUMNS } from "../jobs";

/** C[M×N] = A·B (+ bias), A(i,k) at element offset i*sai + k*sak. `bias` = 0 means none. */
export function gemmAB<T>(
  C: usize, // [M×N] out
  A: usize, // strided, see above
  B: usize, // [K×N]
  bias: usize, // [N] or 0
  M: i32, N: i32, K: i32, sai: i32, sak: i32,
): void {
  gemmABFused<T>(C, A, B, bias, M, N, K, sai, sak, false);
}

/**
 * gemmAB, with ReLU applied before the store when `relu` (the fused Affine→Relu epilogue:
 * `relu(s + bias)` is exactly what reluForward would make of C).
 */
export function gemmABFused<T>(
  C: usize, A: usize, B: usize, bias: usize, M: i32, N: i32, K: i32, sai: i32, sak: i32, relu: bool,
): void {
  const threads = threadCount();
  const plan = planGemmAB<T>(A, B, bias, M, N, K, sai, sak, relu, threads);
  if ((plan & PLAN_COLUMNS) != 0) {
    listColumns<T>(packArea(), B, N, K, sak); // the lists every thread reads
    if ((plan & PLAN_THREADS) != 0) runColumnsJob<T>(C, A, M, N, K);
    else gemmAtBColumns<T>(C, A, packArea(), N, K, 0, M);
    return;
  }
  if ((plan & PLAN_SCATTER) != 0) {
    if ((plan & PLAN_THREADS) != 0) runScatterJob<T>(C, A, B, M, N, K, sak, scatterChunkRows(M, threads));
    else gemmAtBScatter<T>(C, A, B, N, K, sak, 0, M, scatterList(), scatterRows<T>());
    return;
  }
  if ((plan & PLAN_PACKED) != 0) packPanels<T>(packArea(), B, N, K);
  if ((plan & PLAN_THREADS) != 0) runGemmABJob<T>(plan, C, A, B, bias, M, N, K, sai, sak);
  else runPlan<T>(plan, C, A, B, bias, N, K, sai, sak, 0, M);
}

/** C[M×N] = A·Bᵀ with A [M×K], B [N×K], split over the threads when it is big. */
export function gemmABt<T>(
  C: usize, // [M×N] out
  A: usize, // [M×K]
  B: usize, // [N×K]
  M: i32, N: i32, K: i32,
): void {
  if (planThreads(M, N, K, threadCount()) > 1) runGemmABtJob<T>(C, A, B, M, N, K);
  else gemmABtRows<T>(C, A, B, N, K, 0, M);
}

// The parallel jobs of the products: arguments in slots 0…, rows split into chunks of whole
// 4-row tiles (plan.ts sizes them).

/** Run gemmAB rows [0, M) as a job the way `plan` says (B already packed if it packs). */
export function runGemmABJob<T>(plan: i32, C: usize, A: usize, B: usize, bias: usize, M: i32, N: i32, K: i32, sai: i32, sak: i32): void {
  const rows = productChunkRows(M, N, K, plan);
  beginJob(jobKind<T>(JOB_GEMM_AB));
  setArg(0, C); setArg(1, A); setArg(2, B); setArg(3, bias); setArg(4, M); setArg(5, N); setArg(6, K);
  setArg(7, sai); setArg(8, sak); setArg(9, plan); setArg(10, rows);
  runJob((M + rows - 1) / rows, <i64>M * N * K < SMALL_JOB_WORK);
}

export function gemmABChunk<T>(chunk: i32): void {
  const M = argI32(4), rows = argI32(10);
  const i0 = chunk * rows, i1 = i0 + rows < M ? i0 + rows : M;
  runPlan<T>(argI32(9), arg(0), arg(1), arg(2), arg(3), argI32(5), argI32(6), argI32(7), argI32(8), i0, i1);
}

function runGemmABtJob<T>(C: usize, A: usize, B: usize, M: i32, N: i32, K: i32): void {
  const rows = productChunkRows(M, N, K);
  beginJob(jobKind<T>(JOB_GEMM_ABT));
  setArg(0, C); setArg(1, A); setArg(2, B); setArg(4, M); setArg(5, N); setArg(6, K); setArg(10, rows);
  runJob((M + rows - 1) / rows, <i64>M * N * K < SMALL_JOB_WORK);
}

export function gemmABtChunk<T>(chunk: i32): void {
  const M = argI32(4), rows = argI32(10);
  const i0 = chunk * rows, i1 = i0 + rows < M ? i0 + rows : M;
  gemmABtRows<T>(arg(0), arg(1), arg(2), argI32(5), argI32(6), i0, i1);
}

/** The scatter dW = Aᵀ·B over output rows [0, M) in chunks of `rows` rows. */
export function runScatterJob<T>(C: usize, A: usize, B: usize, M: i32, N: i32, K: i32, lda: i32, rows: i32): void {
  beginJob(jobKind<T>(JOB_SCATTER));
  setArg(0, C); setArg(1, A); setArg(2, B); setArg(4, M); setArg(5, N); setArg(6, K); setArg(8, lda); setArg(10, rows);
  runJob((M + rows - 1) / rows);
}

export function scatterChunk<T>(chunk: i32): void {
  const M = argI32(4), rows = argI32(10);
  const i0 = chunk * rows, i1 = i0 + rows < M ? i0 + rows : M;
  gemmAtBScatter<T>(arg(0), arg(1), arg(2), argI32(5), argI32(6), argI32(8), i0, i1, scatterList(), scatterRows<T>());
}

/** dW = Aᵀ·B by columns over rows [0, M) (the lists already in the pack area), in chunks of rows. */
function runColumnsJob<T>(C: usize, A: usize, M: i32, N: i32, K: i32): void {
  const rows = columnsChunkRows(M, N, K);
  beginJob(jobKind<T>(JOB_COLUMNS));
  setArg(0, C); setArg(1, A); setArg(4, M); setArg(5, N); setArg(6, K); setArg(10, rows);
  runJob((M + rows - 1) / rows);
}

export function columnsChunk<T>(chunk: i32): void {
  const M = argI32(4), rows = argI32(10);
  const i0 = chunk * rows, i1 = i0 + rows < M ? i0 + rows : M;
  gemmAtBColumns<T>(arg(0), arg(1), packArea(), argI32(5), argI32(6), i0, i1);
}
