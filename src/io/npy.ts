// numpy's .npy format (numpy/lib/format.py), pure bytes, browser-safe:
//   "\x93NUMPY" major minor | header length (u16 for 1.0, u32 for 2.0/3.0) | header | data
// The header is a Python dict literal, {'descr': '<f4', 'fortran_order': False, 'shape': (784, 50), },
// padded with spaces and a newline so the data starts 64-byte aligned. numpy reads it with
// ast.literal_eval; here a ten-rule parser accepts exactly the literals numpy writes (strings,
// True/False, tuples of ints) and nothing else. The writer reproduces numpy's bytes exactly.
import { FileFormatError } from "./format-error.js";
import { elementCount, itemSize, littleEndianBytes, parseTypeString, toNumpyValue, typeCode, type NumpyDType, type NumpyValue } from "./ndarray.js";

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** numpy refuses longer headers too (max_header_size), as a guard against hostile files. */
export const MAX_NPY_HEADER = 10_000;
const ARRAY_ALIGN = 64;
const GROWTH_AXIS_MAX_DIGITS = 21; // numpy pads the header so the growth axis can be rewritten in place

/** Is this the start of a .npy file? */
export function isNpy(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 6 && MAGIC.every((b, i) => bytes[i] === b);
}

/** Decode one .npy file: float arrays as Tensors (float16 widened), others as NumpyArrays. */
export function decodeNpy(bytes: Uint8Array, name = "npy data"): NumpyValue {
  const bad = (message: string, offset?: number): never => {
    throw new FileFormatError(`${name}: ${offset === undefined ? "" : `at byte ${offset}: `}${message}`, offset);
  };
  if (bytes.byteLength < 10) bad(`truncated: a .npy file starts with a 10-byte preamble, this one has ${bytes.byteLength} bytes`, bytes.byteLength);
  if (!isNpy(bytes)) bad("not a .npy file: it does not start with the magic string \\x93NUMPY", 0);
  const major = bytes[6], minor = bytes[7];
  if (major < 1 || major > 3 || minor !== 0) bad(`format version ${major}.${minor} is not supported (1.0, 2.0 and 3.0 are)`, 6);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const start = major === 1 ? 10 : 12;
  if (bytes.byteLength < start) bad(`truncated: version ${major}.0 needs a ${start}-byte preamble, the file has ${bytes.byteLength} bytes`, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLength > MAX_NPY_HEADER) bad(`header length ${headerLength} is above the ${MAX_NPY_HEADER}-byte limit numpy also applies (corrupt or hostile)`, 8);
  if (start + headerLength > bytes.byteLength) {
    bad(`truncated: the header claims ${headerLength} bytes, but the file ends at byte ${bytes.byteLength}`, 8);
  }
  const raw = bytes.subarray(start, start + headerLength);
  const text = major === 3 ? new TextDecoder("utf-8").decode(raw) : String.fromCharCode(...raw);
  const header = parseHeader(text, (message, index) => bad(`header: ${message}`, start + index));

  const found = parseTypeString(header.descr);
  if ("refused" in found) return bad(found.refused, start);
  const count = elementCount(header.shape);
  if (count === null) return bad(`header shape (${header.shape.join(", ")}) has too many elements`, start);
  const dataStart = start + headerLength;
  const need = count * itemSize(found.dtype);
  const have = bytes.byteLength - dataStart;
  if (have !== need) {
    bad(`the header promises ${found.dtype} (${header.shape.join(", ")}) = ${need} bytes of data, but the file holds ${have} after the header${have < need ? " (truncated)" : " (trailing bytes)"}`, dataStart);
  }
  return toNumpyValue({ ...found, shape: header.shape, fortranOrder: header.fortranOrder, bytes: bytes.subarray(dataStart) });
}

/** The .npy bytes numpy's np.save writes for this array (C order, little-endian), byte for byte. */
export function encodeNpy(value: NumpyValue): Uint8Array {
  const { dtype, shape, bytes } = littleEndianBytes(value, "encodeNpy");
  const header = npyHeader(dtype, shape);
  const out = new Uint8Array(header.byteLength + bytes.byteLength);
  out.set(header);
  out.set(bytes, header.byteLength);
  return out;
}

