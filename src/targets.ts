// Targets for losses and accuracy come two ways, as in the book: one-hot rows with the same
// shape as the scores, or integer class labels (one per row). The book tells them apart by
// `t.size == y.size`; so do we. Labels are range-checked here, once, so kernels can trust them.
import { Tensor, asTensor, type TensorData } from "./tensor.js";
import { getCore } from "./core/core.js";
import { Int32Workspace } from "./core/workspace.js";
import { fail, formatShape, type Shape } from "./shape.js";
import type { DType } from "./dtype.js";

/**
 * Class labels or one-hot rows. An `Int32Workspace` (what BatchSampler produces) is used in
 * place: its labels were range-checked when the dataset was loaded.
 */
export type Targets = TensorData | Int32Array | Uint8Array | Int32Workspace;

export type ResolvedTargets =
  | { kind: "onehot"; tensor: Tensor }
  | { kind: "labels"; ptr: number };

// One result object of each kind per labels workspace, reused on every call: the training loop
// resolves targets every step and must not allocate. A result is valid until the next
// resolveTargets call with the same workspace (as is the label data it points to).
interface ResultSlots { onehot: { kind: "onehot"; tensor: Tensor }; labels: { kind: "labels"; ptr: number } }
const slots = new WeakMap<Int32Workspace, ResultSlots>();

function slotsOf(labels: Int32Workspace): ResultSlots {
  let s = slots.get(labels);
  if (s === undefined) {
    s = { onehot: { kind: "onehot", tensor: null as unknown as Tensor }, labels: { kind: "labels", ptr: 0 } };
    slots.set(labels, s);
  }
  return s;
}

function oneHotResult(labels: Int32Workspace, tensor: Tensor): ResolvedTargets {
  const r = slotsOf(labels).onehot;
  r.tensor = tensor;
  return r;
}

function labelsResult(labels: Int32Workspace, ptr: number): ResolvedTargets {
  const r = slotsOf(labels).labels;
  r.ptr = ptr;
  return r;
}

/**
 * Interpret `t` against scores of shape [N, C]. One-hot tensors must match dtype; labels are
 * copied into `labels` (int32 in wasm memory) after checking 0 ≤ t < C and integrality.
 */
export function resolveTargets(
  t: Targets, N: number, C: number, dtype: DType, labels: Int32Workspace, where: string,
): ResolvedTargets {
  if (t instanceof Int32Workspace) {
    if (t.length !== N) fail(where, `got ${t.length} labels for a batch of ${N}`);
    return { kind: "labels", ptr: t.ptr };
  }
  if (ArrayBuffer.isView(t) && t.buffer.byteLength === 0 && N > 0) {
    fail(where, "t is a typed-array view whose buffer was detached (wasm memory grew since it was made); pass a fresh view or a copy");
  }
  if (t instanceof Tensor) {
    if (t.size === N * C && !(t.ndim === 1 && t.size === N && C === 1)) {
      if (t.dtype !== dtype) fail(where, `one-hot t is ${t.dtype} but the scores are ${dtype}; use one dtype`);
      if (t.ndim !== 2 && !(N === 1 && t.ndim === 1)) fail(where, `one-hot t has shape ${formatShape(t.shape)}; expected [${N}, ${C}]`);
      return oneHotResult(labels, t);
    }
    if (t.ndim === 1 && t.size === N) return labelsResult(labels, copyLabels(t.data, N, C, labels, where));
    return fail(where, `t has shape ${formatShape(t.shape)}; expected one-hot [${N}, ${C}] or ${N} labels`);
  }
  if (ArrayBuffer.isView(t) && !(t instanceof Float32Array || t instanceof Float64Array)) {
    const arr = t as unknown as ArrayLike<number>;
    if (arr.length !== N) fail(where, `got ${arr.length} labels for a batch of ${N}`);
    return labelsResult(labels, copyLabels(arr, N, C, labels, where));
  }
  if (Array.isArray(t) && t.length > 0 && !Array.isArray(t[0]) && t.length === N && N * C !== t.length) {
    return labelsResult(labels, copyLabels(t as number[], N, C, labels, where));
  }
  return resolveTargets(asTensor(t as TensorData, dtype), N, C, dtype, labels, where);
}

function copyLabels(src: ArrayLike<number>, N: number, C: number, labels: Int32Workspace, where: string): number {
  // `src` may itself be a view into wasm memory (a sampler's labels); reserving can grow the
  // memory and detach it, so remember where it pointed and look again afterwards.
  const memory = getCore().memory;
  const inWasm = ArrayBuffer.isView(src) && (src as ArrayBufferView).buffer === memory.buffer;
  const { byteOffset } = src as unknown as ArrayBufferView;
  labels.reserve(N);
  if (inWasm && (src as unknown as ArrayBufferView).buffer !== memory.buffer) {
    const Ctor = (src as unknown as { constructor: new (b: ArrayBufferLike, o: number, n: number) => ArrayLike<number> }).constructor;
    src = new Ctor(memory.buffer, byteOffset, N);
  }
  const dst = labels.values;
  for (let i = 0; i < N; i++) {
    const v = src[i];
    if (!Number.isInteger(v) || v < 0 || v >= C) {
      fail(where, `label ${String(v)} at index ${i} is not a class index in [0, ${C - 1}]`);
    }
    dst[i] = v;
  }
  return labels.ptr;
}

/** [N, C] from a 2-D score tensor, or [1, C] for a 1-D one (the book's y.ndim == 1 case). */
export function rowsAndCols(shape: Shape, where: string): [number, number] {
  if (shape.length === 2) return [shape[0], shape[1]];
  if (shape.length === 1) return [1, shape[0]];
  return fail(where, `expected a 1-D or 2-D score tensor, got shape ${formatShape(shape)}`);
}
