// The unpickler's allow-list. A pickle names Python callables (GLOBAL / STACK_GLOBAL) and asks the
// loader to call them (REDUCE) or to set their state (BUILD); Python's own loader imports and
// runs whatever is named, which is why loading an untrusted pickle can run `os.system`. Here a
// name resolves only if it is in this table, and each entry is a small TypeScript function that
// rebuilds *data* the way numpy would — it never imports or runs anything named in the file.
import { dtypeFromCode, elementCount, itemSize, widenFloat16 } from "./ndarray.js";
import { PyArray, PyDict, PyDType, PyGlobal, PyList, PySet, PyTuple } from "./pickle-values.js";

/** Throws a FileFormatError naming the file, byte offset and opcode. */
export type Fail = (message: string) => never;

type Call = (args: readonly unknown[], offset: number, fail: Fail) => unknown;

const reconstruct: Call = (args, offset, fail) => {
  const [cls] = args;
  if (args.length !== 3) fail(`_reconstruct takes (ndarray, shape, typecode), got ${args.length} arguments`);
  if (!(cls instanceof PyGlobal) || cls.qualifiedName !== "numpy.ndarray") {
    fail(`_reconstruct of ${describe(cls)} is refused: only plain numpy.ndarray is rebuilt (no subclasses)`);
  }
  return new PyArray(offset); // shape, dtype and data arrive with BUILD
};

const dtype: Call = (args, offset, fail) => {
  const [code] = args;
  if (args.length < 1 || args.length > 3 || typeof code !== "string") fail(`numpy.dtype takes (code, align, copy), got ${describeArgs(args)}`);
  const found = dtypeFromCode(code as string);
  if ("refused" in found) fail(found.refused);
  return new PyDType((found as { dtype: PyDType["dtype"] }).dtype, code as string, offset);
};

const scalar: Call = (args, _offset, fail) => {
  const [type, data] = args;
  if (args.length !== 2 || !(type instanceof PyDType)) fail(`numpy scalar takes (dtype, data), got ${describeArgs(args)}`);
  const t = type as PyDType;
  const bytes = typeof data === "string" ? latin1Bytes(data, fail) : data;
  if (!(bytes instanceof Uint8Array) || bytes.byteLength !== itemSize(t.dtype)) {
    fail(`a ${t.dtype} scalar needs ${itemSize(t.dtype)} bytes, got ${describe(data)}`);
  }
  const b = bytes as Uint8Array;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const le = t.littleEndian;
  switch (t.dtype) {
    case "bool": return b[0] !== 0;
    case "int8": return view.getInt8(0);
    case "uint8": return view.getUint8(0);
    case "int16": return view.getInt16(0, le);
    case "uint16": return view.getUint16(0, le);
    case "int32": return view.getInt32(0, le);
    case "uint32": return view.getUint32(0, le);
    case "int64": return smallest(view.getBigInt64(0, le));
    case "uint64": return smallest(view.getBigUint64(0, le));
    case "float16": return widenFloat16(new Uint16Array([view.getUint16(0, le)]))[0];
    case "float32": return view.getFloat32(0, le);
    case "float64": return view.getFloat64(0, le);
  }
};

/** numpy ≥ 1.16 with protocol 5: _frombuffer(buffer, dtype, shape, order) — a complete array. */
const frombuffer: Call = (args, offset, fail) => {
  const [buffer, type, shape, order] = args;
  if (args.length !== 4 || !(buffer instanceof Uint8Array) || !(type instanceof PyDType) || (order !== "C" && order !== "F")) {
    fail(`_frombuffer takes (bytes, dtype, shape, 'C' or 'F'), got ${describeArgs(args)}`);
  }
  const array = new PyArray(offset);
  setArray(array, shape, type as PyDType, order === "F", buffer as Uint8Array, fail);
  return array;
};

const orderedDict: Call = (args, offset, fail) => {
  if (args.length !== 0) fail(`collections.OrderedDict is rebuilt from () and SETITEMS, got ${describeArgs(args)}`);
  return new PyDict(offset);
};

