// TwoLayerNet's accuracy over a uint8 dataset as one job: the book evaluates train and test
// accuracy every epoch (70 000 rows), which through net.predict is a gather, two products, an
// activation and a count per 1000-row chunk, each its own parallel job or a serial stretch.
// Here every chunk of rows goes through all of it on one thread — gather into that thread's
// slot, x·W1 + b1, act, ·W2 + b2, argmax against the label — and only the correct count is
// added up (integers: exact in any order). Each score is computed by the same recipe as in
// predict (the same plans' bits, gemm/plan.ts), so the count is the same.
//
// Since only the count matters, a chunk's rows need not keep their order: while converting,
// the sparse rows (gemm/plan.ts goesAlone: under 40 % ink) go to the bottom of the slot and
// the rest to the top, with their labels, so the 4-row tiles get only dense rows (plain, nothing
// skipped) and every sparse row goes alone over its nonzeros. (runPlan, which must keep rows in place, stops
// trying rows alone at a chunk's first dense block: a Fashion-MNIST chunk mixes both kinds.)
//
// And since only a row's class matters, in float32 with ReLU the dense rows go through
// integers first (accuracyRowsInt; proven-class.ts, int-products.ts): a row counts at once when
// bounds on the float path's rounding prove its class, and goes the float way when they cannot.
import { PLAN_PACKED, PLAN_SPARSE_ROWS, PLAN_SKIP_STEPS } from "./gemm/plan-codes.generated";
import { planImageRows, runPlan, runRowsAlone, goesAlone } from "./gemm/plan";
import { countNonzeroBytes } from "./gemm/sparse/listing";
import { packPanels, packedBytes } from "./gemm/pack";
import { packArea, packAreaBytes, listsOf, stepLists } from "./gemm/scratch";
import { gemmABRows } from "./gemm/tiles";
import { threadCount, beginJob, setArg, arg, argI32, addToArg, runJob, publishBackground, backgroundOut } from "./gemm/threads";
import { jobKind, JOB_TWOLAYER_ACCURACY } from "./jobs";
import { convertRows } from "./gather";
import { sigmoidForward } from "./elementwise";
import { countCorrectU8 } from "./softmax";
import { BYTES, align16 } from "./lanes";
import { widenedRowBytes, sumColumns, widenRow, integerProducts } from "./int-products";
import { integerBlockBytes, integerPanels, quantizeTwoLayer, provenClass, provenWorkBytes, countProven } from "./proven-class";

/** Rows a thread takes at a time: a multiple of the 4-row tile; their floats (200 KB at 784 f32) stay in L2. */
export const ACCURACY_CHUNK_ROWS = 64;

/**
 * Bytes of one thread's slot: x [R×D], h [R×H], scores [R×C], the rows' labels [R] (16-byte
 * aligned); in float32 also the integer rows (integerSlotBytes).
 */
export function twoLayerAccuracySlotBytes<T>(D: i32, H: i32, C: i32): usize {
  const R = <usize>ACCURACY_CHUNK_ROWS;
  const floats = align16(R * <usize>D * BYTES<T>()) + align16(R * <usize>H * BYTES<T>()) + align16(R * <usize>C * BYTES<T>()) + align16(R);
  return sizeof<T>() == 4 ? floats + integerSlotBytes(D, H, C) : floats;
}

/** The integer rows' part of a float32 slot: x' [R rows], I [R×H'], byte sums and squares [R×2], labels [R], source rows [R], scores f64 [C]. */
// @ts-ignore: decorator
@inline function integerSlotBytes(D: i32, H: i32, C: i32): usize {
  const R = <usize>ACCURACY_CHUNK_ROWS;
  return R * widenedRowBytes(D) + R * (<usize>sumColumns(H) << 2) + R * 8 + 2 * align16(R) + align16(provenWorkBytes(C));
}

/**
 * The per-pass block of the integer rows (proven-class.ts) in `area` (`bytes` long) after
 * W1's panels, or 0 when the pass goes the float way alone: float64, the sigmoid, no room, or
 * weights the bounds do not cover.
 */
