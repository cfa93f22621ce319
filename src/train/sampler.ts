// Minibatches gathered in wasm from the uint8 dataset: indices → float rows (÷255 when
// normalising) and int32 labels, into buffers reused for every batch (no per-step allocation).
import { getCore } from "../core/core.js";
import { WasmBlock } from "../core/block.js";
import { Int32Workspace } from "../core/workspace.js";
import { Tensor, markTrusted } from "../tensor.js";
import { bytesPerElement, type DType } from "../dtype.js";
import { fail } from "../shape.js";
import type { Rng } from "../random.js";
import type { ImageSource } from "./source.js";

export class BatchSampler {
  private readonly block: WasmBlock;
  private readonly indices = new Int32Workspace();
  private readonly labels = new Int32Workspace();
  // one tensor view per batch length seen (the full batch and at most a tail or two)
  private readonly views = new Map<number, Tensor>();

  constructor(readonly source: ImageSource, readonly capacity: number, readonly dtype: DType) {
    if (!Number.isInteger(capacity) || capacity <= 0) fail("BatchSampler", `batch size must be a positive integer, got ${capacity}`);
    if (source.count <= 0) fail("BatchSampler", `dataset ${source.name} is empty`);
    this.block = new WasmBlock(capacity * source.rowLen * bytesPerElement(dtype));
    this.indices.reserve(capacity);
    this.labels.reserve(capacity);
  }

  /** `n` rows drawn uniformly with replacement, as `np.random.choice(trainSize, n)`. */
  sample(rng: Rng, n = this.capacity): Tensor {
    const ptr = this.indices.reserve(this.checkLength(n));
    rng.choiceInto(ptr, n, this.source.count);
    return this.gather(n);
  }

  /** Rows [start, start + n) in order (evaluation). */
  range(start: number, n: number): Tensor {
    this.checkLength(n);
    if (!Number.isInteger(start) || start < 0 || start + n > this.source.count) {
      fail("BatchSampler.range", `rows [${start}, ${start + n}) are outside ${this.source.name} (${this.source.count} rows)`);
    }
    const idx = this.indices.reserve(n);
    const view = this.indices.values;
    for (let i = 0; i < n; i++) view[i] = start + i;
    return this.gather(n, idx);
  }

  /** Labels of the last gathered batch, as a target the nets take directly (no copy). */
  get labelBatch(): Int32Workspace {
    return this.labels;
  }

  /** Labels of the last gathered batch as an int32 view (re-read after any allocation). */
  get labelView(): Int32Array {
    return this.labels.values;
  }

  /** Address of the last batch's int32 labels. */
  get labelsPtr(): number {
    return this.labels.ptr;
  }

  private gather(n: number, idx = this.indices.ptr): Tensor {
    const s = this.source;
    const x = this.view(n);
    const core = getCore();
    core.kernels(this.dtype).gatherRowsU8(x.ptr, s.imagesPtr, idx, n, s.rowLen, s.normalize ? 1 : 0);
    this.labels.reserve(n);
    core.exports.gatherLabelsU8(this.labels.ptr, s.labelsPtr, idx, n);
    return x;
  }

  private view(n: number): Tensor {
    let t = this.views.get(n);
    if (t === undefined) {
      const s = this.source;
      const shape = s.flatten ? [n, s.rowLen] : [n, s.rowLen / (s.rows * s.cols), s.rows, s.cols];
      t = new Tensor(this.block, 0, shape, this.dtype);
      markTrusted(t); // built from uint8: finite by construction, so nets skip the NaN scan
      this.views.set(n, t);
    }
    return t;
  }

  private checkLength(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > this.capacity) fail("BatchSampler", `batch of ${n} rows does not fit capacity ${this.capacity}`);
    return n;
  }
}
