// The dataset cache is checked, not trusted (issue 14 §6): a cached file with altered pixels,
// labels shifted by one, or Fashion-MNIST files in the MNIST cache used to train without a word.
// Each cached file is now checked against the checksum pinned in mnist-files.ts before its
// first use in a process: the sha256 of the decompressed bytes (mirrors recompress, the content
// does not change), or for MNIST's train-images — the one file we had no copy of to hash — the
// md5 of the original .gz that torchvision pins, which only the original .gz can match (a
// recompressed or raw copy of that file cannot be verified, and is refused rather than trusted).
//
// Cost, once per process per file: hashing, nothing else. The check is folded into loading: the
// file is inflated once, as before, and each chunk is hashed on its way into wasm memory, so the
// check neither inflates twice nor holds a second copy of the 47 MB image set; a mismatch found
// at the end fails the load (whose memory is then freed) before anything is trusted.
// bench/reliability.mjs measures a first load of Fashion-MNIST from the cache against a load
// that skips the hash. A file is not hashed again in the same process while its size, mtime and
// inode stay the same.
import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { createGunzip } from "node:zlib";
import type { ByteSource } from "./byte-source.js";
import { isGzip } from "./gzip.js";
import { FILE_PIECE_BYTES } from "./file-pieces.node.js";
import type { MnistFileSpec, MnistPart, MnistSpec } from "./mnist-files.js";

/** A cached file is not the file its name says. */
export class CacheMismatchError extends Error {
  override readonly name = "CacheMismatchError";

  constructor(message: string, readonly path: string, readonly part: MnistPart) {
    super(message);
  }
}

/** path + the digest it was checked against → identity (size, mtime, inode) of the verified copy. */
const verified = new Map<string, string>();
const verifiedKey = (path: string, spec: MnistFileSpec): string => `${path}\0${spec.sha256 ?? spec.gzMd5}`;
let hashed = 0;

/**
 * The cached `path` for loading: as stored when this process already verified it; otherwise,
 * for a sha256-pinned file, a stream of its inflated bytes that hashes each chunk and errors with
 * a CacheMismatchError (naming the file and both checksums) at the end if the file is not `spec`
 * of `dataset` — or at once if it does not inflate or inflates past the real size.
 */
export async function readCachedFile(path: string, spec: MnistFileSpec, part: MnistPart, dataset: string): Promise<ByteSource> {
  const identity = await fileIdentity(path);
  const bytes = await readFile(path);
  const key = verifiedKey(path, spec);
  if (verified.get(key) === identity) return bytes;
  hashed++;
  if (spec.sha256 === null) {
    checkOriginalGz(bytes, path, spec, part, dataset);
    verified.set(key, identity);
    return bytes; // still compressed: the loader inflates it as it goes
  }
  const chunks = checkedChunks(bytes, path, spec, part, dataset, () => verified.set(key, identity));
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const step = await chunks.next();
        if (step.done) controller.close();
        else controller.enqueue(step.value);
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

/**
 * Check every file of `files` not yet verified in this process, in a separate pass (no wasm
 * memory, nothing kept): used when a load failed on the file's structure before the checksum's
 * verdict came in, to tell a wrong file (fetch it again) from a broken load.
 */
export async function findCacheMismatch(files: Partial<Record<MnistPart, string>>, spec: MnistSpec): Promise<CacheMismatchError | null> {
  for (const [part, path] of Object.entries(files) as [MnistPart, string][]) {
    const source = await readCachedFile(path, spec.files[part], part, spec.name).catch((e: unknown) => e);
    if (source instanceof CacheMismatchError) return source;
    if (!(source instanceof ReadableStream)) continue;
    const reader = source.getReader();
    try {
      while (!(await reader.read()).done); // hash it all
    } catch (error) {
      if (error instanceof CacheMismatchError) return error;
      throw error;
    }
  }
  return null;
}

/** The CacheMismatchError behind `error` (loaders wrap a failing source's error as its cause), or null. */
export function cacheMismatchIn(error: unknown): CacheMismatchError | null {
  for (let e = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (e instanceof CacheMismatchError) return e;
  }
  return null;
}

/** A file this process has just written after verifying it as `spec` (a download): no need to hash it again. */
export async function markCacheFileVerified(path: string, spec: MnistFileSpec): Promise<void> {
  verified.set(verifiedKey(path, spec), await fileIdentity(path));
}

/** How many cached files this process has hashed (for tests: "once per process"). */
export function cacheFilesHashed(): number {
  return hashed;
}

/** Forget what was verified (tests and the benchmark measure a first load). */
export function forgetVerifiedCacheFiles(): void {
  verified.clear();
}

function mismatch(path: string, spec: MnistFileSpec, part: MnistPart, dataset: string, detail: string): CacheMismatchError {
  return new CacheMismatchError(`the cached ${path} is not the real ${dataset} ${spec.name}: ${detail}`, path, part);
}

/** Only the original .gz's md5 is pinned for this file (see mnist-files.ts): only that .gz passes. */
function checkOriginalGz(bytes: Uint8Array, path: string, spec: MnistFileSpec, part: MnistPart, dataset: string): void {
  const md5 = createHash("md5").update(bytes).digest("hex");
  if (md5 !== spec.gzMd5) {
    throw mismatch(path, spec, part, dataset, `md5 of the file is ${md5}, expected ${spec.gzMd5} (the original ${spec.name}.gz; ` +
      "only that exact .gz can be verified, a recompressed or uncompressed copy of this file cannot)");
  }
}

/** The inflated bytes of `bytes` chunk by chunk, hashed on the way; throws at the end unless they are `spec`. */
async function* checkedChunks(
  bytes: Uint8Array, path: string, spec: MnistFileSpec, part: MnistPart, dataset: string, onVerified: () => void,
): AsyncGenerator<Uint8Array> {
  const hash = createHash("sha256");
  const expected = `expected sha256 ${spec.sha256} of ${spec.bytes} decompressed bytes`;
  let total = 0;
  if (!isGzip(bytes)) {
    hash.update(bytes);
    total = bytes.byteLength;
    yield bytes;
  } else {
    const inflater = createGunzip({ chunkSize: FILE_PIECE_BYTES });
    inflater.end(bytes);
    try {
      for await (const chunk of inflater as AsyncIterable<Buffer>) {
        total += chunk.byteLength;
        // a corrupt or hostile file cannot inflate past the real file's size
        if (total > spec.bytes) throw mismatch(path, spec, part, dataset, `it inflates to more than ${spec.bytes} bytes; ${expected}`);
        hash.update(chunk);
        yield chunk;
      }
    } catch (error) {
      if (error instanceof CacheMismatchError) throw error;
      throw mismatch(path, spec, part, dataset, `it does not inflate (corrupt gzip data: ${(error as Error).message}); ${expected}`);
    } finally {
      inflater.destroy();
    }
  }
  const sha = hash.digest("hex");
  if (sha !== spec.sha256 || total !== spec.bytes) {
    const sizes = total === spec.bytes ? "" : ` (${total} bytes, expected ${spec.bytes})`;
    throw mismatch(path, spec, part, dataset, `sha256 of its decompressed bytes is ${sha}, expected ${spec.sha256}${sizes}`);
  }
  onVerified();
}

async function fileIdentity(path: string): Promise<string> {
  const s = await stat(path);
  return `${s.size}:${s.mtimeMs}:${s.ino}`;
}
