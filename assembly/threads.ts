// Splitting big products over threads. In the threads build (`--enable threads`, shared
// memory imported by every instance) the main thread and `THREADS-1` workers run this same
// module on the same memory; elsewhere ASC_FEATURE_THREADS is false and all of this folds
// to a direct call.
//
// Protocol (a few i32 words in a shared control block, see threadsAttach):
//   main : write the job fields → DONE = 0 → GEN += 1 (seq-cst: publishes the fields)
//          → notify if anyone sleeps → run share 0 → spin until DONE == THREADS-1
//   worker w: spin (then sleep in atomic.wait) until GEN changes → run share w → DONE += 1
// Work is split over output rows only (never the reduction), and each row is computed by
// the recipe the single-threaded kernel uses, so results do not depend on the thread count.
import { gemmABRows, gemmABtRows } from "./gemm";

// The control block lives in memory the JS pool allocates (not in a static data segment:
// every worker instantiating the module would re-initialise its segments). Each instance
// learns its address through `threadsAttach`; a global is per instance, the memory is shared.
let CTRL: usize = 0;
// word offsets in the control block (64 bytes of control words, then the job)
const GEN = 0; // job generation, bumped once per job
const DONE = 4; // workers that finished the current job
const THREADS = 8; // threads taking part (1 = no workers)
const SLEEPERS = 12; // workers parked in atomic.wait
const JOB = 64; // kind + up to 11 arguments (i32 words)
// (src/core/thread-pool.ts allocates 128 bytes for it)

const KIND_GEMM_AB_F32 = 1;
const KIND_GEMM_AB_F64 = 2;
const KIND_GEMM_ABT_F32 = 3;
const KIND_GEMM_ABT_F64 = 4;

/** Below this many multiply-adds a product stays on one thread (waking workers costs more). */
const PARALLEL_MIN_MACS: i64 = 200_000;
/** Spins before a worker parks in atomic.wait (about a millisecond: keeps workers hot between the steps of a training loop). */
const SPINS_BEFORE_SLEEP = 300_000;

/** Point this instance at the control block (main instance and every worker, before use). */
export function threadsAttach(ctrl: usize): void {
  CTRL = ctrl;
}

/** Threads taking part in parallel products (1 in the single-threaded build or before attach). */
export function threadCount(): i32 {
  if (!ASC_FEATURE_THREADS || CTRL == 0) return 1;
  return atomic.load<i32>(CTRL + THREADS);
}

/** Set by the JS pool once its workers are running (or back to 1 before they stop). */
export function setThreadCount(n: i32): void {
  if (!ASC_FEATURE_THREADS || CTRL == 0) return;
  atomic.store<i32>(CTRL + THREADS, n < 1 ? 1 : n);
}

/** Current job generation (a new worker starts waiting from here). */
export function threadGeneration(): i32 {
  if (!ASC_FEATURE_THREADS || CTRL == 0) return 0;
  return atomic.load<i32>(CTRL + GEN);
}

/**
 * A worker's whole life: wait for a job, do its share, repeat. Never returns; the pool stops
 * a worker by terminating it between jobs. `seen` is the generation when it was spawned.
 */
export function workerLoop(index: i32, seen: i32): void {
  if (!ASC_FEATURE_THREADS) return;
  while (true) {
    let spins = 0;
    let gen = atomic.load<i32>(CTRL + GEN);
    while (gen == seen) {
      if (++spins > SPINS_BEFORE_SLEEP) {
        atomic.add<i32>(CTRL + SLEEPERS, 1);
        memory.atomic.wait32(CTRL + GEN, seen, -1); // returns at once if GEN already moved
        atomic.sub<i32>(CTRL + SLEEPERS, 1);
        spins = 0;
      }
      gen = atomic.load<i32>(CTRL + GEN);
    }
    seen = gen;
    const n = atomic.load<i32>(CTRL + THREADS);
    if (index < n) {
      runShare(index, n);
      atomic.add<i32>(CTRL + DONE, 1);
    }
  }
}

/** First row of thread t's share of M rows: whole 4-row tiles, as even as possible. */
// @ts-ignore: decorator
@inline function shareStart(M: i32, t: i32, n: i32): i32 {
  const tiles = (M + 3) >> 2;
  const s = <i32>((<i64>tiles * t) / n) << 2;
  return s < M ? s : M;
}

