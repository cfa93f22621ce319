// A restricted unpickler for protocols 2–5 — the pickle virtual machine without its dangerous
// half. Python's pickle.load imports and calls whatever a file names; this one resolves names
// only against pickle-globals.ts's allow-list and refuses everything else before it could matter.
// It is a loop over opcodes with an explicit stack (no recursion), and every read is checked
// against the bytes that remain *before* anything is allocated, so a hostile length field is an
// error, never a 2 GB allocation. Errors name the file, the byte offset and the opcode.
import { FileFormatError } from "./format-error.js";
import { buildState, callGlobal, describe, hashable, resolveGlobal, type Fail } from "./pickle-globals.js";
import { PyDict, PyList, PySet, PyTuple, toPickleValue, type PickleValue } from "./pickle-values.js";

export interface PickleOptions {
  /** Used in error messages (a path, say). */
  name?: string;
  /** Deepest container nesting (and open MARKs) accepted; default 1000 (Python's own recursion limit). */
  maxDepth?: number;
  /** Most memo entries accepted; default 2^20. */
  maxMemo?: number;
}

export const DEFAULT_MAX_DEPTH = 1000;
export const DEFAULT_MAX_MEMO = 1 << 20;

const OPCODES: Record<number, string> = {
  0x28: "MARK", 0x2e: "STOP", 0x30: "POP", 0x31: "POP_MARK", 0x32: "DUP", 0x46: "FLOAT", 0x49: "INT", 0x4a: "BININT",
  0x4b: "BININT1", 0x4c: "LONG", 0x4d: "BININT2", 0x4e: "NONE", 0x50: "PERSID", 0x51: "BINPERSID", 0x52: "REDUCE",
  0x53: "STRING", 0x54: "BINSTRING", 0x55: "SHORT_BINSTRING", 0x56: "UNICODE", 0x58: "BINUNICODE", 0x61: "APPEND",
  0x62: "BUILD", 0x63: "GLOBAL", 0x64: "DICT", 0x7d: "EMPTY_DICT", 0x65: "APPENDS", 0x67: "GET", 0x68: "BINGET",
  0x69: "INST", 0x6a: "LONG_BINGET", 0x6c: "LIST", 0x5d: "EMPTY_LIST", 0x6f: "OBJ", 0x70: "PUT", 0x71: "BINPUT",
  0x72: "LONG_BINPUT", 0x73: "SETITEM", 0x74: "TUPLE", 0x29: "EMPTY_TUPLE", 0x75: "SETITEMS", 0x47: "BINFLOAT",
  0x80: "PROTO", 0x81: "NEWOBJ", 0x82: "EXT1", 0x83: "EXT2", 0x84: "EXT4", 0x85: "TUPLE1", 0x86: "TUPLE2", 0x87: "TUPLE3",
  0x88: "NEWTRUE", 0x89: "NEWFALSE", 0x8a: "LONG1", 0x8b: "LONG4", 0x42: "BINBYTES", 0x43: "SHORT_BINBYTES",
  0x8c: "SHORT_BINUNICODE", 0x8d: "BINUNICODE8", 0x8e: "BINBYTES8", 0x8f: "EMPTY_SET", 0x90: "ADDITEMS", 0x91: "FROZENSET",
  0x92: "NEWOBJ_EX", 0x93: "STACK_GLOBAL", 0x94: "MEMOIZE", 0x95: "FRAME", 0x96: "BYTEARRAY8", 0x97: "NEXT_BUFFER",
  0x98: "READONLY_BUFFER",
};
const TEXT_OPCODES = new Set(["INT", "LONG", "FLOAT", "STRING", "UNICODE", "GET", "PUT"]);
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Decode a pickle (protocol 2–5) of numpy arrays and plain containers. Nothing in it is executed. */
export function decodePickle(bytes: Uint8Array, options: PickleOptions = {}): PickleValue {
  const file = options.name ?? "pickle data";
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  return toPickleValue(run(bytes, file, maxDepth, options.maxMemo ?? DEFAULT_MAX_MEMO), file, maxDepth, bytes.byteLength);
}

