// Downloading one dataset file: try each mirror in turn, refuse anything that is not the real
// file (checksum of the decompressed bytes, IDX structure, exact size), and only then write
// it into the cache atomically (io/atomic-write: temp file + fsync + rename), so a failed or
// interrupted download never leaves a half file that a later run would trust.
import { createHash } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { writeFileAtomic } from "../io/atomic-write.node.js";
import { isGzip } from "./gzip.js";
import { parseIdx } from "./idx.js";
import type { MnistFileSpec } from "./mnist-files.js";
import { describeCause, fetchWithLimits, type NetworkLimits } from "../core/network-limits.js";
import { markCacheFileVerified } from "./cache-verify.node.js";

export interface DownloadOptions extends NetworkLimits {
  /** The fetch to use (default the global one; tests inject failures). */
  fetch?: typeof fetch;
}

/**
 * Fetch `url` into memory. Bounded in time (a deadline for the whole request, a minimum rate,
 * an idle timeout: see NetworkLimits) and in size (`maxBytes`), and checked against
 * Content-Length when the server sends one.
 */
export async function fetchBytes(url: string, maxBytes: number, options: DownloadOptions = {}, where = "loadMnist"): Promise<Uint8Array> {
  const { response, body } = await fetchWithLimits(url, options, where, options.fetch ?? globalThis.fetch);
  if (!response.ok || body === null) {
    body?.cancel().catch(() => {});
    throw new Error(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`);
  }
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) {
    body.cancel().catch(() => {});
    throw new Error(`the server announces ${declared} bytes, more than the ${maxBytes} this file can have`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  for (;;) {
    const step = await reader.read(); // errors name the URL and the limit that fired
    if (step.done) break;
    total += step.value.byteLength;
    if (total > maxBytes) {
      reader.cancel().catch(() => {});
      throw new Error(`more than ${maxBytes} bytes received; this cannot be the expected file`);
    }
    chunks.push(step.value);
  }
  if (Number.isFinite(declared) && total !== declared) {
    throw new Error(`truncated body: got ${total} of ${declared} bytes`);
  }
  return concat(chunks, total);
}

/**
 * Check that `body` (gzip or raw IDX, as served) is the file `spec` describes. Throws with
 * what is wrong. Returns the extension to store it under (".gz" or "").
 */
export function verifyDownload(body: Uint8Array, spec: MnistFileSpec, url: string): ".gz" | "" {
  const gz = isGzip(body);
  let raw: Uint8Array;
  try {
    // maxOutputLength: a hostile or broken stream cannot inflate past the real file's size
    raw = gz ? gunzipSync(body, { maxOutputLength: spec.bytes }) : body;
  } catch (cause) {
    throw new Error(`${url}: corrupt gzip data or larger than ${spec.bytes} bytes (${describeError(cause)})`, { cause });
  }
  if (raw.byteLength !== spec.bytes) {
    const what = gz ? "bytes after decompression" : "bytes and not gzip (an error page?)";
    throw new Error(`${url}: ${raw.byteLength} ${what}, expected the ${spec.bytes}-byte ${spec.name}`);
  }
  parseIdx(raw, url, spec.rank); // structure: magic, rank, dims, exact length
  if (spec.sha256 !== null) {
    const actual = createHash("sha256").update(raw).digest("hex");
    if (actual !== spec.sha256) {
      throw new Error(`${url}: checksum mismatch: sha256 of the decompressed file is ${actual}, expected ${spec.sha256}`);
    }
  } else if (spec.gzMd5 !== undefined) {
    const actual = createHash("md5").update(body).digest("hex");
    if (!gz || actual !== spec.gzMd5) {
      throw new Error(`${url}: checksum mismatch: md5 of the download is ${actual}, expected ${spec.gzMd5} (the original ${spec.name}.gz)`);
    }
  }
  return gz ? ".gz" : "";
}

/**
 * Download `spec` from the first mirror that serves a verified copy and store it in `dir`.
 * Returns the stored path and the URL it came from; throws listing every mirror's failure.
 */
export async function downloadToCache(
  spec: MnistFileSpec, mirrors: readonly string[], dir: string, options: DownloadOptions = {},
): Promise<{ path: string; url: string }> {
  const failures: string[] = [];
  // a .gz never exceeds its content by much; a raw copy is exactly spec.bytes
  const maxBytes = spec.bytes + (spec.bytes >> 3) + 4096;
  for (const mirror of mirrors) {
    const url = new URL(`${spec.name}.gz`, mirror.endsWith("/") ? mirror : `${mirror}/`).href;
    try {
      const body = await fetchBytes(url, maxBytes, options);
      const ext = verifyDownload(body, spec, url);
      await mkdir(dir, { recursive: true });
      const path = join(dir, spec.name + ext);
      await writeFileAtomic(path, body);
      await markCacheFileVerified(path, spec); // just checked above: loading it need not hash it again
      return { path, url };
    } catch (error) {
      // our own errors already carry their cause's detail
      const message = error instanceof Error ? error.message : String(error);
      failures.push(message.startsWith(url) ? message : `${url}: ${message}`);
    }
  }
  throw new Error(`${spec.name}.gz: every mirror failed:\n    ${failures.join("\n    ")}`);
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.byteLength; }
  return out;
}

/** An error's message plus its cause's (undici hides the real reason in `cause`). */
export const describeError = describeCause;
