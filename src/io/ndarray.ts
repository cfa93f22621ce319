// numpy arrays as the pickle/npy/npz readers and writers see them: the dtypes we support, their
// type codes ('<f4', '|b1' …), and the one conversion from raw file bytes (any byte order, C or
// Fortran order) to what users get — a Tensor for float data (float16 widened to float32), a
// NumpyArray (typed array + shape) for integers and booleans. Only the public Tensor API is used
// (Tensor.zeros, .data, .shape, .dtype), so this code does not care where tensor memory lives.
import { Tensor } from "../tensor.js";
import { formatShape } from "../shape.js";

export type NumpyDType =
  | "bool" | "int8" | "uint8" | "int16" | "uint16" | "int32" | "uint32" | "int64" | "uint64"
  | "float16" | "float32" | "float64";

/** Element storage per dtype; float16 is kept as its raw bits (Uint16Array). */
export type NumpyTypedArray =
  | Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Uint32Array
  | BigInt64Array | BigUint64Array | Float32Array | Float64Array;

type TypedArrayConstructor = { new (length: number): NumpyTypedArray; new (buffer: ArrayBuffer, byteOffset?: number, length?: number): NumpyTypedArray };

interface DTypeInfo { code: string; size: number; array: TypedArrayConstructor }

const INFO: Record<NumpyDType, DTypeInfo> = {
  bool: { code: "b1", size: 1, array: Uint8Array },
  int8: { code: "i1", size: 1, array: Int8Array },
  uint8: { code: "u1", size: 1, array: Uint8Array },
  int16: { code: "i2", size: 2, array: Int16Array },
  uint16: { code: "u2", size: 2, array: Uint16Array },
  int32: { code: "i4", size: 4, array: Int32Array },
  uint32: { code: "u4", size: 4, array: Uint32Array },
  int64: { code: "i8", size: 8, array: BigInt64Array },
  uint64: { code: "u8", size: 8, array: BigUint64Array },
  float16: { code: "f2", size: 2, array: Uint16Array },
  float32: { code: "f4", size: 4, array: Float32Array },
  float64: { code: "f8", size: 8, array: Float64Array },
};
const BY_CODE = new Map(Object.entries(INFO).map(([dtype, info]) => [info.code, dtype as NumpyDType]));

// numpy kinds we know but do not read, so the error can say what the file holds.
const UNSUPPORTED_KIND: Record<string, string> = {
  c: "complex numbers", U: "unicode strings", S: "byte strings", a: "byte strings", O: "Python objects (they would need pickle execution)",
  V: "structured/void records", M: "datetime64", m: "timedelta64",
};

export const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** An integer or boolean numpy array (float arrays become Tensors). `data` is C-ordered, host byte order. */
export class NumpyArray {
  readonly dtype: NumpyDType;
  readonly shape: readonly number[];
  readonly data: NumpyTypedArray;

  constructor(dtype: NumpyDType, shape: readonly number[], data: NumpyTypedArray) {
    const where = "NumpyArray";
    if (!Object.hasOwn(INFO, dtype)) throw new Error(`${where}: unknown dtype ${JSON.stringify(dtype)} (known: ${Object.keys(INFO).join(", ")})`);
    const count = elementCount(shape);
    if (count === null) throw new Error(`${where}: bad shape ${JSON.stringify(shape)}`);
    if (!(data instanceof INFO[dtype].array) || data.length !== count) {
      throw new Error(`${where}: ${dtype} ${formatShape(shape)} needs a ${INFO[dtype].array.name} of ${count} elements, got ${describeArray(data)}`);
    }
    this.dtype = dtype;
    this.shape = Object.freeze([...shape]);
    this.data = data;
  }

  get size(): number {
    return this.data.length;
  }
}

/** A value read from an array in a file: float data as a Tensor, the rest as a NumpyArray. */
export type NumpyValue = Tensor | NumpyArray;

const widened = new WeakSet<Tensor>();

