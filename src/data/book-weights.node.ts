// The book's trained weight files (ch03 sample_weight.pkl, ch07 params.pkl, ch08
// deep_convnet_params.pkl), found or fetched the way loadMnist finds the datasets. Lookup order:
//   1. `path` (an explicit file), else `dir` / $SCRATCHNET_BOOK_DIR (a directory holding it) —
//      explicit choices: a missing or wrong file there is an error, not a reason to look elsewhere;
//   2. the copy bundled in data-sample/book (sample_weight.pkl only);
//   3. the user cache, <cache root>/book/<file> (the root as for the datasets);
//   4. a download from the book's public repository (or $SCRATCHNET_BOOK_URL), stored in the cache.
// Every file is checked against its pinned sha256 (and size) before it is returned — a cached copy
// on every call (hashing 3.5 MB costs milliseconds), a download before it is written, atomically,
// into the cache. The download is data/download.node.ts's fetchBytes, with its network limits.
import { createHash } from "node:crypto";
import { mkdir, readFile, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileAtomic } from "../io/atomic-write.node.js";
import { fetchBytes, describeError, type DownloadOptions } from "./download.node.js";
import { exists, mnistCacheDir } from "./mnist-dirs.node.js";

export type BookWeightsName = "sample_weight.pkl" | "params.pkl" | "deep_convnet_params.pkl";

export interface BookWeightsSpec {
  /** Path in the book's repository. */
  readonly repoPath: string;
  readonly what: string;
  readonly bytes: number;
  readonly sha256: string;
}

export const BOOK_WEIGHTS: Readonly<Record<BookWeightsName, BookWeightsSpec>> = Object.freeze({
  "sample_weight.pkl": {
    repoPath: "ch03/sample_weight.pkl", what: "the 784-50-100-10 sigmoid net of ch03/neuralnet_mnist.py", bytes: 181853,
    sha256: "b7f55a27988ba34c3777b0f1bbd464817c8a4db855723e6ff26f703501917a13",
  },
  "params.pkl": {
    repoPath: "ch07/params.pkl", what: "the trained SimpleConvNet of chapter 7", bytes: 3471484,
    sha256: "a5da99cffddafcfe5e686e79dc0ec3a7cc993b58e64f483b50960511e5e85344",
  },
  "deep_convnet_params.pkl": {
    repoPath: "ch08/deep_convnet_params.pkl", what: "the trained DeepConvNet of chapter 8", bytes: 989219,
    sha256: "4b7a27baee2037605afa94d3f514ca9fa9cc96623739328609765073cfd5f802",
  },
});

/** Raw files of the book's repository (MIT licence), https://github.com/oreilly-japan/deep-learning-from-scratch. */
export const BOOK_REPO_RAW = "https://raw.githubusercontent.com/oreilly-japan/deep-learning-from-scratch/master/";
export const BOOK_DIR_ENV = "SCRATCHNET_BOOK_DIR";
export const BOOK_URL_ENV = "SCRATCHNET_BOOK_URL";
const BUNDLED_DIR = fileURLToPath(new URL("../../data-sample/book/", import.meta.url));

export interface BookWeightsOptions extends DownloadOptions {
  /** This file, checked against the pinned checksum (e.g. from an example's --weights flag). */
  path?: string;
  /** A directory holding the file (default $SCRATCHNET_BOOK_DIR). */
  dir?: string;
  /** Use the copy bundled in data-sample/book when there is one (default true). */
  bundled?: boolean;
  /** Cache root, as for loadMnist (default $XDG_CACHE_HOME/scratchnet or ~/.cache/scratchnet); files go in <root>/book. */
  cacheDir?: string;
  /** Fetch the file when no local copy exists (default true). */
  download?: boolean;
  /** Where the repository's files are (default $SCRATCHNET_BOOK_URL, else BOOK_REPO_RAW); `repoPath` is appended. */
  baseUrl?: string;
  /** Receives notes such as a replaced cache file (default: a line on stderr). */
  warn?: (message: string) => void;
  /** Environment for SCRATCHNET_BOOK_DIR / SCRATCHNET_BOOK_URL / XDG_CACHE_HOME (default process.env). */
  env?: Record<string, string | undefined>;
}

