// The job protocol of the thread pool. In the threads build (`--enable threads`, shared memory
// imported by every instance) the main thread and `THREADS-1` workers run this same module on
// the same memory; elsewhere ASC_FEATURE_THREADS is false and all of this folds away. Which
// products go parallel is plan.ts's choice; this file only carries a job to the workers.
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
import { runPlan } from "./plan";
import { gemmABtRows } from "./abt";
import { gemmAtBScatter } from "./sparse/scatter";
import { packArea, listArea, adoptScratch, scatterList, scatterRows } from "./scratch";
import { gatherRows } from "../gather";

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
const JOB = 64; // i32 words: kind, C, A, B, bias, M, N, K, sai, sak, plan (gather: normalize), chunkRows, pack, lists

const KIND_GEMM_AB_F32 = 1;
const KIND_GEMM_AB_F64 = 2;
const KIND_GEMM_ABT_F32 = 3;
const KIND_GEMM_ABT_F64 = 4;
const KIND_GATHER_F32 = 5;
const KIND_GATHER_F64 = 6;
const KIND_SCATTER_F32 = 7;
const KIND_SCATTER_F64 = 8;

/**
 * Smallest chunk a thread claims, in multiply-adds (or elements converted): a few microseconds
 * of work, so claiming (an atomic) stays cheap. How a job is cut, not whether it is parallel
 * (that is plan.ts's PARALLEL_MIN_WORK).
 */
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
 * A worker waits here (spinning, then parked in atomic.wait) until a job newer than `seen` is
 * published; returns its generation. The worker's JS loop is
 *   for (;;) { seen = workerWait(seen); workerRun(index, seen); }
 * so the compute runs in short exported calls that V8 tiers up to optimised code; one
 * never-returning wasm call would stay in the baseline compiler forever (wasm has no OSR).
 */
export function workerWait(seen: i32): i32 {
  if (!ASC_FEATURE_THREADS) return seen;
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
  return gen;
}

/** Worker `index` takes chunks of job `gen` (if it takes part at the current thread count). */
export function workerRun(index: i32, gen: i32): void {
  if (!ASC_FEATURE_THREADS) return;
  if (index < atomic.load<i32>(CTRL + THREADS)) takeChunks(gen, index);
}

/** Run chunks of job `gen` until none is left (or a newer job replaced it); `slot` 0 is the main thread. */
function takeChunks(gen: i32, slot: i32): void {
  const kind = load<i32>(CTRL + JOB);
  const C = load<usize>(CTRL + JOB, 4), A = load<usize>(CTRL + JOB, 8), B = load<usize>(CTRL + JOB, 12), bias = load<usize>(CTRL + JOB, 16);
  const M = load<i32>(CTRL + JOB, 20), N = load<i32>(CTRL + JOB, 24), K = load<i32>(CTRL + JOB, 28);
  const sai = load<i32>(CTRL + JOB, 32), sak = load<i32>(CTRL + JOB, 36), plan = load<i32>(CTRL + JOB, 40);
  const chunkRows = load<i32>(CTRL + JOB, 44);
  if (slot > 0) adoptScratch(load<usize>(CTRL + JOB, 48), load<usize>(CTRL + JOB, 52), slot); // the main thread's panels, this worker's list slot
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
    if (kind == KIND_GEMM_AB_F32) runPlan<f32>(plan, C, A, B, bias, N, K, sai, sak, i0, i1);
    else if (kind == KIND_GEMM_AB_F64) runPlan<f64>(plan, C, A, B, bias, N, K, sai, sak, i0, i1);
    else if (kind == KIND_GEMM_ABT_F32) gemmABtRows<f32>(C, A, B, N, K, i0, i1);
    else if (kind == KIND_GEMM_ABT_F64) gemmABtRows<f64>(C, A, B, N, K, i0, i1);
    else if (kind == KIND_GATHER_F32) gatherRows<f32>(C + <usize>i0 * N * 4, A, B + (<usize>i0 << 2), i1 - i0, N, plan != 0);
    else if (kind == KIND_GATHER_F64) gatherRows<f64>(C + <usize>i0 * N * 8, A, B + (<usize>i0 << 2), i1 - i0, N, plan != 0);
    else if (kind == KIND_SCATTER_F32) gemmAtBScatter<f32>(C, A, B, N, K, sak, i0, i1, scatterList(), scatterRows<f32>());
    else if (kind == KIND_SCATTER_F64) gemmAtBScatter<f64>(C, A, B, N, K, sak, i0, i1, scatterList(), scatterRows<f64>());
    if (slot > 0) atomic.add<i32>(CTRL + BY_WORKERS, 1);
    atomic.add<i32>(CTRL + FINISHED, 1);
  }
}

