// Targets for losses and accuracy come two ways, as in the book: one-hot rows with the same
// shape as the scores, or integer class labels (one per row). The book tells them apart by
// `t.size == y.size`; so do we. Labels are range-checked here, once, so kernels can trust them.
import { type Tensor, asTensor, isTensor, type TensorData } from "./tensor.js";
import type { Int32Workspace } from "./memory/workspace.js";
import { stageInts } from "./memory/scratch.js";
import { fail, formatShape, type Shape } from "./shape.js";
import type { DType } from "./dtype.js";
import { describeValue, isDetached } from "./check.js";
import { getCore } from "./core/core.js";

const LABEL_KEY = Symbol("scratchnet.LabelBatch");
let makeLabelBatch: (labels: Int32Workspace) => LabelBatch;
let labelsOfBatch: (x: unknown) => Int32Workspace | null;

/**
 * The labels of a BatchSampler's last batch (`sampler.labelBatch`), kept in the sampler's
 * memory and used in place by the nets: no copy per step. Opaque on purpose: its length and
 * storage cannot be changed from outside, and every use checks the labels against the
 * scores' class count (a net with fewer outputs than the dataset has classes is refused).
 */
export class LabelBatch {
  readonly #labels: Int32Workspace;

  private constructor(key: symbol, labels: Int32Workspace) {
    if (key !== LABEL_KEY) fail("LabelBatch", "label batches come from a BatchSampler (sampler.labelBatch)");
    this.#labels = labels;
  }

  /** Labels in the batch. */
  get length(): number {
    return LabelBatch.#own(this, "LabelBatch.length").#labels.length;
  }

  /** A copy of the labels. */
  toArray(): Int32Array {
    return LabelBatch.#own(this, "LabelBatch.toArray").#labels.values.slice();
  }

