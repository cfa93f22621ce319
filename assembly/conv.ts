// Convolution forward and backward over Convolution's col layout [N × C·FH·FW × OH·OW]
// (im2col.ts), generic over f32/f64. With that layout, image n's product W[FN×CK]·col_n[CK×P]
// is a plain matrix product whose rows are the filters, i.e. exactly image n's NCHW output
// block: the book's reshape + transpose(0,3,1,2) disappears, and every per-image operand
// (≈ 60–70 KB for MNIST) stays in L2 while it is used. The products take the dense recipe
// directly (gemm/tiles.ts, gemm/abt.ts): per image they are too small to plan.
//
// Threads: images are independent in the forward pass and in dx, so convLayerForward and
// convLayerBackward give each thread whole images (patches and product of one image
// together, while its columns are in cache). The weight gradient sums over the images in
// order, so it is split over what it computes instead: ranges of dW's columns (rows of the
// per-image term) and of db's filters, each summed over all images in order by one thread.
// convLayerBackward (conv-backward.ts) runs dW's ranges and dx's images as one job.
import { LANES, BYTES, hsum } from "./lanes";
import { gemmABRows } from "./gemm/tiles";
import { gemmABtRowsTransposedInto } from "./gemm/abt";
import { im2col, outSize } from "./im2col";
import { gemmTransposedOut, packPaddedPanels, paddedPanelBytes } from "./gemm/transposed";
import { packArea, packAreaBytes } from "./gemm/scratch";
import { threadCount, beginJob, setArg, arg, argI32, runJob } from "./gemm/threads";
import { jobKind, JOB_CONV_FORWARD, JOB_CONV_BACKWARD_PARAMS } from "./jobs";
import { reluForwardRange } from "./elementwise";

/** Multiply-adds below which a convolution stays on one thread (as gemm/plan.ts's PARALLEL_MIN_WORK). */
const CONV_PARALLEL_MIN_WORK: i64 = 60_000;
/** Filters whose bias sums one chunk of the weight-gradient job takes. */
export const BIAS_CHUNK_FILTERS = 8;
/**
 * Ranges of dW's columns per thread in convBackwardParams alone (few: each reads all of dout).
 * In convLayerBackward's job, one per thread: there dx's images even out the threads' speeds.
 */
const RANGES_PER_THREAD = 3;

/** Is this convolution (N images of FN×CK×P multiply-adds) worth sharing out? */
// @ts-ignore: decorator
@inline export function convParallel(N: i32, FN: i32, CK: i32, P: i32): bool {
  return threadCount() > 1 && N >= 2 && <i64>N * <i64>FN * <i64>CK * <i64>P >= CONV_PARALLEL_MIN_WORK;
}

/**
 * The Convolution layer's forward for a batch: per image n, its patches into col_n (the layout
 * of im2col.ts with sp = 1) and out_n = W·col_n + b, exactly as im2col then convForward.
 * `relu`: out_n = reluForward(W·col_n + b), bit for bit, in the product's epilogue — a net whose
 * convolution feeds a ReLU (nets/layer-walk.ts) saves a pass over its largest activations.
 */
export function convLayerForward<T>(
  out: usize, // [N×FN×OH×OW] (NCHW)
  col: usize, // [N×CK×P] out: the patches (the layer keeps them for backward)
  x: usize, // [N×C×H×Wd]
  W: usize, // [FN×CK]
  b: usize, // [FN]
  N: i32, C: i32, H: i32, Wd: i32, FN: i32, FH: i32, FW: i32, stride: i32, pad: i32, relu: bool,
): void {
  const P = outSize(H, FH, stride, pad) * outSize(Wd, FW, stride, pad);
  const CK = C * FH * FW;
  // Wᵀ in panels of filters, read by every image (transposed.ts), when the scratch holds it
  const Wp = packArea() != 0 && paddedPanelBytes<T>(FN, CK) <= packAreaBytes() ? packArea() : 0;
  if (Wp != 0) packPaddedPanels<T>(Wp, W, FN, CK, 1, CK);
  if (!convParallel(N, FN, CK, P)) {
    for (let n = 0; n < N; n++) forwardImage<T>(out, col, x, W, Wp, b, C, H, Wd, FN, FH, FW, stride, pad, relu, n);
    return;
  }
  beginJob(jobKind<T>(JOB_CONV_FORWARD));
  setArg(0, out); setArg(1, col); setArg(2, x); setArg(3, W); setArg(4, b); setArg(5, C); setArg(6, H); setArg(7, Wd);
  setArg(8, FN); setArg(9, FH); setArg(10, FW); setArg(11, stride); setArg(12, pad); setArg(13, Wp); setArg(14, relu ? 1 : 0);
  runJob(N);
}

export function convForwardChunk<T>(n: i32): void {
  forwardImage<T>(arg(0), arg(1), arg(2), arg(3), arg(13), arg(4), argI32(5), argI32(6), argI32(7), argI32(8), argI32(9), argI32(10), argI32(11), argI32(12), argI32(14) != 0, n);
}

