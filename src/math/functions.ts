// The book's functions of chapters 3–4 (common/functions.py), camelCased. Each returns a new
// Tensor on the JS heap (these are for exploring, not for the training loop, which uses the
// layers): the kernel runs on per-call wasm scratch and the result is copied out, so nothing
// here holds wasm memory after it returns.
import { getCore } from "../core/core.js";
import { Int32Workspace } from "../memory/workspace.js";
import { closeScratch, heapBytes, openScratch, stageIn, stageOut } from "../memory/scratch.js";
import { Tensor, asTensor, checkTensor, type TensorData } from "../tensor.js";
import { fail, formatShape, sameShape } from "../shape.js";
import { labelsBytes, labelsPtr, resolveTargets, rowsAndCols, type Targets } from "../targets.js";
import { checkDType, type DType } from "../dtype.js";
import { describeValue, isNumberList } from "../check.js";

/** h(x) = x. */
export function identityFunction<T>(x: T): T {
  return x;
}

/** 1 where x > 0, else 0. */
export function stepFunction(x: TensorData): Tensor {
  const t = asTensor(x, undefined, "stepFunction");
  const out = Tensor.zeros(t.shape, t.dtype);
  const src = t.data, dst = out.data;
  for (let i = 0; i < src.length; i++) dst[i] = src[i] > 0 ? 1 : 0;
  return out;
}

/** out = kernel(x), elementwise, on a fresh heap tensor. */
function elementwise(x: TensorData, where: string, kernel: "sigmoidForward" | "reluForward"): Tensor {
  const t = asTensor(x, undefined, where);
  const out = Tensor.zeros(t.shape, t.dtype);
  openScratch(heapBytes(out) + heapBytes(t));
  getCore().kernels(t.dtype)[kernel](stageOut(out), stageIn(t), t.size);
  closeScratch();
  return out;
}

/** 1 / (1 + exp(-x)). */
export function sigmoid(x: TensorData): Tensor {
  return elementwise(x, "sigmoid", "sigmoidForward");
}

/** max(0, x). */
export function relu(x: TensorData): Tensor {
  return elementwise(x, "relu", "reluForward");
}

/** Row-wise softmax with the row max subtracted (overflow-safe); 1-D input is one row. */
export function softmax(x: TensorData): Tensor {
  const t = asTensor(x, undefined, "softmax");
  const [N, C] = rowsAndCols(t.shape, "softmax");
  if (N === 0 || C === 0) fail("softmax", `empty input ${formatShape(t.shape)}`);
  const out = Tensor.zeros(t.shape, t.dtype);
  openScratch(heapBytes(out) + heapBytes(t));
  getCore().kernels(t.dtype).softmaxRows(stageOut(out), stageIn(t), N, C);
  closeScratch();
  return out;
}

// labels of the standalone functions: on the JS heap, staged per call
const scratchLabels = new Int32Workspace(null);

/** Mean of -log(y[t] + 1e-7) over the batch. t: one-hot rows (same shape as y) or labels. */
export function crossEntropyError(y: TensorData, t: Targets): number {
  const where = "crossEntropyError";
  const yt = asTensor(y, undefined, where);
  const [N, C] = rowsAndCols(yt.shape, where);
  if (N === 0 || C === 0) fail(where, `empty batch ${formatShape(yt.shape)}`);
  const r = resolveTargets(t, N, C, yt.dtype, scratchLabels, where);
  const k = getCore().kernels(yt.dtype);
  if (r.kind === "onehot") {
    openScratch(heapBytes(yt) + heapBytes(r.tensor));
    const loss = k.crossEntropyOneHot(stageIn(yt), stageIn(r.tensor), N, C);
    closeScratch();
    return loss;
  }
  openScratch(heapBytes(yt) + labelsBytes(r));
  const loss = k.crossEntropyLabels(stageIn(yt), labelsPtr(r.labels), N, C);
  closeScratch();
  return loss;
}

