// Tensor: a shape, a dtype and the numbers, held in one of two places (docs/memory.md):
//  - the JS heap (Tensor.zeros/from/clone, results of softmax(), dot(), numericalGradient …):
//    an ordinary typed array that V8 accounts for and collects like any other object; kernels
//    that receive one copy it into per-call wasm scratch and copy results back;
//  - wasm memory owned by a long-lived object (a net's params.W1, a layer's output inside a
//    net, a sampler's batch): a view re-derived whenever memory growth detached the old one,
//    valid until the owner is disposed (or, for layer outputs, until the layer's next call).
// Nothing about the storage is public: no pointer, no block, no constructor taking either.
// Library code reaches them through the module-private functions exported at the bottom,
// which the package entry points do not re-export.
import { getCore } from "./core/core.js";
import type { WasmBlock } from "./memory/block.js";
import { arrayTypeOf, bytesPerElement, checkDType, type DType, type FloatArray } from "./dtype.js";
import { checkShape, fail, formatShape, type Shape } from "./shape.js";
import { flattenNested, type NestedArray } from "./tensor/nested.js";
import { describeValue, isDetached, isNumberList } from "./check.js";

export type { NestedArray };
/** Everything `Tensor.from` understands. */
export type TensorData = Tensor | ArrayLike<number> | NestedArray;

const KEY = Symbol("scratchnet.Tensor");
// set by the class's static block (declared first: the block runs while the class is defined)
let isTensorImpl: (x: unknown) => boolean;
let heapTensorImpl: (heap: FloatArray, shape: Shape, dtype: DType) => Tensor;
let wasmTensorImpl: (block: WasmBlock, byteOffset: number, shape: Shape, dtype: DType) => Tensor;
let heapOfImpl: (t: Tensor) => FloatArray | null;
let blockOfImpl: (t: Tensor) => WasmBlock | null;
let ptrOfImpl: (t: Tensor) => number;
let subViewImpl: (t: Tensor, firstElement: number, shape: Shape) => Tensor;
/** Elements toString prints before summarising. */
const PRINT_LIMIT = 1000;

export class Tensor {
  readonly #shape: Shape;
  readonly #size: number;
  readonly #dtype: DType;
  /** JS-heap storage (exactly `size` elements), or null for wasm storage. */
  readonly #heap: FloatArray | null;
  /** wasm storage: the owner's block and the byte offset of element 0 in it. */
  readonly #block: WasmBlock | null;
  readonly #offset: number;
  #view: FloatArray | null = null;

  /** Not for users: make tensors with Tensor.from / Tensor.zeros (a forged storage could reach a kernel). */
  private constructor(key: symbol, shape: Shape, dtype: DType, heap: FloatArray | null, block: WasmBlock | null, offset: number) {
    if (key !== KEY) fail("Tensor", "tensors are made with Tensor.from(data, shape?, dtype?) or Tensor.zeros(shape, dtype?), not `new Tensor`");
    this.#size = shape.reduce((a, b) => a * b, 1);
    this.#shape = Object.freeze([...shape]);
    this.#dtype = dtype;
    this.#heap = heap;
    this.#block = block;
    this.#offset = offset;
  }

  /** A new zero-filled tensor (on the JS heap). */
  static zeros(shape: Shape, dtype: DType = "float32"): Tensor {
    checkDType(dtype, "Tensor.zeros");
    const size = checkShape(shape, "Tensor.zeros");
    return new Tensor(KEY, shape, dtype, allocHeap(dtype, size, "Tensor.zeros"), null, 0);
  }

  /**
   * A new tensor holding a copy of `data`: a Tensor, a typed array, a plain array or nested
   * arrays (shape inferred). `shape` reshapes flat data. NaN and ±Infinity are refused.
   * dtype defaults to the Tensor's, float64 for Float64Array input and float32 otherwise.
   */
  static from(data: TensorData, shape?: Shape, dtype?: DType): Tensor {
    const where = "Tensor.from";
    if (dtype !== undefined) checkDType(dtype, where);
    let flat: ArrayLike<number>;
    let inferred: number[];
    if (isTensor(data)) {
      flat = data.data;
      inferred = [...data.shape];
      dtype ??= data.dtype;
    } else if (typeof data === "number") {
      flat = [data];
      inferred = [];
    } else if (ArrayBuffer.isView(data)) {
      if (!isNumberList(data)) fail(where, `cannot make a tensor from ${describeValue(data)} (a float or integer typed array, please)`);
      if (isDetached(data)) fail(where, "the typed array's buffer is detached (transferred, or a view of wasm memory from before it grew); pass a live array");
      flat = data as unknown as ArrayLike<number>;
      inferred = [flat.length];
      if (data instanceof Float64Array) dtype ??= "float64";
    } else if (Array.isArray(data)) {
      ({ flat, shape: inferred } = flattenNested(data as readonly NestedArray[], where));
    } else {
      return fail(where, `cannot make a tensor from ${describeValue(data)}`);
    }
    dtype ??= "float32";
    const target = shape ?? inferred;
    const size = checkShape(target, where);
    if (size !== flat.length) fail(where, `${flat.length} values do not fit shape ${formatShape(target)} (${size} elements)`);
    for (let i = 0; i < flat.length; i++) {
      const v = flat[i];
      if (typeof v !== "number" || !Number.isFinite(v)) fail(where, `value at flat index ${i} is ${describeValue(v)}; inputs must be finite numbers`);
    }
    const heap = allocHeap(dtype, size, where);
    heap.set(flat);
    return new Tensor(KEY, target, dtype, heap, null, 0);
  }

