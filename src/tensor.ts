// Tensor: a shape, a dtype and a window onto wasm memory. The numbers never live on the JS
// heap; `.data` is a typed-array view re-derived whenever memory growth detached the old one.
import { getCore } from "./core/core.js";
import { WasmBlock } from "./core/block.js";
import { arrayTypeOf, bytesPerElement, checkDType, type DType, type FloatArray } from "./dtype.js";
import { checkShape, fail, formatShape, type Shape } from "./shape.js";
import { flattenNested, type NestedArray } from "./nested.js";

export type { NestedArray };
/** Everything `Tensor.from` understands. */
export type TensorData = Tensor | ArrayLike<number> | NestedArray;

export class Tensor {
  readonly shape: Shape;
  readonly size: number;
  readonly dtype: DType;
  /** The memory this tensor looks into (shared by views such as `reshape` or `params.W1`). */
  readonly block: WasmBlock;
  /** Byte offset of element 0 inside `block`. */
  readonly byteOffset: number;
  private view: FloatArray | null = null;

  /** Low level: a view of `block`. Use Tensor.from / Tensor.zeros instead. */
  constructor(block: WasmBlock, byteOffset: number, shape: Shape, dtype: DType) {
    this.size = checkShape(shape, "Tensor");
    if (byteOffset + this.size * bytesPerElement(dtype) > block.byteLength) {
      fail("Tensor", `shape ${formatShape(shape)} (${dtype}) does not fit in a ${block.byteLength}-byte block at offset ${byteOffset}`);
    }
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.block = block;
    this.byteOffset = byteOffset;
  }

  /** A new zero-filled tensor. */
  static zeros(shape: Shape, dtype: DType = "float32"): Tensor {
    checkDType(dtype, "Tensor.zeros");
    const size = checkShape(shape, "Tensor.zeros");
    const t = new Tensor(new WasmBlock(size * bytesPerElement(dtype)), 0, shape, dtype);
    t.data.fill(0);
    return t;
  }

  /**
   * A new tensor holding a copy of `data`: a Tensor, a typed array, a plain array or nested
   * arrays (shape inferred). `shape` reshapes flat data. NaN and ±Infinity are refused.
   * dtype defaults to float64 for Float64Array input and float32 otherwise.
   */
  static from(data: TensorData, shape?: Shape, dtype?: DType): Tensor {
    const where = "Tensor.from";
    if (dtype !== undefined) checkDType(dtype, where);
    let flat: ArrayLike<number>;
    let inferred: number[];
    if (data instanceof Tensor) {
      flat = data.data;
      inferred = [...data.shape];
      dtype ??= data.dtype;
    } else if (typeof data === "number") {
      flat = [data];
      inferred = [];
    } else if (ArrayBuffer.isView(data)) {
      flat = data as unknown as ArrayLike<number>;
      inferred = [flat.length];
      if (data instanceof Float64Array) dtype ??= "float64";
    } else if (Array.isArray(data)) {
      ({ flat, shape: inferred } = flattenNested(data as readonly NestedArray[], where));
    } else {
      return fail(where, `cannot make a tensor from ${describe(data)}`);
    }
    dtype ??= "float32";
    const target = shape ?? inferred;
    const size = checkShape(target, where);
    if (size !== flat.length) fail(where, `${flat.length} values do not fit shape ${formatShape(target)} (${size} elements)`);
    for (let i = 0; i < flat.length; i++) {
      const v = flat[i];
      if (typeof v !== "number" || !Number.isFinite(v)) fail(where, `value at flat index ${i} is ${String(v)}; inputs must be finite numbers`);
    }
    const t = new Tensor(new WasmBlock(size * bytesPerElement(dtype)), 0, target, dtype);
    t.data.set(flat);
    return t;
  }