function npyHeader(dtype: NumpyDType, shape: readonly number[]): Uint8Array {
  const descr = `${itemSize(dtype) === 1 ? "|" : "<"}${typeCode(dtype)}`;
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${tuple}, }`;
  if (shape.length > 0) dict += " ".repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length));
  // version 1.0 (u16 length) unless the header does not fit, as numpy chooses
  for (const [major, lengthBytes] of [[1, 2], [2, 4]] as const) {
    const hlen = dict.length + 1; // + the final newline
    const pad = ARRAY_ALIGN - ((8 + lengthBytes + hlen) % ARRAY_ALIGN);
    const total = hlen + pad;
    if (major === 1 && total > 0xffff) continue;
    const out = new Uint8Array(8 + lengthBytes + total);
    out.set([...MAGIC, major, 0]);
    const view = new DataView(out.buffer);
    if (lengthBytes === 2) view.setUint16(8, total, true);
    else view.setUint32(8, total, true);
    const text = dict + " ".repeat(pad) + "\n";
    for (let i = 0; i < text.length; i++) out[8 + lengthBytes + i] = text.charCodeAt(i);
    return out;
  }
  throw new Error("encodeNpy: unreachable");
}

interface NpyHeader { descr: string; fortranOrder: boolean; shape: number[] }

type Literal = string | boolean | number | Literal[];

/** The header dict, accepting only the literals numpy writes; `bad(message, index)` throws. */
function parseHeader(text: string, bad: (message: string, index: number) => never): NpyHeader {
  let i = 0;
  const skip = () => { while (i < text.length && " \t\r\n".includes(text[i])) i++; };
  const expect = (c: string) => {
    skip();
    if (text[i] !== c) bad(`expected '${c}' at character ${i}, found ${text[i] === undefined ? "the end" : JSON.stringify(text[i])}`, i);
    i++;
  };
  const value = (depth: number): Literal => {
    skip();
    const c = text[i];
    if (c === "'" || c === '"') {
      const close = text.indexOf(c, i + 1);
      if (close < 0) bad(`unterminated string at character ${i}`, i);
      const s = text.slice(i + 1, close);
      if (s.includes("\\")) bad(`escape sequences in strings are not supported (character ${i})`, i);
      i = close + 1;
      return s;
    }
    if (text.startsWith("True", i)) return (i += 4), true;
    if (text.startsWith("False", i)) return (i += 5), false;
    const digits = /^[0-9]+L?/.exec(text.slice(i, i + 32)); // Python 2 wrote longs as 3L
    if (digits) {
      i += digits[0].length;
      const n = Number(digits[0].replace("L", ""));
      return Number.isSafeInteger(n) ? n : bad(`integer ${digits[0]} is too large`, i);
    }
    if (c === "(" && depth === 0) {
      i++;
      const items: Literal[] = [];
      let comma = false;
      for (skip(); text[i] !== ")"; skip()) {
        items.push(value(depth + 1));
        skip();
        if (text[i] === ",") { i++; comma = true; } else if (text[i] !== ")") bad(`expected ',' or ')' at character ${i}`, i);
      }
      i++;
      return items.length === 1 && !comma ? items[0] : items; // (3) is 3 in Python, (3,) a tuple
    }
    if (c === "[") bad("descr is a list: a structured dtype; scratchnet reads plain numeric arrays", i);
    return bad(`unexpected ${c === undefined ? "end of header" : JSON.stringify(c)} at character ${i}: only strings, True/False and tuples of integers are accepted`, i);
  };

  expect("{");
  const dict = new Map<string, Literal>();
  for (skip(); text[i] !== "}"; skip()) {
    const at = i;
    const key = value(1);
    if (typeof key !== "string") bad(`dict keys must be strings, found ${JSON.stringify(key)}`, at);
    if (dict.has(key as string)) bad(`key '${key}' appears twice`, at);
    expect(":");
    dict.set(key as string, value(0));
    skip();
    if (text[i] === ",") i++;
    else if (text[i] !== "}") bad(`expected ',' or '}' at character ${i}`, i);
  }
  i++;
  skip();
  if (i !== text.length) bad(`unexpected text after the dict at character ${i}`, i);
  const keys = [...dict.keys()].sort().join(", ");
  if (keys !== "descr, fortran_order, shape") bad(`the dict must have exactly the keys descr, fortran_order, shape; it has ${keys || "none"}`, 0);
  const descr = dict.get("descr"), fortranOrder = dict.get("fortran_order"), shape = dict.get("shape");
  if (typeof descr !== "string") bad(`descr must be a type string like '<f4', got ${JSON.stringify(descr)}`, 0);
  if (typeof fortranOrder !== "boolean") bad(`fortran_order must be True or False, got ${JSON.stringify(fortranOrder)}`, 0);
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === "number")) bad(`shape must be a tuple of integers, got ${JSON.stringify(shape)}`, 0);
  return { descr: descr as string, fortranOrder: fortranOrder as boolean, shape: shape as number[] };
}
