// Reusable output buffers for layers. A layer asks for a [rows×cols] tensor every call; the
// workspace hands back the same Tensor object while the shape is unchanged (no allocation in
// a training loop) and only takes new memory when a larger batch arrives.
import { WasmBlock } from "./block.js";
import { getCore } from "./core.js";
import { Tensor } from "../tensor.js";
import { bytesPerElement, type DType } from "../dtype.js";
import { sameShape, type Shape } from "../shape.js";

export class Workspace {
  private block: WasmBlock | null = null;
  private cached: Tensor | null = null;

  constructor(readonly dtype: DType) {}

  /** A [rows×cols] tensor valid until the next call (contents are not cleared). */
  matrix(rows: number, cols: number): Tensor {
    const c = this.cached;
    if (c !== null && c.shape.length === 2 && c.shape[0] === rows && c.shape[1] === cols) return c;
    return this.fresh([rows, cols]);
  }

  /** A tensor of `shape` (compared without allocating; a new view only when it changes). */
  like(shape: Shape): Tensor {
    const c = this.cached;
    if (c !== null && sameShape(c.shape, shape)) return c;
    return this.fresh(shape);
  }

  private fresh(shape: Shape): Tensor {
    const bytes = Math.max(16, shape.reduce((a, b) => a * b, 1) * bytesPerElement(this.dtype));
    // The old block is not freed here: a caller may still hold the old tensor. The block's
    // finalizer returns it once nothing references it.
    if (this.block === null || this.block.byteLength < bytes) this.block = new WasmBlock(bytes);
    this.cached = new Tensor(this.block, 0, shape, this.dtype);
    return this.cached;
  }
}

/** int32 scratch in wasm memory (labels, indices), grown on demand, reused otherwise. */
export class Int32Workspace {
  private block: WasmBlock | null = null;
  private view: Int32Array | null = null;
  length = 0;

  /** Make room for `n` int32 values; returns the byte address. */
  reserve(n: number): number {
    const bytes = Math.max(16, n * 4);
    if (this.block === null || this.block.byteLength < bytes) {
      this.block = new WasmBlock(Math.max(bytes, (this.block?.byteLength ?? 0) * 2));
      this.view = null;
    }
    this.length = n;
    return this.block.ptr;
  }

  get ptr(): number {
    if (this.block === null) throw new Error("Int32Workspace: reserve() first");
    return this.block.ptr;
  }

  /** Live view of the first `length` values. */
  get values(): Int32Array {
    if (this.block === null) return new Int32Array(0);
    const buffer = getCore().memory.buffer;
    if (this.view === null || this.view.buffer !== buffer || this.view.length !== this.length) {
      this.view = new Int32Array(buffer, this.block.ptr, this.length);
    }
    return this.view;
  }
}
