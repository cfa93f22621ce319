// The book's TwoLayerNet step (Affine → Relu|Sigmoid → Affine → SoftmaxWithLoss, forward and
// backward) as ONE call, so a training step crosses the JS/wasm boundary once instead of ~15
// times. It calls exactly the kernels the layer classes call, with the same arguments, so it
// produces the same bits as the layer path (test/unit/assembly/gemm/threads.test.ts checks that); the only fusion
// is the ReLU applied in the first GEMM's epilogue, which is the same formula reluForward
// applies afterwards.
//
// On several threads the step is two jobs instead of one per product:
//   forward — everything that is row by row: h = act(x·W1 + b1), scores = h·W2 + b2, softmax,
//            dA2, dH = dA2·W2ᵀ, the activation's backward. A dense batch (x·W1 skips nothing)
//            goes as *stages* over x·W1's steps, one per thread (twolayer-stages.ts: each
//            thread packs and reads only its own rows of W1, the last stage runs the rest of
//            each 4-row block and plans dW1); a sparse one (MNIST digits, whose rows skip
//            their zeros) as *rows*: chunks of whole 4-row tiles.
//   params — everything that sums over the batch: dW1 = xᵀ·dH in ranges of its rows (by the
//            ReLU's zeros in dH, or x's, or the tiles: plan.ts), and one
//            chunk for dW2 = hᵀ·dA2, db2, db1 and the loss (each sum whole, in row order)
// so the serial stretches in which a worker can only wait shrink to the plans. Every value
// is computed by the same recipe as on one thread, only the rows (or the steps) are shared out.
//
// The trainer may hand over the minibatch ungathered (`src` ≠ 0: x's rows are rows `idx` of a
// uint8 dataset): then each rows chunk gathers its own rows first (each stage its own columns),
// so a worker converts the values it multiplies (they stay in its cache, instead of crossing
// from the main thread's) and the gather, ~30 µs of cache misses, is shared out too. The plan
// only reads two sample blocks of x (plan.ts sampledBlock), which are gathered before it.
import { PLAN_PACKED, PLAN_SCATTER, PLAN_THREADS, PLAN_COLUMNS } from "./gemm/plan-codes.generated";
import { planGemmAB, planThreads, runPlan, productChunkRows, scatterChunkRows, columnsChunkRows, sampledBlock } from "./gemm/plan";
import { packPanels } from "./gemm/pack";
import { gatherRowColumns } from "./gather";
import { packArea, packAreaBytes, scatterList, scatterRows } from "./gemm/scratch";
import { gemmABRows } from "./gemm/tiles";
import { gemmABtRows } from "./gemm/abt";
import { gemmAtBScatter } from "./gemm/sparse/scatter";
import { listColumns, gemmAtBColumns } from "./gemm/sparse/columns";
import { threadCount, beginJob, setArg, setArgF64, arg, argI32, argF64, runJob, wakeWorkers } from "./gemm/threads";
import { jobKind, JOB_TWOLAYER_ROWS, JOB_TWOLAYER_PARAMS, JOB_TWOLAYER_STAGES } from "./jobs";
import { forwardStages, resetStageCounters, stageListsAt, STAGE_LISTS_ARG, STAGE_COUNT_ARG, STAGE_PLAN_ARG } from "./twolayer-stages";
import { reluBackwardRange, sigmoidForward, sigmoidBackward, columnSum } from "./elementwise";
import { softmaxRows, crossEntropyOneHot, crossEntropyLabels, softmaxLossBackwardRows } from "./softmax";
import { BYTES } from "./lanes";

/**
 * Gradients of the mean cross-entropy into dW1/db1/dW2/db2 (overwritten); returns the loss.
 * Scratch: h [N×H] hidden activations, y [N×C] softmax output, dA2 [N×C], dH [N×H].
 * `t` is int32 labels [N] or one-hot rows [N×C] (`oneHot`), range-checked by the caller.
 * `src` ≠ 0: x is still to be gathered, x[b] = f(src[idx[b]]) over uint8 rows of D values
 * (÷255 when `normalize`; idx range-checked by the caller); 0: x holds the batch.
 */