  get shape(): Shape {
    return Tensor.#own(this, "Tensor.shape").#shape;
  }

  get size(): number {
    return Tensor.#own(this, "Tensor.size").#size;
  }

  get dtype(): DType {
    return Tensor.#own(this, "Tensor.dtype").#dtype;
  }

  get ndim(): number {
    return Tensor.#own(this, "Tensor.ndim").#shape.length;
  }

  // read-only: a tensor's shape, size and dtype describe its storage; changing one would let
  // a kernel read past the end of it. Assigning throws a named error, not a silent no-op.
  set shape(_: Shape) { readOnly("shape"); }
  set size(_: number) { readOnly("size"); }
  set dtype(_: DType) { readOnly("dtype"); }
  set ndim(_: number) { readOnly("ndim"); }
  set data(_: FloatArray) { readOnly("data", "write into it instead: t.data.set(values)"); }

  /**
   * The elements (row-major) as a writable typed array. For a JS-heap tensor it is the storage
   * itself. For a tensor in wasm memory (params.W1, a layer output) it is a live view: re-read
   * it after any call that may allocate rather than keeping it (memory growth detaches views).
   */
  get data(): FloatArray {
    const t = Tensor.#own(this, "Tensor.data");
    if (t.#heap !== null) return t.#heap;
    const ptr = (t.#block as WasmBlock).ptr + t.#offset; // throws once the owner freed the block
    const buffer = getCore().memory.buffer;
    if (t.#view === null || t.#view.buffer !== buffer) t.#view = new (arrayTypeOf(t.#dtype))(buffer, ptr, t.#size);
    return t.#view;
  }

  /** The same storage seen with another shape (one dimension may be -1). */
  reshape(...dims: number[] | [Shape]): Tensor {
    const t = Tensor.#own(this, "Tensor.reshape");
    const shape = (dims.length === 1 && Array.isArray(dims[0]) ? dims[0] : dims) as number[];
    const size = t.#size;
    checkShape(shape.map((d) => (d === -1 ? 0 : d)), "Tensor.reshape"); // integers ≥ 0 or -1
    const free = shape.indexOf(-1);
    let resolved = shape;
    if (free >= 0) {
      const known = shape.reduce((p, d, i) => (i === free ? p : p * d), 1);
      // like numpy: one -1 at most, and it must resolve to a whole non-negative number
      if (shape.indexOf(-1, free + 1) >= 0 || known <= 0 || size % known !== 0) {
        fail("Tensor.reshape", `cannot reshape ${formatShape(t.#shape)} (${size} elements) to ${formatShape(shape)}`);
      }
      resolved = shape.map((d, i) => (i === free ? size / known : d));
    }
    if (checkShape(resolved, "Tensor.reshape") !== size) fail("Tensor.reshape", `cannot reshape ${formatShape(t.#shape)} (${size} elements) to ${formatShape(shape)}`);
    if (t.#block !== null) void t.#block.ptr; // a view of freed memory is refused now, not at first use
    return new Tensor(KEY, resolved, t.#dtype, t.#heap, t.#block, t.#offset);
  }

  /** A deep copy on the JS heap (optionally converted to another dtype). */
  clone(dtype?: DType): Tensor {
    const t = Tensor.#own(this, "Tensor.clone");
    const to = dtype === undefined ? t.#dtype : checkDType(dtype, "Tensor.clone");
    const heap = allocHeap(to, t.#size, "Tensor.clone");
    heap.set(t.data);
    return new Tensor(KEY, t.#shape, to, heap, null, 0);
  }

  /** Element at a multi-index, e.g. `W.get(0, 2)`. */
  get(...index: number[]): number {
    const t = Tensor.#own(this, "Tensor.get");
    return t.data[t.#flatIndex(index, "Tensor.get")];
  }

  /** Set the element at a multi-index: `W.set(0.5, 0, 2)`. */
  set(value: number, ...index: number[]): void {
    const t = Tensor.#own(this, "Tensor.set");
    if (typeof value !== "number") fail("Tensor.set", `value must be a number, got ${describeValue(value)}`);
    t.data[t.#flatIndex(index, "Tensor.set")] = value;
  }

  /** Nested plain arrays (a number for a 0-d tensor), like numpy's tolist(). */
  toArray(): NestedArray {
    const t = Tensor.#own(this, "Tensor.toArray");
    const data = t.data, shape = t.#shape;
    if (shape.length === 0) return data[0];
    const build = (dim: number, offset: number): NestedArray[] => {
      const n = shape[dim];
      const stride = shape.slice(dim + 1).reduce((a, b) => a * b, 1);
      const out: NestedArray[] = [];
      for (let i = 0; i < n; i++) {
        out.push(dim === shape.length - 1 ? data[offset + i] : build(dim + 1, offset + i * stride));
      }
      return out;
    };
    return build(0, 0);
  }

  toString(): string {
    const t = Tensor.#own(this, "Tensor.toString");
    const head = `Tensor(${formatShape(t.#shape)}, ${t.#dtype})`;
    if (t.#block?.freed) return `${head} <freed>`;
    if (t.#size <= PRINT_LIMIT) return `${head} ${JSON.stringify(t.toArray())}`;
    return `${head} [${Array.from(t.data.subarray(0, 10)).join(", ")}, … ${t.#size - 10} more]`;
  }

  #flatIndex(index: number[], where: string): number {
    const shape = this.#shape;
    if (index.length !== shape.length) fail(where, `need ${shape.length} indices for shape ${formatShape(shape)}, got ${index.length}`);
    let flat = 0;
    for (let d = 0; d < index.length; d++) {
      const i = index[d];
      if (typeof i !== "number" || !Number.isInteger(i) || i < 0 || i >= shape[d]) {
        fail(where, `index [${index.map(describeValue).join(", ")}] is out of range for shape ${formatShape(shape)}`);
      }
      flat = flat * shape[d] + i;
    }
    return flat;
  }

  /** `t` if it is a real Tensor (made by this module), else a named error: forged objects never reach a kernel. */
  static #own(t: unknown, where: string): Tensor {
    if (typeof t !== "object" || t === null || !(#shape in t)) fail(where, `called on ${describeValue(t)} that is not a Tensor made by Tensor.from or Tensor.zeros`);
    return t as Tensor;
  }

  static {
    isTensorImpl = (x) => typeof x === "object" && x !== null && #shape in x;
    heapTensorImpl = (heap, shape, dtype) => new Tensor(KEY, shape, dtype, heap, null, 0);
    wasmTensorImpl = (block, offset, shape, dtype) => new Tensor(KEY, shape, dtype, null, block, offset);
    heapOfImpl = (t) => t.#heap;
    blockOfImpl = (t) => t.#block;
    subViewImpl = (t, first, shape) => {
      const n = shape.reduce((a, b) => a * b, 1);
      if (first < 0 || first + n > t.#size) fail("scratchnet", "internal: sub-view out of range");
      return t.#heap !== null
        ? new Tensor(KEY, shape, t.#dtype, t.#heap.subarray(first, first + n), null, 0)
        : new Tensor(KEY, shape, t.#dtype, null, t.#block, t.#offset + first * bytesPerElement(t.#dtype));
    };
    ptrOfImpl = (t) => {
      if (t.#block === null) fail("scratchnet", "internal: a JS-heap tensor has no wasm address (stage it through the scratch)");
      return t.#block.ptr + t.#offset;
    };
  }
}

function readOnly(name: string, hint = "make a new tensor with reshape(), clone() or Tensor.from()"): never {
  return fail(`Tensor.${name}`, `is read-only; ${hint}`);
}

/** A zeroed typed array of `size` elements, or a named error when the JS heap cannot hold it. */
function allocHeap(dtype: DType, size: number, where: string): FloatArray {
  try {
    return new (arrayTypeOf(dtype))(size);
  } catch (cause) {
    return fail(where, `cannot allocate ${size * bytesPerElement(dtype)} bytes for ${size} ${dtype} values (${(cause as Error).message})`);
  }
}

// ---- module-private: for library code only (the package entry points do not export these) ----

/** True for real Tensors (a brand check: duck-typed and Object.create'd imitations fail it). */
export function isTensor(x: unknown): x is Tensor {
  return isTensorImpl(x);
}

/** A tensor whose storage is `heap` itself (no copy; `heap.length` must be the shape's size). */
export function heapTensor(heap: FloatArray, shape: Shape, dtype: DType): Tensor {
  return heapTensorImpl(heap, shape, dtype);
}

/** A tensor viewing `block` at `byteOffset` (the caller guarantees it fits and is aligned). */
export function wasmTensor(block: WasmBlock, byteOffset: number, shape: Shape, dtype: DType): Tensor {
  return wasmTensorImpl(block, byteOffset, shape, dtype);
}

/** The JS-heap storage of `t`, or null when it lives in wasm memory. */
export function heapOf(t: Tensor): FloatArray | null {
  return heapOfImpl(t);
}

/** The wasm block of `t`, or null for a JS-heap tensor. */
export function blockOf(t: Tensor): WasmBlock | null {
  return blockOfImpl(t);
}

/** Byte address of element 0 of a wasm-backed tensor (throws for heap tensors and freed blocks). */
export function ptrOf(t: Tensor): number {
  return ptrOfImpl(t);
}

/** Elements [first, first + size(shape)) of `t` as a tensor of `shape` sharing its storage. */
export function subView(t: Tensor, firstElement: number, shape: Shape): Tensor {
  return subViewImpl(t, firstElement, shape);
}

export { asTensor, checkTensor, markTrusted, firstNonFinite, assertFinite } from "./tensor/checks.js";
