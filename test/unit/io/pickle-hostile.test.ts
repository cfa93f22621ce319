// Hostile and broken pickles: each must be a FileFormatError that names what was refused and the
// byte offset — never code run, never a raw TypeError/RangeError, never a stack overflow or a
// giant allocation. Attacks come both as Python wrote them (fixtures) and hand-assembled below.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodePickle, encodePickleParams, FileFormatError, Tensor } from "../../../src/index.node.js";

const FIXTURES = join(import.meta.dirname, "..", "..", "fixtures", "numpy");
const fixture = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)));

// A tiny pickle assembler: numbers are opcodes/bytes, strings are raw latin-1 text.
type Part = number | string | Uint8Array | number[];
function pkl(...parts: Part[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === "number") out.push(p);
    else if (typeof p === "string") for (const c of p) out.push(c.charCodeAt(0));
    else for (const b of p) out.push(b); // a loop, not push(...p): parts may hold 100 000 bytes
  }
  return Uint8Array.from(out);
}
const u32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const u64 = (n: bigint) => Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));
const str = (s: string) => pkl(0x58, u32(s.length), s); // BINUNICODE (ASCII only here)
const P2 = [0x80, 2], P4 = [0x80, 4], P5 = [0x80, 5];
const MARK = 0x28, STOP = 0x2e, REDUCE = 0x52, TUPLE1 = 0x85, EMPTY_TUPLE = 0x29, EMPTY_LIST = 0x5d, APPEND = 0x61;

/** The error decodePickle throws, asserted to be ours. */
function errorOf(bytes: Uint8Array, options = {}): FileFormatError {
  try {
    decodePickle(bytes, options);
  } catch (e) {
    expect(e).toBeInstanceOf(FileFormatError);
    return e as FileFormatError;
  }
  throw new Error("expected decodePickle to throw");
}