function run(bytes: Uint8Array, file: string, maxDepth: number, maxMemo: number): unknown {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.byteLength;
  let pos = 0;
  let at = 0; // offset of the opcode being run, for errors
  let op = "start";
  let stack: unknown[] = [];
  const metastack: unknown[][] = []; // the stacks saved by each open MARK
  const memo = new Map<number, unknown>();

  const fail: Fail = (message) => {
    throw new FileFormatError(`${file}: at byte ${at}, ${op}: ${message}`, at);
  };
  /** Checks that `n` more bytes exist (n may be a u64 from the file), then returns it as a number. */
  const need = (n: number | bigint, what: string): number => {
    const left = end - pos;
    if (typeof n === "number" ? n > left : n > BigInt(left)) fail(`needs ${n} bytes of ${what}, but only ${left} remain: the file ends at byte ${end} (truncated, or a corrupt length)`);
    return Number(n);
  };
  const take = (n: number | bigint, what: string): Uint8Array => {
    const len = need(n, what);
    pos += len;
    return bytes.subarray(pos - len, pos);
  };
  const u8 = (what: string) => (need(1, what), bytes[pos++]);
  const u16 = (what: string) => (need(2, what), (pos += 2), view.getUint16(pos - 2, true));
  const u32 = (what: string) => (need(4, what), (pos += 4), view.getUint32(pos - 4, true));
  const i32 = (what: string) => (need(4, what), (pos += 4), view.getInt32(pos - 4, true));
  const u64 = (what: string) => (need(8, what), (pos += 8), view.getBigUint64(pos - 8, true));
  const line = (what: string): string => {
    const nl = bytes.indexOf(0x0a, pos);
    if (nl < 0) fail(`${what} has no terminating newline: the file ends at byte ${end} (truncated)`);
    return text(take(nl - pos + 1, what).subarray(0, -1), what);
  };
  const text = (raw: Uint8Array, what: string): string => {
    try {
      return utf8.decode(raw);
    } catch {
      return fail(`${what} (${raw.byteLength} bytes) is not valid UTF-8`);
    }
  };
  const push = (v: unknown) => void stack.push(v);
  const pop = (): unknown => (stack.length === 0 ? fail("needs a value but the stack is empty (stack underflow)") : stack.pop());
  const top = (): unknown => (stack.length === 0 ? fail("needs a value but the stack is empty (stack underflow)") : stack[stack.length - 1]);
  const popMark = (): unknown[] => {
    const saved = metastack.pop();
    if (saved === undefined) return fail("there is no open MARK");
    const items = stack;
    stack = saved;
    return items;
  };
  const target = <T>(cls: new (...a: never[]) => T, what: string): T => {
    const t = top();
    return t instanceof cls ? t : fail(`the target is ${describe(t)}, not ${what}`);
  };
  const remember = (index: number) => {
    if (memo.size >= maxMemo && !memo.has(index)) fail(`the memo would hold more than ${maxMemo} entries; refused`);
    memo.set(index, top());
  };
  const setItems = (dict: PyDict, items: unknown[]) => {
    if (items.length % 2 !== 0) fail(`needs key/value pairs, got an odd number of items (${items.length})`);
    for (let i = 0; i < items.length; i += 2) dict.map.set(hashable(items[i], fail), items[i + 1]);
  };

  if (end === 0) fail("the file is empty: the file ends at byte 0");
  if (bytes[0] !== 0x80) {
    fail(`not a pickle of protocol 2–5: it does not start with PROTO (0x80) but 0x${bytes[0].toString(16).padStart(2, "0")} (protocol 0/1 pickles are not supported)`);
  }
  for (;;) {
    at = pos;
    op = "end of data";
    if (pos >= end) fail(`no STOP opcode: the file ends at byte ${end} (truncated)`);
    const code = bytes[pos++];
    op = OPCODES[code] ?? `opcode 0x${code.toString(16).padStart(2, "0")}`;
    switch (code) {
      case 0x80: { const p = u8("protocol number"); if (p < 2 || p > 5) fail(`protocol ${p} is not supported (2–5 are)`); break; }
      case 0x95: need(u64("frame length"), "frame"); break; // frames are a read-ahead hint: only check they fit
      case 0x2e: {
        const value = pop();
        if (pos !== end) fail(`${end - pos} bytes follow STOP (a file must hold exactly one pickle)`);
        return value;
      }
      case 0x28: if (metastack.length >= maxDepth) fail(`more than ${maxDepth} nested MARKs; refused`); metastack.push(stack); stack = []; break;
      case 0x30: if (stack.length > 0) stack.pop(); else popMark(); break;
      case 0x31: popMark(); break;
      case 0x32: push(top()); break;
      case 0x4e: push(null); break;
      case 0x88: push(true); break;
      case 0x89: push(false); break;
      case 0x4a: push(i32("int")); break;
      case 0x4b: push(u8("int")); break;
      case 0x4d: push(u16("int")); break;
      case 0x8a: push(long(take(u8("length"), "long"))); break;
      case 0x8b: { const n = i32("length"); if (n < 0) fail(`negative length ${n}`); push(long(take(n, "long"))); break; }
      case 0x47: need(8, "float"); push(view.getFloat64(pos, false)); pos += 8; break;
      case 0x58: push(text(take(u32("length"), "string"), "string")); break;
      case 0x8c: push(text(take(u8("length"), "string"), "string")); break;
      case 0x8d: push(text(take(u64("length"), "string"), "string")); break;
      case 0x42: push(take(u32("length"), "bytes")); break;
      case 0x43: push(take(u8("length"), "bytes")); break;
      case 0x8e: push(take(u64("length"), "bytes")); break;
      case 0x96: push(take(u64("length"), "bytearray")); break;
      // Python 2 str: read as latin-1 text (pickle.load(..., encoding='latin1'), what numpy advises)
      case 0x54: { const n = i32("length"); if (n < 0) fail(`negative length ${n}`); push(latin1(take(n, "string"))); break; }
      case 0x55: push(latin1(take(u8("length"), "string"))); break;
      case 0x29: push(new PyTuple([], at)); break;
      case 0x74: push(new PyTuple(popMark(), at)); break;
      case 0x85: { const a = pop(); push(new PyTuple([a], at)); break; }
      case 0x86: { const b = pop(), a = pop(); push(new PyTuple([a, b], at)); break; }
      case 0x87: { const c = pop(), b = pop(), a = pop(); push(new PyTuple([a, b, c], at)); break; }
      case 0x5d: push(new PyList(at)); break;
      case 0x6c: { const list = new PyList(at); list.items.push(...popMark()); push(list); break; }
      case 0x61: { const v = pop(); target(PyList, "a list").items.push(v); break; }
      case 0x65: { const items = popMark(); const list = target(PyList, "a list"); for (const v of items) list.items.push(v); break; }
      case 0x7d: push(new PyDict(at)); break;
      case 0x64: { const items = popMark(); const dict = new PyDict(at); setItems(dict, items); push(dict); break; }
      case 0x73: { const v = pop(), k = pop(); setItems(target(PyDict, "a dict"), [k, v]); break; }
      case 0x75: { const items = popMark(); setItems(target(PyDict, "a dict"), items); break; }
      case 0x8f: push(new PySet(at, false)); break;
      case 0x90: {
        const items = popMark();
        const set = target(PySet, "a set");
        if (set.frozen) fail("cannot add items to a frozenset");
        for (const v of items) set.items.add(hashable(v, fail));
        break;
      }
      case 0x91: { const set = new PySet(at, true); for (const v of popMark()) set.items.add(hashable(v, fail)); push(set); break; }
      case 0x63: { const module = line("module name"); push(resolveGlobal(module, line("global name"), fail)); break; }
      case 0x93: {
        const name = pop(), module = pop();
        if (typeof module !== "string" || typeof name !== "string") fail(`needs two strings (module, name), got ${describe(module)} and ${describe(name)}`);
        push(resolveGlobal(module as string, name as string, fail));
        break;
      }
      case 0x52: {
        const args = pop(), callable = pop();
        if (!(args instanceof PyTuple)) fail(`the arguments are ${describe(args)}, not a tuple`);
        push(callGlobal(callable, (args as PyTuple).items, at, fail));
        break;
      }
      case 0x62: { const state = pop(); buildState(top(), state, fail); break; }
      case 0x69: { const module = line("module name"); fail(`refused ${module}.${line("class name")}: INST creates an instance of a named class, which is never done`); break; }
      case 0x6f: { const items = popMark(); fail(`refused ${describe(items[0])}: OBJ creates an instance of a class, which is never done`); break; }
      case 0x81: { pop(); fail(`refused ${describe(pop())}: NEWOBJ calls a class's __new__, which is never done`); break; }
      case 0x92: { pop(); pop(); fail(`refused ${describe(pop())}: NEWOBJ_EX calls a class's __new__, which is never done`); break; }
      case 0x68: push(recall(u8("memo index"))); break;
      case 0x6a: push(recall(u32("memo index"))); break;
      case 0x71: remember(u8("memo index")); break;
      case 0x72: remember(u32("memo index")); break;
      case 0x94: remember(memo.size); break;
      case 0x50: case 0x51: fail("persistent IDs are refused: they need a persistent_load hook that runs code"); break;
      case 0x82: case 0x83: case 0x84: fail("extension-registry codes are refused: they name globals indirectly (copyreg)"); break;
      case 0x97: case 0x98:
        fail("out-of-band buffers are refused: this pickle was written with protocol 5 and a buffer_callback, so its array data is not in the file; re-pickle it without buffer_callback");
        break;
      default:
        if (TEXT_OPCODES.has(op)) fail("protocol 0 text opcodes are not supported (protocols 2–5 never write them)");
        fail(`unknown opcode 0x${code.toString(16).padStart(2, "0")}: not a pickle, or corrupt`);
    }
  }

  function recall(index: number): unknown {
    if (!memo.has(index)) fail(`memo index ${index} is out of range: nothing was stored there (the memo holds ${memo.size} entries)`);
    return memo.get(index);
  }
}

/** LONG1/LONG4 payload: little-endian two's complement; a number when it is a safe integer. */
function long(raw: Uint8Array): number | bigint {
  if (raw.byteLength === 0) return 0;
  let hex = "";
  for (let i = raw.byteLength - 1; i >= 0; i--) hex += raw[i].toString(16).padStart(2, "0");
  let v = BigInt(`0x${hex}`);
  if (raw[raw.byteLength - 1] & 0x80) v -= 1n << BigInt(raw.byteLength * 8);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

function latin1(raw: Uint8Array): string {
  let s = "";
  for (let i = 0; i < raw.length; i += 8192) s += String.fromCharCode(...raw.subarray(i, i + 8192));
  return s;
}