/** Protocol 2 writes bytes as _codecs.encode(text, 'latin1'). */
const encode: Call = (args, _offset, fail) => {
  const [text, encoding] = args;
  if (args.length !== 2 || typeof text !== "string" || typeof encoding !== "string" || !/^latin-?1$/i.test(encoding)) {
    fail(`_codecs.encode is allowed only as (text, 'latin1'), the way protocol 2 writes bytes; got ${describeArgs(args)}`);
  }
  return latin1Bytes(text as string, fail);
};

const bytesLike: Call = (args, _offset, fail) => {
  if (args.length === 0) return new Uint8Array(0);
  if (args.length === 1 && args[0] instanceof Uint8Array) return args[0];
  return fail(`bytes/bytearray is rebuilt from () or (bytes,), got ${describeArgs(args)}`);
};

const set = (frozen: boolean): Call => (args, offset, fail) => {
  const out = new PySet(offset, frozen);
  if (args.length === 0) return out;
  const [items] = args;
  if (args.length !== 1 || !(items instanceof PyList || items instanceof PyTuple)) fail(`set/frozenset is rebuilt from () or (list,), got ${describeArgs(args)}`);
  for (const item of (items as PyList).items) out.items.add(hashable(item, fail));
  return out;
};

/** Module-qualified names → what calling them does; `null` marks a class usable only as an argument. */
const ALLOWED = new Map<string, Call | null>([
  ["numpy.core.multiarray._reconstruct", reconstruct],
  ["numpy._core.multiarray._reconstruct", reconstruct],
  ["numpy.ndarray", null],
  ["numpy.dtype", dtype],
  ["numpy.core.multiarray.scalar", scalar],
  ["numpy._core.multiarray.scalar", scalar],
  ["numpy.core.numeric._frombuffer", frombuffer],
  ["numpy._core.numeric._frombuffer", frombuffer],
  ["collections.OrderedDict", orderedDict],
  ["_codecs.encode", encode],
  ["builtins.bytes", bytesLike],
  ["builtins.bytearray", bytesLike],
  ["builtins.set", set(false)],
  ["builtins.frozenset", set(true)],
]);

/** The global if it is on the allow-list; otherwise a refusal naming it. */
export function resolveGlobal(module: string, name: string, fail: Fail): PyGlobal {
  // Python 2 names, as protocol 2 writes them for compatibility (pickle's fix_imports).
  const mod = module === "__builtin__" ? "builtins" : module;
  if (!ALLOWED.has(`${mod}.${name}`)) {
    fail(`refused global ${module}.${name}: only numpy arrays, numpy scalars and plain containers are rebuilt; nothing named in a file is ever imported or run`);
  }
  return new PyGlobal(mod, name);
}

/** REDUCE: call an allowed global with `args`. */
export function callGlobal(callable: unknown, args: readonly unknown[], offset: number, fail: Fail): unknown {
  if (!(callable instanceof PyGlobal)) return fail(`cannot call ${describe(callable)}`);
  const call = ALLOWED.get(callable.qualifiedName);
  if (!call) return fail(`${callable.qualifiedName} is allowed only as an argument (numpy.ndarray for _reconstruct); calling it is refused`);
  return call(args, offset, fail);
}

