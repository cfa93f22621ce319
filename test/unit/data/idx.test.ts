// IDX decoding (gzip and raw) and a corpus of malformed files built from real MNIST bytes:
// every case must fail with its own specific message, never crash or load garbage.
import { readFileSync } from "node:fs";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeIdx, isGzip, loadMnistFromBytes, loadSplit, parseIdx, type IdxInput } from "../../../src/index.node.js";
import { getCore, setInflater, type Inflater } from "../../../src/internal.js";
import { inflateWithZlib } from "../../../src/data/inflate.node.js";
import { MNIST_DIR } from "../../helpers/mnist.js";

const imagesGz = readFileSync(MNIST_DIR + "t10k-images-idx3-ubyte.gz");
const labelsGz = readFileSync(MNIST_DIR + "t10k-labels-idx1-ubyte.gz");
// the test's own, independent decompression (node:zlib), to compare the library against
const imagesRaw = gunzipSync(imagesGz);
const labelsRaw = gunzipSync(labelsGz);

/** A copy of the first `n` images / labels with headers rewritten for n. */
function images(n: number, dims = [n, 28, 28]): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(0x0800 | dims.length, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, imagesRaw.subarray(16, 16 + dims.reduce((a, b) => a * b, 1))]);
}
function labels(n: number): Buffer {
  const out = Buffer.from(labelsRaw.subarray(0, 8 + n));
  out.writeUInt32BE(n, 4);
  return out;
}
/**
 * `bytes` as a web stream cut into awkward pieces (1, 3, 7, 1000, 65536 bytes, repeating), so
 * the magic, the header and the data all straddle chunk boundaries; `failAt` makes it error.
 */
function pieces(bytes: Uint8Array, failAt = Infinity): ReadableStream<Uint8Array> {
  const sizes = [1, 3, 7, 1000, 65536];
  let at = 0, turn = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= failAt) { controller.error(new Error("connection reset by peer")); return; }
      if (at >= bytes.byteLength) { controller.close(); return; }
      const end = Math.min(at + sizes[turn++ % sizes.length], bytes.byteLength, failAt);
      controller.enqueue(bytes.slice(at, end));
      at = end;
    },
  });
}
type Mode = "bytes" | "stream";
const input = (name: string, bytes: Uint8Array, mode: Mode): IdxInput => ({ name, read: () => (mode === "bytes" ? bytes : pieces(bytes)) });
const split = (img: Uint8Array, lab: Uint8Array, mode: Mode = "bytes") =>
  loadSplit("t10k", input("t10k-images-idx3-ubyte.gz", img, mode), input("t10k-labels-idx1-ubyte.gz", lab, mode));

