// Turning a URL or a fetch Response into something WebAssembly can compile, with an error that
// says which URL failed and why. Kept apart from core.ts so the browser path is easy to read.

/** What `@assemblyscript/loader`'s `instantiate` accepts. */
export type CompilableSource = Response | ArrayBuffer | WebAssembly.Module;

const WASM_MIME = "application/wasm";

/**
 * Fetch `url` (or take an already started fetch) and hand back a Response that
 * `WebAssembly.instantiateStreaming` accepts. A 404 becomes an Error naming the URL; a server
 * that sends the wrong Content-Type (instantiateStreaming refuses those) gets its bytes read
 * instead, so any static host works.
 */
export async function fetchWasm(source: URL | string | Response | Promise<Response>): Promise<CompilableSource> {
  const where = "scratchnet.init";
  let response: Response;
  if (typeof source === "string" || source instanceof URL) {
    try {
      response = await fetch(source);
    } catch (cause) {
      throw new Error(`${where}: could not fetch the wasm from ${String(source)} (${(cause as Error).message ?? String(cause)})`, { cause });
    }
  } else {
    response = await source;
  }
  if (!response.ok) {
    throw new Error(
      `${where}: fetching the wasm from ${response.url || String(source)} gave HTTP ${response.status}. ` +
        "If your bundler does not copy assets referenced by `new URL(..., import.meta.url)` (esbuild), " +
        "pass the URL yourself: `init(wasmUrl)` with `import wasmUrl from 'scratchnet/wasm'` (see the README's browser recipes).",
    );
  }
  const type = response.headers.get("content-type") ?? "";
  if (type.split(";")[0].trim().toLowerCase() === WASM_MIME) return response;
  return response.arrayBuffer();
}