/** True if the reader widened this tensor from float16 data (its dtype now says float32). */
export function wasFloat16(tensor: Tensor): boolean {
  return widened.has(tensor);
}

export function itemSize(dtype: NumpyDType): number {
  return INFO[dtype].size;
}

/** 'f4' style code (kind + item size, no byte order) of a dtype. */
export function typeCode(dtype: NumpyDType): string {
  return INFO[dtype].code;
}

/** The dtype a kind+size code ('f4', 'b1', 'u8') names, or a reason it is not read. */
export function dtypeFromCode(code: string): { dtype: NumpyDType } | { refused: string } {
  const dtype = BY_CODE.get(code);
  if (dtype) return { dtype };
  const kind = UNSUPPORTED_KIND[code[0]];
  if (kind) return { refused: `dtype '${code}' holds ${kind}; scratchnet reads bool, int8–64, uint8–64 and float16/32/64` };
  if (code[0] === "f") return { refused: `dtype '${code}' (a ${Number(code.slice(1)) * 8}-bit float, e.g. long double) is not supported; use float16/32/64` };
  return { refused: `unknown dtype '${code}'; scratchnet reads bool, int8–64, uint8–64 and float16/32/64` };
}

/**
 * Parse a full numpy type string ('<f4', '>i8', '|b1', '=u2') as found in .npy headers.
 * '=' is native order, which for any reader of these files (all little-endian hosts) is little.
 */
export function parseTypeString(typestr: string): { dtype: NumpyDType; littleEndian: boolean } | { refused: string } {
  const order = typestr[0];
  if (order !== "<" && order !== ">" && order !== "|" && order !== "=") {
    return { refused: `type string '${typestr}' does not start with a byte order (<, >, | or =)` };
  }
  const found = dtypeFromCode(typestr.slice(1));
  if ("refused" in found) return found;
  if (order === "|" && itemSize(found.dtype) !== 1) return { refused: `type string '${typestr}' has no byte order but ${itemSize(found.dtype)}-byte items` };
  return { dtype: found.dtype, littleEndian: order === ">" ? false : order === "=" ? HOST_IS_LITTLE_ENDIAN : true };
}

/** Product of the dimensions, or null if a dimension is not a non-negative safe integer or the product overflows. */
export function elementCount(shape: readonly unknown[]): number | null {
  if (!Array.isArray(shape)) return null;
  let count = 1;
  for (const d of shape) {
    if (typeof d !== "number" || !Number.isSafeInteger(d) || d < 0) return null;
    count *= d;
  }
  return Number.isSafeInteger(count) ? count : null;
}

/** What a file says about one array; `bytes.byteLength` has been checked to equal count × item size. */
export interface RawArray {
  dtype: NumpyDType;
  shape: readonly number[];
  littleEndian: boolean;
  fortranOrder: boolean;
  bytes: Uint8Array;
}

/** The user-facing value of a raw array: a fresh copy, C-ordered, host byte order. */
export function toNumpyValue(raw: RawArray): NumpyValue {
  const { dtype, shape, fortranOrder } = raw;
  const swap = raw.littleEndian !== HOST_IS_LITTLE_ENDIAN && itemSize(dtype) > 1;
  const reorder = fortranOrder && shape.length > 1;
  if ((dtype === "float32" || dtype === "float64") && !swap && !reorder) {
    // The common case (the book's params.pkl): one copy, file bytes straight into the tensor.
    const t = Tensor.zeros(shape, dtype);
    const d = t.data;
    new Uint8Array(d.buffer, d.byteOffset, d.byteLength).set(raw.bytes);
    return t;
  }
  let values = elementsOf(raw.bytes, dtype, swap);
  if (reorder) values = fortranToC(values, shape);
  if (dtype === "float16") {
    const t = Tensor.zeros(shape, "float32");
    t.data.set(widenFloat16(values as Uint16Array));
    widened.add(t);
    return t;
  }
  if (dtype === "float32" || dtype === "float64") {
    const t = Tensor.zeros(shape, dtype);
    t.data.set(values as Float32Array | Float64Array);
    return t;
  }
  return new NumpyArray(dtype, shape, values);
}

