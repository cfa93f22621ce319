// loadMnist for Node: find the four files, or fetch them, then load them with the shared,
// browser-safe code in mnist.ts. Lookup order (first hit wins):
//   1. the `dataDir` option, else $SCRATCHNET_DATA_DIR — an explicit choice: if files are
//      missing there we say which, instead of quietly using something else;
//   2. the user cache: $XDG_CACHE_HOME/scratchnet/<dataset> (or ~/.cache/scratchnet/<dataset>),
//      every file checked against its pinned checksum once per process (cache-verify.node.ts);
//   3. system dirs: /usr/share/datasets/<dataset> (Debian's dataset-fashion-mnist);
//   4. download from the public mirrors into the cache (verified, atomic);
//   5. the bundled files in data-sample/, with a loud warning: Fashion-MNIST's small sample by
//      default; for MNIST only when asked (`bundledDigits: "fallback"`): the 10 000 real test
//      digits, split 8000 train / 2000 test. For the test split alone they are the whole
//      MNIST test set, so `loadMnistTest` uses them without asking.
// Nothing found → one error listing every option. Where those directories are, and which
// files one holds: mnist-dirs.node.ts.
import { createReadStream } from "node:fs";
import { rm } from "node:fs/promises";
import { Readable } from "node:stream";
import "./inflate.node.js"; // .gz files through node:zlib
import { join, resolve } from "node:path";
import { downloadToCache, describeError, type DownloadOptions } from "./download.node.js";
import { cacheMismatchIn, findCacheMismatch, readCachedFile } from "./cache-verify.node.js";
import { loadMnistFromInputs, loadSplit, type IdxInput, type LoadedMnist, type MnistOptions } from "./mnist.js";
import { MNIST_PARTS, mnistSpec, type MnistPart, type MnistSpec } from "./mnist-files.js";
import type { ImageDataset } from "./dataset.js";
import { BUNDLED_DIGIT_FILES, bundledDigitsBanner, loadBundledDigits } from "./bundled-digits.node.js";
import { DATA_DIR_ENV, SAMPLE_DIR, SYSTEM_ROOT, findMnistFiles, mnistCacheDir, type Found } from "./mnist-dirs.node.js";
import { FILE_PIECE_BYTES } from "./file-pieces.node.js";

/** Set to "1" to keep loadMnist (and the CLI) off the network. */
export const OFFLINE_ENV = "SCRATCHNET_OFFLINE";
const TEST_PARTS: readonly MnistPart[] = ["testImages", "testLabels"];

export interface LoadMnistOptions extends MnistOptions, DownloadOptions {
  /** A directory holding the four files (.gz or raw), or a <dataset>/ subdirectory with them. */
  dataDir?: string;
  /** Cache root (default $XDG_CACHE_HOME/scratchnet or ~/.cache/scratchnet); files go in <root>/<dataset>. */
  cacheDir?: string;
  /** System directories to look in (default [/usr/share/datasets/<dataset>]). */
  systemDirs?: string[];
  /** Try the mirrors when no local copy exists (default true, unless $SCRATCHNET_OFFLINE is "1"). */
  download?: boolean;
  /** Mirror base URLs (default the dataset's public mirrors). */
  mirrors?: string[];
  /** Fall back to the bundled Fashion-MNIST sample (default true). */
  useSample?: boolean;
  /** Where the sample lives (default the package's data-sample/fashion-mnist). */
  sampleDir?: string;
  /**
   * MNIST only: the 10 000 real test digits bundled with the package, split 8000 train / 2000
   * test (`subset: "bundled-t10k-8000-2000"`). "fallback": when the full set is nowhere to be
   * found or downloaded (a loud warning says so); "always": use them without looking;
   * "never" (default): a missing MNIST is an error.
   */
  bundledDigits?: "never" | "fallback" | "always";
  /** Receives warnings, e.g. that the sample is in use (default: a line on stderr). */
  warn?: (message: string) => void;
  /** Environment to read SCRATCHNET_DATA_DIR / XDG_CACHE_HOME from (default process.env). */
  env?: Record<string, string | undefined>;
}

