// ImageDataset: a labelled set of uint8 images that lives in wasm memory (one copy, made once).
// Training never converts the whole set to floats: the sampler gathers a minibatch of rows
// and normalises them in a kernel (see src/train/sampler.ts). `toTensor` gives the book's
// float arrays for a small range of rows (x_train[:3]) for users who want to look at them.
import type { ImageSource } from "../train/source.js";
import { getCore } from "../core/core.js";
import { WasmBlock } from "../core/block.js";
import { Tensor } from "../tensor.js";
import { bytesPerElement, checkDType, type DType } from "../dtype.js";
import { checkPositiveInt, fail } from "../shape.js";

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

export class ImageDataset implements ImageSource {
  readonly name: string;
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
  readonly rowLen: number;
  readonly classes: number;
  readonly normalize: boolean;
  readonly flatten: boolean;
  readonly oneHotLabel: boolean;
  /** The uint8 pixels in wasm memory (shared with slices of this set: address them with `imagesPtr`). */
  readonly images: WasmBlock;
  /** The uint8 labels in wasm memory (shared with slices: address them with `labelsPtr`). */
  readonly labels: WasmBlock;
  /** First row of this dataset inside `images`/`labels` (non-zero for slices). */
  private readonly firstRow: number;

  private constructor(
    name: string, images: WasmBlock, labels: WasmBlock, firstRow: number, count: number,
    rows: number, cols: number, classes: number, flags: DatasetFlags,
  ) {
    this.name = name;
    this.images = images;
    this.labels = labels;
    this.firstRow = firstRow;
    this.count = count;
    this.rows = rows;
    this.cols = cols;
    this.rowLen = rows * cols;
    this.classes = classes;
    this.normalize = flags.normalize ?? true;
    this.flatten = flags.flatten ?? true;
    this.oneHotLabel = flags.oneHotLabel ?? false;
  }

  /**
   * Copy uint8 `images` (count×rows×cols, row-major) and `labels` (count) into wasm memory.
   * The arguments can be dropped afterwards; the dataset keeps no JS copy. Labels are
   * checked once here (each < classes) so kernels can trust them.
   */
  static fromBytes(name: string, images: Uint8Array, labels: Uint8Array, rows: number, cols: number, options: DatasetOptions = {}): ImageDataset {
    const where = `ImageDataset(${name})`;
    if (!(images instanceof Uint8Array) || !(labels instanceof Uint8Array)) {
      fail(where, "images and labels must be Uint8Arrays");
    }
    const classes = checkGeometry(images.length, labels.length, rows, cols, options, where);
    checkLabels(labels, classes, where); // before allocating: a bad file costs no wasm memory
    const imageBlock = new WasmBlock(images.length);
    const labelBlock = new WasmBlock(labels.length);
    // take the buffer after both allocations: an allocation may grow (and detach) it
    const memory = new Uint8Array(getCore().memory.buffer);
    memory.set(images, imageBlock.ptr);
    memory.set(labels, labelBlock.ptr);
    return new ImageDataset(name, imageBlock, labelBlock, 0, labels.length, rows, cols, classes, options);
  }

  /**
   * Adopt bytes already in wasm memory (e.g. inflated straight into a block by the IDX
   * reader, so no JS copy of the images ever exists). The dataset owns the blocks from now on;
   * their lengths give the counts, and the labels are checked here as in `fromBytes`.
   */
  static fromWasmBlocks(name: string, images: WasmBlock, labels: WasmBlock, rows: number, cols: number, options: DatasetOptions = {}): ImageDataset {
    const where = `ImageDataset(${name})`;
    const classes = checkGeometry(images.byteLength, labels.byteLength, rows, cols, options, where);
    checkLabels(new Uint8Array(getCore().memory.buffer, labels.ptr, labels.byteLength), classes, where);
    return new ImageDataset(name, images, labels, 0, labels.byteLength, rows, cols, classes, options);
  }

  /** Byte address of this dataset's first pixel (what kernels receive). */
  get imagesPtr(): number {
    return this.images.ptr + this.firstRow * this.rowLen;
  }

  /** Byte address of this dataset's first label. */
  get labelsPtr(): number {
    return this.labels.ptr + this.firstRow;
  }

