// The job protocol of the thread pool. In the threads build (`--enable threads`, shared memory
// imported by every instance) the main thread and `THREADS-1` workers run this same module on
// the same memory; elsewhere ASC_FEATURE_THREADS is false and all of this folds away. Which
// work goes parallel is the kernels' choice (plan.ts for products); this file only carries a
// job to the workers, and ../jobs.ts says what a chunk of each kind of job does.
//
// Protocol (words in a shared control block, control-block.ts). A job is some work cut into
// numbered chunks (whole 4-row tiles of a product, images of a batch, row ranges of a
// dataset …); whoever is free takes the next chunk:
//   main : write the kind and arguments → FINISHED = 0 → CLAIM = (gen+1, chunks, 0) → GEN =
//          gen+1 (seq-cst: publishes it) → notify if a worker sleeps → take chunks from the
//          front until none is left → spin until FINISHED == chunks
//   worker: spin, then sleep in atomic.wait, until GEN changes → take chunks from the back (compare-exchange
//          on CLAIM, which carries the generation, so a late worker can never take a chunk of a
//          newer job with an older job's arguments) → FINISHED += 1 each
// The main thread never waits for a worker to wake up: if the worker is slow or descheduled
// (a busy machine), the main thread simply takes more chunks. Every chunk's result depends only
// on its index, never on who runs it or when, and reductions are never split across chunks, so
// results are bit-identical for any thread count or timing.
//
// What a worker does while it waits: it spins (polls GEN) for a short time, then sleeps in
// atomic.wait (src/core/thread-pool.ts's WORKER_SPIN_MS says how long and why) — unless the
// job it finished was published as the last for a while (runJob's `idleAfter`: an optimizer's
// update, which ends a training step; a background job), when it sleeps at once: the main
// thread's next job is further away than the spin, so the spin would be pure waste.
//
// A background job (publishBackground) is a job the main thread publishes and then leaves to
// the workers: it goes on with its own work on one thread (threadCount() reads 1 on the main
// instance, so no kernel publishes a job that would overwrite the background one's arguments;
// beginJob traps if one tried), polls backgroundDone(), and at the end finishBackground() takes
// the chunks still unclaimed and waits for the rest. The trainer evaluates an epoch's accuracy
// this way while the next steps run (src/train/background-accuracy.ts): a step gains ~1.4× from
// a second thread, an accuracy pass ~1.9×, so giving the worker whole passes beats sharing out
// both. The protocol is the same: chunks, the generation in CLAIM, FINISHED.
import { packArea, listArea, adoptScratch } from "./scratch";
import { runChunk } from "../jobs";
import {
  CTRL, SLEEPING_BIT, GEN, THREADS, CLAIM, FINISHED, BY_WORKERS, PACK, LISTS, IDLE_AFTER, SLEEPING, KIND, sleepersTakingPart,
} from "./control-block";
// the kernels that publish jobs find everything they need here
export { threadsAttach, JOB_ARGS, setArg, setArgF64, arg, argI32, argF64, addToArg } from "./control-block";

/** This instance is inside a chunk (a per-instance global: each thread its own). */
let IN_CHUNK = false;
/** Main instance: a background job is out (its generation, chunks and scratch below). */
let BACKGROUND = false;
let BG_GEN = 0;
let BG_CHUNKS = 0;
let BG_PACK: usize = 0;
let BG_LISTS: usize = 0;

/** Threads taking part in parallel work (1 in the single-threaded build or before attach). */
export function threadCount(): i32 {
  if (!ASC_FEATURE_THREADS || CTRL == 0 || BACKGROUND) return 1;
  return atomic.load<i32>(CTRL + THREADS);
}

/** Set by the JS pool once its workers are running (or back to 1 before they stop). */
export function setThreadCount(n: i32): void {
  if (!ASC_FEATURE_THREADS || CTRL == 0) return;
  atomic.store<i32>(CTRL + THREADS, n < 1 ? 1 : n);
}

/** Chunks of parallel jobs the workers have run so far (0 in the single-threaded build). */
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
 * A worker polls for a job newer than `seen` at most `polls` times; returns the generation it
 * saw (still `seen` if none came). The worker's JS loop (src/core/thread-pool.ts) is
 *   for (;;) { gen = workerWait(seen, polls) until a job comes or the spin time is up;
 *              if none came, gen = workerSleep(seen); workerRun(index, gen); seen = gen }
 * so the compute runs in short exported calls that V8 tiers up to optimised code (one
 * never-returning wasm call would stay in the baseline compiler: wasm has no OSR), and the
 * spin is measured in time by JS, not in polls, whose speed depends on the tier.
 */