/** Reads the files `locate` found (all four for loadMnist, the test pair for loadMnistTest). */
type LoadFound<T> = (files: Record<MnistPart, string>, options: LoadMnistOptions, source: string, isSample?: boolean, verify?: MnistSpec | null) => Promise<T>;
type Splits = { train?: ImageDataset; test: ImageDataset };

/**
 * One found file as a loader input; with `verify`, checked against its pinned checksum as it is
 * read (whole: the check may need the compressed bytes' own hash). Otherwise it streams in
 * pieces, so inflating starts with the first one and the pieces' buffers are reused
 * (file-pieces.node.ts); a failed read is reported as `<path>: read failed (<reason>)`.
 */
function fileInput(files: Record<MnistPart, string>, part: MnistPart, verify: MnistSpec | null): IdxInput {
  const path = files[part];
  return { name: path, read: () => (verify ? readCachedFile(path, verify.files[part], part, verify.name) : streamFile(path)) };
}

function streamFile(path: string): ReadableStream<Uint8Array> {
  return Readable.toWeb(createReadStream(path, { highWaterMark: FILE_PIECE_BYTES })) as ReadableStream<Uint8Array>;
}

/** Load the splits from four paths. */
function loadAllFromFiles(files: Record<MnistPart, string>, options: LoadMnistOptions, source: string, isSample = false, verify: MnistSpec | null = null): Promise<LoadedMnist> {
  const inputs = {} as Record<MnistPart, IdxInput>;
  // one file at a time, each streamed unless it is checked (fileInput): peak RSS 161 against
  // 182 MB for the whole files (docs/performance.md, "Loading the data")
  for (const part of MNIST_PARTS) inputs[part] = fileInput(files, part, verify);
  return loadMnistFromInputs(inputs, { ...options, source, isSample });
}

export async function loadMnist(options: LoadMnistOptions = {}): Promise<LoadedMnist> {
  const spec = mnistSpec(options.dataset ?? "mnist", "loadMnist");
  const bundled = bundledDigitsOption(spec, options, "loadMnist");
  if (bundled === "always") return loadBundledDigits(options);
  const fallback = bundled === "fallback"
    ? async (cacheDir: string, downloadError: string) => {
      const loaded = await loadBundledDigits(options);
      warner(options)(bundledDigitsBanner(firstLine(downloadError), cacheDir, DATA_DIR_ENV));
      return loaded;
    }
    : undefined;
  return locate(spec, options, MNIST_PARTS, loadAllFromFiles, fallback);
}

/**
 * The test split alone (two files, never the 47 MB of training images), found the way
 * loadMnist finds the four; for MNIST the bundled test digits are the whole test set, so they
 * are the last resort. `bundledDigits: "always"` gives the bundled split's 2000 test digits.
 */
export async function loadMnistTest(options: LoadMnistOptions = {}): Promise<{ test: ImageDataset; source: string; isSample: boolean; subset?: string }> {
  const spec = mnistSpec(options.dataset ?? "mnist", "loadMnistTest");
  if (bundledDigitsOption(spec, options, "loadMnistTest") === "always") {
    const { train: _train, ...rest } = await loadBundledDigits(options);
    return rest;
  }
  const flags = { normalize: options.normalize, flatten: options.flatten, oneHotLabel: options.oneHotLabel };
  const loadTest = async (files: Record<MnistPart, string>, _options: LoadMnistOptions, source: string, isSample = false, verify: MnistSpec | null = null) => {
    const input = (p: MnistPart): IdxInput => fileInput(files, p, verify);
    return { test: await loadSplit(`${spec.name}-test`, input("testImages"), input("testLabels"), flags), source, isSample };
  };
  // the bundled digits ARE the MNIST test set (same bytes, same checksums): no warning needed
  const bundledTestSet = spec.name === "mnist"
    ? async () => loadTest(BUNDLED_DIGIT_FILES as Record<MnistPart, string>, options, `bundled MNIST test digits ${BUNDLED_DIGIT_FILES.testImages}`)
    : undefined;
  return locate(spec, options, TEST_PARTS, loadTest, bundledTestSet);
}

