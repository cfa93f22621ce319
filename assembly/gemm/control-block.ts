// The thread pool's control block: where each word of the shared job protocol lives
// (threads.ts runs the protocol), which instance is attached as which thread, and the job's
// argument slots that a kernel fills before publishing and its chunks read back.
//
// The control block lives in memory the JS pool allocates (not in a static data segment:
// every worker instantiating the module would re-initialise its segments). Each instance
// learns its address through `threadsAttach`; a global is per instance, the memory is shared.
// (src/core/thread-pool.ts allocates CONTROL_BLOCK_BYTES = 256 for it)
export let CTRL: usize = 0;
/** This worker's bit in SLEEPING (a global, not a local: see threads.ts workerSleep). */
export let SLEEPING_BIT: i64 = 0;

// byte offsets in the control block
export const GEN = 0; // i32 job generation, bumped once per job
export const THREADS = 8; // i32 threads taking part (1 = no workers)
export const CLAIM = 16; // i64 (generation << 32) | (end of the unclaimed chunks << 16) | their start
export const FINISHED = 24; // i32 chunks done in the current job
export const BY_WORKERS = 28; // i32 chunks run by workers since attach (a statistic: proves they help)
export const PACK = 32; // usize the main thread's packed panels, for the job's workers
export const LISTS = 36; // usize the main thread's list slots, for the job's workers
export const IDLE_AFTER = 40; // i32 1: no job follows the current one soon (its workers sleep at once when done)
// i64 bit i-1: worker i is parked in atomic.wait. A bit per worker, not a count: a worker
// terminated in its sleep leaves its bit set, and its successor clears it in threadsAttach.
export const SLEEPING = 48;
export const KIND = 64; // i32 what the job is (../jobs.ts)
const ARGS = 72; // 8-byte argument slots up to the end of the block
/** Argument slots of a job (the block is 256 bytes). */
export const JOB_ARGS = 23;

/** Point this instance at the control block as thread `index` (0: the main instance; every worker, before use). */
export function threadsAttach(ctrl: usize, index: i32): void {
  CTRL = ctrl;
  SLEEPING_BIT = index > 0 ? sleepingBit(index) : 0;
  if (ASC_FEATURE_THREADS && index > 0) atomic.and<i64>(CTRL + SLEEPING, ~SLEEPING_BIT);
}

// @ts-ignore: decorator
@inline function sleepingBit(index: i32): i64 {
  return <i64>1 << <i64>(index - 1); // workers 1 … 63 (setThreads allows 64 threads)
}

/** Sleeping workers among those taking part (index < THREADS). */
export function sleepersTakingPart(): i32 {
  const taking = atomic.load<i32>(CTRL + THREADS) - 1; // workers 1 … taking
  return <i32>popcnt(atomic.load<i64>(CTRL + SLEEPING) & ((<i64>1 << <i64>taking) - 1));
}

/** Argument slot i of the job being written. */
// @ts-ignore: decorator
@inline export function setArg(i: i32, v: usize): void {
  store<usize>(CTRL + ARGS + (<usize>i << 3), v);
}

// @ts-ignore: decorator
@inline export function setArgF64(i: i32, v: f64): void {
  store<f64>(CTRL + ARGS + (<usize>i << 3), v);
}

/** Argument slot i of the job being run (any thread, inside a chunk). */
// @ts-ignore: decorator
@inline export function arg(i: i32): usize {
  return load<usize>(CTRL + ARGS + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline export function argI32(i: i32): i32 {
  return load<i32>(CTRL + ARGS + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline export function argF64(i: i32): f64 {
  return load<f64>(CTRL + ARGS + (<usize>i << 3));
}

/** An integer result a chunk adds into argument slot i (counts: integer addition in any order is exact). */
// @ts-ignore: decorator
@inline export function addToArg(i: i32, v: i32): void {
  atomic.add<i32>(CTRL + ARGS + (<usize>i << 3), v);
}