  static #own(x: unknown, where: string): LabelBatch {
    if (typeof x !== "object" || x === null || !(#labels in x)) fail(where, `called on ${describeValue(x)} that is not a real LabelBatch`);
    return x as LabelBatch;
  }

  static {
    makeLabelBatch = (labels) => new LabelBatch(LABEL_KEY, labels);
    labelsOfBatch = (x) => (typeof x === "object" && x !== null && #labels in x ? x.#labels : null);
  }
}

/** Module-private: the LabelBatch a sampler hands out for its (wasm) labels workspace. */
export function labelBatchOf(labels: Int32Workspace): LabelBatch {
  return makeLabelBatch(labels);
}

/** Class labels or one-hot rows. */
export type Targets = TensorData | Int32Array | Uint8Array | LabelBatch;

export type ResolvedTargets =
  | { kind: "onehot"; tensor: Tensor }
  | { kind: "labels"; labels: Int32Workspace };

// One result object of each kind per labels workspace, reused on every call: the training loop
// resolves targets every step and must not allocate. A result is valid until the next
// resolveTargets call with the same workspace (as is the label data it points to).
interface ResultSlots { onehot: { kind: "onehot"; tensor: Tensor }; labels: { kind: "labels"; labels: Int32Workspace } }
const slots = new WeakMap<Int32Workspace, ResultSlots>();

function slotsOf(labels: Int32Workspace): ResultSlots {
  let s = slots.get(labels);
  if (s === undefined) {
    s = { onehot: { kind: "onehot", tensor: null as unknown as Tensor }, labels: { kind: "labels", labels } };
    slots.set(labels, s);
  }
  return s;
}

function oneHotResult(labels: Int32Workspace, tensor: Tensor): ResolvedTargets {
  const r = slotsOf(labels).onehot;
  r.tensor = tensor;
  return r;
}

function labelsResult(scratch: Int32Workspace, labels: Int32Workspace): ResolvedTargets {
  const r = slotsOf(scratch).labels;
  r.labels = labels;
  return r;
}

/**
 * Interpret `t` against scores of shape [N, C]. One-hot tensors must match dtype; labels are
 * copied into `labels` (the caller's int32 workspace) after checking 0 ≤ t < C and integrality.
 */
export function resolveTargets(
  t: Targets, N: number, C: number, dtype: DType, labels: Int32Workspace, where: string,
): ResolvedTargets {
  const batch = labelsOfBatch(t);
  if (batch !== null) {
    if (batch.length !== N) fail(where, `got ${batch.length} labels for a batch of ${N}`);
    // N comparisons: the labels may come from a set with more classes than the scores have
    // columns, or have been changed through sampler.labelView; a kernel indexes rows by them
    checkLabelRange(batch.values, N, C, where);
    return labelsResult(labels, batch);
  }
  if (ArrayBuffer.isView(t) && isDetached(t)) {
    fail(where, "t is a typed-array view whose buffer was detached (wasm memory grew since it was made, or it was transferred); pass a fresh view or a copy");
  }
  if (isTensor(t)) {
    if (t.size === N * C && !(t.ndim === 1 && t.size === N && C === 1)) {
      if (t.dtype !== dtype) fail(where, `one-hot t is ${t.dtype} but the scores are ${dtype}; use one dtype`);
      if (t.ndim !== 2 && !(N === 1 && t.ndim === 1)) fail(where, `one-hot t has shape ${formatShape(t.shape)}; expected [${N}, ${C}]`);
      return oneHotResult(labels, t);
    }
    if (t.ndim === 1 && t.size === N) {
      copyLabels(t, N, C, labels, where);
      return labelsResult(labels, labels);
    }
    return fail(where, `t has shape ${formatShape(t.shape)}; expected one-hot [${N}, ${C}] or ${N} labels`);
  }
  if (ArrayBuffer.isView(t) && !(t instanceof Float32Array || t instanceof Float64Array)) {
    if (t instanceof DataView || t instanceof BigInt64Array || t instanceof BigUint64Array) fail(where, `t cannot be ${describeValue(t)}; pass labels as an Int32Array, a Uint8Array or a plain array`);
    const arr = t as unknown as ArrayLike<number>;
    if (arr.length !== N) fail(where, `got ${arr.length} labels for a batch of ${N}`);
    copyLabels(arr, N, C, labels, where);
    return labelsResult(labels, labels);
  }
  if (Array.isArray(t) && t.length > 0 && !Array.isArray(t[0]) && t.length === N && N * C !== t.length) {
    copyLabels(t as number[], N, C, labels, where);
    return labelsResult(labels, labels);
  }
  if (t === null || t === undefined || (typeof t !== "object" && typeof t !== "number")) {
    fail(where, `t must be class labels or one-hot rows, got ${describeValue(t)}`);
  }
  return resolveTargets(asTensor(t as TensorData, dtype, where), N, C, dtype, labels, where);
}

/** Address of resolved labels for a kernel: in place when in wasm, else staged (inside a scratch window). */
export function labelsPtr(labels: Int32Workspace): number {
  return labels.inWasm ? labels.ptr : stageInts(labels.values);
}

/** Scratch bytes labels need (0 when they are already in wasm). */
export function labelsBytes(r: ResolvedTargets): number {
  return r.kind === "labels" && !r.labels.inWasm ? Math.ceil(Math.max(r.labels.length, 1) / 4) * 16 : 0;
}

function checkLabelRange(values: ArrayLike<number>, N: number, C: number, where: string): void {
  for (let i = 0; i < N; i++) {
    const v = values[i];
    if (v < 0 || v >= C) fail(where, `label ${v} at index ${i} is not a class index in [0, ${C - 1}] (the scores have ${C} columns)`);
  }
}

function copyLabels(src: Tensor | ArrayLike<number>, N: number, C: number, labels: Int32Workspace, where: string): void {
  // `src` may be a view into wasm memory (a sampler's labels); reserving can grow the memory
  // and detach it, so remember where it pointed and look again afterwards.
  const memory = getCore().memory;
  const view = isTensor(src) ? null : (src as unknown as ArrayBufferView);
  const inWasm = view !== null && ArrayBuffer.isView(view) && view.buffer === memory.buffer;
  const byteOffset = inWasm ? view.byteOffset : 0;
  labels.reserve(N);
  let values: ArrayLike<number> = isTensor(src) ? src.data : src;
  if (inWasm && view.buffer !== memory.buffer) {
    const Ctor = (view as unknown as { constructor: new (b: ArrayBufferLike, o: number, n: number) => ArrayLike<number> }).constructor;
    values = new Ctor(memory.buffer, byteOffset, N);
  }
  const dst = labels.values;
  for (let i = 0; i < N; i++) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v >= C) {
      fail(where, `label ${describeValue(v)} at index ${i} is not a class index in [0, ${C - 1}]`);
    }
    dst[i] = v;
  }
}

/** [N, C] from a 1-D or 2-D score shape, or [1, C] for a 1-D one (the book's y.ndim == 1 case). */
export function rowsAndCols(shape: Shape, where: string): [number, number] {
  if (shape.length === 2) return [shape[0], shape[1]];
  if (shape.length === 1) return [1, shape[0]];
  return fail(where, `expected a 1-D or 2-D score tensor, got shape ${formatShape(shape)}`);
}
