// The unpickler's internal objects, and their conversion into what loadPickle returns.
// Internal objects exist because pickles build values in steps: a dict is created empty and
// filled later, an array is created by _reconstruct and gets its data from a later BUILD, and
// both may already sit in other containers (via the memo) when that happens. Only at the end,
// when everything is known, are they turned into plain JS values — in one walk that keeps shared
// references shared (and cycles cyclic) and refuses nesting deeper than a limit.
import { FileFormatError } from "./format-error.js";
import { toNumpyValue, type NumpyDType, type NumpyValue, type RawArray } from "./ndarray.js";

export class PyList {
  readonly items: unknown[] = [];
  constructor(readonly offset: number) {}
}

export class PyTuple {
  constructor(readonly items: unknown[], readonly offset: number) {}
}

export class PyDict {
  readonly map = new Map<unknown, unknown>();
  constructor(readonly offset: number) {}
}

export class PySet {
  readonly items = new Set<unknown>();
  constructor(readonly offset: number, readonly frozen: boolean) {}
}

/** A global the allow-list resolved (GLOBAL / STACK_GLOBAL); see pickle-globals.ts. */
export class PyGlobal {
  constructor(readonly module: string, readonly name: string) {}
  get qualifiedName(): string {
    return `${this.module}.${this.name}`;
  }
}

/** numpy.dtype(code, align, copy), byte order set by its BUILD. */
export class PyDType {
  littleEndian = true;
  constructor(readonly dtype: NumpyDType, readonly code: string, readonly offset: number) {}
}

/** An ndarray; `raw` is null between _reconstruct and the BUILD that supplies shape, dtype and data. */
export class PyArray {
  raw: RawArray | null = null;
  constructor(readonly offset: number) {}
}

/** A dict whose keys are all strings becomes a plain object; any other key makes it a Map. */
export type PickleDict = { [key: string]: PickleValue };

/** What loadPickle returns: float arrays are Tensors, integer/bool arrays NumpyArrays. */
export type PickleValue =
  | null | boolean | number | bigint | string | Uint8Array | NumpyValue
  | PickleValue[] | PickleDict | Map<PickleValue, PickleValue> | Set<PickleValue>;

/**
 * The public value of `root`. `maxDepth` bounds container nesting; recursion is therefore
 * bounded too (a few frames per level), so hostile nesting is an error, never a stack overflow.
 * Every object is converted once (shared stays shared), and the arrays together may hold no more
 * bytes than the file (`fileBytes`): numpy writes each array's data once, so more means one
 * memoized buffer feeding many arrays — a way to turn a small file into gigabytes.
 */
export function toPickleValue(root: unknown, file: string, maxDepth: number, fileBytes: number): PickleValue {
  const done = new Map<object, PickleValue>();
  let arrayBytes = 0;

  const convert = (v: unknown, depth: number): PickleValue => {
    if (v === null || typeof v !== "object") return v as PickleValue; // number, bigint, string, boolean, null
    const known = done.get(v);
    if (known !== undefined) return known;
    if (v instanceof Uint8Array) {
      const copy = new Uint8Array(v); // bytes: a copy, not a view of the file (Buffer.slice would be a view)
      done.set(v, copy);
      return copy;
    }
    if (depth >= maxDepth) {
      const at = (v as { offset?: number }).offset;
      throw new FileFormatError(`${file}: containers nested more than ${maxDepth} levels deep (level ${depth + 1} was created at byte ${at}); refused`, at);
    }
    if (v instanceof PyList || v instanceof PyTuple) {
      const out: PickleValue[] = [];
      done.set(v, out);
      for (const item of v.items) out.push(convert(item, depth + 1));
      return out;
    }
    if (v instanceof PyDict) {
      const stringKeys = [...v.map.keys()].every((k) => typeof k === "string");
      if (stringKeys) {
        const out: PickleDict = {};
        done.set(v, out);
        for (const [k, item] of v.map) {
          // defineProperty, not assignment: a key named "__proto__" must stay an ordinary key
          Object.defineProperty(out, k as string, { value: convert(item, depth + 1), enumerable: true, writable: true, configurable: true });
        }
        return out;
      }
      const out = new Map<PickleValue, PickleValue>();
      done.set(v, out);
      for (const [k, item] of v.map) out.set(convert(k, depth + 1), convert(item, depth + 1));
      return out;
    }
    if (v instanceof PySet) {
      const out = new Set<PickleValue>();
      done.set(v, out);
      for (const item of v.items) out.add(convert(item, depth + 1));
      return out;
    }
    if (v instanceof PyArray) {
      if (v.raw === null) {
        throw new FileFormatError(`${file}: the array created at byte ${v.offset} never received its shape and data (no BUILD)`, v.offset);
      }
      arrayBytes += v.raw.bytes.byteLength;
      if (arrayBytes > fileBytes) {
        throw new FileFormatError(`${file}: the arrays would hold more bytes than the file has (${fileBytes}): data reused by several arrays (the one created at byte ${v.offset}); refused`, v.offset);
      }
      const out = toNumpyValue(v.raw);
      done.set(v, out);
      return out;
    }
    if (v instanceof PyDType) return v.dtype; // a bare dtype object: its name
    if (v instanceof PyGlobal) {
      throw new FileFormatError(`${file}: the result holds a bare reference to ${v.qualifiedName}; only data (arrays, containers, numbers, strings) is returned`);
    }
    throw new FileFormatError(`${file}: internal: unexpected value ${String(v)}`);
  };

  return convert(root, 0);
}
