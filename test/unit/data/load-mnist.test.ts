// loadMnist on the real files: Fashion-MNIST from Debian's /usr/share/datasets, the MNIST test
// digits bundled in data-sample/mnist, the lookup order, and the bundled-sample fallback.
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { loadMnist, loadSplit, mnistCacheDir, MNIST_SPECS } from "../../../src/index.node.js";
import { FASHION_DIR, MNIST_DIR } from "../../helpers/mnist.js";
import { have } from "../../helpers/prerequisites.js";
import { tempDirs } from "../../helpers/temp-dirs.js";
import { SAMPLE_DIR } from "../../../src/data/mnist-dirs.node.js";

const FILES = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];
const tempDir = tempDirs("scratchnet-data-");
/** A directory whose four files are symlinks to `from` (real data, nothing copied). */
function linkedDir(from: string, dir = tempDir()): string {
  mkdirSync(dir, { recursive: true });
  for (const f of FILES) symlinkSync(join(from, f), join(dir, f));
  return dir;
}
/** Labels straight from the file with node:zlib: the independent reference. */
const rawLabels = (dir: string, file: string): Uint8Array => gunzipSync(readFileSync(join(dir, file))).subarray(8);
const noFetch = (async () => { throw new TypeError("fetch failed (network disabled in this test)"); }) as typeof fetch;

describe.runIf(have("fashion"))("loadMnist: real Fashion-MNIST from the system dir", () => {
  it("finds /usr/share/datasets/fashion-mnist and loads 60000 + 10000 images with the book's flags", async () => {
    const { train, test, source, isSample } = await loadMnist({
      dataset: "fashion-mnist", env: {}, cacheDir: tempDir(), fetch: noFetch,
    });
    expect(source).toBe(FASHION_DIR.replace(/\/$/, ""));
    expect(isSample).toBe(false);
    expect([train.count, train.rows, train.cols, train.rowLen, train.classes]).toEqual([60000, 28, 28, 784, 10]);
    expect(test.count).toBe(10000);
    expect([train.normalize, train.flatten, train.oneHotLabel]).toEqual([true, true, false]);
    // labels agree with an independent gunzip of the same files, all of them
    expect(Buffer.compare(Buffer.from(train.labelArray()), Buffer.from(rawLabels(FASHION_DIR, FILES[1])))).toBe(0);
    expect(Buffer.compare(Buffer.from(test.labelArray()), Buffer.from(rawLabels(FASHION_DIR, FILES[3])))).toBe(0);
    // Fashion-MNIST is balanced by construction: 6000 per class in train, 1000 in test
    const counts = (ds: typeof train) => { const c = new Array(10).fill(0); for (const l of ds.labelArray()) c[l]++; return c; };
    expect(counts(train)).toEqual(new Array(10).fill(6000));
    expect(counts(test)).toEqual(new Array(10).fill(1000));
    // the last training image matches the file byte for byte (the whole 47 MB made it in)
    const rawImages = gunzipSync(readFileSync(join(FASHION_DIR, FILES[0])));
    expect(Buffer.compare(Buffer.from(train.image(59999)), rawImages.subarray(16 + 59999 * 784))).toBe(0);
    train.free();
    test.free();
  });
});

