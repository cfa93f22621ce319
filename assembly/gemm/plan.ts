// Which path a matrix product takes, and every threshold behind the choice: the only file that
// decides. Every path gives the same bits (the recipe in tiles.ts; exact zero skipping in
// sparse/), so a plan changes the speed only. A plan is a set of GEMM_PLAN bits
// (assembly/manifest.mjs); lastGemmPlan() reports the last one so tests can see which path ran.
//
//   per call (planGemmAB)  Aᵀ·B (dW = xᵀ·dout): by output columns over B's nonzeros when B is
//                          sparser than A (a ReLU's zeros in dout beside dense images), else
//                          the scatter when A is mostly zero (the ink of digits);
//                          otherwise the 4-row tiles: plain when two sample blocks of A are
//                          busy (dense images), else with rows of A that are mostly zero going
//                          one at a time and idle steps skipped when B is finite; B packed into
//                          panels when it is big and the rows are dense; threads when it is big
//   per 4-row block (runPlan)  sparse rows until the first dense block, then tiles that leave
//                          out the steps idle in all four rows when enough of them are idle
// The thresholds were measured on the 2-vCPU Zen 4 VM this was developed on, with the book's
// shapes on MNIST digits (~19% ink) and Fashion-MNIST (~50%): docs/performance.md.
import {
  PLAN_SPARSE_ROWS, PLAN_SKIP_STEPS, PLAN_PACKED, PLAN_SCATTER, PLAN_THREADS, PLAN_RELU, PLAN_COLUMNS,
} from "./plan-codes.generated";
import { LANES, BYTES } from "../lanes";
import { firstNonFinite } from "../elementwise";
import { packedBytes } from "./pack";
import { packArea, packAreaBytes, listArea, stepListsFit, stepLists, panelSlot, panelSlotSteps, LIST_SLOTS } from "./scratch";
import { wideTiles, wideTilesListed, narrowTiles, tileRow } from "./tiles";
import { narrowTiles8 } from "./narrow-panel";
import { countNonzeros, nonzeroPercent } from "./sparse/listing";
import { columnListBytes } from "./sparse/columns";
import { busySteps, listBusySteps } from "./sparse/steps";
import { listRow, rowFromList, sparseRow } from "./sparse/rows";
import { chunkUnits } from "./threads";

/**
 * A row of A goes alone over its nonzero steps (sparse/rows.ts) under this share of nonzero
 * values. One row at a time needs more loads per multiply-add than the 4×8 tile (8 per 6
 * against 6 per 8) and lists its steps first; it breaks even with the tile near 50% (Fashion-
 * MNIST items) and takes about half the tile's time on MNIST digits.
 */
const ROW_ALONE_BELOW_PERCENT = 40;
/**
 * A 4-row tile walks only its busy steps (sparse/steps.ts) when under this share of its steps
 * is busy: for denser blocks (a photo-like image) the indirection costs more than it saves.
 */
const LIST_STEPS_BELOW_PERCENT = 50;
/**
 * A·B with row-major A runs on the plain tiles, nothing skipped, when the steps of two sample
 * 4-row blocks are busy (nonzero in some row) at least this often. Then few steps could be
 * left out, and looking for them — a scan of every block, rows tried alone, B left unpacked
 * when the first row is sparse — costs more than it saves: the book's x·W1 on Fashion-MNIST
 * (a 4-item block busy at 69–88% of its pixels) measured ~7% faster without, its step ~4%.
 * MNIST digits (32–45%) and a conv net's ReLU features, with their steps idle in all four
 * rows of a block, keep skipping.
 */
const DENSE_BUSY_PERCENT = 65;
/** dW = xᵀ·dout goes through sparse/scatter.ts below this share of nonzero x values: as fast as the tiles at Fashion-MNIST's ~50%, 1.8× faster at MNIST's ~19%. */
const SCATTER_BELOW_PERCENT = 50;
/**
 * dW = xᵀ·dout goes by columns (sparse/columns.ts) below this share of nonzero dout values,
 * and only when dout is less than 1.5× as dense as x: per nonzero it costs ~1.5× what the
 * scatter does per nonzero of x (measured at the book's 784×50×100: dout 50% nonzero after the
 * ReLU takes 148 µs by columns, the tiles 216, the scatter 211 on Fashion-MNIST and 95 on digits).
 */
const COLUMNS_BELOW_PERCENT = 70;
/** The sparse paths work on whole 4-row blocks. */
const SPARSE_MIN_ROWS = 4;
/** Rows below which packing B does not pay for its copy. */
const PACK_MIN_ROWS = 16;
/** Smaller B panels stay in L1 as they are; packing them measured slower (the dW1 product). */
const PACK_MIN_BYTES: usize = 64 << 10;
/** Below this much work (multiply-adds, or elements converted) a job stays on one thread. */
const PARALLEL_MIN_WORK: i64 = 60_000;
/** … and below this many rows (two 4-row tiles). */
const PARALLEL_MIN_ROWS = 8;
/** The scatter is cut into this many row ranges per thread (every range walks every sample, so few and big). */
const SCATTER_RANGES_PER_THREAD = 2;

