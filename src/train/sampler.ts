// Minibatches gathered in wasm from the uint8 dataset: indices → float rows (÷255 when
// normalising) and int32 labels, into buffers reused for every batch (no per-step allocation).
// The buffers are the sampler's arena: dispose() frees them (trainNet disposes its samplers).
import { getCore } from "../core/core.js";
import { Arena } from "../memory/arena.js";
import type { WasmBlock } from "../memory/block.js";
import { Int32Workspace } from "../memory/workspace.js";
import { markTrusted, wasmTensor, type Tensor } from "../tensor.js";
import { bytesPerElement, checkDType, type DType } from "../dtype.js";
import { fail } from "../shape.js";
import { describeValue } from "../check.js";
import { choiceInto, isRng, type Rng } from "../random.js";
import { datasetMemory, type ImageDataset } from "../data/dataset.js";
import { labelBatchOf, type LabelBatch } from "../targets.js";
import type { PendingRows } from "../nets/pending-rows.js";

export class BatchSampler {
  readonly #source: ImageDataset;
  readonly #capacity: number;
  readonly #dtype: DType;
  readonly #arena: Arena;
  readonly #block: WasmBlock;
  readonly #indices: Int32Workspace;
  readonly #labels: Int32Workspace;
  readonly #labelBatch: LabelBatch;
  // one tensor view per batch length seen (the full batch and at most a tail or two)
  readonly #views = new Map<number, Tensor>();

  constructor(source: ImageDataset, capacity: number, dtype: DType = "float32") {
    const where = "BatchSampler";
    datasetMemory(source, where); // a real, undisposed ImageDataset
    if (typeof capacity !== "number" || !Number.isInteger(capacity) || capacity <= 0) fail(where, `batch size must be a positive integer, got ${describeValue(capacity)}`);
    checkDType(dtype, where);
    if (source.count <= 0) fail(where, `dataset ${source.name} is empty`);
    this.#source = source;
    this.#capacity = capacity;
    this.#dtype = dtype;
    this.#arena = new Arena(where);
    const batchBytes = capacity * source.rowLen * bytesPerElement(dtype);
    this.#arena.reserve([batchBytes, capacity * 4, capacity * 4], "its batch buffers");
    this.#block = this.#arena.alloc(batchBytes, "the batch");
    this.#indices = new Int32Workspace(this.#arena);
    this.#labels = new Int32Workspace(this.#arena);
    this.#indices.reserve(capacity);
    this.#labels.reserve(capacity);
    this.#labelBatch = labelBatchOf(this.#labels);
  }

  get source(): ImageDataset { return this.#source; }
  get capacity(): number { return this.#capacity; }
  get dtype(): DType { return this.#dtype; }

  /** `n` rows drawn uniformly with replacement, as `np.random.choice(trainSize, n)`. */
  sample(rng: Rng, n = this.#capacity): Tensor {
    const rows = this.draw(rng, n, "BatchSampler.sample");
    rows.gather();
    return rows.x;
  }

  /**
   * sample() without the gather: the rows are drawn and their labels read (labelBatch), and the
   * returned PendingRows say where x's rows come from, for a net step that gathers them itself
   * (TwoLayerNet's fused step; trainNet does this). x holds them only after rows.gather() or
   * that step. Valid until the next draw.
   */
  draw(rng: Rng, n = this.#capacity, where = "BatchSampler.draw"): PendingRows {
    this.#arena.checkOpen(where);
    if (!isRng(rng)) fail(where, `rng must be an Rng, got ${describeValue(rng)}`);
    this.#indices.reserve(this.#checkLength(n, where));
    choiceInto(rng, this.#indices.ptr, n, this.#source.count);
    return this.#pending(n, where);
  }

  /** Rows [start, start + n) in order (evaluation). */
  range(start: number, n: number): Tensor {
    this.#arena.checkOpen("BatchSampler.range");
    this.#checkLength(n, "BatchSampler.range");
    if (typeof start !== "number" || !Number.isInteger(start) || start < 0 || start + n > this.#source.count) {
      fail("BatchSampler.range", `rows [${describeValue(start)}, ${typeof start === "number" ? start + n : "?"}) are outside ${this.#source.name} (${this.#source.count} rows)`);
    }
    this.#indices.reserve(n);
    const view = this.#indices.values;
    for (let i = 0; i < n; i++) view[i] = start + i;
    return this.#gather(n);
  }

  /**
   * Labels of the last gathered batch, as a target the nets take directly (no copy; each use
   * checks them against the net's outputs). Valid until the next sample/range call.
   */
  get labelBatch(): LabelBatch {
    return this.#labelBatch;
  }

  /** Labels of the last gathered batch as an int32 view (re-read after any allocation). */
  get labelView(): Int32Array {
    return this.#labels.values;
  }

  /** Free the batch buffers now; the sampler and the batches it returned throw on use afterwards. */
  dispose(): void {
    this.#arena.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  #gather(n: number): Tensor {
    const rows = this.#pending(n, "BatchSampler");
    rows.gather();
    return rows.x;
  }

  /** The labels of the drawn rows now, and their images pending (the batch's reused record). */
  #pending(n: number, where: string): PendingRows {
    this.#arena.checkOpen(where);
    const s = this.#source;
    const mem = datasetMemory(s, where); // throws if the dataset was disposed since
    const core = getCore();
    const idx = this.#indices.ptr;
    this.#labels.reserve(n);
    core.exports.gatherLabelsU8(this.#labels.ptr, mem.labelsPtr, idx, n);
    const rows = this.#rows;
    rows.x = this.#view(n);
    rows.images = mem.imagesPtr;
    rows.indices = idx;
    rows.normalize = s.normalize;
    return rows;
  }

  // one record for every batch: no allocation per step
  readonly #rows = {
    x: null as unknown as Tensor,
    images: 0,
    indices: 0,
    normalize: false,
    gather: (): void => this.#gatherPending(),
  };

  #gatherPending(): void {
    const where = "BatchSampler";
    this.#arena.checkOpen(where);
    datasetMemory(this.#source, where); // throws if the dataset was disposed since the draw
    const rows = this.#rows;
    getCore().kernels(this.#dtype).gatherRowsU8(this.#block.ptr, rows.images, rows.indices, rows.x.shape[0], this.#source.rowLen, rows.normalize ? 1 : 0);
  }

  #view(n: number): Tensor {
    let t = this.#views.get(n);
    if (t === undefined) {
      const s = this.#source;
      const shape = s.flatten ? [n, s.rowLen] : [n, 1, s.rows, s.cols];
      t = wasmTensor(this.#block, 0, shape, this.#dtype);
      markTrusted(t); // built from uint8: finite by construction, so nets skip the NaN scan
      this.#views.set(n, t);
    }
    return t;
  }

  #checkLength(n: number, where: string): number {
    if (typeof n !== "number" || !Number.isInteger(n) || n <= 0 || n > this.#capacity) fail(where, `batch of ${describeValue(n)} rows does not fit capacity ${this.#capacity}`);
    return n;
  }
}
