// IDX files (the MNIST container): big-endian magic 0x0000TTRR (T = element type, R = rank),
// R big-endian uint32 dimensions, then the elements. We only read unsigned bytes (T = 0x08).
// Every failure names the file and says what is wrong and where.

export interface IdxArray {
  dims: number[];
  /** The elements, a view into the input bytes (no copy). */
  data: Uint8Array;
}

const UBYTE = 0x08;
const MAX_RANK = 4;

/** Parse raw (already decompressed) IDX bytes. `name` is used in error messages. */
export function parseIdx(bytes: Uint8Array, name: string, expectedRank?: number): IdxArray {
  if (bytes.byteLength < 4) throw new Error(`${name}: truncated at byte ${bytes.byteLength}: an IDX file starts with a 4-byte magic number`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const type = (magic >>> 8) & 0xff;
  const rank = magic & 0xff;
  if (magic >>> 16 !== 0 || type !== UBYTE || rank < 1 || rank > MAX_RANK) {
    throw new Error(`${name}: bad magic 0x${magic.toString(16).padStart(8, "0")}: expected 0x000008RR (unsigned bytes, rank RR in 1..${MAX_RANK})`);
  }
  if (expectedRank !== undefined && rank !== expectedRank) {
    throw new Error(`${name}: rank ${rank} (magic 0x${magic.toString(16).padStart(8, "0")}), expected ${expectedRank}`);
  }
  const headerBytes = 4 + 4 * rank;
  if (bytes.byteLength < headerBytes) throw new Error(`${name}: truncated at byte ${bytes.byteLength}: the header needs ${headerBytes} bytes`);
  const dims: number[] = [];
  let count = 1;
  for (let i = 0; i < rank; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    dims.push(d);
    count *= d;
  }
  if (count > 2 ** 31) throw new Error(`${name}: dimensions [${dims.join(", ")}] describe ${count} bytes, more than can be loaded`);
  const expected = headerBytes + count;
  if (bytes.byteLength < expected) {
    throw new Error(`${name}: truncated at byte ${bytes.byteLength}: dimensions [${dims.join(", ")}] need ${expected} bytes`);
  }
  if (bytes.byteLength > expected) {
    throw new Error(`${name}: ${bytes.byteLength - expected} unexpected bytes after the data (dimensions [${dims.join(", ")}] need ${expected} bytes)`);
  }
  return { dims, data: bytes.subarray(headerBytes, expected) };
}
