// Just enough ZIP (PKWARE APPNOTE) for .npz: read stored and deflated members, zip64 included
// (numpy writes every member with force_zip64), and write stored or deflated members.
// Reading trusts the central directory, checks every offset and size against the file before
// using it, inflates through DecompressionStream("deflate-raw") (Node ≥ 20 and browsers) in
// small slices with a hard output cap — so a member that inflates past its declared size (a zip
// bomb) is stopped, not buffered — and checks each member's CRC-32.
import { FileFormatError } from "./format-error.js";

export interface ZipMember {
  name: string;
  method: 0 | 8; // stored | deflated
  crc32: number;
  compressedSize: number;
  size: number;
  /** Offset of the member's local header. */
  offset: number;
}

export interface ZipReadOptions {
  /** Largest member accepted, uncompressed (default 1 GiB). */
  maxMemberBytes?: number;
}

export const DEFAULT_MAX_MEMBER_BYTES = 1 << 30;
const MAX_DEFLATE_RATIO = 1032; // deflate's limit: a 258-byte match per ~2 bits
const INFLATE_SLICE = 16 * 1024;
const EOCD = 0x06054b50, ZIP64_LOCATOR = 0x07064b50, ZIP64_EOCD = 0x06064b50, CENTRAL = 0x02014b50, LOCAL = 0x04034b50;
const FULL32 = 0xffffffff;

/** Is this the start of a ZIP file (a member, or an empty archive)? */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6));
}

/** The members listed in the central directory, every offset checked. */
export function readZipDirectory(bytes: Uint8Array, file: string): ZipMember[] {
  const bad = (message: string, offset?: number): never => {
    throw new FileFormatError(`${file}: ${offset === undefined ? "" : `at byte ${offset}: `}${message}`, offset);
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.byteLength;
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const u64 = (at: number, what: string) => {
    const v = view.getBigUint64(at, true);
    return v > BigInt(end) ? bad(`zip64 ${what} ${v} is larger than the file (${end} bytes)`, at) : Number(v);
  };

  // End of central directory: the last 22 bytes plus a comment of at most 65535 bytes.
  let eocd = -1;
  for (let at = end - 22; at >= Math.max(0, end - 22 - 0xffff); at--) {
    if (u32(at) === EOCD && at + 22 + u16(at + 20) === end) { eocd = at; break; }
  }
  if (eocd < 0) bad(`no end-of-central-directory record: not a zip file, or truncated (${end} bytes)`, end);
  if (u16(eocd + 4) !== 0 || u16(eocd + 6) !== 0) bad("multi-disk (spanned) archives are not supported", eocd);
  let count = u16(eocd + 10);
  let cdSize = u32(eocd + 12);
  let cdOffset = u32(eocd + 16);
  if (count === 0xffff || cdSize === FULL32 || cdOffset === FULL32) {
    const loc = eocd - 20;
    if (loc < 0 || u32(loc) !== ZIP64_LOCATOR) bad("the directory needs zip64 fields but there is no zip64 locator", eocd);
    const z = u64(loc + 8, "end-of-directory offset");
    if (z + 56 > loc || u32(z) !== ZIP64_EOCD) bad("the zip64 locator does not point at a zip64 end-of-directory record", loc);
    count = u64(z + 32, "entry count");
    cdSize = u64(z + 40, "directory size");
    cdOffset = u64(z + 48, "directory offset");
  }
  if (cdOffset + cdSize > eocd) bad(`the central directory (${cdSize} bytes at ${cdOffset}) runs past its end record at ${eocd}`, eocd);
  if (count * 46 > cdSize) bad(`${count} entries cannot fit in a ${cdSize}-byte central directory`, eocd);

  const members: ZipMember[] = [];
  const names = new Set<string>();
  let at = cdOffset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > cdOffset + cdSize || u32(at) !== CENTRAL) bad(`central directory entry ${n} is missing or corrupt`, at);
    const flags = u16(at + 8), method = u16(at + 10);
    const nameLength = u16(at + 28), extraLength = u16(at + 30), commentLength = u16(at + 32);
    const next = at + 46 + nameLength + extraLength + commentLength;
    if (next > cdOffset + cdSize) bad(`central directory entry ${n} runs past the directory`, at);
    const rawName = bytes.subarray(at + 46, at + 46 + nameLength);
    const name = decodeName(rawName, flags);
    if (flags & 0x41) bad(`member ${name} is encrypted; not supported`, at);
    if (method !== 0 && method !== 8) bad(`member ${name} uses compression method ${method}; only stored (0) and deflate (8) are supported`, at);
    if (names.has(name)) bad(`member ${name} appears twice`, at);
    names.add(name);
    let size = u32(at + 24), compressedSize = u32(at + 20), offset = u32(at + 42);
    if (size === FULL32 || compressedSize === FULL32 || offset === FULL32) {
      // zip64 extra field (id 1): only the fields whose 32-bit slots are full, in this order
      const z = findExtra(bytes, at + 46 + nameLength, extraLength, 1);
      if (z === null) bad(`member ${name} needs a zip64 extra field and has none`, at);
      let p = z as number;
      const field = (what: string) => {
        if (p + 8 > (z as number) + u16((z as number) - 2)) bad(`member ${name}'s zip64 extra field is too short for its ${what}`, at);
        const v = u64(p, what);
        p += 8;
        return v;
      };
      if (size === FULL32) size = field("size");
      if (compressedSize === FULL32) compressedSize = field("compressed size");
      if (offset === FULL32) offset = field("offset");
    }
    if (offset + 30 > cdOffset) bad(`member ${name}'s local header offset ${offset} is outside the data area`, at);
    members.push({ name, method: method as 0 | 8, crc32: u32(at + 16), compressedSize, size, offset });
    at = next;
  }
  // Members must not overlap: several directory entries sharing one compressed stream is the
  // "overlapping zip bomb" (each entry inflates the same bytes again).
  const byOffset = [...members].sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < byOffset.length; i++) {
    const prev = byOffset[i - 1];
    if (byOffset[i].offset < prev.offset + 30 + prev.compressedSize) {
      bad(`members ${prev.name} and ${byOffset[i].name} overlap (a member starts inside another's data): corrupt or a zip bomb`, byOffset[i].offset);
    }
  }
  return members;
}