  /** Byte address of element 0 in wasm memory (what kernels receive). */
  get ptr(): number {
    return this.block.ptr + this.byteOffset;
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** Live, writable view of the elements (row-major). Do not keep it across calls that may grow memory. */
  get data(): FloatArray {
    const buffer = getCore().memory.buffer;
    if (this.view === null || this.view.buffer !== buffer) {
      this.view = new (arrayTypeOf(this.dtype))(buffer, this.ptr, this.size);
    }
    return this.view;
  }

  /** The same memory seen with another shape (one dimension may be -1). */
  reshape(...dims: number[] | [Shape]): Tensor {
    const shape = (Array.isArray(dims[0]) ? dims[0] : dims) as number[];
    const free = shape.indexOf(-1);
    let resolved = shape;
    if (free >= 0) {
      const known = shape.reduce((p, d, i) => (i === free ? p : p * d), 1);
      // like numpy: one -1 at most, and it must resolve to a whole non-negative number
      if (shape.indexOf(-1, free + 1) >= 0 || known <= 0 || this.size % known !== 0) {
        fail("Tensor.reshape", `cannot reshape ${formatShape(this.shape)} (${this.size} elements) to ${formatShape(shape)}`);
      }
      resolved = shape.map((d, i) => (i === free ? this.size / known : d));
    }
    const size = checkShape(resolved, "Tensor.reshape");
    if (size !== this.size) fail("Tensor.reshape", `cannot reshape ${formatShape(this.shape)} (${this.size} elements) to ${formatShape(shape)}`);
    return new Tensor(this.block, this.byteOffset, resolved, this.dtype);
  }

  /** A deep copy in fresh memory (optionally converted to another dtype). */
  clone(dtype: DType = this.dtype): Tensor {
    const t = new Tensor(new WasmBlock(this.size * bytesPerElement(dtype)), 0, this.shape, dtype);
    t.data.set(this.data);
    return t;
  }

  /** Element at a multi-index, e.g. `W.get(0, 2)`. */
  get(...index: number[]): number {
    return this.data[this.flatIndex(index, "Tensor.get")];
  }

  /** Set the element at a multi-index: `W.set(0.5, 0, 2)`. */
  set(value: number, ...index: number[]): void {
    this.data[this.flatIndex(index, "Tensor.set")] = value;
  }

  /** Nested plain arrays (a number for a 0-d tensor), like numpy's tolist(). */
  toArray(): NestedArray {
    const data = this.data;
    if (this.shape.length === 0) return data[0];
    const build = (dim: number, offset: number): NestedArray[] => {
      const n = this.shape[dim];
      const stride = this.shape.slice(dim + 1).reduce((a, b) => a * b, 1);
      const out: NestedArray[] = [];
      for (let i = 0; i < n; i++) {
        out.push(dim === this.shape.length - 1 ? data[offset + i] : build(dim + 1, offset + i * stride));
      }
      return out;
    };
    return build(0, 0);
  }

  toString(): string {
    return `Tensor(${formatShape(this.shape)}, ${this.dtype}) ${JSON.stringify(this.toArray())}`;
  }

  private flatIndex(index: number[], where: string): number {
    if (index.length !== this.shape.length) fail(where, `need ${this.shape.length} indices for shape ${formatShape(this.shape)}, got ${index.length}`);
    let flat = 0;
    for (let d = 0; d < index.length; d++) {
      const i = index[d];
      if (!Number.isInteger(i) || i < 0 || i >= this.shape[d]) fail(where, `index ${JSON.stringify(index)} is out of range for shape ${formatShape(this.shape)}`);
      flat = flat * this.shape[d] + i;
    }
    return flat;
  }
}

/** `x` as a Tensor: Tensors pass through, anything else is copied in by Tensor.from. */
export function asTensor(x: TensorData, dtype?: DType): Tensor {
  return x instanceof Tensor ? x : Tensor.from(x, undefined, dtype);
}

// Tensors the library filled itself from finite sources (uint8 images gathered by a sampler).
// Input checks skip them: the training loop must not rescan every batch it just built.
const trustedInputs = new WeakSet<Tensor>();

/** Internal: mark a tensor whose contents are finite by construction. */
export function markTrusted(t: Tensor): void {
  trustedInputs.add(t);
}

/** Index of the first NaN/±Infinity in `t`, or -1 (one SIMD pass in wasm). */
export function firstNonFinite(t: Tensor): number {
  return getCore().kernels(t.dtype).firstNonFinite(t.ptr, t.size);
}

/** Throws if `t` holds NaN or ±Infinity, naming the caller and the position. */
export function assertFinite(t: Tensor, where: string, name: string): void {
  if (trustedInputs.has(t)) return;
  const i = firstNonFinite(t);
  if (i >= 0) fail(where, `${name} ${formatShape(t.shape)} holds ${t.data[i]} at flat index ${i}; inputs must be finite`);
}

function describe(x: unknown): string {
  if (x === null) return "null";
  if (typeof x === "object") return `an object of type ${(x as object).constructor?.name ?? "Object"}`;
  return `a ${typeof x}`;
}