/** The option checked: one of the three values, and only for the digits. */
function bundledDigitsOption(spec: MnistSpec, options: LoadMnistOptions, where: string): "never" | "fallback" | "always" {
  const bundled = options.bundledDigits ?? "never";
  if (!["never", "fallback", "always"].includes(bundled)) {
    throw new Error(`${where}: bundledDigits must be "never", "fallback" or "always", got ${JSON.stringify(bundled)}`);
  }
  if (bundled !== "never" && spec.name !== "mnist") {
    throw new Error(`${where}: bundledDigits applies to dataset 'mnist' (the bundled files are digits), not '${spec.name}'`);
  }
  return bundled;
}

/**
 * The lookup order at the top of this file, for `parts`; `loadFromFiles` reads what was found,
 * `lastResort` (the bundled digits, where allowed) comes before the Fashion-MNIST sample.
 */
async function locate<T extends Splits>(
  spec: MnistSpec, options: LoadMnistOptions, parts: readonly MnistPart[], loadFromFiles: LoadFound<T>,
  lastResort?: (cacheDir: string, downloadError: string) => Promise<T>,
): Promise<T> {
  const env = options.env ?? process.env;
  const warn = warner(options);
  const files = (f: Found) => f.files as Record<MnistPart, string>;

  // 1. explicit directory
  const explicit = options.dataDir ?? (env[DATA_DIR_ENV] || undefined);
  if (explicit !== undefined) {
    const how = options.dataDir !== undefined ? "the dataDir option" : `$${DATA_DIR_ENV}`;
    const dir = resolve(explicit);
    const sub = join(dir, spec.name);
    const inSub = await findMnistFiles(sub, spec, parts);
    if (inSub.missing.length === 0) return loadFromFiles(files(inSub), options, sub);
    const inDir = await findMnistFiles(dir, spec, parts);
    if (inDir.missing.length === 0) return loadFromFiles(files(inDir), options, dir);
    throw new Error(
      `loadMnist: ${spec.name} not found in ${dir} (given by ${how}): missing ${inDir.missing.join(", ")}` +
        ` (also looked in ${sub}). Put the four files there, or unset it to use the cache/system copies.`,
    );
  }

  // 2. cache, 3. system dirs
  const cacheDir = mnistCacheDir(spec.name, options);
  const cached = await findMnistFiles(cacheDir, spec, parts);
  const offline = options.download === undefined && env[OFFLINE_ENV] === "1";
  const fromCache = (source: string): Promise<T> =>
    loadFromCache(spec, cacheDir, parts, loadFromFiles, options, source, options.download !== false && !offline, warn);
  if (cached.missing.length === 0) return fromCache(cacheDir);
  const systemDirs = options.systemDirs ?? [join(SYSTEM_ROOT, spec.name)];
  for (const dir of systemDirs) {
    const found = await findMnistFiles(dir, spec, parts);
    if (found.missing.length === 0) return loadFromFiles(files(found), options, resolve(dir));
  }

  // 4. download what the cache lacks
  let downloadError = offline ? `downloads are disabled ($${OFFLINE_ENV}=1)` : "downloads are disabled (download: false)";
  if (options.download !== false && !offline) {
    const urls: string[] = [];
    try {
      for (const part of parts) {
        if (cached.files[part]) continue;
        const got = await downloadToCache(spec.files[part], options.mirrors ?? spec.mirrors, cacheDir, options);
        urls.push(got.url);
      }
      downloadError = "";
    } catch (error) {
      downloadError = describeError(error);
    }
    // outside the try: a verified download that then fails to load is an error to see, not a
    // reason to fall back to the sample
    if (downloadError === "") {
      // the new files were verified as they arrived; any that were cached before are checked now
      return fromCache(`${cacheDir} (downloaded from ${urls.join(", ")})`);
    }
  }

  // 5. the bundled files: the MNIST digits where the caller allows them, else the Fashion-MNIST
  // sample (never clothes for digits)
  if (lastResort) return lastResort(cacheDir, downloadError);
  const sampleDir = options.sampleDir ?? SAMPLE_DIR;
  if (spec.name === "fashion-mnist" && options.useSample !== false) {
    const sample = await findMnistFiles(sampleDir, spec, parts);
    if (sample.missing.length === 0) {
      const loaded = await loadFromFiles(files(sample), options, `bundled sample ${resolve(sampleDir)}`, true);
      warn(
        `scratchnet: USING THE BUNDLED SAMPLE (${loaded.train ? `${loaded.train.count} training + ` : ""}${loaded.test.count} test images of ` +
          `Fashion-MNIST) — accuracy will be low. For the full dataset: sudo apt install dataset-fashion-mnist, ` +
          `or set ${DATA_DIR_ENV} / --data-dir to a directory with the four files, or go online so they can be ` +
          `downloaded to ${cacheDir}. (Download failed: ${firstLine(downloadError)})`,
      );
      return loaded;
    }
  }
  throw new Error(offlineMessage(spec, cacheDir, cached, systemDirs, downloadError));
}