export function twoLayerGradient<T>(
  dW1: usize, db1: usize, dW2: usize, db2: usize, // outputs: [D×H] [H] [H×C] [C]
  W1: usize, b1: usize, W2: usize, b2: usize, // params:  [D×H] [H] [H×C] [C]
  x: usize, t: usize, oneHot: bool, // x [N×D], t labels [N] or one-hot [N×C]
  h: usize, y: usize, dA2: usize, dH: usize, // scratch
  N: i32, D: i32, H: i32, C: i32, sigmoid: bool,
  src: usize, idx: usize, normalize: bool,
): f64 {
  const threads = threadCount();
  const parallel = planThreads(N, H, D, threads) > 1;
  const mid = sampledBlock(N); // the rows the plan reads: [0, 4) and [mid, mid + 4)
  // a worker asleep since the last step's update takes tens of microseconds to wake: wake it now,
  // so that it is up by the time the forward's job comes (the gather and the plan come first)
  if (parallel) wakeWorkers();
  if (src != 0 && !parallel) {
    gatherBatchRows<T>(x, src, idx, D, normalize, 0, N); // one thread: all at once (gather.ts: the misses overlap)
  } else if (src != 0) {
    gatherBatchRows<T>(x, src, idx, D, normalize, 0, 4 < N ? 4 : N);
    if (mid >= 4) gatherBatchRows<T>(x, src, idx, D, normalize, mid, mid + 4 < N ? mid + 4 : N);
  }
  // forward and the row-by-row part of the backward
  const planA = planGemmAB<T>(x, W1, b1, N, H, D, D, 1, !sigmoid, threads);
  const stages = forwardStages<T>(planA, N, H, D, parallel ? threads : 1);
  // where dH's column lists are made while the stages run (the ReLU's zeros: not for the sigmoid)
  const stageLists = stages > 1 && !sigmoid ? stageListsAt<T>(H, D, stages, N) : 0;
  // cut by steps, each stage packs its own rows of W1; cut by rows, they share one packing
  if (stages == 0 && (planA & PLAN_PACKED) != 0) packPanels<T>(packArea(), W1, H, D);
  if (stages > 1) { // cut over x·W1's steps (twolayer-stages.ts)
    resetStageCounters<T>(H, D, stages, N);
    beginJob(jobKind<T>(JOB_TWOLAYER_STAGES));
    setRowsArgs(W1, b1, W2, b2, x, t, oneHot, h, y, dA2, dH, N, D, H, C, sigmoid, planA, 0, src, idx, normalize);
    setArg(STAGE_LISTS_ARG, stageLists);
    setArg(STAGE_COUNT_ARG, stages);
    setArg(STAGE_PLAN_ARG, packAreaBytes());
    runJob(stages);
  } else if (parallel) {
    const rows = productChunkRows(N, H, D, planA);
    beginJob(jobKind<T>(JOB_TWOLAYER_ROWS));
    setRowsArgs(W1, b1, W2, b2, x, t, oneHot, h, y, dA2, dH, N, D, H, C, sigmoid, planA, rows, src, idx, normalize);
    runJob((N + rows - 1) / rows);
  } else {
    twoLayerRows<T>(planA, W1, b1, W2, b2, x, t, oneHot, h, y, dA2, dH, N, D, H, C, sigmoid, 0, N);
  }
  // the sums over the batch: dW1 = xᵀ·dH (x read transposed through strides), dW2, db2, db1, loss
  // (x is finite: the TypeScript side checked it, or built it from bytes)
  const planB = stages > 1 ? argI32(STAGE_PLAN_ARG) : planGemmAB<T>(x, dH, 0, D, H, N, 1, D, false, threads, true);
  const scatter = (planB & PLAN_SCATTER) != 0, columns = (planB & PLAN_COLUMNS) != 0;
  const lists = stageLists != 0 ? stageLists : packArea();
  if (columns && stageLists == 0) listColumns<T>(lists, dH, H, N, D);
  else if (!scatter && (planB & PLAN_PACKED) != 0) packPanels<T>(packArea(), dH, H, N);
  if (parallel && (planB & PLAN_THREADS) != 0) {
    const rows = columns ? columnsChunkRows(D, H, N) : scatter ? scatterChunkRows(D, threads) : productChunkRows(D, H, N);
    beginJob(jobKind<T>(JOB_TWOLAYER_PARAMS));
    setArg(0, dW1); setArg(1, db1); setArg(2, dW2); setArg(3, db2); setArg(4, x); setArg(5, t); setArg(6, oneHot ? 1 : 0);
    setArg(7, h); setArg(8, y); setArg(9, dA2); setArg(10, dH); setArg(11, N); setArg(12, D); setArg(13, H); setArg(14, C);
    setArg(16, planB); setArg(17, rows); setArg(19, lists);
    // chunk 0: the small sums; then dW1's row ranges. The workers spin on into the update, which
    // ends the step (optimizers.ts publishes it idleAfter) and finds dW1's rows where they were made
    runJob(1 + (D + rows - 1) / rows);
    return argF64(18);
  }
  if (columns) gemmAtBColumns<T>(dW1, x, lists, H, N, 0, D);
  else if (scatter) gemmAtBScatter<T>(dW1, x, dH, H, N, D, 0, D, scatterList(), scatterRows<T>());
  else runPlan<T>(planB, dW1, x, dH, 0, H, N, 1, D, 0, D);
  return batchSums<T>(db1, dW2, db2, t, oneHot, h, y, dA2, dH, N, H, C);
}

