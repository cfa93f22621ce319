// Reusable output buffers for layers: a layer asks for a [rows×cols] tensor every call; the
// workspace hands back the same Tensor object while shape and dtype are unchanged (no
// allocation in a training loop) and only takes new memory when a larger batch arrives.
// "A layer's output is valid until that layer's next call."
//
// Where the buffer lives depends on who owns the layer:
//  - inside a net: in the net's arena (wasm memory), so layers hand each other addresses and
//    a training step copies nothing. When a larger batch needs a larger buffer, the old block
//    is freed at once (not when the GC gets to it); tensors still pointing at it throw.
//  - a standalone layer (`new Relu()` in user code): on the JS heap. The kernel runs on
//    per-call scratch and the result is copied out, so the layer holds no wasm memory
//    between calls and needs no dispose().
import type { Arena } from "./arena.js";
import type { WasmBlock } from "./block.js";
import { heapTensor, wasmTensor, type Tensor } from "../tensor.js";
import { getCore } from "../core/core.js";
import { arrayTypeOf, bytesPerElement, type DType } from "../dtype.js";
import { sameShape, type Shape } from "../shape.js";

export class Workspace {
  #block: WasmBlock | null = null;
  #heap: ArrayBuffer | null = null;
  #cached: Tensor | null = null;

  /** `arena` null: the buffer lives on the JS heap (standalone layers). */
  constructor(private readonly arena: Arena | null) {}

  /** A [rows×cols] tensor valid until the next call (contents are not cleared). */
  matrix(rows: number, cols: number, dtype: DType): Tensor {
    const c = this.#cached;
    if (c !== null && c.dtype === dtype && c.shape.length === 2 && c.shape[0] === rows && c.shape[1] === cols) return c;
    return this.fresh([rows, cols], dtype);
  }

  /** A tensor of `shape` (compared without allocating; a new view only when it changes). */
  like(shape: Shape, dtype: DType): Tensor {
    const c = this.#cached;
    if (c !== null && c.dtype === dtype && sameShape(c.shape, shape)) return c;
    return this.fresh(shape, dtype);
  }

  private fresh(shape: Shape, dtype: DType): Tensor {
    const size = shape.reduce((a, b) => a * b, 1);
    const bytes = Math.max(16, size * bytesPerElement(dtype));
    if (this.arena === null) {
      if (this.#heap === null || this.#heap.byteLength < bytes) this.#heap = new ArrayBuffer(bytes);
      this.#cached = heapTensor(new (arrayTypeOf(dtype))(this.#heap, 0, size), shape, dtype);
      return this.#cached;
    }
    if (this.#block === null || this.#block.byteLength < bytes) {
      if (this.#block !== null) this.arena.release(this.#block);
      this.#block = null;
      this.#block = this.arena.alloc(bytes, "layer outputs");
    }
    this.#cached = wasmTensor(this.#block, 0, shape, dtype);
    return this.#cached;
  }
}

/**
 * int32 buffers (labels, indices, pooling's argmax), grown on demand and reused otherwise;
 * in an arena (wasm) or on the JS heap, like Workspace.
 */
export class Int32Workspace {
  #block: WasmBlock | null = null;
  #heap: Int32Array | null = null;
  #view: Int32Array | null = null;
  #length = 0;

  constructor(private readonly arena: Arena | null) {}

  get inWasm(): boolean {
    return this.arena !== null;
  }

  get length(): number {
    return this.#length;
  }

  /** Make room for `n` values (contents are not kept when it grows). */
  reserve(n: number): void {
    const bytes = Math.max(16, n * 4);
    if (this.arena === null) {
      if (this.#heap === null || this.#heap.byteLength < bytes) this.#heap = new Int32Array(Math.max(bytes, (this.#heap?.byteLength ?? 0) * 2) / 4);
    } else if (this.#block === null || this.#block.byteLength < bytes) {
      const grown = Math.max(bytes, (this.#block?.byteLength ?? 0) * 2);
      if (this.#block !== null) this.arena.release(this.#block);
      this.#block = null;
      this.#block = this.arena.alloc(grown, "label and index buffers");
    }
    if (this.#length !== n) this.#view = null;
    this.#length = n;
  }

  /** Byte address (wasm workspaces only). */
  get ptr(): number {
    if (this.#block === null) throw new Error("scratchnet: internal: Int32Workspace has no wasm block (reserve() first, in an arena)");
    return this.#block.ptr;
  }

  /** The first `length` values: a live view of wasm memory, or the heap array. */
  get values(): Int32Array {
    if (this.arena === null) {
      if (this.#heap === null) this.reserve(this.#length);
      if (this.#view === null || this.#view.buffer !== (this.#heap as Int32Array).buffer) this.#view = (this.#heap as Int32Array).subarray(0, this.#length);
      return this.#view;
    }
    if (this.#block === null) this.reserve(this.#length);
    const buffer = getCore().memory.buffer;
    const ptr = (this.#block as WasmBlock).ptr;
    if (this.#view === null || this.#view.buffer !== buffer || this.#view.byteOffset !== ptr) this.#view = new Int32Array(buffer, ptr, this.#length);
    return this.#view;
  }
}

/** A zero-filled tensor in its own block of `arena` (an optimizer's state, a layer's statistics). */
export function zerosIn(arena: Arena, shape: Shape, dtype: DType, what: string): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const block = arena.alloc(Math.max(16, size * bytesPerElement(dtype)), what);
  const t = wasmTensor(block, 0, shape, dtype);
  t.data.fill(0);
  return t;
}
