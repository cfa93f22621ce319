// The forward of the fused TwoLayerNet step on several threads, cut over the steps of x·W1 (the
// pixels) instead of over the batch rows: stage t owns the steps [k_t, k_t+1) and, for each
// 4-row block in turn, goes on from the sums stage t − 1 left in h (tiles.ts `onto`); the last
// stage adds b1, applies the activation and runs the rest of the block's rows (rowsAfterHidden:
// scores, SoftmaxWithLoss, dH). A stage starts a block as soon as the stage before has finished
// it, so the stages run side by side, a block apart. The last steps of each stage but the last,
// its *middle*, go block by block to whichever of the two stages is ahead (middleStart).
//
// Why not rows: cut by rows, every thread reads all of W1 (157 KB for the book's net) from the
// core that packed and updated it, every step. Cut by steps, a thread packs and reads only its
// own rows of W1 — and converts only its own columns of the minibatch, which dW1's rows of the
// same range read next. Measured on the book's loop (Fashion-MNIST, 2 threads, docs/performance.md):
// the same bits, ~9 % less time per step and ~4 % less CPU than cut by rows.
//
// Same bits as one thread: each h[i, j] is still s = 0; s = s + x[i,k]·W1[k,j] for k ascending;
// s + b1[j]; act — a partial sum stored in h and loaded again is the same value, and the last
// stage's epilogue is the one-thread tile's (tiles.ts). The cut points, and who takes a middle,
// only balance the work: a middle's steps come after its stage's own and before the next's.
//
// No deadlock whatever the scheduling: a stage waits only for the stage before it (for its own
// steps of a block, and for a middle it took, which it finishes without waiting); the main
// thread claims stages from the front, so when it takes stage t every stage before t is taken
// by some thread that is running it (workers claim from the back), down to stage 0, which waits
// for nothing. A worker that never comes leaves the main thread running every stage in order.
import { BYTES } from "./lanes";
import { touchRowColumns } from "./gather";
import { packPanels, packedBytes } from "./gemm/pack";
import { packArea, packAreaBytes } from "./gemm/scratch";
import { wideTiles, wideTilesOnto, narrowTiles, tileRow } from "./gemm/tiles";
import { PLAN_SPARSE_ROWS, PLAN_SKIP_STEPS, PLAN_SCATTER, PLAN_COLUMNS } from "./gemm/plan-codes.generated";
import { sampledBlock, planGemmAB } from "./gemm/plan";
import { columnListBytes, listColumnRows } from "./gemm/sparse/columns";
import { arg, argI32, setArg, threadCount } from "./gemm/threads";
import { rowsAfterHidden, gatherUnsampled } from "./twolayer";

/** The stages of the last fused step on several threads (0: cut by rows), for tests. */
let LAST_STAGES = 0;

export function lastStepStages(): i32 {
  return LAST_STAGES;
}

/** Steps a stage has at least (fewer threads take part when D is small). */
const MIN_STAGE_STEPS = 32;
/** Bytes between two stages' progress counters: one cache line each, so they share none. */
const COUNTER_BYTES: usize = 64;

/**
 * Stages for the forward of the step on `threads` threads, or 0 to cut it by rows: only a dense
 * first product (one that skips no zeros: `planA` lists nothing) is cut by steps, and only when
 * every stage's panels and a counter per stage fit the pack area.
 */
export function forwardStages<T>(planA: i32, N: i32, H: i32, D: i32, threads: i32): i32 {
  LAST_STAGES = stagesFor<T>(planA, N, H, D, threads);
  return LAST_STAGES;
}

function stagesFor<T>(planA: i32, N: i32, H: i32, D: i32, threads: i32): i32 {
  if ((planA & (PLAN_SPARSE_ROWS | PLAN_SKIP_STEPS | PLAN_SCATTER | PLAN_COLUMNS)) != 0) return 0;
  let stages = D / MIN_STAGE_STEPS;
  if (stages > threads) stages = threads;
  if (stages < 2) return 0;
  if (stageListsAt<T>(H, D, stages, N) + columnListBytes<T>(H, N) > packArea() + packAreaBytes()) return 0;
  return stages;
}

/**
 * Where the last stage lists dH's columns as it makes dH's rows (for dW1 by columns: the same
 * lists listColumns would make after the job, made while the other stages still work): after
 * the counters, clear of every stage's panels.
 */