/** BUILD: numpy's __setstate__ for arrays and dtypes; anything else is refused. */
export function buildState(target: unknown, state: unknown, fail: Fail): void {
  if (target instanceof PyDType) return setDTypeState(target, state, fail);
  if (target instanceof PyArray) {
    if (target.raw !== null) fail("the array already has its data (BUILD twice)");
    const items = state instanceof PyTuple ? state.items : [];
    // numpy writes (version, shape, dtype, is_fortran, data); it also reads the 4-tuple without version
    const fields = items.length === 5 ? items.slice(1) : items;
    if (fields.length !== 4) return fail(`an ndarray's state is (version, shape, dtype, is_fortran, data), got ${describe(state)}`);
    const [shape, type, fortran, data] = fields;
    if (!(type instanceof PyDType)) return fail(`the array's dtype is ${describe(type)}, not a numpy.dtype`);
    if (typeof fortran !== "boolean" && fortran !== 0 && fortran !== 1) return fail(`the array's is_fortran flag is ${describe(fortran)}`);
    if (data instanceof PyList) return fail("the array holds Python objects (dtype=object); refused, they would need pickle execution");
    const bytes = typeof data === "string" ? latin1Bytes(data, fail) : data;
    if (!(bytes instanceof Uint8Array)) return fail(`the array's data is ${describe(data)}, not bytes`);
    return setArray(target, shape, type, Boolean(fortran), bytes, fail);
  }
  fail(`BUILD (setting the state of an object) is allowed only on numpy arrays and dtypes, not on ${describe(target)}`);
}

function setDTypeState(target: PyDType, state: unknown, fail: Fail): void {
  const items = state instanceof PyTuple ? state.items : null;
  if (!items || (items[0] !== 3 && items[0] !== 4) || items.length < 8) {
    return fail(`numpy.dtype state must be (3 or 4, byteorder, None, None, None, elsize, alignment, flags …), got ${describe(state)}`);
  }
  const [, order, subarray, names, fields] = items;
  if (subarray !== null || names !== null || fields !== null) {
    return fail(`dtype '${target.code}' is a structured or subarray dtype; refused (scratchnet reads plain numeric arrays)`);
  }
  if (order !== "<" && order !== ">" && order !== "|" && order !== "=") return fail(`numpy.dtype byte order ${describe(order)} is not one of < > | =`);
  target.littleEndian = order !== ">";
}

function setArray(target: PyArray, shape: unknown, type: PyDType, fortranOrder: boolean, bytes: Uint8Array, fail: Fail): void {
  const dims = shape instanceof PyTuple || shape instanceof PyList ? shape.items : null;
  const count = dims === null ? null : elementCount(dims);
  if (dims === null || count === null) return fail(`array shape ${describe(shape)} is not a tuple of non-negative integers`);
  const need = count * itemSize(type.dtype);
  if (bytes.byteLength !== need) {
    return fail(`array data holds ${bytes.byteLength} bytes, but shape (${dims.join(", ")}) of ${type.dtype} needs ${need}`);
  }
  target.raw = { dtype: type.dtype, shape: dims as number[], littleEndian: type.littleEndian, fortranOrder, bytes };
}

/** Dict keys and set members must be hashable in Python; refusing the rest keeps Maps meaningful. */
export function hashable(v: unknown, fail: Fail): unknown {
  if (v instanceof PyList || v instanceof PyDict || v instanceof PyArray || (v instanceof PySet && !v.frozen)) {
    fail(`unhashable ${describe(v)} used as a dict key or set member`);
  }
  return v;
}

function latin1Bytes(text: string, fail: Fail): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) fail(`text meant as latin-1 bytes holds U+${c.toString(16).toUpperCase().padStart(4, "0")} at index ${i}`);
    out[i] = c;
  }
  return out;
}

function smallest(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

export function describe(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "None";
  if (v instanceof PyGlobal) return v.qualifiedName;
  if (v instanceof PyList) return "a list";
  if (v instanceof PyTuple) return `a ${v.items.length}-tuple`;
  if (v instanceof PyDict) return "a dict";
  if (v instanceof PySet) return v.frozen ? "a frozenset" : "a set";
  if (v instanceof PyArray) return "an ndarray";
  if (v instanceof PyDType) return `dtype '${v.code}'`;
  if (v instanceof Uint8Array) return `${v.byteLength} bytes`;
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === "bigint") return `the int ${v}`;
  return `${typeof v} ${String(v)}`;
}

function describeArgs(args: readonly unknown[]): string {
  return `(${args.map(describe).join(", ")})`;
}