/** The arguments of the rows job (and of the stages job, which adds the number of stages). */
function setRowsArgs(
  W1: usize, b1: usize, W2: usize, b2: usize, x: usize, t: usize, oneHot: bool, h: usize, y: usize, dA2: usize, dH: usize,
  N: i32, D: i32, H: i32, C: i32, sigmoid: bool, planA: i32, rows: i32, src: usize, idx: usize, normalize: bool,
): void {
  setArg(0, W1); setArg(1, b1); setArg(2, W2); setArg(3, b2); setArg(4, x); setArg(5, t); setArg(6, oneHot ? 1 : 0);
  setArg(7, h); setArg(8, y); setArg(9, dA2); setArg(10, dH); setArg(11, N); setArg(12, D); setArg(13, H); setArg(14, C);
  setArg(15, sigmoid ? 1 : 0); setArg(16, planA); setArg(17, rows); setArg(18, src); setArg(19, idx); setArg(20, normalize ? 1 : 0);
}

/** Rows [i0, i1) of the forward pass and of the backward pass down to dH. */
function twoLayerRows<T>(
  planA: i32, W1: usize, b1: usize, W2: usize, b2: usize, x: usize, t: usize, oneHot: bool,
  h: usize, y: usize, dA2: usize, dH: usize, N: i32, D: i32, H: i32, C: i32, sigmoid: bool, i0: i32, i1: i32,
): void {
  // forward: h = act(x·W1 + b1) (ReLU fused into the GEMM)
  runPlan<T>(planA, h, x, W1, b1, H, D, D, 1, i0, i1);
  rowsAfterHidden<T>(W2, b2, t, oneHot, h, y, dA2, dH, N, H, C, sigmoid, i0, i1);
}

/**
 * Rows [i0, i1) of the step from x·W1 + b1 in h (ReLU applied, or the sigmoid still to apply)
 * on: scores = h·W2 + b2 (into y), SoftmaxWithLoss forward and backward, dH down to the first
 * layer's output.
 */
export function rowsAfterHidden<T>(
  W2: usize, b2: usize, t: usize, oneHot: bool, h: usize, y: usize, dA2: usize, dH: usize,
  N: i32, H: i32, C: i32, sigmoid: bool, i0: i32, i1: i32,
): void {
  const S = BYTES<T>();
  const rows = i1 - i0;
  const hRows = h + <usize>i0 * <usize>H * S, dHRows = dH + <usize>i0 * <usize>H * S, yRows = y + <usize>i0 * <usize>C * S;
  if (sigmoid) sigmoidForward<T>(hRows, hRows, rows * H);
  gemmABRows<T>(y, h, W2, b2, C, H, H, 1, i0, i1);
  // SoftmaxWithLoss forward (softmaxRows reads each score before overwriting it) and backward
  softmaxRows<T>(yRows, yRows, rows, C);
  softmaxLossBackwardRows<T>(dA2, y, t, oneHot, i0, i1, C, N);
  // dH = dA2·W2ᵀ, then the activation's backward, in place
  gemmABtRows<T>(dH, dA2, W2, H, C, i0, i1);
  if (sigmoid) sigmoidBackward<T>(dHRows, dHRows, hRows, rows * H);
  else reluBackwardRange<T>(dHRows, dHRows, hRows, rows * H); // (inside a chunk: never the job-publishing wrapper)
}