export function stageListsAt<T>(H: i32, D: i32, stages: i32, N: i32): usize {
  return claimsAt<T>(H, D, stages) + <usize>stages * claimsBytes(N);
}

/**
 * First step of stage t of `stages` over D steps (t = stages: D), in multiples of 8 (whole
 * vectors of x's rows). The last stage also runs the rows after the hidden layer and lists dH's
 * columns, and its worker wakes later than the main thread starts, so the stages before it span
 * 1.5/stages of the steps each, of which the last 0.6/stages are their middle (middleStart):
 * between them, a stage and the next may cut a block anywhere from 0.9 to 1.5 (on the book's
 * step a fixed cut measured best at 1.2, and 1.0 or 1.4 ~5 % slower: docs/performance.md).
 */
// @ts-ignore: decorator
@inline export function stageStart(t: i32, stages: i32, D: i32): i32 {
  if (t >= stages) return D;
  const k = <i32>((<i64>t * <i64>D * 15) / (<i64>stages * 10)) & ~7;
  const most = D - (stages - t) * 8; // every later stage keeps a vector's worth of steps at least
  return k < most ? k : most;
}

/**
 * Where stage t's own steps end and its middle begins: the steps [middleStart, stageStart(t + 1))
 * of each block go to stage t or to stage t + 1, whichever is ahead (twoLayerStageChunk), the
 * next stage taking them unless it lags. Why: how fast each side goes changes from step to step
 * on a shared machine (a worker woken late, a vCPU its host runs slower, a thread descheduled),
 * and a fixed cut leaves one side waiting for the other whenever it is off. None for the last stage.
 */
// @ts-ignore: decorator
@inline function middleStart(t: i32, stages: i32, D: i32): i32 {
  const k0 = stageStart(t, stages, D), k1 = stageStart(t + 1, stages, D);
  if (t >= stages - 1) return k1;
  const m = k1 - (<i32>((<i64>D * 6) / (<i64>stages * 10)) & ~7);
  return m >= k0 + 8 ? m : k1; // its own steps come first: a vector's worth at least (else no middle)
}

/** Where stage t's panels of W1's rows [k_t, k_t+1) go: after the earlier stages' (as one packing of W1 would lay them). */
// @ts-ignore: decorator
@inline function panelsAt<T>(H: i32, k0: i32): usize {
  return packArea() + packedBytes<T>(H, k0);
}

/** The stages' progress counters: after all of W1's panels, a cache line each. */
// @ts-ignore: decorator
@inline function countersAt<T>(H: i32, D: i32): usize {
  return (panelsAt<T>(H, D) + COUNTER_BYTES - 1) & ~(COUNTER_BYTES - 1);
}

/** Who has taken the middle of each block of stage t: a word per block (0: nobody yet), after the counters. */
// @ts-ignore: decorator
@inline function claimsAt<T>(H: i32, D: i32, stages: i32): usize {
  return countersAt<T>(H, D) + <usize>stages * COUNTER_BYTES;
}

/** Bytes of one stage's claim words, in whole cache lines (so the lists after them stay aligned). */
// @ts-ignore: decorator
@inline function claimsBytes(N: i32): usize {
  return (<usize>((N + 3) >> 2) * 4 + COUNTER_BYTES - 1) & ~(COUNTER_BYTES - 1);
}

/** A middle's claim word: taken by its own stage, then done; or taken by the next stage. */
const TAKEN_HERE = 1, DONE_HERE = 2, TAKEN_NEXT = 3;

/** Zero the counters and claim words of `stages` stages (main thread, before the job is published). */
export function resetStageCounters<T>(H: i32, D: i32, stages: i32, N: i32): void {
  if (!ASC_FEATURE_THREADS) return; // (alone, so the compiler drops the atomics from the other builds)
  // plain stores: publishing the job (a seq-cst store the workers read) orders them before it
  memory.fill(countersAt<T>(H, D), 0, <usize>stages * (COUNTER_BYTES + claimsBytes(N)));
}

/** Who takes the middles, for tests: 0 whoever is ahead; 1 always the stage; 2 always the next stage. */
const MIDDLES_POLICY = memory.data(4); // in (shared) memory: every thread reads the main thread's choice

