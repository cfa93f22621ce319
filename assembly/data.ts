// Minibatches: the sampled rows of a uint8 dataset as floats (gather.ts; split over the threads
// when the batch is big), their labels, one-hot rows.
import { BYTES } from "./lanes";
import { gatherRows } from "./gather";
import { planThreads } from "./gemm/plan";
import { threadCount, runGatherJob } from "./gemm/threads";

/** out[b, :] = f(src[idx[b], :]) with f(v) = v/255 when normalize, else v; rows split over the threads when there are many. */
export function gatherRowsU8<T>(
  out: usize, // [batch×rowLen] float
  src: usize, // [rows×rowLen] uint8
  idx: usize, // [batch] int32 row indices (range-checked by the caller)
  batch: i32, rowLen: i32, normalize: bool,
): void {
  if (planThreads(batch, rowLen, 1, threadCount()) > 1) runGatherJob<T>(out, src, idx, batch, rowLen, normalize);
  else gatherRows<T>(out, src, idx, batch, rowLen, normalize);
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