let LAST_PLAN = 0;

/** The plan of the last gemmAB call on this thread (GEMM_PLAN bits), for tests. */
export function lastGemmPlan(): i32 {
  return LAST_PLAN;
}

/** Threads for a job of M rows of N×K work each, `threads` being available (1: stay here). */
// @ts-ignore: decorator
@inline export function planThreads(M: i32, N: i32, K: i32, threads: i32): i32 {
  if (threads <= 1 || <i64>M * <i64>N * <i64>K < PARALLEL_MIN_WORK || M < PARALLEL_MIN_ROWS) return 1;
  return threads;
}

/**
 * Smallest chunk of a parallel product a thread claims, in multiply-adds: a few microseconds of
 * work, so claiming (an atomic on a shared cache line) stays cheap next to it.
 */
const CHUNK_MACS: i64 = 40_000;

/**
 * Rows per chunk of a parallel product of M rows of N×K work, ≥ CHUNK_MACS: whole 4-row tiles,
 * or whole pairs of them when the product's `plan` skips nothing (runPlan then takes the narrow
 * columns two blocks at a time). Without a plan (A·Bᵀ, dW's tiles): single tiles.
 */
export function productChunkRows(M: i32, N: i32, K: i32, plan: i32 = PLAN_SKIP_STEPS): i32 {
  const work = <i64>N * <i64>K;
  return chunkUnits(M, <i32>((CHUNK_MACS + work - 1) / (work > 0 ? work : 1)), (plan & PLAN_SKIP_STEPS) == 0 ? 8 : 4);
}

/** Rows per chunk of a by-columns job (gemm/sparse/columns.ts): whole 6-vector blocks (24 rows, a multiple for f32 and f64). */
export function columnsChunkRows(M: i32, N: i32, K: i32): i32 {
  const work = <i64>N * <i64>K / 2; // about half of B is nonzero when this path is taken
  return chunkUnits(M, <i32>((CHUNK_MACS + work - 1) / (work > 0 ? work : 1)), 24);
}

/** Rows per chunk of a scatter job on `threads` threads (every range walks every sample, so few and big). */
export function scatterChunkRows(M: i32, threads: i32): i32 {
  const ranges = SCATTER_RANGES_PER_THREAD * threads;
  return chunkUnits(M, (M + ranges - 1) / ranges, 4);
}

// @ts-ignore: decorator
@inline function rowGoesAlone(nonzeros: i32, K: i32): bool {
  return <i64>nonzeros * 100 < <i64>ROW_ALONE_BELOW_PERCENT * K;
}

/**
 * Does a row with `nonzeros` of its K values nonzero go alone over them (sparse/rows.ts)? For
 * callers that sort their rows by it before the product (twolayer-eval.ts), so this file stays
 * the one that decides.
 */
export function goesAlone(nonzeros: i32, K: i32): bool {
  return rowGoesAlone(nonzeros, K);
}

// @ts-ignore: decorator
@inline function stepsWorthListing(busy: i32, K: i32): bool {
  return <i64>busy * 100 < <i64>LIST_STEPS_BELOW_PERCENT * K;
}

/**
 * The plan of C[M×N] = A·B (+ bias, ReLU if `relu`), A(i,k) at A[i*sai + k*sak], on `threads`. `aFinite`: the
 * caller knows A holds no NaN or Infinity (the fused step's x, checked at the TypeScript boundary): no check.
 */