/** dW2 = hᵀ·dA2, db2 = Σ dA2, db1 = Σ dH (in row order), and the loss of the softmax output y. */
function batchSums<T>(
  db1: usize, dW2: usize, db2: usize, t: usize, oneHot: bool, h: usize, y: usize, dA2: usize, dH: usize, N: i32, H: i32, C: i32,
): f64 {
  gemmABRows<T>(dW2, h, dA2, 0, C, N, 1, H, 0, H);
  columnSum<T>(db2, dA2, N, C);
  columnSum<T>(db1, dH, N, H);
  return oneHot ? crossEntropyOneHot<T>(y, t, N, C) : crossEntropyLabels<T>(y, t, N, C);
}

/** Rows [i0, i1) of x gathered: x[b] = f(src[idx[b]]) (columns [c0, c1) only, when given). */
// @ts-ignore: decorator
@inline function gatherBatchRows<T>(
  x: usize, src: usize, idx: usize, D: i32, normalize: bool, i0: i32, i1: i32, c0: i32 = 0, c1: i32 = D,
): void {
  if (i1 > i0) gatherRowColumns<T>(x + <usize>i0 * <usize>D * BYTES<T>(), src, idx + (<usize>i0 << 2), i1 - i0, D, normalize, c0, c1);
}

/**
 * Rows [i0, i1) of x gathered (columns [c0, c1)), except the sample blocks gathered before the
 * plan ([0, 4) and [mid, mid + 4)).
 */
export function gatherUnsampled<T>(
  x: usize, src: usize, idx: usize, D: i32, normalize: bool, mid: i32, i0: i32, i1: i32, c0: i32 = 0, c1: i32 = D,
): void {
  const a = i0 > 4 ? i0 : 4; // [0, 4) done
  const m0 = mid >= 4 ? mid : a, m1 = mid >= 4 ? mid + 4 : a; // [mid, mid + 4) done
  gatherBatchRows<T>(x, src, idx, D, normalize, a, i1 < m0 ? i1 : m0, c0, c1);
  gatherBatchRows<T>(x, src, idx, D, normalize, a > m1 ? a : m1, i1, c0, c1);
}

export function twoLayerRowsChunk<T>(chunk: i32): void {
  const N = argI32(11), rows = argI32(17);
  const i0 = chunk * rows, i1 = i0 + rows < N ? i0 + rows : N;
  const src = arg(18);
  if (src != 0) gatherUnsampled<T>(arg(4), src, arg(19), argI32(12), argI32(20) != 0, sampledBlock(N), i0, i1);
  twoLayerRows<T>(argI32(16), arg(0), arg(1), arg(2), arg(3), arg(4), arg(5), argI32(6) != 0, arg(7), arg(8), arg(9), arg(10),
    N, argI32(12), argI32(13), argI32(14), argI32(15) != 0, i0, i1);
}

export function twoLayerParamsChunk<T>(chunk: i32): void {
  const N = argI32(11), D = argI32(12), H = argI32(13), C = argI32(14);
  if (chunk == 0) {
    setArgF64(18, batchSums<T>(arg(1), arg(2), arg(3), arg(5), argI32(6) != 0, arg(7), arg(8), arg(9), arg(10), N, H, C));
    return;
  }
  const plan = argI32(16), rows = argI32(17);
  const i0 = (chunk - 1) * rows, i1 = i0 + rows < D ? i0 + rows : D;
  if ((plan & PLAN_COLUMNS) != 0) gemmAtBColumns<T>(arg(0), arg(4), arg(19), H, N, i0, i1);
  else if ((plan & PLAN_SCATTER) != 0) gemmAtBScatter<T>(arg(0), arg(4), arg(10), H, N, D, i0, i1, scatterList(), scatterRows<T>());
  else runPlan<T>(plan, arg(0), arg(4), arg(10), 0, H, N, 1, D, i0, i1);
}