/** The book's weight file `name` as a local path, verified; fetched into the cache if need be. */
export async function bookWeightsFile(name: BookWeightsName, options: BookWeightsOptions = {}): Promise<string> {
  const where = "bookWeightsFile";
  const spec = Object.hasOwn(BOOK_WEIGHTS, name) ? BOOK_WEIGHTS[name] : undefined;
  if (!spec) throw new Error(`${where}: unknown file ${JSON.stringify(String(name)).slice(0, 80)} (known: ${Object.keys(BOOK_WEIGHTS).join(", ")})`);
  const env = options.env ?? process.env;
  const warn = options.warn ?? ((m: string) => process.stderr.write(`${m}\n`));

  // 1. explicit choices
  if (options.path !== undefined) return checkLocal(resolve(options.path), name, spec, "the path given");
  const dir = options.dir ?? (env[BOOK_DIR_ENV] || undefined);
  if (dir !== undefined) {
    const how = options.dir !== undefined ? "the dir option" : `$${BOOK_DIR_ENV}`;
    return checkLocal(join(resolve(dir), name), name, spec, how);
  }
  // 2. bundled
  if (options.bundled !== false && await exists(join(BUNDLED_DIR, name))) return checkLocal(join(BUNDLED_DIR, name), name, spec, "the bundled copy");
  // 3. cache
  const cacheDir = mnistCacheDir("book", { cacheDir: options.cacheDir, env });
  const cached = join(cacheDir, name);
  let stale = "";
  if (await exists(cached)) {
    const problem = verify(await readFile(cached), spec);
    if (problem === null) return cached;
    stale = `the cached ${cached} is not the book's ${name}: ${problem}`;
    if (options.download === false) throw new Error(`${where}: ${stale}\n(downloads are off, so it was not fetched again: delete it, or allow downloads to replace it)`);
  }
  // 4. download
  const url = new URL(spec.repoPath, withSlash(options.baseUrl ?? (env[BOOK_URL_ENV] || BOOK_REPO_RAW))).href;
  let failure = "downloads are disabled (download: false)";
  if (options.download !== false) {
    try {
      const body = await fetchBytes(url, spec.bytes, options, where);
      const problem = verify(body, spec);
      if (problem !== null) throw new Error(`${url}: ${problem}`);
      await mkdir(cacheDir, { recursive: true });
      await writeFileAtomic(cached, body);
      if (stale) warn(`scratchnet: ${stale}; replaced it with a verified copy from ${url}`);
      return cached;
    } catch (error) {
      failure = describeError(error);
      if (stale) await rm(cached, { force: true }); // never leave a wrong file where the next run would look
    }
  }
  throw new Error([
    `${where}: ${spec.repoPath} (${spec.what}, ${spec.bytes} bytes) is not here and could not be downloaded.`,
    `  download: ${failure.replace(/\n/g, "\n  ")}`,
    ...(stale ? [`  cache: ${stale} (removed)`] : []),
    "Ways to provide it:",
    `  - download ${url} yourself and pass its path (an example's --weights FILE, or bookWeightsFile(name, { path }))`,
    `  - put it in a directory and set ${BOOK_DIR_ENV}=DIR`,
    `  - go online once: it is then kept in ${cached}`,
    `  (its sha256 is ${spec.sha256})`,
  ].join("\n"));
}

/** null if `bytes` are the file, else what is wrong. */
function verify(bytes: Uint8Array, spec: BookWeightsSpec): string | null {
  const sha = createHash("sha256").update(bytes).digest("hex");
  if (sha === spec.sha256 && bytes.byteLength === spec.bytes) return null;
  // GitHub serves a small text pointer for files kept in Git LFS: say so rather than "checksum"
  const head = new TextDecoder().decode(bytes.subarray(0, 40));
  const lfs = head.startsWith("version https://git-lfs") ? " (this is a Git LFS pointer, not the file: fetch it through the LFS media URL)" : "";
  return `sha256 ${sha} (${bytes.byteLength} bytes), expected ${spec.sha256} (${spec.bytes} bytes)${lfs}`;
}

async function checkLocal(path: string, name: string, spec: BookWeightsSpec, how: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new Error(`bookWeightsFile: cannot read ${path} (given by ${how}): ${(e as Error).message}`, { cause: e });
  }
  const problem = verify(bytes, spec);
  if (problem !== null) throw new Error(`bookWeightsFile: ${path} (given by ${how}) is not the book's ${name}: ${problem}`);
  return path;
}

function withSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}
