// The book's functions of chapters 3–4 (common/functions.py), camelCased. Each returns a new
// Tensor (these are for exploring, not for the training loop, which uses the layers).
import { getCore } from "./core/core.js";
import { Int32Workspace } from "./core/workspace.js";
import { Tensor, asTensor, type TensorData } from "./tensor.js";
import { fail, formatShape, sameShape } from "./shape.js";
import { resolveTargets, rowsAndCols, type Targets } from "./targets.js";
import type { DType } from "./dtype.js";

/** h(x) = x. */
export function identityFunction<T>(x: T): T {
  return x;
}

/** 1 where x > 0, else 0. */
export function stepFunction(x: TensorData): Tensor {
  const t = asTensor(x);
  const out = Tensor.zeros(t.shape, t.dtype);
  const src = t.data, dst = out.data;
  for (let i = 0; i < src.length; i++) dst[i] = src[i] > 0 ? 1 : 0;
  return out;
}

/** 1 / (1 + exp(-x)). */
export function sigmoid(x: TensorData): Tensor {
  const t = asTensor(x);
  const out = Tensor.zeros(t.shape, t.dtype);
  getCore().kernels(t.dtype).sigmoidForward(out.ptr, t.ptr, t.size);
  return out;
}

/** max(0, x). */
export function relu(x: TensorData): Tensor {
  const t = asTensor(x);
  const out = Tensor.zeros(t.shape, t.dtype);
  getCore().kernels(t.dtype).reluForward(out.ptr, t.ptr, t.size);
  return out;
}

/** Row-wise softmax with the row max subtracted (overflow-safe); 1-D input is one row. */
export function softmax(x: TensorData): Tensor {
  const t = asTensor(x);
  const [N, C] = rowsAndCols(t.shape, "softmax");
  if (N === 0 || C === 0) fail("softmax", `empty input ${formatShape(t.shape)}`);
  const out = Tensor.zeros(t.shape, t.dtype);
  getCore().kernels(t.dtype).softmaxRows(out.ptr, t.ptr, N, C);
  return out;
}

const scratchLabels = new Int32Workspace();

/** Mean of -log(y[t] + 1e-7) over the batch. t: one-hot rows (same shape as y) or labels. */
export function crossEntropyError(y: TensorData, t: Targets): number {
  const yt = asTensor(y);
  const [N, C] = rowsAndCols(yt.shape, "crossEntropyError");
  if (N === 0) fail("crossEntropyError", "empty batch");
  const r = resolveTargets(t, N, C, yt.dtype, scratchLabels, "crossEntropyError");
  const k = getCore().kernels(yt.dtype);
  return r.kind === "onehot" ? k.crossEntropyOneHot(yt.ptr, r.tensor.ptr, N, C) : k.crossEntropyLabels(yt.ptr, r.ptr, N, C);
}

/** 0.5 · Σ (y - t)². */
export function sumSquaredError(y: TensorData, t: TensorData): number {
  const yt = asTensor(y), tt = asTensor(t, yt.dtype);
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
  if (!Number.isInteger(classes) || classes <= 0) fail("oneHot", `classes must be a positive integer, got ${classes}`);
  const out = Tensor.zeros([labels.length, classes], dtype);
  const d = out.data;
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (!Number.isInteger(v) || v < 0 || v >= classes) fail("oneHot", `label ${v} at index ${i} is not in [0, ${classes - 1}]`);
    d[i * classes + v] = 1;
  }
  return out;
}

/** np.dot for a 1-D or 2-D x and a 2-D W: [N×D]·[D×M] → [N×M] (1-D x gives 1-D out). */
export function dot(x: TensorData, w: TensorData): Tensor {
  const a = asTensor(x), b = asTensor(w, a.dtype);
  if (a.dtype !== b.dtype) fail("dot", `dtypes differ: ${a.dtype} and ${b.dtype}`);
  if (b.ndim !== 2) fail("dot", `second argument must be 2-D, got ${formatShape(b.shape)}`);
  const [N, D] = rowsAndCols(a.shape, "dot");
  if (D !== b.shape[0]) fail("dot", `shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} are not aligned (${D} ≠ ${b.shape[0]})`);
  const M = b.shape[1];
  const out = Tensor.zeros(a.ndim === 1 ? [M] : [N, M], a.dtype);
  getCore().kernels(a.dtype).gemmAB(out.ptr, a.ptr, b.ptr, 0, N, M, D, D, 1);
  return out;
}

const accuracyLabels = new Int32Workspace();

/** Fraction of rows of `y` whose argmax equals the label (t: labels or one-hot rows). */
export function accuracyOf(y: Tensor, t: Targets, where = "accuracy"): number {
  const [N, C] = rowsAndCols(y.shape, where);
  if (N === 0) fail(where, "empty batch");
  let labelsPtr: number;
  const r = resolveTargets(t, N, C, y.dtype, accuracyLabels, where);
  if (r.kind === "onehot") {
    labelsPtr = accuracyLabels.reserve(N);
    getCore().kernels(y.dtype).argmaxRows(labelsPtr, r.tensor.ptr, N, C);
  } else {
    labelsPtr = r.ptr;
  }
  return getCore().kernels(y.dtype).countCorrect(y.ptr, labelsPtr, N, C) / N;
}
