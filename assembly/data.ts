// Minibatches: the sampled rows of a uint8 dataset as floats (gather.ts; split over the threads
// when the batch is big), their labels, one-hot rows.
import { BYTES } from "./lanes";
import { gatherRows } from "./gather";
import { planThreads } from "./gemm/plan";
import { threadCount, beginJob, setArg, arg, argI32, runJob, chunkUnits, SMALL_JOB_WORK } from "./gemm/threads";
import { jobKind, JOB_GATHER } from "./jobs";

/** out[b, :] = f(src[idx[b], :]) with f(v) = v/255 when normalize, else v; rows split over the threads when there are many. */
export function gatherRowsU8<T>(
  out: usize, // [batch×rowLen] float
  src: usize, // [rows×rowLen] uint8
  idx: usize, // [batch] int32 row indices (range-checked by the caller)
  batch: i32, rowLen: i32, normalize: bool,
): void {
  if (planThreads(batch, rowLen, 1, threadCount()) > 1) {
    const rows = chunkUnits(batch, GATHER_CHUNK_BYTES / rowLen, 4);
    beginJob(jobKind<T>(JOB_GATHER));
    setArg(0, out); setArg(1, src); setArg(2, idx); setArg(3, batch); setArg(4, rowLen); setArg(5, normalize ? 1 : 0); setArg(6, rows);
    runJob((batch + rows - 1) / rows, <i64>batch * <i64>rowLen < SMALL_JOB_WORK);
  } else {
    gatherRows<T>(out, src, idx, batch, rowLen, normalize);
  }
}

/** Source bytes a thread converts per chunk of a parallel gather (~ a few microseconds). */
const GATHER_CHUNK_BYTES = 16 << 10;

export function gatherChunk<T>(chunk: i32): void {
  const batch = argI32(3), rowLen = argI32(4), rows = argI32(6);
  const b0 = chunk * rows, b1 = b0 + rows < batch ? b0 + rows : batch;
  gatherRows<T>(arg(0) + <usize>b0 * <usize>rowLen * sizeof<T>(), arg(1), arg(2) + (<usize>b0 << 2), b1 - b0, rowLen, argI32(5) != 0);
}

/** out[b] = labels[idx[b]] widened to int32. */
export function gatherLabelsU8(out: usize, labels: usize, idx: usize, batch: i32): void {
  for (let b = 0; b < batch; b++) {
    store<i32>(out + (<usize>b << 2), <i32>load<u8>(labels + <usize>load<i32>(idx + (<usize>b << 2))));
  }
}

/** out[n, :] = one-hot(labels[n]) over C classes. */
export function oneHotRows<T>(out: usize, labels: usize, N: i32, C: i32): void {
  const S = BYTES<T>();
  memory.fill(out, 0, <usize>N * <usize>C * S);
  for (let n = 0; n < N; n++) {
    const k = load<i32>(labels + (<usize>n << 2));
    store<T>(out + (<usize>n * C + <usize>k) * S, <T>1);
  }
}