/** 0.5 · Σ (y - t)². */
export function sumSquaredError(y: TensorData, t: TensorData): number {
  const yt = asTensor(y, undefined, "sumSquaredError"), tt = asTensor(t, yt.dtype, "sumSquaredError");
  if (!sameShape(yt.shape, tt.shape)) fail("sumSquaredError", `y ${formatShape(yt.shape)} and t ${formatShape(tt.shape)} differ in shape`);
  const a = yt.data, b = tt.data;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return 0.5 * s;
}

/**
 * The book's `mean_squared_error`, which is 0.5 · Σ (y - t)² — a sum, despite its name
 * (§4.2.1). Kept under the book's name so the lecture's code runs as printed.
 */
export const meanSquaredError = sumSquaredError;

/** [N×classes] one-hot rows from integer labels. */
export function oneHot(labels: ArrayLike<number>, classes: number, dtype: DType = "float32"): Tensor {
  if (!isNumberList(labels)) fail("oneHot", `labels must be an array of class indices, got ${describeValue(labels)}`);
  if (typeof classes !== "number" || !Number.isInteger(classes) || classes <= 0) fail("oneHot", `classes must be a positive integer, got ${describeValue(classes)}`);
  checkDType(dtype, "oneHot");
  if (labels.length * classes > 2 ** 31 - 1) fail("oneHot", `${labels.length} × ${classes} values are more than a tensor can hold`);
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v >= classes) fail("oneHot", `label ${describeValue(v)} at index ${i} is not in [0, ${classes - 1}]`);
  }
  const out = Tensor.zeros([labels.length, classes], dtype);
  const d = out.data;
  for (let i = 0; i < labels.length; i++) d[i * classes + labels[i]] = 1;
  return out;
}

/** np.dot for a 1-D or 2-D x and a 2-D W: [N×D]·[D×M] → [N×M] (1-D x gives 1-D out). */
export function dot(x: TensorData, w: TensorData): Tensor {
  const a = asTensor(x, undefined, "dot"), b = asTensor(w, a.dtype, "dot");
  if (a.dtype !== b.dtype) fail("dot", `dtypes differ: ${a.dtype} and ${b.dtype}`);
  if (b.ndim !== 2) fail("dot", `second argument must be 2-D, got ${formatShape(b.shape)}`);
  const [N, D] = rowsAndCols(a.shape, "dot");
  if (D !== b.shape[0]) fail("dot", `shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} are not aligned (${D} ≠ ${b.shape[0]})`);
  const M = b.shape[1];
  const out = Tensor.zeros(a.ndim === 1 ? [M] : [N, M], a.dtype);
  openScratch(heapBytes(out) + heapBytes(a) + heapBytes(b));
  getCore().kernels(a.dtype).gemmAB(stageOut(out), stageIn(a), stageIn(b), 0, N, M, D, D, 1);
  closeScratch();
  return out;
}

const accuracyLabels = new Int32Workspace(null);
const argmaxLabels = new Int32Workspace(null);

/** Fraction of rows of `y` whose argmax equals the label (t: labels or one-hot rows). */
export function accuracyOf(y: Tensor, t: Targets, where = "accuracyOf"): number {
  if (typeof where !== "string") where = "accuracyOf";
  checkTensor(y, "y", where);
  const [N, C] = rowsAndCols(y.shape, where);
  if (N === 0 || C === 0) fail(where, `empty batch ${formatShape(y.shape)}`);
  const r = resolveTargets(t, N, C, y.dtype, accuracyLabels, where);
  const k = getCore().kernels(y.dtype);
  if (r.kind === "onehot") {
    argmaxLabels.reserve(N);
    openScratch(heapBytes(r.tensor) + heapBytes(y) + Math.ceil(N / 4) * 16);
    const pl = labelsPtr(argmaxLabels);
    k.argmaxRows(pl, stageIn(r.tensor), N, C);
    const correct = k.countCorrect(stageIn(y), pl, N, C);
    closeScratch();
    return correct / N;
  }
  openScratch(heapBytes(y) + labelsBytes(r));
  const correct = k.countCorrect(stageIn(y), labelsPtr(r.labels), N, C);
  closeScratch();
  return correct / N;
}