/** C-ordered little-endian bytes of a value, for the writers (a view when no conversion is needed). */
export function littleEndianBytes(value: NumpyValue, where: string): { dtype: NumpyDType; shape: readonly number[]; bytes: Uint8Array } {
  let dtype: NumpyDType;
  let data: NumpyTypedArray;
  if (value instanceof Tensor) {
    dtype = value.dtype;
    data = value.data;
  } else if (value instanceof NumpyArray) {
    dtype = value.dtype;
    data = value.data;
  } else {
    throw new Error(`${where}: expected a Tensor or a NumpyArray, got ${describeArray(value)}`);
  }
  let bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (!HOST_IS_LITTLE_ENDIAN && itemSize(dtype) > 1) bytes = swapBytes(new Uint8Array(bytes), itemSize(dtype));
  return { dtype, shape: value.shape, bytes };
}

function elementsOf(bytes: Uint8Array, dtype: NumpyDType, swap: boolean): NumpyTypedArray {
  // a fresh, aligned copy (new Uint8Array, not .slice(): Node's Buffer.slice returns a view)
  const copy = new Uint8Array(bytes);
  if (swap) swapBytes(copy, itemSize(dtype));
  return new INFO[dtype].array(copy.buffer, 0, copy.byteLength / itemSize(dtype));
}

function swapBytes(bytes: Uint8Array, size: number): Uint8Array {
  for (let i = 0; i < bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
  return bytes;
}

/** Fortran-ordered elements of `shape` rearranged into C (row-major) order. */
function fortranToC(src: NumpyTypedArray, shape: readonly number[]): NumpyTypedArray {
  const out = new (src.constructor as TypedArrayConstructor)(src.length) as unknown as { [i: number]: number | bigint };
  const from = src as unknown as { [i: number]: number | bigint };
  const n = shape.length;
  const stride: number[] = []; // Fortran strides, in elements
  for (let k = 0, s = 1; k < n; k++) {
    stride.push(s);
    s *= shape[k];
  }
  const index = new Array<number>(n).fill(0);
  let at = 0;
  for (let o = 0; o < src.length; o++) {
    out[o] = from[at];
    for (let k = n - 1; k >= 0; k--) { // odometer over C order, tracking the Fortran offset
      index[k]++;
      at += stride[k];
      if (index[k] < shape[k]) break;
      at -= stride[k] * shape[k];
      index[k] = 0;
    }
  }
  return out as unknown as NumpyTypedArray;
}

/** IEEE binary16 bits → float32 values, exact (subnormals normalised, NaN payloads kept). */
export function widenFloat16(half: Uint16Array): Float32Array {
  const bits = new Uint32Array(half.length);
  for (let i = 0; i < half.length; i++) {
    const h = half[i];
    const sign = (h & 0x8000) << 16;
    const exp = (h >> 10) & 0x1f;
    let mant = h & 0x3ff;
    if (exp === 0x1f) bits[i] = sign | 0x7f800000 | (mant << 13);
    else if (exp !== 0) bits[i] = sign | ((exp + 112) << 23) | (mant << 13);
    else if (mant === 0) bits[i] = sign;
    else {
      let e = 113;
      while ((mant & 0x400) === 0) {
        mant <<= 1;
        e--;
      }
      bits[i] = sign | (e << 23) | ((mant & 0x3ff) << 13);
    }
  }
  return new Float32Array(bits.buffer);
}

function describeArray(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  if (ArrayBuffer.isView(x)) return `a ${x.constructor.name} of ${(x as unknown as ArrayLike<unknown>).length} elements`;
  return typeof x === "object" ? `a ${(x as object).constructor?.name ?? "object"}` : `a ${typeof x}`;
}