  /** The pixels of image `i` (a live view into wasm memory: read it now, do not keep it). */
  image(i: number): Uint8Array {
    this.checkIndex(i, "image");
    return new Uint8Array(getCore().memory.buffer, this.imagesPtr + i * this.rowLen, this.rowLen);
  }

  /** The class label of image `i`. */
  label(i: number): number {
    this.checkIndex(i, "label");
    return new Uint8Array(getCore().memory.buffer)[this.labelsPtr + i];
  }

  /** A copy of all labels as a JS array (small: one byte per image). */
  labelArray(): Uint8Array {
    return new Uint8Array(getCore().memory.buffer, this.labelsPtr, this.count).slice();
  }

  /**
   * Rows [start, start + count) as a dataset that shares this one's memory (no copy), e.g.
   * `test.slice(0, 8000)` / `test.slice(8000)` to split a set. Flags may be overridden.
   */
  slice(start: number, count = this.count - start, flags: DatasetFlags = {}): ImageDataset {
    this.checkRange(start, count, "slice");
    const name = `${this.name}[${start}:${start + count}]`;
    return new ImageDataset(name, this.images, this.labels, this.firstRow + start, count, this.rows, this.cols, this.classes, {
      normalize: flags.normalize ?? this.normalize,
      flatten: flags.flatten ?? this.flatten,
      oneHotLabel: flags.oneHotLabel ?? this.oneHotLabel,
    });
  }

  /**
   * The book's arrays for rows [start, start + count): `x` as floats (÷255 if `normalize`),
   * shape [count, rowLen] or [count, 1, rows, cols] (`flatten`), and `t` as int32 labels or
   * one-hot rows (`oneHotLabel`). This is a float copy: meant for a few rows, not a whole set
   * (training gathers its minibatches itself).
   */
  toTensor(start = 0, count = this.count - start, dtype: DType = "float32"): { x: Tensor; t: Tensor | Int32Array } {
    const where = `ImageDataset(${this.name}).toTensor`;
    checkDType(dtype, where);
    this.checkRange(start, count, "toTensor");
    const shape = this.flatten ? [count, this.rowLen] : [count, 1, this.rows, this.cols];
    const x = new Tensor(new WasmBlock(count * this.rowLen * bytesPerElement(dtype)), 0, shape, dtype);
    const indices = new WasmBlock(count * 4);
    const labels32 = new WasmBlock(count * 4);
    try {
      const idx = new Int32Array(getCore().memory.buffer, indices.ptr, count);
      for (let i = 0; i < count; i++) idx[i] = start + i;
      const core = getCore();
      core.kernels(dtype).gatherRowsU8(x.ptr, this.imagesPtr, indices.ptr, count, this.rowLen, this.normalize ? 1 : 0);
      core.exports.gatherLabelsU8(labels32.ptr, this.labelsPtr, indices.ptr, count);
      if (!this.oneHotLabel) return { x, t: new Int32Array(getCore().memory.buffer, labels32.ptr, count).slice() };
      const t = Tensor.zeros([count, this.classes], dtype);
      core.kernels(dtype).oneHotRows(t.ptr, labels32.ptr, count, this.classes);
      return { x, t };
    } finally {
      indices.free();
      labels32.free();
    }
  }

  /**
   * Give the wasm memory back now instead of when the dataset is garbage-collected. Slices
   * share the memory: using this dataset or any slice of it afterwards throws.
   */
  free(): void {
    this.images.free();
    this.labels.free();
  }

  toString(): string {
    return `ImageDataset(${this.name}: ${this.count} images ${this.rows}×${this.cols}, ${this.classes} classes)`;
  }

  private checkIndex(i: number, what: string): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.count) {
      fail(`ImageDataset(${this.name}).${what}`, `index ${i} is outside [0, ${this.count - 1}]`);
    }
  }

  private checkRange(start: number, count: number, what: string): void {
    if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > this.count) {
      fail(`ImageDataset(${this.name}).${what}`, `rows [${start}, ${start + count}) are outside [0, ${this.count})`);
    }
  }
}

/** Checks sizes and counts; returns the number of classes. */
function checkGeometry(imageBytes: number, labelCount: number, rows: number, cols: number, options: DatasetOptions, where: string): number {
  checkPositiveInt(rows, "rows", where);
  checkPositiveInt(cols, "cols", where);
  const classes = checkPositiveInt(options.classes ?? 10, "classes", where);
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
