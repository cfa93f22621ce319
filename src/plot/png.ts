// A minimal 8-bit greyscale PNG encoder, so an SVG can show a digit or a filter as a real
// bitmap (<image href="data:image/png;base64,…">, scaled up with pixelated rendering) instead
// of hundreds of rectangles. Browser-safe: no zlib — the image data goes into "stored"
// (uncompressed) deflate blocks, which every PNG decoder reads. Small images only: a 28×28
// digit is 1 KB of base64.

let crcTable: Uint32Array | null = null;

function crc32(bytes: Uint8Array, start: number, end: number): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[i] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function adler32(bytes: Uint8Array): number {
  let a = 1, b = 0;
  for (let i = 0; i < bytes.length; i++) {
    a = (a + bytes[i]) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** PNG bytes of a width×height greyscale image (row-major, 0 black … 255 white). */
export function encodeGrayPng(width: number, height: number, pixels: ArrayLike<number>): Uint8Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`encodeGrayPng: width and height must be positive integers, got ${width}×${height}`);
  }
  if (pixels.length !== width * height) throw new Error(`encodeGrayPng: ${pixels.length} pixels for a ${width}×${height} image`);
  // scanlines, each after a filter byte 0 (none)
  const raw = new Uint8Array(height * (width + 1));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) raw[y * (width + 1) + 1 + x] = Math.min(255, Math.max(0, Math.round(pixels[y * width + x])));
  }
  const blocks = Math.max(1, Math.ceil(raw.length / 65535));
  const zlib = new Uint8Array(2 + blocks * 5 + raw.length + 4);
  zlib[0] = 0x78; zlib[1] = 0x01; // deflate, 32K window, no preset dictionary
  let o = 2;
  for (let k = 0; k < blocks; k++) {
    const len = Math.min(65535, raw.length - k * 65535);
    zlib[o++] = k === blocks - 1 ? 1 : 0; // BFINAL, BTYPE 00 (stored)
    zlib[o++] = len & 0xff; zlib[o++] = len >>> 8;
    zlib[o++] = ~len & 0xff; zlib[o++] = (~len >>> 8) & 0xff;
    zlib.set(raw.subarray(k * 65535, k * 65535 + len), o);
    o += len;
  }
  new DataView(zlib.buffer).setUint32(o, adler32(raw));

  const ihdr = new Uint8Array(13);
  const hv = new DataView(ihdr.buffer);
  hv.setUint32(0, width); hv.setUint32(4, height);
  ihdr[8] = 8; ihdr[9] = 0; // 8 bits, greyscale; compression, filter, interlace 0
  const chunks: [string, Uint8Array][] = [["IHDR", ihdr], ["IDAT", zlib], ["IEND", new Uint8Array(0)]];
  const size = 8 + chunks.reduce((s, [, d]) => s + 12 + d.length, 0);
  const png = new Uint8Array(size);
  png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(png.buffer);
  let p = 8;
  for (const [type, data] of chunks) {
    view.setUint32(p, data.length);
    for (let i = 0; i < 4; i++) png[p + 4 + i] = type.charCodeAt(i);
    png.set(data, p + 8);
    view.setUint32(p + 8 + data.length, crc32(png, p + 4, p + 8 + data.length));
    p += 12 + data.length;
  }
  return png;
}

/** Base64 of bytes (btoa exists in browsers and in Node ≥ 16). */
export function base64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
