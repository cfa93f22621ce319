// Elementwise kernels (ReLU) and per-plane kernels (max pooling) over the threads: the work is
// cut into ranges of elements (multiples of 16, so every range starts on a vector boundary and
// the vector and scalar parts compute exactly what one call over everything would) or of planes
// (image × channel), each range running the single-threaded kernel on shifted pointers. Every
// element depends on its own inputs only: the same bits on any number of threads.
import { BYTES } from "./lanes";
import { outSize } from "./im2col";
import { reluForwardRange, reluBackwardRange } from "./elementwise";
import { maxPoolForwardPlanes, maxPool2x2ForwardPlanes, maxPoolBackwardPlanes, maxPool2x2BackwardPlanes } from "./pooling";
import { threadCount, beginJob, setArg, arg, argI32, runJob, SMALL_JOB_WORK } from "./gemm/threads";
import { jobKind, JOB_ELEMENTWISE, JOB_PLANES } from "./jobs";

export const ELEMENTWISE_RELU_FORWARD = 0;
export const ELEMENTWISE_RELU_BACKWARD = 1;
export const POOL_FORWARD = 0;
export const POOL_2X2_FORWARD = 1;
export const POOL_BACKWARD = 2;
export const POOL_2X2_BACKWARD = 3;

/** Elements below which an elementwise kernel stays on one thread. */
const ELEMENTWISE_PARALLEL_MIN = 65536;
/** Elements per chunk (a multiple of 16). */
const ELEMENTWISE_CHUNK = 16384;

export function runElementwise<T>(which: i32, out: usize, a: usize, b: usize, n: i32): void {
  if (threadCount() <= 1 || n < ELEMENTWISE_PARALLEL_MIN) {
    elementwiseRange<T>(which, out, a, b, 0, n);
    return;
  }
  beginJob(jobKind<T>(JOB_ELEMENTWISE));
  setArg(0, which); setArg(1, out); setArg(2, a); setArg(3, b); setArg(4, n);
  runJob((n + ELEMENTWISE_CHUNK - 1) / ELEMENTWISE_CHUNK, <i64>n < SMALL_JOB_WORK);
}

export function elementwiseChunk<T>(chunk: i32): void {
  const n = argI32(4);
  const i0 = chunk * ELEMENTWISE_CHUNK, i1 = i0 + ELEMENTWISE_CHUNK < n ? i0 + ELEMENTWISE_CHUNK : n;
  elementwiseRange<T>(argI32(0), arg(1), arg(2), arg(3), i0, i1);
}

function elementwiseRange<T>(which: i32, out: usize, a: usize, b: usize, i0: i32, i1: i32): void {
  const o = <usize>i0 * BYTES<T>();
  if (which == ELEMENTWISE_RELU_FORWARD) reluForwardRange<T>(out + o, a + o, i1 - i0);
  else reluBackwardRange<T>(out + o, a + o, b + o, i1 - i0);
}

/** Planes below which a pooling kernel stays on one thread, and planes per chunk. */
const PLANES_PARALLEL_MIN = 64;
const PLANES_CHUNK = 16;

/** A pooling kernel over `planes` planes of H×W: p0…p3 are its arrays, in its order (p3: backward's maxima, or 0). */
export function runPlanes<T>(which: i32, p0: usize, p1: usize, p2: usize, p3: usize, planes: i32, H: i32, W: i32, PH: i32, PW: i32, stride: i32, pad: i32): void {
  if (threadCount() <= 1 || planes < PLANES_PARALLEL_MIN) {
    planesRange<T>(which, p0, p1, p2, p3, 0, planes, H, W, PH, PW, stride, pad);
    return;
  }
  beginJob(jobKind<T>(JOB_PLANES));
  setArg(0, which); setArg(1, p0); setArg(2, p1); setArg(3, p2); setArg(4, planes); setArg(5, H); setArg(6, W);
  setArg(7, PH); setArg(8, PW); setArg(9, stride); setArg(10, pad); setArg(11, p3);
  runJob((planes + PLANES_CHUNK - 1) / PLANES_CHUNK, <i64>planes * <i64>H * <i64>W < SMALL_JOB_WORK);
}

export function planesChunk<T>(chunk: i32): void {
  const planes = argI32(4);
  const q0 = chunk * PLANES_CHUNK, q1 = q0 + PLANES_CHUNK < planes ? q0 + PLANES_CHUNK : planes;
  planesRange<T>(argI32(0), arg(1), arg(2), arg(3), arg(11), q0, q1, argI32(5), argI32(6), argI32(7), argI32(8), argI32(9), argI32(10));
}

/** Planes [q0, q1): the kernel on shifted pointers (as one image of q1 − q0 channels). */
function planesRange<T>(which: i32, p0: usize, p1: usize, p2: usize, p3: usize, q0: i32, q1: i32, H: i32, W: i32, PH: i32, PW: i32, stride: i32, pad: i32): void {
  const S = BYTES<T>();
  const inPlane = <usize>H * <usize>W;
  const outPlane = <usize>outSize(H, PH, stride, pad) * <usize>outSize(W, PW, stride, pad);
  const n = q1 - q0, q = <usize>q0;
  const maxima = p3 != 0 ? p3 + q * outPlane * S : 0;
  switch (which) {
    case POOL_FORWARD: // out, argMax, x
      maxPoolForwardPlanes<T>(p0 + q * outPlane * S, p1 + ((q * outPlane) << 2), p2 + q * inPlane * S, 1, n, H, W, PH, PW, stride, pad); break;
    case POOL_2X2_FORWARD:
      maxPool2x2ForwardPlanes<T>(p0 + q * outPlane * S, p1 + ((q * outPlane) << 2), p2 + q * inPlane * S, 1, n, H, W); break;
    case POOL_BACKWARD: // dx, dout, argMax, maxima
      maxPoolBackwardPlanes<T>(p0 + q * inPlane * S, p1 + q * outPlane * S, p2 + ((q * outPlane) << 2), maxima, 1, n, H, W, PH, PW, stride, pad); break;
    case POOL_2X2_BACKWARD:
      maxPool2x2BackwardPlanes<T>(p0 + q * inPlane * S, p1 + q * outPlane * S, p2 + ((q * outPlane) << 2), maxima, 1, n, H, W); break;
    default: unreachable();
  }
}