export function setStageMiddles(policy: i32): void {
  store<i32>(MIDDLES_POLICY, policy);
}

/** The stages job's arguments beyond the rows job's: where dH's column lists go (0: none; the rows job's chunk rows), */
export const STAGE_LISTS_ARG = 17;
/** … the number of stages, */
export const STAGE_COUNT_ARG = 21;
/** … and the main thread's pack area size, which the last stage replaces with dW1's plan. */
export const STAGE_PLAN_ARG = 22;

/**
 * The first stage's columns [k0, k1) of block [i, i + 4) (unless it is a sample block, gathered
 * before the job), right before the block's tiles, after touching the next block's: those
 * misses are then under way while this block's tiles run. Why not all rows at once, before
 * the tiles (one wait for all the misses, as one thread does): every later stage waits for this
 * stage's blocks, so it waited out the whole gather. On the 2-vCPU EPYC, its vCPUs on two
 * different CCDs, that was ~36 µs of every step; block by block, the trainer's loop on 2
 * threads took 0.93–0.95× the time (docs/performance.md).
 */
// @ts-ignore: decorator
@inline function gatherBlock<T>(
  x: usize, src: usize, idx: usize, D: i32, normalize: bool, mid: i32, i: i32, N: i32, k0: i32, k1: i32,
): void {
  const next = i + 4 < N ? i + 4 : N, after = i + 8 < N ? i + 8 : N;
  if (next < N) touchRowColumns(src, idx + (<usize>next << 2), after - next, D, k0, k1);
  gatherUnsampled<T>(x, src, idx, D, normalize, mid, i, next, k0, k1);
}

/** Stage `t` of the job twoLayerGradient publishes (the rows job's arguments and the STAGE_* ones). */
export function twoLayerStageChunk<T>(t: i32): void {
  if (!ASC_FEATURE_THREADS) return; // (only the threaded builds publish jobs)
  const S = BYTES<T>();
  const W1 = arg(0), b1 = arg(1), x = arg(4), h = arg(7);
  const N = argI32(11), D = argI32(12), H = argI32(13), C = argI32(14);
  const sigmoid = argI32(15) != 0, lists = arg(STAGE_LISTS_ARG), src = arg(18), stages = argI32(STAGE_COUNT_ARG);
  const k0 = stageStart(t, stages, D), k1 = stageStart(t + 1, stages, D);
  const m = middleStart(t, stages, D); // our own steps [k0, m), our middle [m, k1)
  const mBefore = t > 0 ? middleStart(t - 1, stages, D) : 0; // the stage before's middle: [mBefore, k0)
  const last = t == stages - 1, policy = load<i32>(MIDDLES_POLICY);
  // our rows of W1 (our own steps' and our middle's, as two packings: the next stage may read the
  // middle's), then our columns of the minibatch, the middle's too: a later stage gathers them all
  // first (it starts a block behind the stage before anyway), the first stage block by block
  // (gatherBlock). The plan's sample blocks were gathered whole before the job.
  const gather = src != 0, idx = arg(19), normalize = argI32(20) != 0, mid = sampledBlock(N);
  packPanels<T>(panelsAt<T>(H, k0), W1 + <usize>k0 * <usize>H * S, H, m - k0);
  if (k1 > m) packPanels<T>(panelsAt<T>(H, m), W1 + <usize>m * <usize>H * S, H, k1 - m);
  const bias = last ? b1 : 0, relu = last && !sigmoid, onto = t > 0;
  const counters = countersAt<T>(H, D), claims = claimsAt<T>(H, D, stages), claimBytes = claimsBytes(N);
  const before = counters + <usize>(t - 1) * COUNTER_BYTES, mine = counters + <usize>t * COUNTER_BYTES, next = mine + COUNTER_BYTES;
  const claimsBefore = claims + <usize>(t - 1) * claimBytes, ourClaims = claims + <usize>t * claimBytes;
  const rowA = <usize>D * S;
  if (gather && onto) gatherUnsampled<T>(x, src, idx, D, normalize, mid, 0, N, k0, k1);
  let block = 0;
  for (let i = 0; i < N; i += 4) {
    const i1 = i + 4 <= N ? i + 4 : N;
    if (gather && !onto) gatherBlock<T>(x, src, idx, D, normalize, mid, i, N, k0, k1);
    if (onto) {
      while (atomic.load<i32>(before) <= block) {} // until the stage before has done its own steps of this block
      if (k0 > mBefore) { // and its middle: we take it, unless it has
        const claim = claimsBefore + (<usize>block << 2);
        if (policy != 1 && atomic.cmpxchg<i32>(claim, 0, TAKEN_NEXT) == 0) blockSteps<T>(x, rowA, S, W1, H, h, 0, i, i1, mBefore, k0, false, true);
        else while (atomic.load<i32>(claim) != DONE_HERE) {}
      }
    }
    blockSteps<T>(x, rowA, S, W1, H, h, bias, i, i1, k0, m, relu, onto);
    if (last) {
      rowsAfterHidden<T>(arg(2), arg(3), arg(5), argI32(6) != 0, h, arg(8), arg(9), arg(10), N, H, C, sigmoid, i, i1);
      if (lists != 0) listColumnRows<T>(lists, arg(10), H, N, D, i, i1);
    }
    atomic.store<i32>(mine, ++block);
    // our middle of this block too, if the next stage has not yet finished the block two before:
    // left to it, it would fall further behind, and we would be waiting for it at the end
    // (one block behind is the pipeline's own gap; taking it then measured slower)
    if (k1 > m && policy != 2 && (policy == 1 || atomic.load<i32>(next) + 3 <= block)) {
      takeMiddle<T>(ourClaims + (<usize>(block - 1) << 2), x, rowA, S, W1, H, h, i, i1, m, k1);
    }
  }
  // our own steps are all done: take the middles the next stage has not come to, from the last
  // block back, until one it took (it takes them in order), instead of waiting for it at the end
  if (k1 > m && policy != 2) {
    for (let b = block - 1; b >= 0; b--) {
      const claim = ourClaims + (<usize>b << 2), i = b << 2;
      const seen = atomic.load<i32>(claim);
      if (seen == TAKEN_NEXT) break;
      if (seen == 0) takeMiddle<T>(claim, x, rowA, S, W1, H, h, i, i + 4 <= N ? i + 4 : N, m, k1);
    }
  }
  // the last stage ends after every other: it plans dW1 = xᵀ·dH (all of x and dH are made) while
  // the main thread waits for it, instead of after, with the workers waiting
  if (last) setArg(STAGE_PLAN_ARG, planGemmAB<T>(x, arg(10), 0, D, H, N, 1, D, false, threadCount(), true, arg(STAGE_PLAN_ARG)));
}

