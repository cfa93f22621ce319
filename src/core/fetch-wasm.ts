// Turning a URL or a fetch Response into something WebAssembly can compile, with an error that
// says which URL failed and why. Kept apart from core.ts so the browser path is easy to read.

/** What `@assemblyscript/loader`'s `instantiate` accepts. */
export type CompilableSource = Response | ArrayBuffer | WebAssembly.Module;

import { awaitResponse, fetchWithLimits, type NetworkLimits, type NetworkWait } from "./network-limits.js";

const WASM_MIME = "application/wasm";

/**
 * Fetch `url` (or take an already started fetch) and hand back a Response that
 * `WebAssembly.instantiateStreaming` accepts. A 404 becomes an Error naming the URL; a server
 * that sends the wrong Content-Type (instantiateStreaming refuses those) gets its bytes read
 * instead, so any static host works.
 */
export async function fetchWasm(source: URL | string | Response | Promise<Response>, limits: NetworkLimits = {}): Promise<CompilableSource> {
  const where = "scratchnet.init";
  let response: Response;
  let body: ReadableStream<Uint8Array> | null;
  let wait: NetworkWait;
  // the fetch, its headers and the whole body under a deadline, a minimum rate and an idle
  // timeout (NetworkLimits), also when the caller started the fetch itself
  if (typeof source === "string" || source instanceof URL) {
    try {
      ({ response, body, wait } = await fetchWithLimits(String(source), limits, where));
    } catch (cause) {
      throw new Error(`${where}: could not fetch the wasm from ${(cause as Error).message ?? String(cause)}`, { cause });
    }
  } else {
    ({ response, body, wait } = await awaitResponse(source, limits, where, `${where}: the wasm response`));
  }
  if (!response.ok) {
    body?.cancel().catch(() => {});
    throw new Error(
      `${where}: fetching the wasm from ${response.url || String(source)} gave HTTP ${response.status}. ` +
        "If your bundler does not copy assets referenced by `new URL(..., import.meta.url)` (esbuild), " +
        "pass the URL yourself: `init(wasmUrl)` with `import wasmUrl from 'scratchnet/wasm'` (see the README's browser recipes).",
    );
  }
  // the limited body, re-wrapped: streaming compilation reads it under the same limits
  const limited = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  const type = response.headers.get("content-type") ?? "";
  if (type.split(";")[0].trim().toLowerCase() === WASM_MIME) {
    waits.set(limited, wait);
    return limited;
  }
  return limited.arrayBuffer();
}

// Browsers report a stream that failed under streaming compilation as a bare "network error";
// init() asks here which limit (if any) cut the download off, to say so instead.
const waits = new WeakMap<Response, NetworkWait>();

/** The limit that stopped the download behind `source` (a Response fetchWasm returned), or null. */
export function downloadCutOff(source: unknown): string | null {
  return source instanceof Response ? waits.get(source)?.reason ?? null : null;
}
