// What a chunk of each kind of parallel job does. A kernel that goes parallel writes its job
// (gemm/threads.ts: beginJob, setArg…, runJob) with one of the kinds below; every thread that
// claims a chunk lands here. A chunk reads the job's arguments and does one fixed piece of the
// work — which piece depends only on the chunk's index — so results never depend on who ran it.
// The element type travels in the kind's low bit.
import { gemmABChunk, gemmABtChunk, scatterChunk, columnsChunk } from "./gemm/gemm";
import { gatherChunk } from "./data";
import { twoLayerRowsChunk, twoLayerParamsChunk } from "./twolayer";
import { twoLayerStageChunk } from "./twolayer-stages";
import { twoLayerAccuracyChunk } from "./twolayer-eval";
import { convForwardChunk, convBackwardParamsChunk } from "./conv";
import { convBackwardChunk } from "./conv-backward";
import { updateChunk } from "./optimizers";
import { elementwiseChunk, planesChunk } from "./per-range";

export const JOB_GEMM_AB = 1;
export const JOB_GEMM_ABT = 2;
export const JOB_SCATTER = 3;
export const JOB_GATHER = 4;
export const JOB_TWOLAYER_ROWS = 5;
export const JOB_TWOLAYER_PARAMS = 6;
export const JOB_TWOLAYER_ACCURACY = 7;
export const JOB_CONV_FORWARD = 8;
export const JOB_CONV_BACKWARD_PARAMS = 9;
export const JOB_CONV_BACKWARD = 10;
export const JOB_UPDATE = 11;
export const JOB_COLUMNS = 12;
export const JOB_ELEMENTWISE = 13;
export const JOB_PLANES = 14;
export const JOB_TWOLAYER_STAGES = 15;

/** The kind word of job `job` over elements of type T. */
// @ts-ignore: decorator
@inline export function jobKind<T>(job: i32): i32 {
  return (job << 1) | (sizeof<T>() == 8 ? 1 : 0);
}

/** Run chunk `chunk` of the current job (`slot`: 0 on the main thread, i on worker i). */
export function runChunk(kind: i32, chunk: i32, slot: i32): void {
  if ((kind & 1) != 0) runChunkOf<f64>(kind >> 1, chunk, slot);
  else runChunkOf<f32>(kind >> 1, chunk, slot);
}

function runChunkOf<T>(job: i32, chunk: i32, slot: i32): void {
  switch (job) {
    case JOB_GEMM_AB: gemmABChunk<T>(chunk); break;
    case JOB_GEMM_ABT: gemmABtChunk<T>(chunk); break;
    case JOB_SCATTER: scatterChunk<T>(chunk); break;
    case JOB_GATHER: gatherChunk<T>(chunk); break;
    case JOB_TWOLAYER_ROWS: twoLayerRowsChunk<T>(chunk); break;
    case JOB_TWOLAYER_PARAMS: twoLayerParamsChunk<T>(chunk); break;
    case JOB_TWOLAYER_ACCURACY: twoLayerAccuracyChunk<T>(chunk, slot); break;
    case JOB_CONV_FORWARD: convForwardChunk<T>(chunk); break;
    case JOB_CONV_BACKWARD_PARAMS: convBackwardParamsChunk<T>(chunk); break;
    case JOB_CONV_BACKWARD: convBackwardChunk<T>(chunk, slot); break;
    case JOB_UPDATE: updateChunk<T>(chunk); break;
    case JOB_COLUMNS: columnsChunk<T>(chunk); break;
    case JOB_ELEMENTWISE: elementwiseChunk<T>(chunk); break;
    case JOB_PLANES: planesChunk<T>(chunk); break;
    case JOB_TWOLAYER_STAGES: twoLayerStageChunk<T>(chunk); break;
    default: unreachable();
  }
}
