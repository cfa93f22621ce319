// The dataset cache is verified against the pinned checksums (issue 14 §6): a cached file with
// altered pixels, labels shifted by one, or Fashion-MNIST in the MNIST cache used to train.
// Tampered copies of the real files (Debian's Fashion-MNIST, the bundled MNIST test digits) in
// temp cache dirs are now refused — naming the file and both checksums — or, when downloading
// is allowed, fetched again from a mirror (a local server on 127.0.0.1).
import { copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMnist, MNIST_SPECS, type LoadMnistOptions } from "../../../src/index.node.js";
import { CacheMismatchError, cacheFilesHashed, forgetVerifiedCacheFiles, readCachedFile } from "../../../src/data/cache-verify.node.js";
import { FASHION_DIR, MNIST_DIR } from "../../helpers/mnist.js";
import { listenLocal, type LocalServer } from "../../helpers/local-server.js";
import { tempDirs } from "../../helpers/temp-dirs.js";

const FILES = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];
const FASHION = MNIST_SPECS["fashion-mnist"].files;
const MNIST = MNIST_SPECS.mnist.files;
const sha256 = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");
const tempDir = tempDirs("scratchnet-cache-");
const requests: string[] = [];
let server: LocalServer;
let mirror = "";

/** A cache root whose <dataset>/ holds the real Fashion-MNIST files (symlinks), for loadMnist. */
function fashionCache(dataset = "fashion-mnist"): { root: string; dir: string } {
  const root = tempDir();
  const dir = join(root, dataset);
  mkdirSync(dir);
  for (const f of FILES) symlinkSync(join(FASHION_DIR, f), join(dir, f));
  return { root, dir };
}

/** Replace `file` in `dir` by a real copy whose decompressed bytes went through `edit`. */
function tamper(dir: string, file: string, edit: (raw: Buffer) => void, from = FASHION_DIR): Buffer {
  const raw = gunzipSync(readFileSync(join(from, file)));
  edit(raw);
  rmSync(join(dir, file), { force: true });
  writeFileSync(join(dir, file), gzipSync(raw));
  return raw;
}

/** The whole content readCachedFile hands the loader (a verifying stream is read to its end, where the verdict comes). */
async function check(path: string, spec: (typeof FASHION)["testLabels"], part: Parameters<typeof readCachedFile>[2], dataset: string): Promise<Uint8Array> {
  const source = await readCachedFile(path, spec, part, dataset);
  if (source instanceof Uint8Array) return source;
  const chunks: Uint8Array[] = [];
  const reader = source.getReader();
  for (let step = await reader.read(); !step.done; step = await reader.read()) chunks.push(step.value);
  return Buffer.concat(chunks);
}

const options = (root: string, extra: LoadMnistOptions = {}): LoadMnistOptions => ({
  dataset: "fashion-mnist", env: {}, cacheDir: root, systemDirs: [], useSample: false, warn: () => {},
  fetch: (async () => { throw new TypeError("fetch failed (network disabled in this test)"); }) as typeof fetch, ...extra,
});