export function planGemmAB<T>(
  A: usize, B: usize, bias: usize, M: i32, N: i32, K: i32, sai: i32, sak: i32, relu: bool, threads: i32,
  aFinite: bool = false, packBytes: usize = packAreaBytes(), // (a worker's instance knows where the pack area starts, not its size)
): i32 {
  let plan = relu ? PLAN_RELU : 0;
  // zeros of A can be left out when there are list slots and enough rows (and B is finite: bFinite)
  const mayskip = listArea() != 0 && M >= SPARSE_MIN_ROWS;
  // dW = xᵀ·dout: by dout's zeros (columns), by x's (scatter), or the tiles
  const transposedA = bias == 0 && !relu && sai == 1 && sak >= M && M >= SPARSE_MIN_ROWS;
  const px = transposedA ? nonzeroPercent<T>(A, M, K, sak) : 100;
  if (transposedA && packArea() != 0 && columnListBytes<T>(N, K) <= packBytes) {
    const pb = <i32>(<i64>countNonzeros<T>(B, N * K) * 100 / <i64>(N * K > 0 ? N * K : 1));
    // leaving out zeros of B is exact only when every A value is finite
    if (pb < COLUMNS_BELOW_PERCENT && <i64>pb * 2 < <i64>px * 3 && (aFinite || allFinite<T>(A, M, K, sak))) {
      plan = planThreads(M, N, K, threads) > 1 ? PLAN_COLUMNS | PLAN_THREADS : PLAN_COLUMNS;
      LAST_PLAN = plan;
      return plan;
    }
  }
  // dW = xᵀ·dout with x mostly zeros: scatter each sample's nonzero pixels into C's rows (a
  // strided xᵀ only lets the tiles skip steps that are zero in 4 pixels at once)
  if (mayskip && transposedA && px < SCATTER_BELOW_PERCENT && bFinite<T>(B, N, K)) {
    const n = planThreads(M, N, K, threads);
    plan = n > 1 && n <= LIST_SLOTS ? PLAN_SCATTER | PLAN_THREADS : PLAN_SCATTER;
  } else {
    // dense inputs (sampledDense): the plain tiles, nothing skipped. Otherwise rows that go one
    // by one read B unpacked: judge by the first row, as runPlan judges each block
    const dense = sak == 1 && M >= 2 * SPARSE_MIN_ROWS && sampledDense<T>(A, M, K, <usize>sai * sizeof<T>());
    const rowsSparse = !dense && stepListsFit(K) && sak == 1 && M >= SPARSE_MIN_ROWS && rowGoesAlone(countNonzeros<T>(A, K), K);
    const bytes = packedBytes<T>(N, K);
    if (packArea() != 0 && !rowsSparse && M >= PACK_MIN_ROWS && bytes >= PACK_MIN_BYTES && bytes <= packBytes) plan |= PLAN_PACKED;
    if (mayskip && !dense && stepListsFit(K) && bFinite<T>(B, N, K)) plan |= rowsSparse ? PLAN_SKIP_STEPS | PLAN_SPARSE_ROWS : PLAN_SKIP_STEPS;
    if (planThreads(M, N, K, threads) > 1) plan |= PLAN_THREADS;
  }
  LAST_PLAN = plan;
  return plan;
}

/**
 * Are the steps of A [M×K] (row-major, M ≥ 8, rows `rowA` bytes apart) busy in at least
 * DENSE_BUSY_PERCENT of two sample blocks (the first 4 rows and 4 from the middle)?
 */
function sampledDense<T>(A: usize, M: i32, K: i32, rowA: usize): bool {
  const S = BYTES<T>();
  const mid = sampledBlock(M);
  const busy = busySteps<T>(A, K, rowA, S) + busySteps<T>(A + <usize>mid * rowA, K, rowA, S);
  return <i64>busy * 100 >= <i64>DENSE_BUSY_PERCENT * 2 * <i64>K;
}

/** First row of A's middle sample block (the other: rows [0, 4)); x·W1's plan reads no other row of x. */
export function sampledBlock(M: i32): i32 {
  return (M >> 1) & ~3;
}

/** Leaving out zeros of A is exact only when every B [K×N] value is finite (0·Inf would be NaN). */
// @ts-ignore: decorator
@inline function bFinite<T>(B: usize, N: i32, K: i32): bool {
  return firstNonFinite<T>(B, N * K) < 0;
}

/** No NaN or Infinity among the K rows of M values at A (rows `ld` elements apart). */
function allFinite<T>(A: usize, M: i32, K: i32, ld: i32): bool {
  if (ld == M) return firstNonFinite<T>(A, M * K) < 0;
  for (let k = 0; k < K; k++) if (firstNonFinite<T>(A + <usize>k * <usize>ld * sizeof<T>(), M) >= 0) return false;
  return true;
}

/**
 * The plan of x·B (+ bias, ReLU) for image rows x not gathered yet (an accuracy pass converts
 * each chunk of rows right before its product, on whichever thread takes it): rows are tried
 * one at a time as runPlan does per block, B is packed for the blocks that stay on the tiles,
 * and steps are skipped only when B is finite. One thread per chunk: no THREADS bit.
 */
export function planImageRows<T>(B: usize, K: i32, N: i32, relu: bool): i32 {
  let plan = relu ? PLAN_RELU : 0;
  const bytes = packedBytes<T>(N, K);
  if (packArea() != 0 && bytes >= PACK_MIN_BYTES && bytes <= packAreaBytes()) plan |= PLAN_PACKED;
  if (listArea() != 0 && stepListsFit(K) && firstNonFinite<T>(B, N * K) < 0) plan |= PLAN_SKIP_STEPS | PLAN_SPARSE_ROWS;
  LAST_PLAN = plan;
  return plan;
}