describe("loadMnist: MNIST digits from the bundled data-sample/mnist", () => {
  it("a dataDir without the training images is an error naming the missing file", async () => {
    await expect(loadMnist({ dataset: "mnist", dataDir: MNIST_DIR, env: {}, fetch: noFetch }))
      .rejects.toThrow(/mnist not found in .*data-sample\/mnist \(given by the dataDir option\): missing train-images-idx3-ubyte\.gz, train-labels-idx1-ubyte\.gz \(/);
  });

  it("the test split loads through loadSplit: 10000 digits, the book's first labels 7 2 1 0 4", async () => {
    const file = (f: string) => ({ name: f, read: () => readFileSync(join(MNIST_DIR, f)) });
    const test = await loadSplit("mnist-test", file(FILES[2]), file(FILES[3]));
    expect(test.count).toBe(10000);
    expect(Array.from(test.labelArray().subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
    expect(Buffer.compare(Buffer.from(test.labelArray()), Buffer.from(rawLabels(MNIST_DIR, FILES[3])))).toBe(0);
    test.free();
  });
});

describe.runIf(have("fashion"))("loadSplit on the real Fashion-MNIST training files", () => {
  it("60000 images vs 59999 labels is refused before the images are inflated into memory", async () => {
    const labels = Buffer.from(gunzipSync(readFileSync(join(FASHION_DIR, FILES[1]))).subarray(0, 8 + 59999));
    labels.writeUInt32BE(59999, 4);
    const images = { name: FILES[0], read: () => readFileSync(join(FASHION_DIR, FILES[0])) };
    await expect(loadSplit("fashion-mnist-train", images, { name: FILES[1], read: () => labels }))
      .rejects.toThrow("fashion-mnist-train: 60000 images (train-images-idx3-ubyte.gz) vs 59999 labels (train-labels-idx1-ubyte.gz)");
  });
});

describe("loadMnist: lookup order (temp dirs holding the real sample files)", () => {
  const opts = (extra: Parameters<typeof loadMnist>[0]) => ({ dataset: "fashion-mnist" as const, fetch: noFetch, useSample: false, ...extra });

  it("dataDir option beats $SCRATCHNET_DATA_DIR beats cache beats system dir", async () => {
    const optionDir = linkedDir(SAMPLE_DIR), envDir = linkedDir(SAMPLE_DIR), systemDir = linkedDir(SAMPLE_DIR);
    const cacheRoot = tempDir();
    // the cache holds the real files: it is verified against the pinned checksums (the sample would be refused)
    const cacheDir = linkedDir(FASHION_DIR, join(cacheRoot, "fashion-mnist"));
    const env = { SCRATCHNET_DATA_DIR: envDir };
    const src = async (o: Parameters<typeof loadMnist>[0]) => {
      const r = await loadMnist(opts(o));
      r.train.free();
      return r.source;
    };
    expect(await src({ dataDir: optionDir, env, cacheDir: cacheRoot, systemDirs: [systemDir] })).toBe(optionDir);
    expect(await src({ env, cacheDir: cacheRoot, systemDirs: [systemDir] })).toBe(envDir);
    expect(await src({ env: {}, cacheDir: cacheRoot, systemDirs: [systemDir] })).toBe(cacheDir);
    expect(await src({ env: {}, cacheDir: tempDir(), systemDirs: [tempDir(), systemDir] })).toBe(systemDir);
  });

  it("a damaged file in the cache is named, with how to get a fresh copy", async () => {
    // (the cache is verified against the pinned checksums before use: the truncated file fails
    // that check, and being offline it cannot be fetched again; test/unit/data/cache-verify.test.ts has more)
    const cacheRoot = tempDir();
    const cacheDir = join(cacheRoot, "fashion-mnist");
    mkdirSync(cacheDir);
    for (const f of FILES.slice(1)) symlinkSync(join(FASHION_DIR, f), join(cacheDir, f));
    writeFileSync(join(cacheDir, FILES[0]), readFileSync(join(FASHION_DIR, FILES[0])).subarray(0, 5000));
    const error = await loadMnist(opts({ env: {}, cacheDir: cacheRoot, systemDirs: [FASHION_DIR] })).then(() => null, (e: Error) => e);
    expect(error?.message).toMatch(new RegExp(
      `^loadMnist: the cached ${join(cacheDir, FILES[0])} is not the real fashion-mnist train-images-idx3-ubyte: it does not inflate \\(corrupt gzip data: unexpected end of file\\); ` +
      `expected sha256 c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888 of 47040016 decompressed bytes\nFetching it again failed: [^]*fetch failed \\(network disabled in this test\\)[^]*\n\\(delete it, or put a good copy there\\)$`,
    ));
  });

  it.runIf(have("fashion"))("uncompressed IDX files are found and read as well", async () => {
    const dir = tempDir();
    for (const f of FILES) writeFileSync(join(dir, f.replace(/\.gz$/, "")), gunzipSync(readFileSync(join(SAMPLE_DIR, f))));
    const r = await loadMnist(opts({ dataDir: dir, env: {} }));
    expect([r.source, r.train.count, r.test.count]).toEqual([dir, 700, 200]);
    expect(Buffer.compare(Buffer.from(r.train.labelArray()), Buffer.from(rawLabels(FASHION_DIR, FILES[1]).subarray(0, 700)))).toBe(0);
    r.train.free();
  });

  it("a <dataset>/ subdirectory of the data dir is found too", async () => {
    const root = tempDir();
    const sub = linkedDir(SAMPLE_DIR, join(root, "fashion-mnist"));
    const r = await loadMnist(opts({ env: { SCRATCHNET_DATA_DIR: root }, cacheDir: tempDir(), systemDirs: [] }));
    expect(r.source).toBe(sub);
    r.train.free();
  });

  it("a data file that cannot be read, or stops short, is named with what went wrong", async () => {
    // the files on disk stream in pieces (load-mnist.node.ts): the read error and the cut-off
    // gzip still name the file, and the load gives its memory back
    const dir = tempDir();
    for (const f of FILES.slice(1)) symlinkSync(join(SAMPLE_DIR, f), join(dir, f));
    mkdirSync(join(dir, FILES[0])); // a directory where the training images should be
    await expect(loadMnist(opts({ dataDir: dir, cacheDir: tempDir(), systemDirs: [] })))
      .rejects.toThrow(`${join(dir, FILES[0])}: read failed (EISDIR`);
    rmSync(join(dir, FILES[0]), { recursive: true });
    const whole = readFileSync(join(SAMPLE_DIR, FILES[0]));
    writeFileSync(join(dir, FILES[0]), whole.subarray(0, whole.length >> 1));
    await expect(loadMnist(opts({ dataDir: dir, cacheDir: tempDir(), systemDirs: [] })))
      .rejects.toThrow(`${join(dir, FILES[0])}: corrupt gzip data (unexpected end of file)`);
  });

  it("an incomplete $SCRATCHNET_DATA_DIR is an error, not a silent fallback", async () => {
    const dir = tempDir();
    symlinkSync(join(SAMPLE_DIR, FILES[1]), join(dir, FILES[1]));
    await expect(loadMnist(opts({ env: { SCRATCHNET_DATA_DIR: dir }, systemDirs: [FASHION_DIR] })))
      .rejects.toThrow(`(given by $SCRATCHNET_DATA_DIR): missing train-images-idx3-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz`);
  });

  it("the cache dir follows $XDG_CACHE_HOME, else ~/.cache", () => {
    expect(mnistCacheDir("mnist", { env: { XDG_CACHE_HOME: "/x/cache" } })).toBe("/x/cache/scratchnet/mnist");
    expect(mnistCacheDir("fashion-mnist", { env: { HOME: "/h" } })).toMatch(/\/\.cache\/scratchnet\/fashion-mnist$/);
    expect(mnistCacheDir("mnist", { cacheDir: "/c" })).toBe("/c/mnist");
  });
});

describe("loadMnist: offline with nothing found", () => {
  it.runIf(have("fashion"))("fashion-mnist falls back to the bundled sample and says so loudly", async () => {
    const warnings: string[] = [];
    const r = await loadMnist({
      dataset: "fashion-mnist", env: {}, cacheDir: tempDir(), systemDirs: [tempDir()], fetch: noFetch,
      warn: (m) => warnings.push(m),
    });
    expect(r.isSample).toBe(true);
    expect(r.source).toMatch(/^bundled sample .*data-sample\/fashion-mnist$/);
    expect([r.train.count, r.test.count]).toEqual([700, 200]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^scratchnet: USING THE BUNDLED SAMPLE \(700 training \+ 200 test images of Fashion-MNIST\) — accuracy will be low/);
    expect(warnings[0]).toContain("sudo apt install dataset-fashion-mnist");
    expect(warnings[0]).toContain("fetch failed (network disabled in this test)");
    // the sample is the head of the real Debian files, byte for byte
    expect(Buffer.compare(Buffer.from(r.train.labelArray()), Buffer.from(rawLabels(FASHION_DIR, FILES[1]).subarray(0, 700)))).toBe(0);
    expect(Buffer.compare(Buffer.from(r.test.image(199)), gunzipSync(readFileSync(join(FASHION_DIR, FILES[2]))).subarray(16 + 199 * 784, 16 + 200 * 784))).toBe(0);
    r.train.free();
    r.test.free();
  });

  it("the default warning goes to stderr", async () => {
    const written: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => { written.push(String(chunk)); return true; }) as typeof process.stderr.write;
    try {
      const r = await loadMnist({ dataset: "fashion-mnist", env: {}, cacheDir: tempDir(), systemDirs: [], fetch: noFetch });
      expect(r.isSample).toBe(true);
    } finally {
      process.stderr.write = original;
    }
    expect(written.join("")).toContain("USING THE BUNDLED SAMPLE");
  });

  it("mnist (digits) does not silently become the Fashion sample: one message listing the options", async () => {
    const cacheRoot = tempDir();
    const error = await loadMnist({ dataset: "mnist", env: {}, cacheDir: cacheRoot, systemDirs: [tempDir()], fetch: noFetch, mirrors: ["http://mirror.invalid/"] })
      .then(() => null, (e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    const m = error!.message;
    expect(m).toMatch(/^loadMnist: no copy of mnist found, and it could not be downloaded\./);
    expect(m).toContain(`http://mirror.invalid/train-images-idx3-ubyte.gz: request failed: fetch failed (network disabled in this test)`);
    expect(m).toContain("SCRATCHNET_DATA_DIR=DIR");
    expect(m).toContain("--data-dir DIR");
    expect(m).toContain(`copy those four files into the cache: ${join(cacheRoot, "mnist")}`);
    expect(m).toContain("sudo apt install dataset-fashion-mnist");
    // the one option that loads the bundled real digits (never the clothes) is named
    expect(m).toContain('loadMnist({ bundledDigits: "fallback" }) uses them when the full set is missing');
    expect(m).not.toContain("falls back to a small bundled sample");
  });

  it("useSample: false turns the fallback off", async () => {
    await expect(loadMnist({ dataset: "fashion-mnist", env: {}, cacheDir: tempDir(), systemDirs: [], fetch: noFetch, useSample: false }))
      .rejects.toThrow("loadMnist: no copy of fashion-mnist found");
  });

  it("every mirror is tried, in order", async () => {
    const asked: string[] = [];
    const recording = (async (url: string) => { asked.push(url); throw new TypeError("fetch failed"); }) as unknown as typeof fetch;
    await expect(loadMnist({ dataset: "mnist", env: {}, cacheDir: tempDir(), systemDirs: [], fetch: recording })).rejects.toThrow();
    expect(asked).toEqual(MNIST_SPECS.mnist.mirrors.map((m) => `${m}train-images-idx3-ubyte.gz`));
  });
});

describe("loadMnist: the bundled real digits (8000 train / 2000 test)", () => {
  const nothing = () => ({ env: {}, cacheDir: tempDir(), systemDirs: [tempDir()], fetch: noFetch });

  it('bundledDigits: "fallback" trains on real digits when MNIST is nowhere, and says so loudly', async () => {
    const warnings: string[] = [];
    const r = await loadMnist({ ...nothing(), bundledDigits: "fallback", warn: (m) => warnings.push(m) });
    expect([r.train.count, r.test.count, r.isSample, r.subset]).toEqual([8000, 2000, true, "bundled-t10k-8000-2000"]);
    expect(r.source).toMatch(/^bundled MNIST test digits .*data-sample\/mnist\/$/);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("TRAINING ON THE 10 000 REAL MNIST TEST DIGITS BUNDLED WITH SCRATCHNET");
    expect(warnings[0]).toContain("fetch failed (network disabled in this test)");
    // train = t10k[0:8000], test = t10k[8000:10000], byte for byte
    const labels = rawLabels(MNIST_DIR, FILES[3]);
    expect(Buffer.compare(Buffer.from(r.train.labelArray()), Buffer.from(labels.subarray(0, 8000)))).toBe(0);
    expect(Buffer.compare(Buffer.from(r.test.labelArray()), Buffer.from(labels.subarray(8000)))).toBe(0);
    const images = gunzipSync(readFileSync(join(MNIST_DIR, FILES[2])));
    expect(Buffer.compare(Buffer.from(r.test.image(0)), images.subarray(16 + 8000 * 784, 16 + 8001 * 784))).toBe(0);
    expect(Array.from(r.train.labelArray().subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
    r.train.free();
  });

  it('bundledDigits: "always" skips the lookup; the default stays strict', async () => {
    const asked: string[] = [];
    const recording = (async (url: string) => { asked.push(url); throw new TypeError("fetch failed"); }) as unknown as typeof fetch;
    const r = await loadMnist({ env: {}, cacheDir: tempDir(), fetch: recording, bundledDigits: "always" });
    expect([r.train.count, r.test.count, r.subset]).toEqual([8000, 2000, "bundled-t10k-8000-2000"]);
    expect(asked).toEqual([]);
    r.train.free();
    await expect(loadMnist(nothing())).rejects.toThrow(/^loadMnist: no copy of mnist found/);
  });

  it("$SCRATCHNET_OFFLINE=1 keeps loadMnist off the network, and the error says so", async () => {
    const asked: string[] = [];
    const recording = (async (url: string) => { asked.push(url); throw new TypeError("fetch failed"); }) as unknown as typeof fetch;
    const error = await loadMnist({ env: { SCRATCHNET_OFFLINE: "1" }, cacheDir: tempDir(), systemDirs: [], fetch: recording }).then(() => null, (e: Error) => e);
    expect(asked).toEqual([]);
    expect(error?.message).toContain("download: downloads are disabled ($SCRATCHNET_OFFLINE=1)");
  });

  it("bundledDigits is for digits only, and a wrong value is named", async () => {
    await expect(loadMnist({ ...nothing(), dataset: "fashion-mnist", bundledDigits: "fallback" }))
      .rejects.toThrow("loadMnist: bundledDigits applies to dataset 'mnist' (the bundled files are digits), not 'fashion-mnist'");
    await expect(loadMnist({ ...nothing(), bundledDigits: "yes" as never }))
      .rejects.toThrow('loadMnist: bundledDigits must be "never", "fallback" or "always", got "yes"');
  });

  it("an explicit data dir without the files stays an error, even with the fallback allowed", async () => {
    await expect(loadMnist({ ...nothing(), dataDir: tempDir(), bundledDigits: "fallback" })).rejects.toThrow(/given by the dataDir option\): missing/);
  });
});