beforeAll(async () => {
  server = await listenLocal((req, res) => {
    requests.push(req.url ?? "");
    try {
      const body = readFileSync(join(FASHION_DIR, (req.url ?? "").split("/").pop() ?? ""));
      res.writeHead(200, { "content-length": body.length }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  mirror = `${server.origin}/fashion/`;
});

afterAll(async () => {
  await server.close();
});

describe("one cached file against its pinned checksum", () => {
  it("the real files pass (Fashion-MNIST from Debian, the bundled MNIST test digits), inflated once on the way", async () => {
    forgetVerifiedCacheFiles();
    const labels = await check(join(FASHION_DIR, FILES[3]), FASHION.testLabels, "testLabels", "fashion-mnist");
    expect(Buffer.compare(Buffer.from(labels), gunzipSync(readFileSync(join(FASHION_DIR, FILES[3]))))).toBe(0);
    const digits = await check(join(MNIST_DIR, FILES[2]), MNIST.testImages, "testImages", "mnist");
    expect(sha256(digits)).toBe(MNIST.testImages.sha256);
  });

  it("one altered pixel is refused, naming the file and both checksums", async () => {
    const dir = tempDir();
    copyFileSync(join(FASHION_DIR, FILES[2]), join(dir, FILES[2]));
    const raw = tamper(dir, FILES[2], (r) => { r[16 + 4321] ^= 0x01; });
    const error = await check(join(dir, FILES[2]), FASHION.testImages, "testImages", "fashion-mnist").then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(CacheMismatchError);
    expect((error as CacheMismatchError).part).toBe("testImages");
    expect((error as Error).message).toBe(
      `the cached ${join(dir, FILES[2])} is not the real fashion-mnist t10k-images-idx3-ubyte: sha256 of its decompressed bytes is ${sha256(raw)}, expected ${FASHION.testImages.sha256}`,
    );
  });

  it("labels shifted by one are refused", async () => {
    const dir = tempDir();
    const raw = tamper(dir, FILES[3], (r) => { r.copyWithin(8, 9); }); // label i becomes label i+1
    await expect(check(join(dir, FILES[3]), FASHION.testLabels, "testLabels", "fashion-mnist"))
      .rejects.toThrow(`sha256 of its decompressed bytes is ${sha256(raw)}, expected ${FASHION.testLabels.sha256}`);
  });

  it("Fashion-MNIST under MNIST's name is refused (sha256 files, and the md5-pinned train-images)", async () => {
    await expect(check(join(FASHION_DIR, FILES[3]), MNIST.testLabels, "testLabels", "mnist"))
      .rejects.toThrow(`is not the real mnist t10k-labels-idx1-ubyte: sha256 of its decompressed bytes is ${FASHION.testLabels.sha256}, expected ${MNIST.testLabels.sha256}`);
    const gz = readFileSync(join(FASHION_DIR, FILES[0]));
    const md5 = createHash("md5").update(gz).digest("hex");
    await expect(check(join(FASHION_DIR, FILES[0]), MNIST.trainImages, "trainImages", "mnist"))
      .rejects.toThrow(`is not the real mnist train-images-idx3-ubyte: md5 of the file is ${md5}, expected ${MNIST.trainImages.gzMd5} (the original train-images-idx3-ubyte.gz`);
  });

  it("uncompressed copies are verified too; truncated or oversized gzip is refused before it is trusted", async () => {
    const dir = tempDir();
    const raw = gunzipSync(readFileSync(join(MNIST_DIR, FILES[3])));
    writeFileSync(join(dir, "t10k-labels-idx1-ubyte"), raw);
    expect(sha256(await check(join(dir, "t10k-labels-idx1-ubyte"), MNIST.testLabels, "testLabels", "mnist"))).toBe(MNIST.testLabels.sha256);
    writeFileSync(join(dir, "short.gz"), readFileSync(join(MNIST_DIR, FILES[3])).subarray(0, 1000));
    await expect(check(join(dir, "short.gz"), MNIST.testLabels, "testLabels", "mnist"))
      .rejects.toThrow(/it does not inflate \(corrupt gzip data: unexpected end of file\); expected sha256 ff7bcfd4.* of 10008 decompressed bytes/);
    writeFileSync(join(dir, "big.gz"), gzipSync(Buffer.alloc(20_000_000)));
    await expect(check(join(dir, "big.gz"), MNIST.testLabels, "testLabels", "mnist"))
      .rejects.toThrow("it inflates to more than 10008 bytes");
  });
});

describe("loadMnist from a tampered cache", () => {
  it("refuses (downloads off) with the file and both checksums, and trains on nothing", async () => {
    const { root, dir } = fashionCache();
    const raw = tamper(dir, FILES[1], (r) => { r.copyWithin(8, 9); });
    await expect(loadMnist(options(root, { download: false }))).rejects.toThrow(
      `loadMnist: the cached ${join(dir, FILES[1])} is not the real fashion-mnist train-labels-idx1-ubyte: sha256 of its decompressed bytes is ${sha256(raw)}, ` +
        `expected ${FASHION.trainLabels.sha256}\n(downloads are off, so it was not fetched again: delete it, or allow downloads to replace it)`,
    );
  });

  it("Fashion-MNIST files in the MNIST cache do not load as 'mnist'", async () => {
    const { root, dir } = fashionCache("mnist");
    await expect(loadMnist(options(root, { dataset: "mnist", download: false })))
      .rejects.toThrow(`loadMnist: the cached ${join(dir, FILES[1])} is not the real mnist train-labels-idx1-ubyte: sha256 of its decompressed bytes is ${FASHION.trainLabels.sha256}, expected ${MNIST.trainLabels.sha256}`);
  });

  it("a wrong file that fails on its structure before the checksum's verdict is still named by its checksum", async () => {
    // the test images under the training images' name: 10000 images vs 60000 labels stops the
    // load at the header, before the hash is complete; the files are then checked on their own
    const { root, dir } = fashionCache();
    rmSync(join(dir, FILES[0]));
    copyFileSync(join(FASHION_DIR, FILES[2]), join(dir, FILES[0]));
    await expect(loadMnist(options(root, { download: false }))).rejects.toThrow(
      `loadMnist: the cached ${join(dir, FILES[0])} is not the real fashion-mnist train-images-idx3-ubyte: sha256 of its decompressed bytes is ${FASHION.testImages.sha256}, ` +
        `expected ${FASHION.trainImages.sha256} (7840016 bytes, expected 47040016)`,
    );
  });

  it("fetches a tampered file again from a mirror, replaces it, says so, and loads the real data", async () => {
    const { root, dir } = fashionCache();
    tamper(dir, FILES[0], (r) => { r[16 + 59999 * 784 + 400] ^= 0x80; }); // one pixel of the last image
    const warnings: string[] = [];
    const before = requests.length;
    const data = await loadMnist(options(root, { mirrors: [mirror], fetch: globalThis.fetch, warn: (m) => warnings.push(m) }));
    expect(requests.slice(before)).toEqual(["/fashion/train-images-idx3-ubyte.gz"]); // only the bad file
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^scratchnet: the cached ${join(dir, FILES[0])} is not the real fashion-mnist train-images-idx3-ubyte: sha256 .*; replaced it with a verified copy from ${mirror}train-images-idx3-ubyte\\.gz$`));
    expect(Buffer.compare(readFileSync(join(dir, FILES[0])), readFileSync(join(FASHION_DIR, FILES[0])))).toBe(0);
    const real = gunzipSync(readFileSync(join(FASHION_DIR, FILES[0])));
    expect(Buffer.compare(Buffer.from(data.train.image(59999)), real.subarray(16 + 59999 * 784))).toBe(0);
    data.train.free();
    data.test.free();
  });

  it("a file is hashed once per process, and again when it changes", async () => {
    const { root, dir } = fashionCache();
    forgetVerifiedCacheFiles();
    const load = async () => { const d = await loadMnist(options(root)); d.train.free(); d.test.free(); };
    const start = cacheFilesHashed();
    await load();
    expect(cacheFilesHashed() - start).toBe(4);
    await load();
    expect(cacheFilesHashed() - start).toBe(4); // trusted now: not hashed again
    // a new copy (here: a new mtime) is a new file
    const later = new Date(Date.now() + 5000);
    const copy = join(dir, FILES[3]);
    rmSync(copy);
    copyFileSync(join(FASHION_DIR, FILES[3]), copy);
    utimesSync(copy, later, later);
    await load();
    expect(cacheFilesHashed() - start).toBe(5);
  });
});
