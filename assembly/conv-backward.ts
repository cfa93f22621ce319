// The Convolution layer's whole backward for a batch — dW, db and dx — in one call, and on several
// threads one job (why: convLayerBackward). Its parts are conv.ts's: dW and db are
// convBackwardParams' chunks, dx per image convBackwardData's product (stored transposed, as
// transposed.ts computes it) and col2im, so the bits are theirs.
import { BYTES } from "./lanes";
import { col2im, col2imSameScratch, outSize } from "./im2col";
import { gemmTransposedOut, packPaddedPanels, paddedPanelBytes } from "./gemm/transposed";
import { packArea, packAreaBytes } from "./gemm/scratch";
import { threadCount, beginJob, setArg, arg, argI32, runJob } from "./gemm/threads";
import { jobKind, JOB_CONV_BACKWARD } from "./jobs";
import {
  BIAS_CHUNK_FILTERS, convParallel, convBackwardParams, convBackwardParamsChunk, convBackwardData, paramRanges, setParamArgs,
} from "./conv";

/**
 * The Convolution layer's backward for a batch: dW = Σ_n dout_n·col_nᵀ and db (as
 * convBackwardParams), and dx — per image, dcol_n = Wᵀ·dout_n, then col2im of it into dx_n,
 * exactly convBackwardData then col2im.
 *
 * On several threads the two are one job, because they are independent (both only read dout)
 * and their chunks differ in size: dW's column ranges are big (each sums over every image),
 * dx's images small. As two jobs, the thread that finished its last dW range first spun until
 * the other finished theirs (8.8 ms of a ~180 ms two-thread DeepConvNet iteration on a Zen 3 VM,
 * 2026-12-03). In one job the ranges sit at both ends of the chunk order and the images in the
 * middle, so the main thread (claiming from the front) and the workers (from the back) each start
 * on big chunks and end on single images, and whoever is faster takes more of them. So the ranges
 * need not be small for balance: one per thread, and each reads all of dout once instead of three
 * times (DeepConvNet 2 threads 0.96–0.98×, `bench/ab.mjs --only Deep`). Every chunk computes what
 * it did in its own job, so the bits do not change.
 */
export function convLayerBackward<T>(
  dx: usize, // [N×C×H×Wd] out
  dcol: usize, // [dcolImages×CK×P] scratch: one image's dcol at a time per thread
  dW: usize, // [FN×CK] out
  db: usize, // [FN] out
  W: usize, // [FN×CK]
  dout: usize, // [N×FN×P]
  col: usize, // [N×CK×P] the forward's patches
  N: i32, C: i32, H: i32, Wd: i32, FN: i32, FH: i32, FW: i32, stride: i32, pad: i32, dcolImages: i32,
): void {
  const P = outSize(H, FH, stride, pad) * outSize(Wd, FW, stride, pad);
  const CK = C * FH * FW;
  // W in panels of patch rows, read by every image (transposed.ts), when the scratch holds it
  const Wp = packArea() != 0 && paddedPanelBytes<T>(CK, FN) <= packAreaBytes() ? packArea() : 0;
  if (Wp != 0) packPaddedPanels<T>(Wp, W, CK, FN, CK, 1);
  // dcol_n is written and read back by the same chunk, so each thread reuses one image's room
  // in dcol (its slot's), which stays in its cache; with more threads than rooms, image n's
  // own room (dcol then holds the batch); with neither, one thread.
  const bySlot = threadCount() <= dcolImages;
  if (!convParallel(N, FN, CK, P) || (!bySlot && dcolImages < N)) {
    convBackwardParams<T>(dW, db, dout, col, N, FN, CK, P);
    for (let n = 0; n < N; n++) backwardDataImage<T>(dx, dcol, W, Wp, dout, C, H, Wd, FN, FH, FW, stride, pad, n, 0);
    return;
  }
  const tiles = CK >> 2;
  const rowChunks = paramRanges(tiles, 1);
  const biasChunks = (FN + BIAS_CHUNK_FILTERS - 1) / BIAS_CHUNK_FILTERS;
  beginJob(jobKind<T>(JOB_CONV_BACKWARD));
  setParamArgs(dW, db, dout, col, N, FN, CK, P, tiles, rowChunks, biasChunks);
  setArg(11, dx); setArg(12, dcol); setArg(13, W); setArg(14, C); setArg(15, H); setArg(16, Wd);
  setArg(17, FH); setArg(18, FW); setArg(19, stride); setArg(20, pad); setArg(21, Wp); setArg(22, bySlot ? 1 : 0);
  runJob(biasChunks + rowChunks + N);
}

/**
 * Chunk `chunk` of convLayerBackward's job: the bias chunks and the first half of dW's ranges
 * (the main thread's end), then the N images' dx, then the other half of the ranges.
 */
export function convBackwardChunk<T>(chunk: i32, slot: i32): void {
  const N = argI32(4), rowChunks = argI32(9), biasChunks = argI32(10);
  const front = biasChunks + (rowChunks >> 1);
  if (chunk < front) convBackwardParamsChunk<T>(chunk);
  else if (chunk >= front + N) convBackwardParamsChunk<T>(chunk - N);
  else {
    const n = chunk - front;
    backwardDataImage<T>(arg(11), arg(12), arg(13), arg(21), arg(2), argI32(14), argI32(15), argI32(16), argI32(5), argI32(17), argI32(18), argI32(19), argI32(20), n, argI32(22) != 0 ? slot : n);
  }
}

/**
 * Image n, its dcol_n in room `room` of dcol: dcol_n = Wᵀ·dout_n — as dout_nᵀ·W stored
 * transposed when W is packed at Wp (the same bits) — then col2im (of a "same" convolution: in
 * long runs, im2col.ts col2imSameScratch).
 */
function backwardDataImage<T>(
  dx: usize, dcol: usize, W: usize, Wp: usize, dout: usize, C: i32, H: i32, Wd: i32, FN: i32, FH: i32, FW: i32, stride: i32, pad: i32, n: i32, room: i32,
): void {
  const S = BYTES<T>();
  const P = outSize(H, FH, stride, pad) * outSize(Wd, FW, stride, pad);
  const CK = C * FH * FW;
  const dcoln = dcol + <usize>room * <usize>CK * <usize>P * S;
  const doutn = dout + <usize>n * <usize>FN * <usize>P * S;
  if (Wp != 0) gemmTransposedOut<T>(dcoln, P, doutn, P, Wp, 0, P, CK, FN, false);
  else convBackwardData<T>(dcoln, W, doutn, 1, FN, CK, P);
  const dxn = dx + <usize>n * <usize>C * <usize>H * <usize>Wd * S;
  if (stride == 1 && P == H * Wd && outSize(Wd, FW, stride, pad) == Wd) col2imSameScratch<T>(dxn, dcoln, C, H, Wd, FH, FW, pad);
  else col2im<T>(dxn, dcoln, 1, C, H, Wd, FH, FW, stride, pad, CK * P, 1, P);
}