/**
 * Image n: its patches, then out_n = W·col_n + b — as col_nᵀ·Wᵀ stored transposed when Wᵀ is
 * packed at Wp (the same bits) — and the ReLU if asked (in the epilogue, or over out_n while it
 * is in cache).
 */
function forwardImage<T>(
  out: usize, col: usize, x: usize, W: usize, Wp: usize, b: usize, C: i32, H: i32, Wd: i32, FN: i32, FH: i32, FW: i32, stride: i32, pad: i32,
  relu: bool, n: i32,
): void {
  const S = BYTES<T>();
  const P = outSize(H, FH, stride, pad) * outSize(Wd, FW, stride, pad);
  const CK = C * FH * FW;
  const colImage = <usize>CK * <usize>P * S;
  const coln = col + <usize>n * colImage;
  const outn = out + <usize>n * <usize>FN * <usize>P * S;
  im2col<T>(coln, x + <usize>n * <usize>C * <usize>H * <usize>Wd * S, 1, C, H, Wd, FH, FW, stride, pad, CK * P, 1, P);
  if (Wp != 0) {
    gemmTransposedOut<T>(outn, P, coln, P, Wp, b, P, FN, CK, relu);
  } else {
    convForward<T>(outn, coln, W, b, 1, FN, CK, P);
    if (relu) reluForwardRange<T>(outn, outn, FN * P);
  }
}

/**
 * Convolution forward for a batch: out_n[FN×P] = W[FN×CK]·col_n[CK×P] + b (b per row), image by
 * image, so the output lands in NCHW directly. Same rounding as gemmAB with a bias: Σ_k first, then + b.
 */
export function convForward<T>(
  out: usize, // [N×FN×P] (NCHW)
  col: usize, // [N×CK×P]
  W: usize, // [FN×CK]
  b: usize, // [FN]
  N: i32, FN: i32, CK: i32, P: i32,
): void {
  const S = BYTES<T>();
  const outImage = <usize>FN * <usize>P * S;
  const colImage = <usize>CK * <usize>P * S;
  for (let n = 0; n < N; n++) {
    const o = out + <usize>n * outImage;
    gemmABRows<T>(o, W, col + <usize>n * colImage, 0, P, CK, CK, 1, 0, FN);
    for (let f = 0; f < FN; f++) addScalar<T>(o + <usize>f * <usize>P * S, load<T>(b + <usize>f * S), P);
  }
}

/**
 * dW[FN×CK] = Σ_n dout_n[FN×P]·col_nᵀ and db[f] = Σ_n Σ_q dout_n[f, q], images added in order
 * (dW_0 + dW_1) + dW_2 …. Each image's term is computed transposed, col_n·dout_nᵀ [CK×FN]
 * (gemm/abt.ts's recipe): with CK = 25 rows and FN = 30 columns that keeps 96% of SimpleConvNet's
 * dot products in gemmABt's 4×2 register tiles (the untransposed 30×25 shape manages 90%, and
 * its leftovers run as single accumulators). The tiles store (image 0) or add (the others) each
 * sum straight into dW's transposed place: a scratch product and a strided pass adding it to dW
 * cost DeepConvNet ~4 % of its step (`bench/ab.mjs --only Deep`, 2 threads: 0.90×). Overwrites dW
 * and db. On several threads, each takes ranges of dW's columns or of db, over every image in order.
 */
export function convBackwardParams<T>(
  dW: usize, // [FN×CK] out
  db: usize, // [FN] out
  dout: usize, // [N×FN×P] (NCHW)
  col: usize, // [N×CK×P]
  N: i32, FN: i32, CK: i32, P: i32,
): void {
  if (!convParallel(N, FN, CK, P)) {
    for (let n = 0; n < N; n++) { // one image at a time, while its dout is in cache
      paramTerm<T>(dW, dout, col, n, FN, CK, P, 0, CK);
      biasTerm<T>(db, dout, n, FN, P, 0, FN);
    }
    return;
  }
  // dW's columns (the product's rows) in ranges of whole 4-row tiles dealt out evenly, the rows
  // after the last whole tile going with the last range. Every range reads all of dout (one
  // image's dout per step of its loop), so ranges are few: three per thread. Not one: on a
  // shared machine two threads are not always equally fast (a vCPU whose core is busy
  // elsewhere), and with one range each the main thread was seen spinning ~13 ms of a ~100 ms
  // DeepConvNet step for the worker's range; three per thread, claimed in turn, let the faster
  // one take more (~1.5 % faster even at equal speeds).
  // The small bias chunks come first: the main thread, which claims from the front, takes them
  // while a worker, claiming from the back, starts on the last range (the bigger one, with the
  // rows after the last tile). As the last chunks they went to the worker on top of its range,
  // and the main thread waited ~0.5 ms per SimpleConvNet step for it.
  const tiles = CK >> 2;
  const rowChunks = paramRanges(tiles, RANGES_PER_THREAD);
  const biasChunks = (FN + BIAS_CHUNK_FILTERS - 1) / BIAS_CHUNK_FILTERS;
  beginJob(jobKind<T>(JOB_CONV_BACKWARD_PARAMS));
  setParamArgs(dW, db, dout, col, N, FN, CK, P, tiles, rowChunks, biasChunks);
  runJob(biasChunks + rowChunks);
}