/**
 * Rows [i0, i1) of C = A·B (+ bias) the way `plan` says (threads call it on disjoint ranges;
 * B already packed if the plan packs). Block by block: while the plan takes sparse rows, a
 * block whose first row is mostly zero goes row by row; after one dense block the rest of the
 * range stays on the tiles (dense inputs would otherwise pay for a wasted listing per block).
 * A tiled block lists its busy steps when the plan skips and enough of them are idle.
 */
export function runPlan<T>(
  plan: i32, C: usize, A: usize, B: usize, bias: usize, N: i32, K: i32, sai: i32, sak: i32, i0: i32, i1: i32,
): void {
  const S = BYTES<T>();
  const relu = (plan & PLAN_RELU) != 0;
  const rowA = <usize>sai * S;
  const stepA = <usize>sak * S;
  const Bp = (plan & PLAN_PACKED) != 0 ? packArea() : 0;
  const lists = (plan & PLAN_SKIP_STEPS) != 0 ? stepLists(K) : 0; // 0 for a thread without a slot
  const stepB = Bp != 0 ? <usize>(2 * LANES<T>()) * S : <usize>N * S; // B offsets of the listed steps
  let tryRows = lists != 0 && (plan & PLAN_SPARSE_ROWS) != 0;
  // the narrow columns two blocks at a time from a packed panel (narrow-panel.ts), when A
  // is row-major and the product lists nothing, so this thread's list slot is free to hold it
  const panel = lists == 0 && stepA == S && rowA != S && narrowInPanels<T>(N, K) ? panelSlot() : 0;
  let waiting = -1; // a block whose narrow columns wait for the next block's
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const a0 = A + <usize>i * rowA;
    if (tryRows) {
      const n0 = listRow<T>(A, i, N, K, rowA, stepA, lists); // kept for the row when it goes alone
      if (rowGoesAlone(n0, K)) {
        rowFromList<T>(C, B, bias, i, N, K, relu, lists, n0);
        for (let r = 1; r < 4; r++) sparseRow<T>(C, A, B, bias, i + r, N, K, rowA, stepA, relu, lists);
        continue;
      }
      tryRows = false;
    }
    let steps = K;
    if (lists != 0 && stepsWorthListing(busySteps<T>(a0, K, rowA, stepA), K)) steps = listBusySteps<T>(lists, a0, K, rowA, stepA, stepB);
    if (steps < K) wideTilesListed<T>(a0, rowA, lists, lists + (<usize>K << 2), steps, B, Bp, K, N, C, bias, i, relu);
    else wideTiles<T>(a0, rowA, stepA, K, B, Bp, N, C, bias, i, relu);
    if (panel == 0) narrowTiles<T>(C, a0, B, bias, i, N, K, rowA, stepA, relu);
    else if (waiting < 0) waiting = i;
    else {
      narrowTiles8<T>(C, A + <usize>waiting * rowA, rowA, B, bias, waiting, N, K, relu, panel, panelSlotSteps<T>());
      waiting = -1;
    }
  }
  if (waiting >= 0) narrowTiles<T>(C, A + <usize>waiting * rowA, B, bias, waiting, N, K, rowA, stepA, relu);
  for (; i < i1; i++) tileRow<T>(C, A + <usize>i * rowA, B, bias, i, N, K, stepA, relu);
}

/**
 * Do the narrow columns of a product go through packed panels (narrow-panel.ts)? When
 * there are some, and one packing serves them all: all K steps fit a panel slot, or the columns
 * are one pass (f32: 1–2, f64: 1). Otherwise every pass would pack again (measured slower).
 */
// @ts-ignore: decorator
@inline function narrowInPanels<T>(N: i32, K: i32): bool {
  const rest = N % (2 * LANES<T>());
  const onePass = sizeof<T>() == 4 ? rest <= 2 : rest <= 1;
  return rest > 0 && (onePass || K <= panelSlotSteps<T>());
}

/**
 * Rows [i0, i1) of C = A·B (+ bias, ReLU) each alone over its nonzero steps (sparse/rows.ts),
 * for rows a caller already found sparse (goesAlone). Only when the plan skips steps (B is
 * finite) and this thread has a list slot; otherwise the range goes the way runPlan says.
 */
export function runRowsAlone<T>(
  plan: i32, C: usize, A: usize, B: usize, bias: usize, N: i32, K: i32, i0: i32, i1: i32,
): void {
  const lists = (plan & PLAN_SKIP_STEPS) != 0 ? stepLists(K) : 0;
  if (lists == 0) {
    runPlan<T>(plan, C, A, B, bias, N, K, K, 1, i0, i1);
    return;
  }
  const S = <usize>BYTES<T>();
  const relu = (plan & PLAN_RELU) != 0;
  for (let i = i0; i < i1; i++) sparseRow<T>(C, A, B, bias, i, N, K, <usize>K * S, S, relu, lists);
}
