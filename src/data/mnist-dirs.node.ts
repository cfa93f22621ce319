// Where MNIST / Fashion-MNIST files may be on this machine, and which of them a directory
// holds: the user cache (where downloads go), Debian's system directory, the bundled
// Fashion-MNIST sample. loadMnist's lookup order (load-mnist.node.ts) walks these; the demo's
// dev server (web/data-plugin.ts) lists them.
import { access } from "node:fs/promises";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { MNIST_PARTS, type MnistPart, type MnistSpec } from "./mnist-files.js";
import { fail } from "../errors.js";
import { checkOptions, describeValue } from "../check.js";

/** A directory of your own with the files, for loadMnist and the CLI. */
export const DATA_DIR_ENV = "SCRATCHNET_DATA_DIR";
/** Debian's dataset packages install into <root>/<dataset> (dataset-fashion-mnist). */
export const SYSTEM_ROOT = "/usr/share/datasets";
/** The bundled sample (a few hundred real Fashion-MNIST images, see data-sample/README.md). */
export const SAMPLE_DIR = fileURLToPath(new URL("../../data-sample/fashion-mnist/", import.meta.url));

/** The paths found per part, and the file names missing. */
export type Found = { files: Partial<Record<MnistPart, string>>; missing: string[] };

/** The cache directory for `dataset` (where downloads go). */
export function mnistCacheDir(dataset: string, options: { cacheDir?: string; env?: Record<string, string | undefined> } = {}): string {
  if (typeof dataset !== "string") fail("mnistCacheDir", `dataset must be a string, got ${describeValue(dataset)}`);
  options = checkOptions(options, "mnistCacheDir");
  if (options.cacheDir !== undefined && typeof options.cacheDir !== "string") fail("mnistCacheDir", `cacheDir must be a path string, got ${describeValue(options.cacheDir)}`);
  if (options.env !== undefined && (typeof options.env !== "object" || options.env === null)) fail("mnistCacheDir", `env must be an object, got ${describeValue(options.env)}`);
  const env = options.env ?? process.env;
  const root = options.cacheDir
    ?? (env.XDG_CACHE_HOME ? join(env.XDG_CACHE_HOME, "scratchnet") : join(homedir(), ".cache", "scratchnet"));
  return join(resolve(root), dataset);
}

/** Which of the four files (or of `parts`) `dir` holds (as <name>.gz or raw <name>). */
export async function findMnistFiles(dir: string, spec: MnistSpec, parts: readonly MnistPart[] = MNIST_PARTS): Promise<Found> {
  const found: Found = { files: {}, missing: [] };
  for (const part of parts) {
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

/** Whether `path` can be accessed (a file or a directory). */
export async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