function integerBlock<T>(area: usize, bytes: usize, W1: usize, b1: usize, W2: usize, b2: usize, D: i32, H: i32, C: i32, sigmoid: bool): usize {
  if (sizeof<T>() != 4 || sigmoid) return 0;
  const at = align16(packedBytes<T>(H, D));
  if (at + integerBlockBytes(D, H, C) > bytes) return 0;
  return quantizeTwoLayer(area + at, W1, b1, W2, b2, D, H, C) ? area + at : 0;
}

/**
 * How many of the `count` rows from `images` (uint8 [count×D]) the net W1 [D×H], b1, W2 [H×C],
 * b2 classifies as `labels` (uint8 [count], each < C) says. `scratch` holds one slot
 * (twoLayerAccuracySlotBytes) per thread.
 */
export function twoLayerAccuracy<T>(
  W1: usize, b1: usize, W2: usize, b2: usize, images: usize, labels: usize, count: i32, D: i32, normalize: bool,
  H: i32, C: i32, sigmoid: bool, scratch: usize,
): i32 {
  const plan = planImageRows<T>(W1, D, H, !sigmoid);
  if ((plan & PLAN_PACKED) != 0) packPanels<T>(packArea(), W1, H, D);
  const ints = integerBlock<T>(packArea(), packAreaBytes(), W1, b1, W2, b2, D, H, C, sigmoid);
  const chunks = (count + ACCURACY_CHUNK_ROWS - 1) / ACCURACY_CHUNK_ROWS;
  if (threadCount() <= 1 || chunks < 2) {
    let correct = 0;
    for (let c = 0; c < chunks; c++) correct += accuracyRows<T>(plan, W1, b1, W2, b2, images, labels, count, D, normalize, H, C, sigmoid, scratch, c, ints);
    return correct;
  }
  writeAccuracyJob<T>(W1, b1, W2, b2, images, labels, count, normalize, D, H, C, sigmoid, scratch, plan, ints);
  setArg(19, chunks); setArg(20, 0);
  runJob(chunks);
  return argI32(14);
}

/**
 * The same passes over two datasets (an epoch's training and test sets) as a background job
 * (gemm/threads.ts publishBackground): the workers count while the main thread goes on. The
 * counts are added into result[0] and result[1] (int32; finishBackground ends the job). `area`
 * is a scratch block like the core's GEMM scratch (`bytes` ≥ its size): the main thread keeps
 * packing its own panels meanwhile. W1…b2 must stay unchanged until the job ends (the trainer
 * passes a copy). `scratch` holds `slots` slots. Returns false, having published nothing, when
 * no worker can take it or there are more threads than slots.
 */
export function twoLayerAccuracyBackground<T>(
  W1: usize, b1: usize, W2: usize, b2: usize, images: usize, labels: usize, count: i32, normalize: bool,
  images2: usize, labels2: usize, count2: i32, normalize2: bool,
  D: i32, H: i32, C: i32, sigmoid: bool, scratch: usize, slots: i32, area: usize, bytes: usize, result: usize,
): bool {
  if (bytes < packAreaBytes()) unreachable(); // the plan sized the panels for the core's own area
  // nothing to hand over to, one already out (its arguments are in the block), or more threads than slots
  if (backgroundOut() || threadCount() < 2 || threadCount() > slots) return false;
  const plan = planImageRows<T>(W1, D, H, !sigmoid);
  if ((plan & PLAN_PACKED) != 0) packPanels<T>(area, W1, H, D);
  const lists = listsOf(area, bytes);
  const ints = integerBlock<T>(area, lists != 0 ? lists - area : bytes, W1, b1, W2, b2, D, H, C, sigmoid);
  const chunks = (count + ACCURACY_CHUNK_ROWS - 1) / ACCURACY_CHUNK_ROWS;
  const chunks2 = (count2 + ACCURACY_CHUNK_ROWS - 1) / ACCURACY_CHUNK_ROWS;
  store<i32>(result, 0);
  store<i32>(result, 0, 4);
  writeAccuracyJob<T>(W1, b1, W2, b2, images, labels, count, normalize, D, H, C, sigmoid, scratch, plan, ints);
  setArg(15, images2); setArg(16, labels2); setArg(17, count2); setArg(18, normalize2 ? 1 : 0);
  setArg(19, chunks); setArg(20, result);
  return publishBackground(chunks + chunks2, area, lists);
}