export function workerWait(seen: i32, polls: i32): i32 {
  if (!ASC_FEATURE_THREADS) return seen;
  let gen = atomic.load<i32>(CTRL + GEN);
  for (let i = 0; gen == seen && i < polls; i++) gen = atomic.load<i32>(CTRL + GEN);
  return gen;
}

/** A worker parks in atomic.wait until a job newer than `seen` is published; returns its generation. */
export function workerSleep(seen: i32): i32 {
  if (!ASC_FEATURE_THREADS) return seen;
  // The main thread stores GEN, then reads SLEEPING (both seq-cst): either it sees this
  // bit and notifies, or the wait below sees the new GEN and returns at once.
  // The bit comes from a global on both sides of the wait, never from a local kept live
  // across it: with a local, Node 20's optimised code cleared the wrong bits after waking
  // and the worker counted as asleep while it ran (test/unit/assembly/gemm/threads.test.ts,
  // "idle workers", catches it).
  atomic.or<i64>(CTRL + SLEEPING, SLEEPING_BIT);
  let gen = atomic.load<i32>(CTRL + GEN);
  while (gen == seen) {
    memory.atomic.wait32(CTRL + GEN, seen, -1);
    gen = atomic.load<i32>(CTRL + GEN);
  }
  atomic.and<i64>(CTRL + SLEEPING, ~SLEEPING_BIT);
  return gen;
}

/** May a worker that finished the current job spin for the next one (false: it was published as the last for a while)? */
export function workerMaySpin(): bool {
  if (!ASC_FEATURE_THREADS) return false;
  return atomic.load<i32>(CTRL + IDLE_AFTER) == 0;
}

/** Workers taking part that are parked in atomic.wait right now (a statistic for tests and benchmarks). */
export function sleepingWorkers(): i32 {
  if (!ASC_FEATURE_THREADS || CTRL == 0) return 0;
  return sleepersTakingPart();
}

/** Worker `index` takes chunks of job `gen` (if it takes part at the current thread count). */
export function workerRun(index: i32, gen: i32): void {
  if (!ASC_FEATURE_THREADS) return;
  if (index < atomic.load<i32>(CTRL + THREADS)) takeChunks(gen, index);
}

/** Run chunks of job `gen` until none is left (or a newer job replaced it); `slot` 0 is the main thread. */
function takeChunks(gen: i32, slot: i32): void {
  const kind = load<i32>(CTRL + KIND);
  if (slot > 0) adoptScratch(load<usize>(CTRL + PACK), load<usize>(CTRL + LISTS), slot); // the main thread's panels, this worker's list slot
  while (true) {
    // Claim the next chunk of THIS generation. The chunk count sits in the same atomic word:
    // a successful claim proves the job was unfinished, so the main thread had not started
    // writing the next job, so the kind and arguments read for it belong to this one.
    // The main thread takes chunks from the front, workers from the back: at equal speeds each
    // thread gets the same rows of a product every step, and they stay in its own cache.
    const w = atomic.load<i64>(CTRL + CLAIM);
    if (<i32>(w >>> 32) != gen) return;
    const front = <i32>(w & 0xFFFF), back = <i32>((w >> 16) & 0xFFFF);
    if (front >= back) return;
    const chunk = slot == 0 ? front : back - 1;
    if (atomic.cmpxchg<i64>(CTRL + CLAIM, w, slot == 0 ? w + 1 : w - 0x10000) != w) continue;
    IN_CHUNK = true;
    runChunk(kind, chunk, slot);
    IN_CHUNK = false;
    if (slot > 0) atomic.add<i32>(CTRL + BY_WORKERS, 1);
    atomic.add<i32>(CTRL + FINISHED, 1);
  }
}

/** Start writing a job of `kind` (its arguments follow with setArg*; then runJob). Main thread only. */
export function beginJob(kind: i32): void {
  if (BACKGROUND) unreachable(); // it would overwrite the background job's arguments: trap rather than corrupt
  store<i32>(CTRL + KIND, kind);
}

/**
 * Publish the job written since beginJob as `chunks` chunks (at most 65535), work on it here
 * too, and return when every chunk is done. A `small` job (tens of microseconds) wakes no
 * sleeping worker: the wake-up takes about as long as the job, so it runs here alone when
 * every worker sleeps, and with whoever is still spinning otherwise. `idleAfter`: the caller
 * knows its next job is further away than a worker's spin (an update ends a training step:
 * the loop's bookkeeping, the next minibatch's draw and the next forward's plan run on this
 * thread first), so the workers sleep as soon as they are done instead of spinning for nothing.
 */