function runShare(t: i32, n: i32): void {
  const kind = load<i32>(CTRL + JOB);
  const C = load<usize>(CTRL + JOB, 4), A = load<usize>(CTRL + JOB, 8), B = load<usize>(CTRL + JOB, 12), bias = load<usize>(CTRL + JOB, 16);
  const M = load<i32>(CTRL + JOB, 20), N = load<i32>(CTRL + JOB, 24), K = load<i32>(CTRL + JOB, 28);
  const sai = load<i32>(CTRL + JOB, 32), sak = load<i32>(CTRL + JOB, 36), relu = load<i32>(CTRL + JOB, 40) != 0;
  const i0 = shareStart(M, t, n), i1 = shareStart(M, t + 1, n);
  if (kind == KIND_GEMM_AB_F32) gemmABRows<f32>(C, A, B, bias, N, K, sai, sak, i0, i1, relu);
  else if (kind == KIND_GEMM_AB_F64) gemmABRows<f64>(C, A, B, bias, N, K, sai, sak, i0, i1, relu);
  else if (kind == KIND_GEMM_ABT_F32) gemmABtRows<f32>(C, A, B, N, K, i0, i1);
  else if (kind == KIND_GEMM_ABT_F64) gemmABtRows<f64>(C, A, B, N, K, i0, i1);
}

/** Post the job in JOB to the workers, do share 0 here, wait for the rest. */
function runJob(n: i32): void {
  if (!ASC_FEATURE_THREADS) return;
  atomic.store<i32>(CTRL + DONE, 0);
  atomic.add<i32>(CTRL + GEN, 1);
  if (atomic.load<i32>(CTRL + SLEEPERS) > 0) atomic.notify(CTRL + GEN, n - 1);
  runShare(0, n);
  // the main thread of a browser page may not block: spin (shares are short and even)
  while (atomic.load<i32>(CTRL + DONE) < n - 1) {}
}

// @ts-ignore: decorator
@inline function wantThreads(M: i32, N: i32, K: i32): i32 {
  if (!ASC_FEATURE_THREADS || CTRL == 0) return 1;
  const n = atomic.load<i32>(CTRL + THREADS);
  if (n <= 1 || <i64>M * <i64>N * <i64>K < PARALLEL_MIN_MACS || M < 8) return 1;
  return n;
}

/** gemmABRows over all M rows, split over the threads when the product is big. */
export function gemmABParallel<T>(
  C: usize, A: usize, B: usize, bias: usize, M: i32, N: i32, K: i32, sai: i32, sak: i32, relu: bool,
): void {
  const n = wantThreads(M, N, K);
  if (n == 1) {
    gemmABRows<T>(C, A, B, bias, N, K, sai, sak, 0, M, relu);
    return;
  }
  store<i32>(CTRL + JOB, sizeof<T>() == 4 ? KIND_GEMM_AB_F32 : KIND_GEMM_AB_F64);
  store<usize>(CTRL + JOB, C, 4); store<usize>(CTRL + JOB, A, 8); store<usize>(CTRL + JOB, B, 12); store<usize>(CTRL + JOB, bias, 16);
  store<i32>(CTRL + JOB, M, 20); store<i32>(CTRL + JOB, N, 24); store<i32>(CTRL + JOB, K, 28);
  store<i32>(CTRL + JOB, sai, 32); store<i32>(CTRL + JOB, sak, 36); store<i32>(CTRL + JOB, relu ? 1 : 0, 40);
  runJob(n);
}

/** gemmABtRows over all M rows, split over the threads when the product is big. */
export function gemmABtParallel<T>(C: usize, A: usize, B: usize, M: i32, N: i32, K: i32): void {
  const n = wantThreads(M, N, K);
  if (n == 1) {
    gemmABtRows<T>(C, A, B, N, K, 0, M);
    return;
  }
  store<i32>(CTRL + JOB, sizeof<T>() == 4 ? KIND_GEMM_ABT_F32 : KIND_GEMM_ABT_F64);
  store<usize>(CTRL + JOB, C, 4); store<usize>(CTRL + JOB, A, 8); store<usize>(CTRL + JOB, B, 12);
  store<i32>(CTRL + JOB, M, 20); store<i32>(CTRL + JOB, N, 24); store<i32>(CTRL + JOB, K, 28);
  runJob(n);
}

/** The exported gemmAB: the single-threaded kernel's signature, threads when they pay. */
export function gemmABAuto<T>(C: usize, A: usize, B: usize, bias: usize, M: i32, N: i32, K: i32, sai: i32, sak: i32): void {
  gemmABParallel<T>(C, A, B, bias, M, N, K, sai, sak, false);
}