/** The uncompressed bytes of one member, bounded and CRC-checked. */
export async function readZipMember(bytes: Uint8Array, m: ZipMember, file: string, options: ZipReadOptions = {}): Promise<Uint8Array> {
  const where = `${file}: member ${m.name}`;
  const bad = (message: string, offset?: number): never => {
    throw new FileFormatError(`${where}: ${offset === undefined ? "" : `at byte ${offset}: `}${message}`, offset);
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(m.offset, true) !== LOCAL) bad("no local file header where the directory says", m.offset);
  const nameLength = view.getUint16(m.offset + 26, true), extraLength = view.getUint16(m.offset + 28, true);
  const start = m.offset + 30 + nameLength + extraLength;
  const localName = decodeName(bytes.subarray(m.offset + 30, Math.min(m.offset + 30 + nameLength, bytes.byteLength)), view.getUint16(m.offset + 6, true));
  if (localName !== m.name) bad(`the local header names it ${JSON.stringify(localName)} (corrupt)`, m.offset);
  if (start + m.compressedSize > bytes.byteLength) {
    bad(`its ${m.compressedSize} bytes of data run past the end of the file at byte ${bytes.byteLength} (truncated)`, m.offset);
  }
  const max = options.maxMemberBytes ?? DEFAULT_MAX_MEMBER_BYTES;
  if (m.size > max) bad(`declares ${m.size} bytes uncompressed, above the ${max}-byte limit (maxMemberBytes)`, m.offset);
  const data = bytes.subarray(start, start + m.compressedSize);
  let out: Uint8Array;
  if (m.method === 0) {
    if (m.compressedSize !== m.size) bad(`is stored (not compressed) but its sizes differ (${m.compressedSize} vs ${m.size})`, m.offset);
    out = data;
  } else {
    if (m.size > m.compressedSize * MAX_DEFLATE_RATIO + 1024) {
      bad(`declares ${m.size} bytes from ${m.compressedSize} compressed, more than deflate can produce: corrupt or hostile`, m.offset);
    }
    out = await inflateRaw(data, m.size, (message) => bad(message, start));
  }
  const crc = crc32(out);
  if (crc !== m.crc32) bad(`CRC-32 mismatch: the data gives ${hex(crc)}, the directory says ${hex(m.crc32)} (corrupt)`, start);
  return out;
}