describe("nothing is ever executed: globals outside the allow-list are refused where they appear", () => {
  it("os.system via GLOBAL + REDUCE, as Python writes it (posix.system)", () => {
    const e = errorOf(fixture("hostile-os-system-p2.pkl"));
    expect(e.message).toMatch(/at byte 2, GLOBAL: refused global posix\.system/);
    expect(e.offset).toBe(2);
  });

  it("eval via STACK_GLOBAL + REDUCE, as Python writes it (protocol 4)", () => {
    const e = errorOf(fixture("hostile-eval-p4.pkl"));
    expect(e.message).toMatch(/STACK_GLOBAL: refused global builtins\.eval/);
  });

  it.each([
    ["GLOBAL os.system + REDUCE", pkl(P2, "cos\nsystem\n", str("ls"), TUPLE1, REDUCE, STOP), /at byte 2, GLOBAL: refused global os\.system/],
    ["GLOBAL __builtin__.eval (Python 2 name)", pkl(P2, "c__builtin__\neval\n", str("1"), TUPLE1, REDUCE, STOP), /GLOBAL: refused global __builtin__\.eval/],
    ["STACK_GLOBAL os.system", pkl(P4, str("os"), str("system"), 0x93, str("ls"), TUPLE1, REDUCE, STOP), /at byte 20, STACK_GLOBAL: refused global os\.system/],
    ["INST os.system", pkl(P2, MARK, str("ls"), "ios\nsystem\n", STOP), /at byte 10, INST: refused os\.system/],
    ["OBJ subprocess.Popen", pkl(P2, MARK, "csubprocess\nPopen\n", str("ls"), 0x6f, STOP), /GLOBAL: refused global subprocess\.Popen/],
    ["OBJ on an allowed class", pkl(P2, MARK, "cnumpy\ndtype\n", str("f4"), 0x6f, STOP), /at byte 23, OBJ: refused numpy\.dtype: OBJ creates an instance/],
    ["NEWOBJ subprocess.Popen", pkl(P2, "csubprocess\nPopen\n", str("ls"), TUPLE1, 0x81, STOP), /GLOBAL: refused global subprocess\.Popen/],
    ["NEWOBJ on an allowed class", pkl(P2, "ccollections\nOrderedDict\n", EMPTY_TUPLE, 0x81, STOP), /NEWOBJ: refused collections\.OrderedDict/],
    ["NEWOBJ_EX on an allowed class", pkl(P4, "ccollections\nOrderedDict\n", EMPTY_TUPLE, 0x7d, 0x92, STOP), /NEWOBJ_EX: refused collections\.OrderedDict/],
    ["REDUCE of numpy.ndarray (allowed only as _reconstruct's argument)", pkl(P2, "cnumpy\nndarray\n", EMPTY_TUPLE, REDUCE, STOP), /REDUCE: numpy\.ndarray is allowed only as an argument/],
    ["REDUCE of a list", pkl(P2, EMPTY_LIST, EMPTY_TUPLE, REDUCE, STOP), /at byte 4, REDUCE: cannot call a list/],
    ["_codecs.encode with another codec", pkl(P2, "c_codecs\nencode\n", str("x"), str("rot13"), 0x86, REDUCE, STOP), /_codecs\.encode is allowed only as \(text, 'latin1'\)/],
    ["_reconstruct of something other than ndarray", pkl(P2, "cnumpy.core.multiarray\n_reconstruct\n", "cnumpy\ndtype\n", EMPTY_TUPLE, str("b"), 0x87, REDUCE, STOP), /_reconstruct of numpy\.dtype is refused/],
    ["copyreg._reconstructor", pkl(P2, "ccopyreg\n_reconstructor\n", STOP), /refused global copyreg\._reconstructor/],
    ["getattr", pkl(P4, str("builtins"), str("getattr"), 0x93, STOP), /refused global builtins\.getattr/],
    ["a persistent ID", pkl(P2, str("x"), 0x51, STOP), /BINPERSID: persistent IDs are refused/],
    ["an extension code", pkl(P2, 0x82, 1, STOP), /EXT1: extension-registry codes are refused/],
    ["BUILD on a dict (would be __setstate__)", pkl(P2, 0x7d, 0x7d, 0x62, STOP), /BUILD .* not on a dict/],
  ])("%s", (_name, bytes, message) => {
    expect(errorOf(bytes).message).toMatch(message);
  });

  it("numpy arrays of Python objects, structured records or complex numbers are refused by name", () => {
    for (const tag of ["np1", "np2"]) {
      expect(errorOf(fixture(`hostile-object-array-p3-${tag}.pkl`)).message).toMatch(/dtype 'O8' holds Python objects/);
      expect(errorOf(fixture(`hostile-structured-p3-${tag}.pkl`)).message).toMatch(/dtype 'V8' holds structured\/void records/);
      expect(errorOf(fixture(`hostile-complex-p4-${tag}.pkl`)).message).toMatch(/dtype 'c16' holds complex numbers/);
    }
  });

  it("out-of-band buffers (protocol 5, NEXT_BUFFER / READONLY_BUFFER) are refused clearly", () => {
    for (const tag of ["np1", "np2"]) {
      expect(errorOf(fixture(`hostile-out-of-band-p5-${tag}.pkl`)).message).toMatch(/at byte (49|50), NEXT_BUFFER: out-of-band buffers are refused: .*buffer_callback/);
    }
    expect(errorOf(pkl(P5, 0x98, STOP)).message).toMatch(/READONLY_BUFFER: out-of-band buffers are refused/);
  });
});