/** Publish the job written at JOB (M rows, N×K per row) to the workers, work on it here too, wait until it is done. */
function runJob(M: i32, N: i32, K: i32, minRows: i32 = 0): void {
  if (!ASC_FEATURE_THREADS) return;
  // chunks of whole 4-row tiles, at least CHUNK_MACS multiply-adds each (claiming costs an atomic)
  let chunkRows = <i32>((CHUNK_MACS + <i64>N * K - 1) / (<i64>N * K));
  const fewest = (M + 0xFFFE) / 0xFFFF; // the chunk count must fit 16 bits
  if (chunkRows < fewest) chunkRows = fewest;
  if (chunkRows < minRows) chunkRows = minRows;
  chunkRows = ((chunkRows + 3) >> 2) << 2;
  const chunks = (M + chunkRows - 1) / chunkRows;
  store<i32>(CTRL + JOB, chunkRows, 44);
  store<usize>(CTRL + JOB, packArea(), 48);
  store<usize>(CTRL + JOB, listArea(), 52);
  const gen = atomic.load<i32>(CTRL + GEN) + 1;
  atomic.store<i32>(CTRL + FINISHED, 0);
  atomic.store<i64>(CTRL + CLAIM, (<i64>gen << 32) | (<i64>chunks << 16));
  atomic.store<i32>(CTRL + GEN, gen); // only the main thread writes GEN
  if (atomic.load<i32>(CTRL + SLEEPERS) > 0) atomic.notify(CTRL + GEN, -1);
  takeChunks(gen, 0);
  // the main thread of a browser page may not block: spin for chunks still running elsewhere
  while (atomic.load<i32>(CTRL + FINISHED) < chunks) {}
}

/** Publish gemmAB rows [0, M) as a job run the way `plan` says (B already packed if it packs). */
export function runGemmABJob<T>(plan: i32, C: usize, A: usize, B: usize, bias: usize, M: i32, N: i32, K: i32, sai: i32, sak: i32): void {
  store<i32>(CTRL + JOB, sizeof<T>() == 4 ? KIND_GEMM_AB_F32 : KIND_GEMM_AB_F64);
  store<usize>(CTRL + JOB, C, 4); store<usize>(CTRL + JOB, A, 8); store<usize>(CTRL + JOB, B, 12); store<usize>(CTRL + JOB, bias, 16);
  store<i32>(CTRL + JOB, M, 20); store<i32>(CTRL + JOB, N, 24); store<i32>(CTRL + JOB, K, 28);
  store<i32>(CTRL + JOB, sai, 32); store<i32>(CTRL + JOB, sak, 36); store<i32>(CTRL + JOB, plan, 40);
  runJob(M, N, K);
}

/** Publish gemmABt rows [0, M) as a job. */
export function runGemmABtJob<T>(C: usize, A: usize, B: usize, M: i32, N: i32, K: i32): void {
  store<i32>(CTRL + JOB, sizeof<T>() == 4 ? KIND_GEMM_ABT_F32 : KIND_GEMM_ABT_F64);
  store<usize>(CTRL + JOB, C, 4); store<usize>(CTRL + JOB, A, 8); store<usize>(CTRL + JOB, B, 12);
  store<i32>(CTRL + JOB, M, 20); store<i32>(CTRL + JOB, N, 24); store<i32>(CTRL + JOB, K, 28);
  runJob(M, N, K);
}

/** Publish the scatter dW = Aᵀ·B over output rows [0, M) in chunks of at least `chunkRows` rows. */
export function runScatterJob<T>(C: usize, A: usize, B: usize, M: i32, N: i32, K: i32, lda: i32, chunkRows: i32): void {
  store<i32>(CTRL + JOB, sizeof<T>() == 4 ? KIND_SCATTER_F32 : KIND_SCATTER_F64);
  store<usize>(CTRL + JOB, C, 4); store<usize>(CTRL + JOB, A, 8); store<usize>(CTRL + JOB, B, 12);
  store<i32>(CTRL + JOB, M, 20); store<i32>(CTRL + JOB, N, 24); store<i32>(CTRL + JOB, K, 28); store<i32>(CTRL + JOB, lda, 36);
  runJob(M, N, K, chunkRows);
}

/** Publish the uint8 → float gather of `batch` rows as a job. */
export function runGatherJob<T>(out: usize, src: usize, idx: usize, batch: i32, rowLen: i32, normalize: bool): void {
  store<i32>(CTRL + JOB, sizeof<T>() == 4 ? KIND_GATHER_F32 : KIND_GATHER_F64);
  store<usize>(CTRL + JOB, out, 4); store<usize>(CTRL + JOB, src, 8); store<usize>(CTRL + JOB, idx, 12);
  store<i32>(CTRL + JOB, batch, 20); store<i32>(CTRL + JOB, rowLen, 24); store<i32>(CTRL + JOB, normalize ? 1 : 0, 40);
  runJob(batch, rowLen, 1);
}