/** How many ranges of dW's columns (`tiles` whole 4-row tiles of them) the threads share, `perThread` each. */
// @ts-ignore: decorator
@inline export function paramRanges(tiles: i32, perThread: i32): i32 {
  return max<i32>(1, min<i32>(tiles, threadCount() * perThread));
}

/** Arguments 0–10 of a job whose chunks include convBackwardParamsChunk's. */
// @ts-ignore: decorator
@inline export function setParamArgs(dW: usize, db: usize, dout: usize, col: usize, N: i32, FN: i32, CK: i32, P: i32, tiles: i32, rowChunks: i32, biasChunks: i32): void {
  setArg(0, dW); setArg(1, db); setArg(2, dout); setArg(3, col); setArg(4, N); setArg(5, FN); setArg(6, CK);
  setArg(7, P); setArg(8, tiles); setArg(9, rowChunks); setArg(10, biasChunks);
}

export function convBackwardParamsChunk<T>(chunk: i32): void {
  const N = argI32(4), FN = argI32(5), CK = argI32(6), P = argI32(7), tiles = argI32(8), rowChunks = argI32(9), biasChunks = argI32(10);
  if (chunk < biasChunks) {
    const f0 = chunk * BIAS_CHUNK_FILTERS, f1 = f0 + BIAS_CHUNK_FILTERS < FN ? f0 + BIAS_CHUNK_FILTERS : FN;
    for (let n = 0; n < N; n++) biasTerm<T>(arg(1), arg(2), n, FN, P, f0, f1);
  } else {
    const r = chunk - biasChunks;
    const c0 = 4 * (<i32>(<i64>r * <i64>tiles / <i64>rowChunks));
    const c1 = r == rowChunks - 1 ? CK : 4 * (<i32>(<i64>(r + 1) * <i64>tiles / <i64>rowChunks));
    for (let n = 0; n < N; n++) paramTerm<T>(arg(0), arg(2), arg(3), n, FN, CK, P, c0, c1);
  }
}

/** Image n's term of dW's columns [c0, c1): rows [c0, c1) of col_n·dout_nᵀ, added to (n = 0: written into) dW transposed. */
function paramTerm<T>(dW: usize, dout: usize, col: usize, n: i32, FN: i32, CK: i32, P: i32, c0: i32, c1: i32): void {
  const S = BYTES<T>();
  gemmABtRowsTransposedInto<T>(dW, CK, col + <usize>n * <usize>CK * <usize>P * S, dout + <usize>n * <usize>FN * <usize>P * S, FN, P, c0, c1, n != 0);
}

/** Image n's term of db[f], f in [f0, f1): the sum of dout_n[f, :]. */
function biasTerm<T>(db: usize, dout: usize, n: i32, FN: i32, P: i32, f0: i32, f1: i32): void {
  const S = BYTES<T>();
  const d = dout + <usize>n * <usize>FN * <usize>P * S;
  for (let f = f0; f < f1; f++) {
    const s = sumOf<T>(d + <usize>f * <usize>P * S, P);
    store<T>(db + <usize>f * S, n == 0 ? s : load<T>(db + <usize>f * S) + s);
  }
}

/** dcol_n[CK×P] = Wᵀ·dout_n for every image (W [FN×CK] read transposed through the A strides). */
export function convBackwardData<T>(
  dcol: usize, // [N×CK×P] out
  W: usize, // [FN×CK]
  dout: usize, // [N×FN×P]
  N: i32, FN: i32, CK: i32, P: i32,
): void {
  const S = BYTES<T>();
  for (let n = 0; n < N; n++) {
    gemmABRows<T>(dcol + <usize>n * <usize>CK * <usize>P * S, W, dout + <usize>n * <usize>FN * <usize>P * S, 0, P, FN, 1, CK, 0, CK);
  }
}

/** x[0..n) += v. */
// @ts-ignore: decorator
@inline function addScalar<T>(x: usize, v: T, n: i32): void {
  const S = BYTES<T>();
  const L = LANES<T>();
  const vv = v128.splat<T>(v);
  let i = 0;
  for (; i + L <= n; i += L) v128.store(x + <usize>i * S, v128.add<T>(v128.load(x + <usize>i * S), vv));
  for (; i < n; i++) store<T>(x + <usize>i * S, load<T>(x + <usize>i * S) + v);
}

/** Σ x[0..n): lane sums in order, lanes 0..L-1 added, then the tail. */
// @ts-ignore: decorator
@inline function sumOf<T>(x: usize, n: i32): T {
  const S = BYTES<T>();
  const L = LANES<T>();
  let acc = v128.splat<T>(0);
  let i = 0;
  for (; i + L <= n; i += L) acc = v128.add<T>(acc, v128.load(x + <usize>i * S));
  let s = hsum<T>(acc);
  for (; i < n; i++) s += load<T>(x + <usize>i * S);
  return s;
}