describe("bounded: lengths are checked against the bytes that remain before anything is allocated", () => {
  it("a 2 GB BINBYTES8 length in a 100-byte file", () => {
    const bytes = new Uint8Array(100);
    bytes.set(pkl(P4, 0x8e, u64(2n ** 31n)));
    const e = errorOf(bytes);
    expect(e.message).toMatch(/at byte 2, BINBYTES8: needs 2147483648 bytes of bytes, but only 89 remain: the file ends at byte 100/);
  });

  it.each([
    ["BINUNICODE8", 0x8d], ["BYTEARRAY8", 0x96], ["FRAME", 0x95],
  ])("%s with a length of 2^64 - 1", (name, code) => {
    expect(errorOf(pkl(P4, code, u64(2n ** 64n - 1n), STOP)).message).toMatch(new RegExp(`${name}: needs 18446744073709551615 bytes`));
  });

  it("an array whose data claims more bytes than the file holds", () => {
    const good = encodePickleParams({ W: Tensor.from([1, 2, 3, 4], [2, 2]) });
    const bad = good.slice();
    const at = bad.lastIndexOf(0x43); // SHORT_BINBYTES of the 16 data bytes
    expect(bad[at + 1]).toBe(16);
    bad[at + 1] = 200;
    expect(errorOf(bad).message).toMatch(new RegExp(`at byte ${at}, SHORT_BINBYTES: needs 200 bytes of bytes, but only \\d+ remain`));
  });

  it("an array whose shape claims more elements than its data", () => {
    const bytes = encodePickleParams({ W: Tensor.from([1, 2, 3, 4], [2, 2]) });
    const text = Buffer.from(bytes).toString("latin1");
    const shapeAt = text.indexOf("\x28\x4b\x02\x4b\x02\x74"); // MARK, BININT1 2, BININT1 2, TUPLE
    expect(shapeAt).toBeGreaterThan(0);
    bytes[shapeAt + 2] = 200;
    expect(errorOf(bytes).message).toMatch(/BUILD: array data holds 16 bytes, but shape \(200, 2\) of float32 needs 1600/);
  });

  it("one memoized buffer feeding many arrays (a small file turned into gigabytes) is refused; shared values stay shared", () => {
    const n = 1000;
    const setup = [
      P5, EMPTY_LIST, "cnumpy._core.numeric\n_frombuffer\n", 0x71, 0, 0x30, // memo 0: _frombuffer
      0x42, u32(n), new Array(n).fill(7), 0x71, 1, 0x30, // memo 1: n bytes
      "cnumpy\ndtype\n", str("u1"), 0x89, 0x88, 0x87, REDUCE, 0x71, 2, 0x30, // memo 2: dtype('u1')
      0x4d, n & 0xff, n >> 8, TUPLE1, 0x71, 3, 0x30, str("C"), 0x71, 4, 0x30, // memo 3: (n,), memo 4: 'C'
    ];
    const array = [0x68, 0, MARK, 0x68, 1, 0x68, 2, 0x68, 3, 0x68, 4, 0x74, REDUCE];
    const once = decodePickle(pkl(...setup, array, APPEND, STOP)) as unknown[];
    expect(once).toHaveLength(1);
    const twice = pkl(...setup, array, APPEND, array, APPEND, STOP);
    expect(twice.byteLength).toBeLessThan(2 * n);
    expect(errorOf(twice).message).toMatch(/the arrays would hold more bytes than the file has \(\d+\): data reused by several arrays/);
    // the same array (or bytes) referenced twice is one value, converted once
    const shared = decodePickle(pkl(...setup, array, 0x71, 5, APPEND, 0x68, 5, APPEND, 0x68, 1, APPEND, 0x68, 1, APPEND, STOP)) as unknown[];
    expect(shared[0]).toBe(shared[1]);
    expect(shared[2]).toBe(shared[3]);
  });

  it("memo indices out of range", () => {
    expect(errorOf(pkl(P2, 0x68, 5, STOP)).message).toMatch(/at byte 2, BINGET: memo index 5 is out of range: nothing was stored there \(the memo holds 0 entries\)/);
    expect(errorOf(pkl(P2, 0x4e, 0x71, 0, 0x6a, u32(0xffffffff), STOP)).message).toMatch(/LONG_BINGET: memo index 4294967295 is out of range: .*holds 1 entries/);
  });

  it("the memo limit", () => {
    const memoizeMany = pkl(P4, 0x4e, new Array(11).fill(0x94), STOP);
    expect(errorOf(memoizeMany, { maxMemo: 10 }).message).toMatch(/MEMOIZE: the memo would hold more than 10 entries/);
  });

  it("nesting 100 000 deep: lists, marks, tuples and dicts each stop at the limit, no stack overflow", () => {
    const n = 100_000;
    const lists = pkl(P2, new Array(n).fill(EMPTY_LIST), new Array(n - 1).fill(APPEND), STOP);
    expect(errorOf(lists).message).toMatch(/containers nested more than 1000 levels deep \(level 1001 was created at byte 1002\)/);
    const marks = pkl(P2, new Array(n).fill(MARK), STOP);
    expect(errorOf(marks).message).toMatch(/at byte 1002, MARK: more than 1000 nested MARKs/);
    const tuples = pkl(P2, 0x4e, new Array(n).fill(TUPLE1), STOP);
    expect(errorOf(tuples).message).toMatch(/nested more than 1000 levels deep/);
    const dicts = pkl(P2, 0x7d, new Array(n - 1).fill([...str("k"), 0x7d]).flat(), new Array(n - 1).fill(0x73), STOP);
    expect(errorOf(dicts).message).toMatch(/nested more than 1000 levels deep/);
  });

  it("exactly at the nesting limit still loads (the limit is not off by one)", () => {
    const depth = (levels: number) => pkl(P2, new Array(levels).fill(EMPTY_LIST), new Array(levels - 1).fill(APPEND), STOP);
    let v = decodePickle(depth(1000)) as unknown[];
    for (let i = 1; i < 1000; i++) v = v[0] as unknown[];
    expect(v).toEqual([]);
    expect(errorOf(depth(1001)).message).toMatch(/more than 1000 levels/);
    expect(decodePickle(depth(1001), { maxDepth: 1001 })).toBeInstanceOf(Array);
  });
});