// Node reads .gz through node:zlib (src/data/inflate.node.ts); pages and workers through the web
// DecompressionStream. Both inflaters go through everything below, with the same messages.
const INFLATERS: [string, Inflater | null][] = [["node:zlib", inflateWithZlib], ["DecompressionStream", null]];
describe.each(INFLATERS)("inflating with %s", (_name, inflater) => {
  beforeAll(() => setInflater(inflater));
  afterAll(() => setInflater(inflateWithZlib));

  describe("decodeIdx", () => {
    it("inflates gzip to exactly what node:zlib's gunzipSync gives", async () => {
      expect(isGzip(imagesGz)).toBe(true);
      expect(isGzip(imagesRaw)).toBe(false);
      const decoded = await decodeIdx(imagesGz, "t10k-images", 3);
      expect(decoded.dims).toEqual([10000, 28, 28]);
      expect(Buffer.compare(Buffer.from(decoded.data), imagesRaw.subarray(16))).toBe(0);
      const fromRaw = await decodeIdx(imagesRaw, "t10k-images", 3);
      expect(fromRaw.data.byteOffset).toBe(imagesRaw.byteOffset + 16); // raw input: a view, no copy
      const lab = await decodeIdx(labelsGz, "t10k-labels", 1);
      expect(Array.from(lab.data.subarray(0, 10))).toEqual(Array.from(labelsRaw.subarray(8, 18)));
    });

    it("reads a gzip stream made of two members", async () => {
      const half = labels(10);
      const twoMembers = Buffer.concat([gzipSync(half.subarray(0, 12)), gzipSync(half.subarray(12))]);
      const decoded = await decodeIdx(twoMembers, "two-members", 1);
      expect(Array.from(decoded.data)).toEqual(Array.from(labelsRaw.subarray(8, 18)));
    });
  });

  describe("malformed IDX corpus (real bytes, specific errors)", () => {
    const N = 50;
    const img = images(N);
    const lab = labels(N);
    const hugeDims = Buffer.from(img);
    hugeDims.writeUInt32BE(0xffffffff, 4);
    const badMagic = Buffer.from(img);
    badMagic.writeUInt32BE(0x12345678, 0);
    const floatType = Buffer.from(img);
    floatType.writeUInt32BE(0x00000d03, 0);
    const corrupt = gzipSync(img);
    for (let i = 40; i < 60; i++) corrupt[i] ^= 0x5a;
    const badLabel = Buffer.from(lab);
    badLabel[8 + 3] = 10;

    const cases: [string, Uint8Array, Uint8Array, string | RegExp][] = [
      ["empty file", new Uint8Array(0), lab, "t10k-images-idx3-ubyte.gz: truncated at byte 0: an IDX file starts with a 4-byte magic number"],
      ["truncated in the magic", img.subarray(0, 3), lab, "t10k-images-idx3-ubyte.gz: truncated at byte 3: an IDX file starts"],
      ["truncated in the header", img.subarray(0, 10), lab, "t10k-images-idx3-ubyte.gz: truncated at byte 10: the header needs 16 bytes"],
      ["truncated after the header", img.subarray(0, 16), lab, `truncated at byte 16: dimensions [${N}, 28, 28] need ${16 + N * 784} bytes`],
      ["truncated mid-image", img.subarray(0, 16 + 7 * 784 + 300), lab, `truncated at byte ${16 + 7 * 784 + 300}: dimensions [${N}, 28, 28]`],
      ["truncated one byte short", img.subarray(0, img.length - 1), lab, `truncated at byte ${img.length - 1}:`],
      ["gzip truncated (decompressed data ends early)", gzipSync(img.subarray(0, 1000)), lab, "t10k-images-idx3-ubyte.gz (decompressed): truncated at byte 1000"],
      ["gzip stream cut off", gzipSync(img).subarray(0, 2000), lab, "t10k-images-idx3-ubyte.gz: corrupt gzip data (unexpected end of file)"],
      ["corrupt gzip data", corrupt, lab, /^t10k-images-idx3-ubyte\.gz: corrupt gzip data \(.+\)$/],
      ["gzip with the magic only", Uint8Array.of(0x1f, 0x8b), lab, "t10k-images-idx3-ubyte.gz: corrupt gzip data (unexpected end of file)"],
      ["bad magic", badMagic, lab, "t10k-images-idx3-ubyte.gz: bad magic 0x12345678: expected 0x000008RR"],
      ["an HTML error page instead of IDX", new TextEncoder().encode("<html><body>404</body></html>"), lab, "t10k-images-idx3-ubyte.gz: bad magic 0x3c68746d"],
      ["float elements (type 0x0d)", floatType, lab, "bad magic 0x00000d03"],
      ["labels given as images (wrong rank)", lab, lab, "t10k-images-idx3-ubyte.gz: rank 1 (magic 0x00000801), expected 3"],
      ["images given as labels (wrong rank)", img, img, "t10k-labels-idx1-ubyte.gz: rank 3 (magic 0x00000803), expected 1"],
      ["huge dims", hugeDims, lab, "t10k-images-idx3-ubyte.gz: dimensions [4294967295, 28, 28] describe 3367254359280 bytes, more than can be loaded"],
      ["trailing bytes (raw)", Buffer.concat([img, Buffer.from([1, 2, 3, 4, 5])]), lab, `t10k-images-idx3-ubyte.gz: 5 unexpected bytes after the data (dimensions [${N}, 28, 28] need ${16 + N * 784} bytes)`],
      ["trailing bytes (gzip)", gzipSync(Buffer.concat([img, Buffer.alloc(7)])), lab, "t10k-images-idx3-ubyte.gz (decompressed): 7 unexpected bytes after the data"],
      ["images not 28×28", images(40, [40, 28, 27]), labels(40), "t10k-images-idx3-ubyte.gz: images are 28×27, expected 28×28"],
      ["more images than labels", img, labels(N - 1), `t10k: ${N} images (t10k-images-idx3-ubyte.gz) vs ${N - 1} labels (t10k-labels-idx1-ubyte.gz)`],
      ["more labels than images", images(N - 1), lab, `t10k: ${N - 1} images (t10k-images-idx3-ubyte.gz) vs ${N} labels`],
      ["label 10 (only 10 classes)", img, badLabel, "ImageDataset(t10k): label 10 at index 3 is not a class index in [0, 9]"],
      ["labels file truncated", img, lab.subarray(0, 8 + N - 2), `t10k-labels-idx1-ubyte.gz: truncated at byte ${8 + N - 2}: dimensions [${N}] need ${8 + N} bytes`],
    ];

    const both = (["bytes", "stream"] as const).flatMap((mode) => cases.map(([what, ...rest]) => [`${what} (${mode})`, ...rest, mode] as const));
    it.each(both)("%s", async (_what, imageBytes, labelBytes, message, mode) => {
      const before = getCore().allocator.bytesInUse;
      await expect(split(imageBytes, labelBytes, mode)).rejects.toThrow(message);
      expect(getCore().allocator.bytesInUse).toBe(before); // a failed load gives its wasm memory back
    });

    it("a stream that fails mid-file is a read error, not a corrupt file (gzip and raw)", async () => {
      const gz = gzipSync(img);
      const failing = (bytes: Uint8Array, at: number): IdxInput => ({ name: "t10k-images-idx3-ubyte.gz", read: () => pieces(bytes, at) });
      const lab8 = input("t10k-labels-idx1-ubyte.gz", lab, "stream");
      await expect(loadSplit("t10k", failing(gz, gz.length >> 1), lab8)).rejects.toThrow("t10k-images-idx3-ubyte.gz: read failed (connection reset by peer)");
      await expect(loadSplit("t10k", failing(img, 5000), lab8)).rejects.toThrow("t10k-images-idx3-ubyte.gz: read failed (connection reset by peer)");
    });

    it.each(["bytes", "stream"] as const)("the same bytes, well-formed, load (so the corpus fails for the stated reason only): %s", async (mode) => {
      const ds = await split(gzipSync(img), lab, mode);
      expect(ds.count).toBe(N);
      expect(Array.from(ds.labelArray())).toEqual(Array.from(labelsRaw.subarray(8, 8 + N)));
      expect(Buffer.compare(Buffer.from(ds.image(N - 1)), imagesRaw.subarray(16 + (N - 1) * 784, 16 + N * 784))).toBe(0);
      ds.free();
    });

    it("parseIdx keeps its synchronous raw-bytes contract", () => {
      expect(parseIdx(lab, "labels", 1).dims).toEqual([N]);
      expect(() => parseIdx(gzipSync(lab), "labels.gz", 1)).toThrow("labels.gz: bad magic 0x1f8b0800");
    });
  });
});