export function runJob(chunks: i32, small: bool = false, idleAfter: bool = false): void {
  if (!ASC_FEATURE_THREADS) return;
  // a chunk must only call single-threaded kernels: a job published from inside one would
  // overwrite the running job's arguments in the shared block. Trap rather than corrupt.
  if (IN_CHUNK) unreachable();
  if (small && sleepersTakingPart() >= atomic.load<i32>(CTRL + THREADS) - 1) {
    const kind = load<i32>(CTRL + KIND);
    IN_CHUNK = true;
    for (let c = 0; c < chunks; c++) runChunk(kind, c, 0);
    IN_CHUNK = false;
    return;
  }
  takeChunks(publish(chunks, packArea(), listArea(), !small, idleAfter), 0);
  // the main thread of a browser page may not block: spin for chunks still running elsewhere
  while (atomic.load<i32>(CTRL + FINISHED) < chunks) {}
}

/**
 * Wake the sleeping workers ahead of a job the caller is about to publish (a sleeping thread
 * takes tens of microseconds to run again here): an empty job, after which they spin for the
 * next one, as after any job that is not idleAfter. Nothing when none sleeps, inside a chunk or
 * while a background job is out.
 */
export function wakeWorkers(): void {
  if (!ASC_FEATURE_THREADS || CTRL == 0 || BACKGROUND || IN_CHUNK) return;
  if (atomic.load<i64>(CTRL + SLEEPING) == 0) return;
  publish(0, packArea(), listArea(), true, false);
}

/**
 * Publish the job written since beginJob as `chunks` chunks for the workers, with `pack` and
 * `lists` as their scratch (not the main thread's: it goes on packing its own), and return at
 * once. Until finishBackground the main thread runs everything on one thread. Returns false
 * (nothing published) when there is no worker or a background job is already out.
 */
export function publishBackground(chunks: i32, pack: usize, lists: usize): bool {
  if (!ASC_FEATURE_THREADS) return false; // (alone, so the compiler drops the rest from the other builds)
  if (CTRL == 0 || BACKGROUND || atomic.load<i32>(CTRL + THREADS) < 2) return false;
  if (IN_CHUNK) unreachable();
  BG_GEN = publish(chunks, pack, lists, true, true); // a long job: worth a wake-up; nothing follows it until finishBackground
  BACKGROUND = true;
  BG_CHUNKS = chunks;
  BG_PACK = pack;
  BG_LISTS = lists;
  return true;
}

/** Has the main thread a background job out (until finishBackground)? */
export function backgroundOut(): bool {
  return BACKGROUND;
}

/** Is the background job's every chunk done (true when none is out)? */
export function backgroundDone(): bool {
  if (!ASC_FEATURE_THREADS) return true;
  return !BACKGROUND || atomic.load<i32>(CTRL + FINISHED) >= BG_CHUNKS;
}

/** Take the background job's unclaimed chunks here, wait for the others, and end it (no-op when none is out). */
export function finishBackground(): void {
  if (!ASC_FEATURE_THREADS) return;
  if (!BACKGROUND) return;
  const pack = packArea(), lists = listArea();
  adoptScratch(BG_PACK, BG_LISTS, 0); // the job's panels; list slot 0 there is the main thread's
  takeChunks(BG_GEN, 0);
  adoptScratch(pack, lists, 0);
  while (atomic.load<i32>(CTRL + FINISHED) < BG_CHUNKS) {}
  BACKGROUND = false;
}

/** Make the job written since beginJob generation gen+1 of `chunks` chunks, with the workers' scratch; returns its generation. */
function publish(chunks: i32, pack: usize, lists: usize, wake: bool, idleAfter: bool): i32 {
  store<usize>(CTRL + PACK, pack);
  store<usize>(CTRL + LISTS, lists);
  atomic.store<i32>(CTRL + IDLE_AFTER, idleAfter ? 1 : 0);
  const gen = atomic.load<i32>(CTRL + GEN) + 1;
  atomic.store<i32>(CTRL + FINISHED, 0);
  atomic.store<i64>(CTRL + CLAIM, (<i64>gen << 32) | (<i64>chunks << 16));
  atomic.store<i32>(CTRL + GEN, gen); // only the main thread writes GEN
  if (wake && atomic.load<i64>(CTRL + SLEEPING) != 0) atomic.notify(CTRL + GEN, -1);
  return gen;
}

/** Work (multiply-adds, or elements touched) under which a job counts as small for runJob: ~30 µs. */
export const SMALL_JOB_WORK: i64 = 400_000;

/** Most chunks a job can have (the count shares a 64-bit word with the generation). */
export const MAX_CHUNKS = 0xFFFF;

/** Units (rows, images …) per chunk: at least `least`, a multiple of `multiple`, few enough chunks. */
export function chunkUnits(units: i32, least: i32, multiple: i32): i32 {
  let per = least < 1 ? 1 : least;
  const fewest = (units + MAX_CHUNKS - 1) / MAX_CHUNKS;
  if (per < fewest) per = fewest;
  return ((per + multiple - 1) / multiple) * multiple;
}