describe("truncated and corrupt files", () => {
  it.each(["zoo-p2-np1.pkl", "zoo-p3-np2.pkl", "zoo-p4-np1.pkl", "zoo-p5-np2.pkl"])("%s cut at every byte offset: a truncation error naming that offset", (name) => {
    const whole = fixture(name);
    expect(() => decodePickle(whole)).not.toThrow();
    for (let cut = 0; cut < whole.byteLength; cut++) {
      let error: unknown = null;
      try {
        decodePickle(whole.subarray(0, cut));
      } catch (e) {
        error = e;
      }
      if (!(error instanceof FileFormatError) || !error.message.includes(`the file ends at byte ${cut}`)) {
        throw new Error(`cut at ${cut} of ${name}: expected a truncation error naming byte ${cut}, got ${String(error)}`);
      }
    }
  });

  it("random single-byte corruption: always a FileFormatError or a value, never another error", () => {
    const whole = fixture("zoo-p3-np2.pkl");
    let seed = 12345;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0); // LCG: same cases every run
    let refused = 0;
    for (let trial = 0; trial < 2000; trial++) {
      const bytes = whole.slice();
      bytes[next() % bytes.length] = next() & 0xff;
      try {
        decodePickle(bytes);
      } catch (e) {
        if (!(e instanceof FileFormatError)) throw new Error(`trial ${trial}: ${String(e)}`);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(100);
  });

  it.each([
    ["an empty file", new Uint8Array(0), /at byte 0, .*the file is empty/],
    ["protocol 0", new TextEncoder().encode("(lp0\n."), /not a pickle of protocol 2–5: it does not start with PROTO \(0x80\) but 0x28/],
    ["protocol 6", pkl(0x80, 6, 0x4e, STOP), /at byte 0, PROTO: protocol 6 is not supported/],
    ["bytes after STOP", pkl(P2, 0x4e, STOP, 0x4e, STOP), /at byte 3, STOP: 2 bytes follow STOP/],
    ["a protocol 0 text opcode", pkl(P2, "I12\n", STOP), /at byte 2, INT: protocol 0 text opcodes are not supported/],
    ["an unknown opcode", pkl(P2, 0xff, STOP), /at byte 2, opcode 0xff: unknown opcode 0xff/],
    ["stack underflow", pkl(P2, APPEND, STOP), /at byte 2, APPEND: needs a value but the stack is empty/],
    ["APPEND to a dict", pkl(P2, 0x7d, 0x4e, APPEND, STOP), /APPEND: the target is a dict, not a list/],
    ["POP_MARK without MARK", pkl(P2, 0x31, STOP), /POP_MARK: there is no open MARK/],
    ["SETITEMS with an odd count", pkl(P2, 0x7d, MARK, 0x4e, 0x75, STOP), /SETITEMS: needs key\/value pairs, got an odd number of items \(1\)/],
    ["an unhashable key", pkl(P2, 0x7d, EMPTY_LIST, 0x4e, 0x73, STOP), /SETITEM: unhashable a list used as a dict key/],
    ["invalid UTF-8", pkl(P2, 0x58, u32(2), 0xc3, 0x28, STOP), /BINUNICODE: string \(2 bytes\) is not valid UTF-8/],
    ["a negative BINSTRING length", pkl(P2, 0x54, u32(0xfffffffe), STOP), /BINSTRING: negative length -2/],
    ["an array that never gets its data", pkl(P2, "cnumpy.core.multiarray\n_reconstruct\n", "cnumpy\nndarray\n", 0x4b, 0, TUPLE1, 0x43, 1, "b", 0x87, REDUCE, STOP), /the array created at byte 60 never received its shape and data/],
  ])("%s", (_name, bytes, message) => {
    expect(errorOf(bytes).message).toMatch(message);
  });

  it("names the file in every error when given a name", () => {
    expect(errorOf(pkl(P2, 0x68, 1, STOP), { name: "weights/evil.pkl" }).message).toMatch(/^weights\/evil\.pkl: at byte 2, BINGET/);
  });

  it("a key named __proto__ stays an ordinary key (no prototype pollution)", () => {
    const value = decodePickle(pkl(P2, 0x7d, str("__proto__"), 0x7d, str("polluted"), 0x88, 0x73, 0x73, STOP)) as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
