// IDX files (the MNIST container): big-endian magic 0x0000TTRR (T = element type, R = rank),
// R big-endian uint32 dimensions, then the elements. We only read unsigned bytes (T = 0x08).
// Every failure names the file and says what is wrong and where.
import type { ByteSource } from "./byte-source.js";
import { fail } from "../errors.js";
import { describeValue } from "../check.js";
import { isGzip, openDecoded } from "./gzip.js";

export interface IdxArray {
  dims: number[];
  /** The elements (for `parseIdx`, a view into the input bytes: no copy). */
  data: Uint8Array;
}

interface IdxHeader {
  dims: number[];
  headerBytes: number;
  /** header + elements: the exact length of a well-formed file */
  totalBytes: number;
}

const UBYTE = 0x08;
const MAX_RANK = 4;
// Nothing MNIST-like comes near this; it stops a corrupt header from asking for gigabytes.
const MAX_ELEMENTS = 2 ** 31 - 1;

const hex = (n: number): string => `0x${n.toString(16).padStart(8, "0")}`;

/**
 * Validate the header at the start of `bytes` (which may be only a prefix of the file).
 * Throws if the prefix is too short to hold the header or the header is malformed.
 */
function readIdxHeader(bytes: Uint8Array, name: string, expectedRank?: number): IdxHeader {
  if (bytes.byteLength < 4) {
    throw new Error(`${name}: truncated at byte ${bytes.byteLength}: an IDX file starts with a 4-byte magic number`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const type = (magic >>> 8) & 0xff;
  const rank = magic & 0xff;
  if (magic >>> 16 !== 0 || type !== UBYTE || rank < 1 || rank > MAX_RANK) {
    throw new Error(`${name}: bad magic ${hex(magic)}: expected 0x000008RR (unsigned bytes, rank RR in 1..${MAX_RANK})`);
  }
  if (expectedRank !== undefined && rank !== expectedRank) {
    throw new Error(`${name}: rank ${rank} (magic ${hex(magic)}), expected ${expectedRank}`);
  }
  const headerBytes = 4 + 4 * rank;
  if (bytes.byteLength < headerBytes) {
    throw new Error(`${name}: truncated at byte ${bytes.byteLength}: the header needs ${headerBytes} bytes`);
  }
  const dims: number[] = [];
  let count = 1;
  for (let i = 0; i < rank; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    dims.push(d);
    count *= d;
  }
  if (count > MAX_ELEMENTS) {
    throw new Error(`${name}: dimensions [${dims.join(", ")}] describe ${count} bytes, more than can be loaded`);
  }
  return { dims, headerBytes, totalBytes: headerBytes + count };
}

function checkLength(length: number, header: IdxHeader, name: string): void {
  const { dims, totalBytes } = header;
  if (length < totalBytes) {
    throw new Error(`${name}: truncated at byte ${length}: dimensions [${dims.join(", ")}] need ${totalBytes} bytes`);
  }
  if (length > totalBytes) {
    throw new Error(`${name}: ${length - totalBytes} unexpected bytes after the data (dimensions [${dims.join(", ")}] need ${totalBytes} bytes)`);
  }
}

/** Parse raw (already decompressed) IDX bytes. `name` is used in error messages. */
export function parseIdx(bytes: Uint8Array, name: string, expectedRank?: number): IdxArray {
  checkIdxArguments("parseIdx", bytes, name, expectedRank, false);
  const header = readIdxHeader(bytes, name, expectedRank);
  checkLength(bytes.byteLength, header, name);
  return { dims: header.dims, data: bytes.subarray(header.headerBytes, header.totalBytes) };
}

/**
 * Where decoded elements go: called once the header is known (so a caller can check the
 * dims before anything large is allocated), it returns a function giving the destination
 * of `dataBytes` bytes. The function is called again for every chunk, so the destination
 * may be a view into wasm memory that has to be re-derived after memory growth.
 */
export type IdxTarget = (dims: number[], dataBytes: number) => () => Uint8Array;

const jsTarget: IdxTarget = (_dims, dataBytes) => {
  const array = new Uint8Array(dataBytes);
  return () => array;
};

/**
 * Parse an IDX file given as gzip (detected by its 1f 8b magic) or raw bytes, whole or as a
 * stream; works in Node and browsers. Chunks go straight into the destination (a JS array by
 * default, or e.g. wasm memory via `target`): no list of chunks, no concatenated copy.
 * Inflation stops as soon as the output runs past the size the header announced, so a
 * corrupt or hostile file cannot make us buffer more than it declared. Byte offsets in
 * errors count decompressed bytes.
 */
export async function decodeIdx(bytes: ByteSource, name: string, expectedRank?: number, target: IdxTarget = jsTarget): Promise<IdxArray> {
  checkIdxArguments("decodeIdx", bytes, name, expectedRank, true);
  if (typeof target !== "function") fail("decodeIdx", `target must be a function, got ${describeValue(target)}`);
  if (bytes instanceof Uint8Array && !isGzip(bytes)) {
    const parsed = parseIdx(bytes, name, expectedRank);
    if (target === jsTarget) return parsed; // raw input: a view, no copy
    const destination = target(parsed.dims, parsed.data.byteLength);
    destination().set(parsed.data);
    return { dims: parsed.dims, data: destination() };
  }
  const decoded = await openDecoded(bytes, name);
  const what = decoded.gzip ? `${name} (decompressed)` : name;
  const prefix = new Uint8Array(4 + 4 * MAX_RANK); // enough for any valid header
  let prefixLength = 0;
  let header: IdxHeader | null = null;
  let destination: (() => Uint8Array) | null = null;
  let written = 0; // data bytes (after the header) stored so far
  const store = (part: Uint8Array): void => {
    const { headerBytes, totalBytes } = header!;
    if (headerBytes + written + part.byteLength > totalBytes) {
      checkLength(headerBytes + written + part.byteLength, header!, what); // throws: bytes after the data
    }
    destination!().set(part, written);
    written += part.byteLength;
  };
  for await (const chunk of decoded.chunks) {
    if (destination !== null) { store(chunk); continue; }
    const take = Math.min(prefix.length - prefixLength, chunk.byteLength);
    prefix.set(chunk.subarray(0, take), prefixLength);
    prefixLength += take;
    header = tryHeader(prefix.subarray(0, prefixLength), what, expectedRank);
    if (header === null) continue;
    destination = target(header.dims, header.totalBytes - header.headerBytes);
    store(prefix.subarray(header.headerBytes, prefixLength));
    store(chunk.subarray(take));
  }
  if (header === null) header = readIdxHeader(prefix.subarray(0, prefixLength), what, expectedRank); // throws: truncated
  checkLength(header.headerBytes + written, header, what);
  return { dims: header.dims, data: destination!() };
}

/** The header once the prefix is long enough to hold it; null while more bytes are needed. */
function tryHeader(prefix: Uint8Array, name: string, expectedRank?: number): IdxHeader | null {
  if (prefix.byteLength < 4) return null;
  const rank = prefix[3];
  if (prefix[0] === 0 && prefix[1] === 0 && prefix[2] === UBYTE && rank >= 1 && rank <= MAX_RANK && prefix.byteLength < 4 + 4 * rank) {
    return null;
  }
  return readIdxHeader(prefix, name, expectedRank); // valid, or throws for a bad magic/rank/dims
}

/** Argument types, before a byte is read (a wrong type is a named error, not a DataView TypeError). */
function checkIdxArguments(where: string, bytes: unknown, name: unknown, expectedRank: unknown, streams: boolean): void {
  const isStream = streams && typeof ReadableStream !== "undefined" && bytes instanceof ReadableStream;
  if (!(bytes instanceof Uint8Array) && !isStream) {
    fail(where, `bytes must be a Uint8Array${streams ? " or a ReadableStream" : ""}, got ${describeValue(bytes)}`);
  }
  if (typeof name !== "string") fail(where, `name must be a string (used in messages), got ${describeValue(name)}`);
  if (expectedRank !== undefined && (typeof expectedRank !== "number" || !Number.isInteger(expectedRank) || expectedRank < 1 || expectedRank > MAX_RANK)) {
    fail(where, `expectedRank must be an integer in [1, ${MAX_RANK}], got ${describeValue(expectedRank)}`);
  }
}