function writeAccuracyJob<T>(
  W1: usize, b1: usize, W2: usize, b2: usize, images: usize, labels: usize, count: i32, normalize: bool,
  D: i32, H: i32, C: i32, sigmoid: bool, scratch: usize, plan: i32, ints: usize,
): void {
  beginJob(jobKind<T>(JOB_TWOLAYER_ACCURACY));
  setArg(21, ints);
  setArg(0, W1); setArg(1, b1); setArg(2, W2); setArg(3, b2); setArg(4, images); setArg(5, labels); setArg(6, count);
  setArg(7, D); setArg(8, normalize ? 1 : 0); setArg(9, H); setArg(10, C); setArg(11, sigmoid ? 1 : 0); setArg(12, scratch);
  setArg(13, plan); setArg(14, 0);
}

/** Correct rows of chunk `c`, computed in the slot at `slot`. */
function accuracyRows<T>(
  plan: i32, W1: usize, b1: usize, W2: usize, b2: usize, images: usize, labels: usize, count: i32, D: i32, normalize: bool,
  H: i32, C: i32, sigmoid: bool, slot: usize, c: i32, ints: usize,
): i32 {
  if (ints != 0) return accuracyRowsInt<T>(plan, W1, b1, W2, b2, images, labels, count, D, normalize, H, C, slot, c, ints);
  const S = BYTES<T>();
  const r0 = c * ACCURACY_CHUNK_ROWS;
  const rows = r0 + ACCURACY_CHUNK_ROWS < count ? ACCURACY_CHUNK_ROWS : count - r0;
  const x = slot;
  const h = x + align16(<usize>ACCURACY_CHUNK_ROWS * <usize>D * S);
  const y = h + align16(<usize>ACCURACY_CHUNK_ROWS * <usize>H * S);
  const lab = y + align16(<usize>ACCURACY_CHUNK_ROWS * <usize>C * S);
  const src = images + <usize>r0 * <usize>D;
  let rowLabels = labels + <usize>r0;
  if ((plan & PLAN_SPARSE_ROWS) == 0 || stepLists(D) == 0) { // no row goes alone: rows in order
    convertRows<T>(x, src, rows, D, normalize);
    runPlan<T>(plan, h, x, W1, b1, H, D, D, 1, 0, rows);
  } else {
    // dense rows to the top of x, sparse rows to the bottom, each with its label
    let top = 0, bottom = rows;
    for (let r = 0; r < rows; r++) {
      const row = src + <usize>r * <usize>D;
      const at = goesAlone(countNonzeroBytes(row, D), D) ? --bottom : top++;
      convertRows<T>(x + <usize>at * <usize>D * S, row, 1, D, normalize);
      store<u8>(lab + <usize>at, load<u8>(labels + <usize>(r0 + r)));
    }
    // the tiles take whole 4-row blocks; the last 1–3 dense rows go alone too (a one-row dense
    // tile loads a B vector per multiply-add and costs ~3× a tiled row). Four rows of ≥ 40% ink
    // leave few steps idle in all four, so the tiles do not look for them (a scan of every
    // block: Fashion-MNIST's pass 2% faster without)
    const tiled = top & ~3;
    runPlan<T>(plan & ~(PLAN_SPARSE_ROWS | PLAN_SKIP_STEPS), h, x, W1, b1, H, D, D, 1, 0, tiled);
    runRowsAlone<T>(plan, h, x, W1, b1, H, D, tiled, rows);
    rowLabels = lab; // the labels of the rows as they now lie
  }
  if (sigmoid) sigmoidForward<T>(h, h, rows * H);
  gemmABRows<T>(y, h, W2, b2, C, H, H, 1, 0, rows);
  return countCorrectU8<T>(y, rowLabels, rows, C);
}

/**
 * accuracyRows with the dense rows in integers (proven-class.ts): a row whose class the
 * bounds prove is counted at once; the others, and the sparse rows, go the float way as above.
 */