/** Inflate into a buffer of exactly `size` bytes; more or less output is an error. */
async function inflateRaw(data: Uint8Array, size: number, bad: (message: string) => never): Promise<Uint8Array> {
  const out = new Uint8Array(size);
  const stream = new DecompressionStream("deflate-raw");
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  // Feed small slices, each only after the reader drained the last: output per slice is bounded
  // by the deflate ratio, so even a hostile member can overshoot the cap by a few MB at most.
  const feeding = (async () => {
    for (let i = 0; i < data.byteLength; i += INFLATE_SLICE) {
      await writer.ready;
      await writer.write(new Uint8Array(data.subarray(i, i + INFLATE_SLICE))); // a copy: streams refuse views of shared memory
    }
    await writer.close();
  })();
  feeding.catch(() => undefined); // its failure surfaces through the reader
  let filled = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (filled + value.byteLength > size) {
        await reader.cancel().catch(() => undefined);
        bad(`inflates past its declared size of ${size} bytes: corrupt or a zip bomb; stopped`);
      }
      out.set(value, filled);
      filled += value.byteLength;
    }
  } catch (e) {
    if (e instanceof FileFormatError) throw e;
    bad(`the deflate data is corrupt (${(e as Error).message})`);
  }
  if (filled !== size) bad(`inflates to ${filled} bytes, but the directory declares ${size} (corrupt)`);
  return out;
}

/** Flag bit 11 means UTF-8; otherwise code page 437, read as latin-1 (equal for the ASCII names numpy writes). */
function decodeName(raw: Uint8Array, flags: number): string {
  return flags & 0x800 ? new TextDecoder("utf-8").decode(raw) : String.fromCharCode(...raw);
}

function findExtra(bytes: Uint8Array, start: number, length: number, id: number): number | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let p = start; p + 4 <= start + length;) {
    const size = view.getUint16(p + 2, true);
    if (p + 4 + size > start + length) return null;
    if (view.getUint16(p, true) === id) return p + 4;
    p += 4 + size;
  }
  return null;
}

export interface ZipInput { name: string; data: Uint8Array }

/** A ZIP of the given members, stored or deflated, with fixed timestamps (1980-01-01) so equal input gives equal bytes. */
export async function writeZip(members: readonly ZipInput[], deflate: boolean, where: string): Promise<Uint8Array> {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const { name, data } of members) {
    const rawName = encoder.encode(name);
    const packed = deflate ? await deflateRaw(data) : data;
    const crc = crc32(data);
    if (data.byteLength >= FULL32 || packed.byteLength >= FULL32 || offset >= FULL32) {
      throw new Error(`${where}: member ${name} or the archive reaches 4 GiB; zip64 writing is not supported`);
    }
    const utf8Flag = /^[\x20-\x7e]*$/.test(name) ? 0 : 0x800;
    const fields = (header: DataView, at: number) => {
      header.setUint16(at, 20, true); // version needed: 2.0
      header.setUint16(at + 2, utf8Flag, true);
      header.setUint16(at + 4, deflate ? 8 : 0, true);
      header.setUint16(at + 6, 0, true); // time 00:00:00
      header.setUint16(at + 8, 0x21, true); // date 1980-01-01, as numpy's zipfile writes
      header.setUint32(at + 10, crc, true);
      header.setUint32(at + 14, packed.byteLength, true);
      header.setUint32(at + 18, data.byteLength, true);
      header.setUint16(at + 22, rawName.byteLength, true);
    };
    const local = new Uint8Array(30 + rawName.byteLength);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, LOCAL, true);
    fields(lv, 4);
    local.set(rawName, 30);
    const entry = new Uint8Array(46 + rawName.byteLength);
    const cv = new DataView(entry.buffer);
    cv.setUint32(0, CENTRAL, true);
    cv.setUint16(4, 20, true); // version made by
    fields(cv, 6);
    cv.setUint32(42, offset, true);
    entry.set(rawName, 46);
    parts.push(local, packed);
    central.push(entry);
    offset += local.byteLength + packed.byteLength;
  }
  if (members.length > 0xfffe) throw new Error(`${where}: ${members.length} members need zip64; not supported`);
  const cdSize = central.reduce((s, c) => s + c.byteLength, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, EOCD, true);
  ev.setUint16(8, members.length, true);
  ev.setUint16(10, members.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  const out = new Uint8Array(offset + cdSize + 22);
  let p = 0;
  for (const part of [...parts, ...central, end]) {
    out.set(part, p);
    p += part.byteLength;
  }
  return out;
}

async function deflateRaw(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, "0")}`;
}
