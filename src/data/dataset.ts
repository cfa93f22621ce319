// ImageDataset: a labelled set of uint8 images that lives in wasm memory (one copy, made once).
// Training never converts the whole set to floats: the sampler gathers a minibatch of rows
// and normalises them in a kernel (see src/train/sampler.ts). `toTensor` gives the book's
// float arrays for a small range of rows (x_train[:3]) for users who want to look at them.
// The bytes belong to the dataset's arena: dispose() (alias free()) gives them back; slices
// share their parent's arena, so disposing any of them frees the shared memory.
import type { ImageSource } from "./image-source.js";
import { getCore } from "../core/core.js";
import { Arena } from "../memory/arena.js";
import type { WasmBlock } from "../memory/block.js";
import { closeScratch, heapBytes, intBytes, openScratch, stageInts, stageOut } from "../memory/scratch.js";
import { Tensor } from "../tensor.js";
import { checkDType, type DType } from "../dtype.js";
import { checkPositiveInt, fail } from "../shape.js";
import { checkOptions, describeValue } from "../check.js";

/** The book's `load_mnist` flags. */
export interface DatasetFlags {
  /** Divide pixel values by 255 while gathering (default true). */
  normalize?: boolean;
  /** Rows of rows×cols values (true, default) or images [N, 1, rows, cols]. */
  flatten?: boolean;
  /** Targets as one-hot rows instead of class labels (default false). */
  oneHotLabel?: boolean;
}

export interface DatasetOptions extends DatasetFlags {
  /** Number of classes; every label must be below it (default 10). */
  classes?: number;
}

/** The memory behind a dataset and its slices. */
interface Storage { arena: Arena; images: WasmBlock; labels: WasmBlock }

const KEY = Symbol("scratchnet.ImageDataset");
// set by the class's static block (declared first: the block runs while the class is defined)
let memoryOfImpl: (ds: unknown, where: string) => { imagesPtr: number; labelsPtr: number };
let isDatasetImpl: (x: unknown) => boolean;
let fromStorageImpl: (name: string, storage: Storage, rows: number, cols: number, options: DatasetOptions) => ImageDataset;

export class ImageDataset implements ImageSource {
  readonly #name: string;
  readonly #count: number;
  readonly #rows: number;
  readonly #cols: number;
  readonly #classes: number;
  readonly #normalize: boolean;
  readonly #flatten: boolean;
  readonly #oneHotLabel: boolean;
  readonly #storage: Storage;
  /** First row of this dataset inside the storage (non-zero for slices). */
  readonly #firstRow: number;

  private constructor(
    key: symbol, name: string, storage: Storage, firstRow: number, count: number,
    rows: number, cols: number, classes: number, flags: DatasetFlags,
  ) {
    if (key !== KEY) fail("ImageDataset", "datasets are made with ImageDataset.fromBytes or the MNIST loaders");
    this.#name = name;
    this.#storage = storage;
    this.#firstRow = firstRow;
    this.#count = count;
    this.#rows = rows;
    this.#cols = cols;
    this.#classes = classes;
    this.#normalize = flag(flags.normalize, true, "normalize", name);
    this.#flatten = flag(flags.flatten, true, "flatten", name);
    this.#oneHotLabel = flag(flags.oneHotLabel, false, "oneHotLabel", name);
  }

