// loadMnist for Node: find the four files, or fetch them, then load them with the shared,
// browser-safe code in mnist.ts. Lookup order (first hit wins):
//   1. the `dataDir` option, else $SCRATCHNET_DATA_DIR — an explicit choice: if files are
//      missing there we say which, instead of quietly using something else;
//   2. the user cache: $XDG_CACHE_HOME/scratchnet/<dataset> (or ~/.cache/scratchnet/<dataset>);
//   3. system dirs: /usr/share/datasets/<dataset> (Debian's dataset-fashion-mnist);
//   4. download from the public mirrors into the cache (verified, atomic);
//   5. Fashion-MNIST only: the small sample bundled in data-sample/, with a loud warning.
// Nothing found → one error listing every option.
import { access, readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { downloadToCache, describeError, type DownloadOptions } from "./download.node.js";
import { loadMnistFromInputs, type IdxInput, type LoadedMnist, type MnistOptions } from "./mnist.js";
import { MNIST_PARTS, mnistSpec, type MnistPart, type MnistSpec } from "./mnist-files.js";
import { fail } from "../errors.js";
import { checkOptions, describeValue } from "../check.js";

export const DATA_DIR_ENV = "SCRATCHNET_DATA_DIR";
const SYSTEM_ROOT = "/usr/share/datasets";
/** The bundled sample (a few hundred real Fashion-MNIST images, see data-sample/README.md). */
export const SAMPLE_DIR = fileURLToPath(new URL("../../data-sample/fashion-mnist/", import.meta.url));

export interface LoadMnistOptions extends MnistOptions, DownloadOptions {
  /** A directory holding the four files (.gz or raw), or a <dataset>/ subdirectory with them. */
  dataDir?: string;
  /** Cache root (default $XDG_CACHE_HOME/scratchnet or ~/.cache/scratchnet); files go in <root>/<dataset>. */
  cacheDir?: string;
  /** System directories to look in (default [/usr/share/datasets/<dataset>]). */
  systemDirs?: string[];
  /** Try the mirrors when no local copy exists (default true). */
  download?: boolean;
  /** Mirror base URLs (default the dataset's public mirrors). */
  mirrors?: string[];
  /** Fall back to the bundled Fashion-MNIST sample (default true). */
  useSample?: boolean;
  /** Where the sample lives (default the package's data-sample/fashion-mnist). */
  sampleDir?: string;
  /** Receives warnings, e.g. that the sample is in use (default: a line on stderr). */
  warn?: (message: string) => void;
  /** Environment to read SCRATCHNET_DATA_DIR / XDG_CACHE_HOME from (default process.env). */
  env?: Record<string, string | undefined>;
}

type Found = { files: Partial<Record<MnistPart, string>>; missing: string[] };

/** The cache directory for `dataset` (where downloads go). */
export function mnistCacheDir(dataset: string, options: Pick<LoadMnistOptions, "cacheDir" | "env"> = {}): string {
  if (typeof dataset !== "string") fail("mnistCacheDir", `dataset must be a string, got ${describeValue(dataset)}`);
  options = checkOptions(options, "mnistCacheDir");
  if (options.cacheDir !== undefined && typeof options.cacheDir !== "string") fail("mnistCacheDir", `cacheDir must be a path string, got ${describeValue(options.cacheDir)}`);
  if (options.env !== undefined && (typeof options.env !== "object" || options.env === null)) fail("mnistCacheDir", `env must be an object, got ${describeValue(options.env)}`);
  const env = options.env ?? process.env;
  const root = options.cacheDir
    ?? (env.XDG_CACHE_HOME ? join(env.XDG_CACHE_HOME, "scratchnet") : join(homedir(), ".cache", "scratchnet"));
  return join(resolve(root), dataset);
}

/** Which of the four files `dir` holds (as <name>.gz or raw <name>). */
export async function findMnistFiles(dir: string, spec: MnistSpec): Promise<Found> {
  const found: Found = { files: {}, missing: [] };
  for (const part of MNIST_PARTS) {
    const name = spec.files[part].name;
    let hit: string | undefined;
    for (const candidate of [`${name}.gz`, name]) {
      if (await exists(join(dir, candidate))) { hit = join(dir, candidate); break; }
    }
    if (hit) found.files[part] = hit;
    else found.missing.push(`${name}.gz`);
  }
  return found;
}

/** Load the splits from four paths. */
function loadFromFiles(files: Record<MnistPart, string>, options: LoadMnistOptions, source: string, isSample = false): Promise<LoadedMnist> {
  const inputs = {} as Record<MnistPart, IdxInput>;
  // Read whole, one file at a time (the compressed bytes are garbage once inflated). Streaming
  // the file instead was measured: no lower peak RSS (the inflater's output chunks dominate),
  // and more memory left resident afterwards.
  for (const part of MNIST_PARTS) inputs[part] = { name: files[part], read: () => readFile(files[part]) };
  return loadMnistFromInputs(inputs, { ...options, source, isSample });
}

export async function loadMnist(options: LoadMnistOptions = {}): Promise<LoadedMnist> {
  const spec = mnistSpec(options.dataset ?? "mnist", "loadMnist");
  const env = options.env ?? process.env;
  const warn = options.warn ?? ((message: string) => process.stderr.write(`${message}\n`));
  const files = (f: Found) => f.files as Record<MnistPart, string>;

  // 1. explicit directory
  const explicit = options.dataDir ?? (env[DATA_DIR_ENV] || undefined);
  if (explicit !== undefined) {
    const how = options.dataDir !== undefined ? "the dataDir option" : `$${DATA_DIR_ENV}`;
    const dir = resolve(explicit);
    const sub = join(dir, spec.name);
    const inSub = await findMnistFiles(sub, spec);
    if (inSub.missing.length === 0) return loadFromFiles(files(inSub), options, sub);
    const inDir = await findMnistFiles(dir, spec);
    if (inDir.missing.length === 0) return loadFromFiles(files(inDir), options, dir);
    throw new Error(
      `loadMnist: ${spec.name} not found in ${dir} (given by ${how}): missing ${inDir.missing.join(", ")}` +
        ` (also looked in ${sub}). Put the four files there, or unset it to use the cache/system copies.`,
    );
  }

  // 2. cache, 3. system dirs
  const cacheDir = mnistCacheDir(spec.name, options);
  const cached = await findMnistFiles(cacheDir, spec);
  if (cached.missing.length === 0) {
    try {
      return await loadFromFiles(files(cached), options, cacheDir);
    } catch (error) {
      // downloads are verified before they land here, so a bad file was put there by hand
      // (or the disk broke): say how to get a fresh copy
      throw new Error(`${(error as Error).message}\n(the cached copy in ${cacheDir} is damaged: delete the file to download it again)`, { cause: error });
    }
  }
  const systemDirs = options.systemDirs ?? [join(SYSTEM_ROOT, spec.name)];
  for (const dir of systemDirs) {
    const found = await findMnistFiles(dir, spec);
    if (found.missing.length === 0) return loadFromFiles(files(found), options, resolve(dir));
  }

  // 4. download what the cache lacks
  let downloadError = "downloads are disabled (download: false)";
  if (options.download !== false) {
    const urls: string[] = [];
    try {
      for (const part of MNIST_PARTS) {
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
      const now = await findMnistFiles(cacheDir, spec);
      return loadFromFiles(files(now), options, `${cacheDir} (downloaded from ${urls.join(", ")})`);
    }
  }

  // 5. the bundled sample (Fashion-MNIST only: it would be a silent wrong answer for digits)
  const sampleDir = options.sampleDir ?? SAMPLE_DIR;
  if (spec.name === "fashion-mnist" && options.useSample !== false) {
    const sample = await findMnistFiles(sampleDir, spec);
    if (sample.missing.length === 0) {
      const loaded = await loadFromFiles(files(sample), options, `bundled sample ${resolve(sampleDir)}`, true);
      warn(
        `scratchnet: USING THE BUNDLED SAMPLE (${loaded.train.count} training + ${loaded.test.count} test images of ` +
          `Fashion-MNIST) — accuracy will be low. For the full dataset: sudo apt install dataset-fashion-mnist, ` +
          `or set ${DATA_DIR_ENV} / --data-dir to a directory with the four files, or go online so they can be ` +
          `downloaded to ${cacheDir}. (Download failed: ${firstLine(downloadError)})`,
      );
      return loaded;
    }
  }
  throw new Error(offlineMessage(spec, cacheDir, cached, systemDirs, downloadError));
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
    lines.push("  - offline quick start: dataset 'fashion-mnist' falls back to a small bundled sample (clothing, not digits)");
  }
  return lines.join("\n");
}

function firstLine(s: string): string {
  const lines = s.split("\n").map((l) => l.trim()).filter(Boolean);
  return lines.length > 1 ? `${lines[0]} ${lines[1]}` : lines[0] ?? s;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