/**
 * The cached files of `parts`, each verified against its pinned checksum (once per process). A
 * file that fails is fetched again when downloads are allowed (and the bad copy removed), else
 * refused with an error naming it and both checksums.
 */
async function loadFromCache<T>(
  spec: MnistSpec, cacheDir: string, parts: readonly MnistPart[], load: LoadFound<T>, options: LoadMnistOptions,
  source: string, downloadAllowed: boolean, warn: (m: string) => void,
): Promise<T> {
  const refetched = new Set<MnistPart>();
  for (;;) {
    const found = await findMnistFiles(cacheDir, spec, parts);
    try {
      return await load(found.files as Record<MnistPart, string>, options, source, false, spec);
    } catch (failure) {
      // the checksum's verdict comes at the end of each file; a wrong file can fail on its
      // structure first (dims, trailing bytes), so then check the files on their own
      const error = cacheMismatchIn(failure) ?? await findCacheMismatch(found.files, spec);
      if (error === null) {
        // verified files that still fail to load: the disk broke, or a file changed under us
        throw new Error(`${(failure as Error).message}\n(the cached copy in ${cacheDir} is damaged: delete the file to download it again)`, { cause: failure });
      }
      if (!downloadAllowed) {
        throw new Error(`loadMnist: ${error.message}\n(downloads are off, so it was not fetched again: delete it, or allow downloads to replace it)`, { cause: error });
      }
      if (refetched.has(error.part)) throw error; // a fresh, verified download failing again: never loop
      let url: string;
      try {
        const got = await downloadToCache(spec.files[error.part], options.mirrors ?? spec.mirrors, cacheDir, options);
        if (got.path !== error.path) await rm(error.path, { force: true });
        url = got.url;
      } catch (cause) {
        throw new Error(`loadMnist: ${error.message}\nFetching it again failed: ${describeError(cause)}\n(delete it, or put a good copy there)`, { cause });
      }
      refetched.add(error.part);
      warn(`scratchnet: ${error.message}; replaced it with a verified copy from ${url}`);
    }
  }
}

function offlineMessage(spec: MnistSpec, cacheDir: string, cached: Found, systemDirs: string[], downloadError: string): string {
  const lines = [
    `loadMnist: no copy of ${spec.name} found, and it could not be downloaded.`,
    `  looked in: ${cacheDir} (missing ${cached.missing.join(", ")}); ${systemDirs.join(", ") || "no system dirs"}`,
    `  download: ${downloadError.replace(/\n/g, "\n  ")}`,
    "Ways to provide it:",
    `  - loadMnist({ dataDir }) / scratchnet --data-dir DIR, or ${DATA_DIR_ENV}=DIR: a directory with ` +
      MNIST_PARTS.map((p) => `${spec.files[p].name}.gz`).join(", "),
    `  - copy those four files into the cache: ${cacheDir}`,
    "  - Fashion-MNIST on Debian/Ubuntu: sudo apt install dataset-fashion-mnist (files in /usr/share/datasets/fashion-mnist)",
    "  - connect to the internet: the files are downloaded once into the cache and verified",
  ];
  if (spec.name === "mnist") {
    lines.push("  - or train on the 10 000 real MNIST test digits bundled with scratchnet (8000 train / 2000 test):" +
      ' loadMnist({ bundledDigits: "fallback" }) uses them when the full set is missing');
  }
  return lines.join("\n");
}

function warner(options: LoadMnistOptions): (message: string) => void {
  return options.warn ?? ((message: string) => process.stderr.write(`${message}\n`));
}

function firstLine(s: string): string {
  const lines = s.split("\n").map((l) => l.trim()).filter(Boolean);
  return lines.length > 1 ? `${lines[0]} ${lines[1]}` : lines[0] ?? s;
}