/** Steps [m, k1) of rows [i, i1) (a middle), unless the next stage has claimed them first. */
// @ts-ignore: decorator
@inline function takeMiddle<T>(
  claim: usize, x: usize, rowA: usize, S: usize, W1: usize, H: i32, h: usize, i: i32, i1: i32, m: i32, k1: i32,
): void {
  if (atomic.cmpxchg<i32>(claim, 0, TAKEN_HERE) != 0) return;
  blockSteps<T>(x, rowA, S, W1, H, h, 0, i, i1, m, k1, false, true);
  atomic.store<i32>(claim, DONE_HERE);
}

/** Steps [ka, kb) of x·W1 for rows [i, i1) (at most 4) into h, with W1's rows packed at panelsAt(ka). */
function blockSteps<T>(
  x: usize, rowA: usize, S: usize, W1: usize, H: i32, h: usize, bias: usize, i: i32, i1: i32, ka: i32, kb: i32, relu: bool, onto: bool,
): void {
  const K = kb - ka, W1k = W1 + <usize>ka * <usize>H * S, a = x + <usize>ka * S;
  if (i1 - i == 4) {
    const a0 = a + <usize>i * rowA, Bp = panelsAt<T>(H, ka);
    if (onto) wideTilesOnto<T>(a0, rowA, S, K, W1k, Bp, H, h, bias, i, relu);
    else wideTiles<T>(a0, rowA, S, K, W1k, Bp, H, h, bias, i, relu);
    narrowTiles<T>(h, a0, W1k, bias, i, H, K, rowA, S, relu, onto);
  } else {
    for (let r = i; r < i1; r++) tileRow<T>(h, a + <usize>r * rowA, W1k, bias, r, H, K, S, relu, onto);
  }
}