function accuracyRowsInt<T>(
  plan: i32, W1: usize, b1: usize, W2: usize, b2: usize, images: usize, labels: usize, count: i32, D: i32, normalize: bool,
  H: i32, C: i32, slot: usize, c: i32, ints: usize,
): i32 {
  const S = BYTES<T>();
  const R = <usize>ACCURACY_CHUNK_ROWS;
  const r0 = c * ACCURACY_CHUNK_ROWS;
  const rows = r0 + ACCURACY_CHUNK_ROWS < count ? ACCURACY_CHUNK_ROWS : count - r0;
  const x = slot;
  const h = x + align16(R * <usize>D * S);
  const y = h + align16(R * <usize>H * S);
  const lab = y + align16(R * <usize>C * S);
  const rowX = widenedRowBytes(D), rowI = <usize>sumColumns(H) << 2;
  const xi = lab + align16(R), I = xi + R * rowX, stats = I + R * rowI, labI = stats + R * 8, from = labI + align16(R);
  const work = from + align16(R);
  const src = images + <usize>r0 * <usize>D;
  const alone = (plan & PLAN_SPARSE_ROWS) != 0 && stepLists(D) != 0;
  // dense rows widened to int16 in order, sparse rows to floats at the bottom of x
  let dense = 0, bottom = rows;
  for (let r = 0; r < rows; r++) {
    const row = src + <usize>r * <usize>D;
    const label = load<u8>(labels + <usize>(r0 + r));
    if (alone && goesAlone(countNonzeroBytes(row, D), D)) {
      bottom--;
      convertRows<T>(x + <usize>bottom * <usize>D * S, row, 1, D, normalize);
      store<u8>(lab + <usize>bottom, label);
    } else {
      widenRow(xi + <usize>dense * rowX, row, D, stats + (<usize>dense << 3));
      store<u8>(labI + <usize>dense, label);
      store<u8>(from + <usize>dense, <u8>r);
      dense++;
    }
  }
  integerProducts(I, xi, integerPanels(ints, H, C), dense, D, H);
  let correct = 0, top = 0; // the rows not proved go to the top of x, as floats
  for (let r = 0; r < dense; r++) {
    const label = <i32>load<u8>(labI + <usize>r);
    const at = stats + (<usize>r << 3);
    const cls = provenClass(I + <usize>r * rowI, load<i32>(at), load<i32>(at, 4), normalize, ints, H, C, work);
    if (cls >= 0) {
      if (cls == label) correct++;
      continue;
    }
    convertRows<T>(x + <usize>top * <usize>D * S, src + <usize>load<u8>(from + <usize>r) * <usize>D, 1, D, normalize);
    store<u8>(lab + <usize>top, <u8>label);
    top++;
  }
  countProven(dense - top);
  // the float way: rows [0, top) on the tiles (the last 1–3 alone), [bottom, rows) alone
  const tiled = top & ~3;
  const densePlan = plan & ~(PLAN_SPARSE_ROWS | PLAN_SKIP_STEPS);
  runPlan<T>(densePlan, h, x, W1, b1, H, D, D, 1, 0, tiled);
  if (alone) runRowsAlone<T>(plan, h, x, W1, b1, H, D, tiled, top);
  else runPlan<T>(densePlan, h, x, W1, b1, H, D, D, 1, tiled, top);
  runRowsAlone<T>(plan, h, x, W1, b1, H, D, bottom, rows);
  gemmABRows<T>(y, h, W2, b2, C, H, H, 1, 0, top);
  gemmABRows<T>(y, h, W2, b2, C, H, H, 1, bottom, rows);
  return correct + countCorrectU8<T>(y, lab, top, C) + countCorrectU8<T>(y + <usize>bottom * <usize>C * S, lab + <usize>bottom, rows - bottom, C);
}

/** Chunk `chunk` (of the first dataset, or past its chunks of the second) on thread `thread`'s slot. */
export function twoLayerAccuracyChunk<T>(chunk: i32, thread: i32): void {
  const D = argI32(7), H = argI32(9), C = argI32(10);
  const slot = arg(12) + <usize>thread * twoLayerAccuracySlotBytes<T>(D, H, C);
  const first = argI32(19), second = chunk >= first;
  // the second dataset's images, labels, count and normalize flag sit in slots 15–18
  const images = arg(second ? 15 : 4), labels = arg(second ? 16 : 5), count = argI32(second ? 17 : 6), normalize = argI32(second ? 18 : 8) != 0;
  const correct = accuracyRows<T>(argI32(13), arg(0), arg(1), arg(2), arg(3), images, labels, count, D, normalize, H, C, argI32(11) != 0,
    slot, second ? chunk - first : chunk, arg(21));
  const result = arg(20);
  if (result == 0) addToArg(14, correct);
  else atomic.add<i32>(result + (second ? 4 : 0), correct); // integers: exact in any order
}
