// Write the book's parameter file: a pickled dict {name: numpy array}, what `save_params` writes
// and `load_params` reads (pickle.load, then self.params[key] = val). Protocol 3 (every Python 3
// reads it; it is sample_weight.pkl's protocol), arrays as numpy pickles them —
// _reconstruct(ndarray, (0,), b'b') then BUILD with (1, shape, dtype, False, raw bytes) — so
// Python gets ordinary writable C-ordered arrays. The module is named numpy.core.multiarray: numpy 1
// knows only that name, and numpy 2 still resolves it (without a warning) for old pickles.
import { itemSize, littleEndianBytes, typeCode, type NumpyValue } from "./ndarray.js";

const PROTO = 0x80, EMPTY_DICT = 0x7d, MARK = 0x28, SETITEMS = 0x75, STOP = 0x2e, GLOBAL = 0x63;
const BININT = 0x4a, BININT1 = 0x4b, BININT2 = 0x4d, LONG1 = 0x8a, TUPLE = 0x74, TUPLE1 = 0x85, TUPLE3 = 0x87;
const NONE = 0x4e, NEWTRUE = 0x88, NEWFALSE = 0x89, REDUCE = 0x52, BUILD = 0x62;
const BINUNICODE = 0x58, SHORT_BINBYTES = 0x43, BINBYTES = 0x42;

/**
 * The bytes of a pickle (protocol 3) holding a dict of numpy arrays, in the record's key order:
 * Tensors become float32/float64 arrays, NumpyArrays keep their dtype. Python reads it with
 * `pickle.load(f)` (numpy 1.x or 2.x), exactly as the book's load_params does.
 */
export function encodePickleParams(params: Readonly<Record<string, NumpyValue>>): Uint8Array {
  const where = "encodePickleParams";
  if (typeof params !== "object" || params === null) throw new Error(`${where}: expected an object of arrays, got ${String(params)}`);
  const out = new PickleBytes();
  out.op(PROTO, 3);
  out.op(EMPTY_DICT);
  const entries = Object.entries(params);
  if (entries.length > 0) {
    out.op(MARK);
    for (const [key, value] of entries) {
      let array: ReturnType<typeof littleEndianBytes>;
      try {
        array = littleEndianBytes(value, where);
      } catch (e) {
        throw new Error(`${where}: ${key}: ${(e as Error).message}`, { cause: e });
      }
      if (array.bytes.byteLength > 0xffffffff) throw new Error(`${where}: ${key} has ${array.bytes.byteLength} bytes; protocol 3 holds at most 4 GiB per array`);
      out.text(key);
      // _reconstruct(ndarray, (0,), b'b'): an empty placeholder array …
      out.global("numpy.core.multiarray", "_reconstruct");
      out.global("numpy", "ndarray");
      out.op(BININT1, 0);
      out.op(TUPLE1);
      out.op(SHORT_BINBYTES, 1, 0x62);
      out.op(TUPLE3);
      out.op(REDUCE);
      // … then BUILD with (1, shape, dtype, is_fortran=False, data)
      out.op(MARK);
      out.int(1);
      out.op(MARK);
      for (const d of array.shape) out.int(d);
      out.op(TUPLE);
      out.global("numpy", "dtype");
      out.text(typeCode(array.dtype));
      out.op(NEWFALSE, NEWTRUE, TUPLE3, REDUCE);
      out.op(MARK);
      out.int(3);
      out.text(itemSize(array.dtype) === 1 ? "|" : "<");
      out.op(NONE, NONE, NONE);
      out.int(-1);
      out.int(-1);
      out.int(0);
      out.op(TUPLE, BUILD);
      out.op(NEWFALSE);
      out.bytes(array.bytes);
      out.op(TUPLE, BUILD);
    }
    out.op(SETITEMS);
  }
  out.op(STOP);
  return out.finish();
}

/** An append-only byte buffer with the few pickle encodings the writer needs. */
class PickleBytes {
  private parts: Uint8Array[] = [];
  private small: number[] = [];
  private readonly encoder = new TextEncoder();

  op(...codes: number[]): void {
    for (const c of codes) this.small.push(c);
  }

  int(n: number): void {
    if (n >= 0 && n < 0x100) this.op(BININT1, n);
    else if (n >= 0 && n < 0x10000) this.op(BININT2, n & 0xff, n >>> 8);
    else if (n >= -0x80000000 && n < 0x80000000) this.op(BININT, n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
    else {
      // LONG1: little-endian two's complement, shortest form (only for dimensions ≥ 2^31)
      const bytes: number[] = [];
      let v = BigInt(n);
      do {
        bytes.push(Number(v & 0xffn));
        v >>= 8n;
      } while (!((v === 0n && (bytes[bytes.length - 1] & 0x80) === 0) || (v === -1n && (bytes[bytes.length - 1] & 0x80) !== 0)));
      this.op(LONG1, bytes.length, ...bytes);
    }
  }

  text(s: string): void {
    const raw = this.encoder.encode(s);
    this.op(BINUNICODE, ...u32(raw.byteLength));
    this.chunk(raw);
  }

  global(module: string, name: string): void {
    this.op(GLOBAL);
    this.chunk(this.encoder.encode(`${module}\n${name}\n`));
  }

  bytes(data: Uint8Array): void {
    if (data.byteLength < 0x100) this.op(SHORT_BINBYTES, data.byteLength);
    else this.op(BINBYTES, ...u32(data.byteLength));
    this.chunk(data);
  }

  finish(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.parts.reduce((s, p) => s + p.byteLength, 0));
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.byteLength;
    }
    return out;
  }

  private chunk(data: Uint8Array): void {
    this.flush();
    this.parts.push(data);
  }

  private flush(): void {
    if (this.small.length > 0) this.parts.push(Uint8Array.from(this.small));
    this.small = [];
  }
}

function u32(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}
