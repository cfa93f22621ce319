// Splitting big products over threads. In the threads build (`--enable threads`, shared
// memory imported by every instance) the main thread and `THREADS-1` workers run this same
// module on the same memory; elsewhere ASC_FEATURE_THREADS is false and all of this folds
// to a direct call.
//
// Protocol (i32/i64 words in a shared control block, see threadsAttach). A job is a product
// cut into chunks of whole 4-row tiles of the output; whoever is free takes the next chunk:
//   main : write the job → FINISHED = 0 → CLAIM = (gen+1, 0) → GEN = gen+1 (seq-cst:
//          publishes it) → notify sleeping workers → take chunks until none is left → spin
//          until FINISHED == chunks
//   worker: spin (then sleep in atomic.wait) until GEN changes → read the job → take chunks
//          (compare-exchange on CLAIM, which carries the generation, so a late worker can
//          never take a chunk of a newer job with an older job's arguments) → FINISHED += 1 each
// The main thread never waits for a worker to wake up: if the worker is slow or descheduled
// (a busy machine), the main thread simply takes more chunks. Work is split over output rows
// only, never over the reduction, and every row is computed by the same recipe whoever runs
// it, so results are bit-identical for any thread count or timing.
import { gemmABRows, gemmABtRows } from "./gemm";

// The control block lives in memory the JS pool allocates (not in a static data segment:
// every worker instantiating the module would re-initialise its segments). Each instance
// learns its address through `threadsAttach`; a global is per instance, the memory is shared.
// (src/core/thread-pool.ts allocates 128 bytes for it)
let CTRL: usize = 0;
// byte offsets in the control block
const GEN = 0; // i32 job generation, bumped once per job
const THREADS = 8; // i32 threads taking part (1 = no workers)
const SLEEPERS = 12; // i32 workers parked in atomic.wait
const CLAIM = 16; // i64 (generation << 32) | (chunks << 16) | next chunk
const FINISHED = 24; // i32 chunks done in the current job
const BY_WORKERS = 28; // i32 chunks run by workers since attach (a statistic: proves they help)
const JOB = 64; // i32 words: kind, C, A, B, bias, M, N, K, sai, sak, relu, chunkRows

const KIND_GEMM_AB_F32 = 1;
const KIND_GEMM_AB_F64 = 2;
const KIND_GEMM_ABT_F32 = 3;
const KIND_GEMM_ABT_F64 = 4;

/** Below this many multiply-adds a product stays on one thread (waking workers costs more). */
const PARALLEL_MIN_MACS: i64 = 200_000;
/** Smallest chunk a thread claims, in multiply-adds (a few microseconds of work). */
const CHUNK_MACS: i64 = 40_000;
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

/** Chunks of parallel products the workers have run so far (0 in the single-threaded build). */
export function workerChunks(): i32 {
  if (!ASC_FEATURE_THREADS || CTRL == 0) return 0;
  return atomic.load<i32>(CTRL + BY_WORKERS);
}

/** Current job generation (a new worker starts waiting from here). */
export function threadGeneration(): i32 {
  if (!ASC_FEATURE_THREADS || CTRL == 0) return 0;
  return atomic.load<i32>(CTRL + GEN);
}

/**
 * A worker's whole life: wait for a job, take chunks of it, repeat. Never returns; the pool
 * stops a worker by terminating it between jobs. `seen` is the generation when it was spawned.
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
    if (index < atomic.load<i32>(CTRL + THREADS)) takeChunks(gen, true);
  }
}

/** Run chunks of job `gen` until none is left (or a newer job replaced it). */
function takeChunks(gen: i32, worker: bool): void {
  const kind = load<i32>(CTRL + JOB);
  const C = load<usize>(CTRL + JOB, 4), A = load<usize>(CTRL + JOB, 8), B = load<usize>(CTRL + JOB, 12), bias = load<usize>(CTRL + JOB, 16);
  const M = load<i32>(CTRL + JOB, 20), N = load<i32>(CTRL + JOB, 24), K = load<i32>(CTRL + JOB, 28);
  const sai = load<i32>(CTRL + JOB, 32), sak = load<i32>(CTRL + JOB, 36), relu = load<i32>(CTRL + JOB, 40) != 0;
  const chunkRows = load<i32>(CTRL + JOB, 44);
  while (true) {
    // Claim the next chunk of THIS generation. The chunk count sits in the same atomic word:
    // a successful claim proves the job was unfinished, so the main thread had not started
    // writing the next job, so the fields read above belong to this one (no torn reads).
    const w = atomic.load<i64>(CTRL + CLAIM);
    if (<i32>(w >>> 32) != gen) return;
    const chunk = <i32>(w & 0xFFFF);
    if (chunk >= <i32>((w >> 16) & 0xFFFF)) return;
    if (atomic.cmpxchg<i64>(CTRL + CLAIM, w, w + 1) != w) continue;
    const i0 = chunk * chunkRows;
    const i1 = i0 + chunkRows < M ? i0 + chunkRows : M;
    if (kind == KIND_GEMM_AB_F32) gemmABRows<f32>(C, A, B, bias, N, K, sai, sak, i0, i1, relu);
    else if (kind == KIND_GEMM_AB_F64) gemmABRows<f64>(C, A, B, bias, N, K, sai, sak, i0, i1, relu);
    else if (kind == KIND_GEMM_ABT_F32) gemmABtRows<f32>(C, A, B, N, K, i0, i1);
    else if (kind == KIND_GEMM_ABT_F64) gemmABtRows<f64>(C, A, B, N, K, i0, i1);
    if (worker) atomic.add<i32>(CTRL + BY_WORKERS, 1);
    atomic.add<i32>(CTRL + FINISHED, 1);
  }
}

/** Publish the job written at JOB (M rows, N×K per row) to the workers, work on it here too, wait until it is done. */
function runJob(M: i32, N: i32, K: i32): void {
  if (!ASC_FEATURE_THREADS) return;
  // chunks of whole 4-row tiles, at least CHUNK_MACS multiply-adds each (claiming costs an atomic)
  let chunkRows = <i32>((CHUNK_MACS + <i64>N * K - 1) / (<i64>N * K));
  const fewest = (M + 0xFFFE) / 0xFFFF; // the chunk count must fit 16 bits
  if (chunkRows < fewest) chunkRows = fewest;
  chunkRows = ((chunkRows + 3) >> 2) << 2;
  const chunks = (M + chunkRows - 1) / chunkRows;
  store<i32>(CTRL + JOB, chunkRows, 44);
  const gen = atomic.load<i32>(CTRL + GEN) + 1;
  atomic.store<i32>(CTRL + FINISHED, 0);
  atomic.store<i64>(CTRL + CLAIM, (<i64>gen << 32) | (<i64>chunks << 16));
  atomic.store<i32>(CTRL + GEN, gen); // only the main thread writes GEN
  if (atomic.load<i32>(CTRL + SLEEPERS) > 0) atomic.notify(CTRL + GEN, -1);
  takeChunks(gen, false);
  // the main thread of a browser page may not block: spin for chunks still running elsewhere
  while (atomic.load<i32>(CTRL + FINISHED) < chunks) {}
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
  runJob(M, N, K);
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
  runJob(M, N, K);
}

/** The exported gemmAB: the single-threaded kernel's signature, threads when they pay. */
export function gemmABAuto<T>(C: usize, A: usize, B: usize, bias: usize, M: i32, N: i32, K: i32, sai: i32, sak: i32): void {
  gemmABParallel<T>(C, A, B, bias, M, N, K, sai, sak, false);
}