  get name(): string { return this.#name; }
  get count(): number { return this.#count; }
  get rows(): number { return this.#rows; }
  get cols(): number { return this.#cols; }
  /** rows × cols: bytes per image. */
  get rowLen(): number { return this.#rows * this.#cols; }
  get classes(): number { return this.#classes; }
  get normalize(): boolean { return this.#normalize; }
  get flatten(): boolean { return this.#flatten; }
  get oneHotLabel(): boolean { return this.#oneHotLabel; }

  /**
   * Copy uint8 `images` (count×rows×cols, row-major) and `labels` (count) into wasm memory.
   * The arguments can be dropped afterwards; the dataset keeps no JS copy. Labels are
   * checked once here (each < classes) so kernels can trust them.
   */
  static fromBytes(name: string, images: Uint8Array, labels: Uint8Array, rows: number, cols: number, options: DatasetOptions = {}): ImageDataset {
    if (typeof name !== "string") fail("ImageDataset.fromBytes", `name must be a string, got ${describeValue(name)}`);
    const where = `ImageDataset(${name.slice(0, 100)})`;
    if (!(images instanceof Uint8Array) || !(labels instanceof Uint8Array)) {
      fail(where, "images and labels must be Uint8Arrays");
    }
    const o = checkOptions(options, where);
    const classes = checkGeometry(images.length, labels.length, rows, cols, o, where);
    checkLabels(labels, classes, where); // before allocating: a bad file costs no wasm memory
    const storage = newStorage(where, images.length, labels.length);
    // take the buffer after both allocations: an allocation may grow (and detach) it
    const memory = new Uint8Array(getCore().memory.buffer);
    memory.set(images, storage.images.ptr);
    memory.set(labels, storage.labels.ptr);
    return new ImageDataset(KEY, name, storage, 0, labels.length, rows, cols, classes, o);
  }

  /** The pixels of image `i` (a live view into wasm memory: read it now, do not keep it). */
  image(i: number): Uint8Array {
    this.#checkIndex(i, "image");
    return new Uint8Array(getCore().memory.buffer, this.#imagesPtr() + i * this.rowLen, this.rowLen);
  }

  /** The class label of image `i`. */
  label(i: number): number {
    this.#checkIndex(i, "label");
    return new Uint8Array(getCore().memory.buffer)[this.#labelsPtr() + i];
  }

  /** A copy of all labels as a JS array (small: one byte per image). */
  labelArray(): Uint8Array {
    const ptr = this.#labelsPtr();
    return new Uint8Array(getCore().memory.buffer, ptr, this.#count).slice();
  }

  /**
   * Rows [start, start + count) as a dataset that shares this one's memory (no copy), e.g.
   * `test.slice(0, 8000)` / `test.slice(8000)` to split a set. Flags may be overridden.
   */
  slice(start: number, count = this.#count - start, flags: DatasetFlags = {}): ImageDataset {
    this.#checkRange(start, count, "slice");
    const f = checkOptions(flags, `ImageDataset(${this.#name}).slice`, "flags");
    this.#storage.arena.checkOpen(`ImageDataset(${this.#name}).slice`);
    const name = `${this.#name}[${start}:${start + count}]`;
    return new ImageDataset(KEY, name, this.#storage, this.#firstRow + start, count, this.#rows, this.#cols, this.#classes, {
      normalize: f.normalize ?? this.#normalize,
      flatten: f.flatten ?? this.#flatten,
      oneHotLabel: f.oneHotLabel ?? this.#oneHotLabel,
    });
  }

  /**
   * The book's arrays for rows [start, start + count): `x` as floats (÷255 if `normalize`),
   * shape [count, rowLen] or [count, 1, rows, cols] (`flatten`), and `t` as int32 labels or
   * one-hot rows (`oneHotLabel`). A copy on the JS heap: meant for a few rows, not a whole set
   * (training gathers its minibatches itself).
   */
  toTensor(start = 0, count = this.#count - start, dtype: DType = "float32"): { x: Tensor; t: Tensor | Int32Array } {
    const where = `ImageDataset(${this.#name}).toTensor`;
    checkDType(dtype, where);
    this.#checkRange(start, count, "toTensor");
    const shape = this.#flatten ? [count, this.rowLen] : [count, 1, this.#rows, this.#cols];
    const x = Tensor.zeros(shape, dtype);
    const indices = Int32Array.from({ length: count }, (_, i) => start + i);
    const labels32 = new Int32Array(count);
    const t = this.#oneHotLabel ? Tensor.zeros([count, this.#classes], dtype) : null;
    const imagesPtr = this.#imagesPtr(), labelsPtr = this.#labelsPtr();
    const core = getCore();
    openScratch(heapBytes(x) + intBytes(indices) + intBytes(labels32) + (t === null ? 0 : heapBytes(t)));
    const idx = stageInts(indices), lab = stageInts(labels32, true);
    core.kernels(dtype).gatherRowsU8(stageOut(x), imagesPtr, idx, count, this.rowLen, this.#normalize ? 1 : 0);
    core.exports.gatherLabelsU8(lab, labelsPtr, idx, count);
    if (t !== null) core.kernels(dtype).oneHotRows(stageOut(t), lab, count, this.#classes);
    closeScratch();
    return { x, t: t ?? labels32 };
  }

  /**
   * Give the wasm memory back now instead of when the dataset is garbage-collected. Slices
   * share the memory: using this dataset or any slice of it afterwards throws.
   */
  dispose(): void {
    this.#storage.arena.dispose();
  }

  /** The same as dispose(). */
  free(): void {
    this.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  toString(): string {
    return `ImageDataset(${this.#name}: ${this.#count} images ${this.#rows}×${this.#cols}, ${this.#classes} classes)`;
  }

  #imagesPtr(): number {
    return this.#storage.images.ptr + this.#firstRow * this.rowLen; // throws once disposed
  }

  #labelsPtr(): number {
    return this.#storage.labels.ptr + this.#firstRow;
  }

  #checkIndex(i: number, what: string): void {
    if (typeof i !== "number" || !Number.isInteger(i) || i < 0 || i >= this.#count) {
      fail(`ImageDataset(${this.#name}).${what}`, `index ${describeValue(i)} is outside [0, ${this.#count - 1}]`);
    }
  }

  #checkRange(start: number, count: number, what: string): void {
    if (typeof start !== "number" || typeof count !== "number" || !Number.isInteger(start) || !Number.isInteger(count) ||
        start < 0 || count < 0 || start + count > this.#count) {
      fail(`ImageDataset(${this.#name}).${what}`, `rows [${describeValue(start)}, ${typeof start === "number" && typeof count === "number" ? start + count : describeValue(count)}) are outside [0, ${this.#count})`);
    }
  }

  static {
    isDatasetImpl = (x) => typeof x === "object" && x !== null && #storage in x;
    memoryOfImpl = (ds, where) => {
      if (!isDatasetImpl(ds)) fail(where, `expected an ImageDataset (ImageDataset.fromBytes, loadMnist …), got ${describeValue(ds)}`);
      const d = ds as ImageDataset;
      d.#storage.arena.checkOpen(where);
      return { imagesPtr: d.#imagesPtr(), labelsPtr: d.#labelsPtr() };
    };
    fromStorageImpl = (name, storage, rows, cols, options) => {
      const where = `ImageDataset(${name})`;
      const classes = checkGeometry(storage.images.byteLength, storage.labels.byteLength, rows, cols, options, where);
      checkLabels(new Uint8Array(getCore().memory.buffer, storage.labels.ptr, storage.labels.byteLength), classes, where);
      return new ImageDataset(KEY, name, storage, 0, storage.labels.byteLength, rows, cols, classes, options);
    };
  }
}

/** Module-private: the addresses of a dataset's first pixel and label (throws once disposed). */
export function datasetMemory(ds: unknown, where: string): { imagesPtr: number; labelsPtr: number } {
  return memoryOfImpl(ds, where);
}

/**
 * Module-private, for loaders that inflate straight into wasm memory: an arena holding an
 * image block and a label block, both checked against what memory can still hold before
 * either is taken. On failure call `storage.arena.dispose()`.
 */
export function newStorage(owner: string, imageBytes: number, labelCount: number): Storage {
  const arena = new Arena(owner);
  arena.reserve([imageBytes, labelCount], "its images and labels");
  return { arena, images: arena.alloc(imageBytes, "images"), labels: arena.alloc(labelCount, "labels") };
}

/** Module-private: a dataset adopting filled storage (labels are checked here as in `fromBytes`). */
export function datasetFromStorage(name: string, storage: Storage, rows: number, cols: number, options: DatasetOptions = {}): ImageDataset {
  return fromStorageImpl(name, storage, rows, cols, options);
}

/** Checks sizes and counts; returns the number of classes. */
function checkGeometry(imageBytes: number, labelCount: number, rows: number, cols: number, options: DatasetOptions, where: string): number {
  checkPositiveInt(rows, "rows", where);
  checkPositiveInt(cols, "cols", where);
  const classes = checkPositiveInt(options.classes ?? 10, "classes", where);
  if (classes > 256) fail(where, `classes must be at most 256 (labels are bytes), got ${classes}`);
  const rowLen = rows * cols;
  if (imageBytes % rowLen !== 0) fail(where, `${imageBytes} image bytes are not a whole number of ${rows}×${cols} images`);
  if (imageBytes / rowLen !== labelCount) fail(where, `${imageBytes / rowLen} images vs ${labelCount} labels`);
  return classes;
}

function checkLabels(labels: Uint8Array, classes: number, where: string): void {
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= classes) fail(where, `label ${labels[i]} at index ${i} is not a class index in [0, ${classes - 1}]`);
  }
}

function flag(value: unknown, fallback: boolean, name: string, dataset: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") fail(`ImageDataset(${dataset})`, `${name} must be true or false, got ${describeValue(value)}`);
  return value;
}