// Node's inflater only: the web pipe behind DecompressionStream reads a fast source to its end
// before the refusal reaches it (seen in Node 20), so a page may read more than it needs there.
describe("node:zlib inflater", () => {
  it("a file refused at its header stops the inflater and releases the source stream", async () => {
    // 2 MB of gzip behind a bad magic: the refusal comes after the first piece, and the rest
    // must never be read (the reader is cancelled, not left hanging on a socket or a file)
    const noise = Buffer.alloc(2 << 20);
    for (let i = 0, x = 1; i < noise.length; i++) noise[i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24; // incompressible
    const badMagic = images(50);
    badMagic.writeUInt32BE(0x12345678, 0);
    const big = Buffer.concat([badMagic, noise]);
    const gz = gzipSync(big);
    let pulled = 0, cancelled = false;
    const source = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= gz.length) { controller.close(); return; }
        controller.enqueue(gz.slice(pulled, pulled + 4096));
        pulled += 4096;
      },
      cancel() { cancelled = true; },
    });
    await expect(decodeIdx(source, "t10k-images-idx3-ubyte.gz", 3)).rejects.toThrow("bad magic 0x12345678");
    await new Promise((resolve) => setTimeout(resolve, 20)); // let the cancellation land
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThan(gz.length);
  });
});

// The two splits load at once (src/data/mnist.ts): a failure of either still frees the other,
// and the training split's error is the one reported when both fail, as when they loaded in turn.
describe("loadMnistFromBytes: both splits at once", () => {
  const N = 40;
  const img = gzipSync(images(N)), lab = gzipSync(labels(N));
  const badLabels = labels(N);
  badLabels[8 + 5] = 12;
  const bad = gzipSync(badLabels), truncated = gzipSync(images(N)).subarray(0, 500);
  const files = (trainLabels: Uint8Array, testImages: Uint8Array) => ({ trainImages: img, trainLabels, testImages, testLabels: lab });

  it("loads both when both are well formed", async () => {
    const before = getCore().allocator.bytesInUse;
    const { train, test } = await loadMnistFromBytes(files(lab, img));
    expect([train.count, test.count]).toEqual([N, N]);
    train.free();
    test.free();
    expect(getCore().allocator.bytesInUse).toBe(before);
  });

  it.each([
    ["the test split fails: its error, and the loaded training split is freed", lab, truncated, "t10k-images-idx3-ubyte: corrupt gzip data"],
    ["the training split fails: its error, and the loaded test split is freed", bad, img, "label 12 at index 5"],
    ["both fail: the training split's error", bad, truncated, "label 12 at index 5"],
  ])("%s", async (_what, trainLabels, testImages, message) => {
    const before = getCore().allocator.bytesInUse;
    await expect(loadMnistFromBytes(files(trainLabels, testImages))).rejects.toThrow(message);
    expect(getCore().allocator.bytesInUse).toBe(before);
  });
});
