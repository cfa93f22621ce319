// Gzip inflation with the platform's own DecompressionStream (Node ≥ 18 and every current
// browser have it as a global), so the same code reads .gz files in Node, pages and workers
// without a zlib dependency. No `node:` imports here: this file is part of the browser build.

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;
// Feed the inflater in slices so output arrives while input is still being consumed
// (subarray: no copy of the compressed bytes).
const INPUT_SLICE = 1 << 20;

/** True when `bytes` starts with the gzip magic 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 2 && bytes[0] === GZIP_MAGIC_0 && bytes[1] === GZIP_MAGIC_1;
}

/**
 * The decompressed bytes of `gz`, chunk by chunk. Any inflate failure (bad header, corrupt
 * deflate data, truncated stream, CRC mismatch) becomes `name: corrupt gzip data (...)`.
 */
export async function* inflateChunks(gz: Uint8Array, name: string): AsyncGenerator<Uint8Array> {
  if (typeof DecompressionStream !== "function") {
    throw new Error(`${name}: this runtime has no DecompressionStream; pass the uncompressed IDX bytes instead`);
  }
  let offset = 0;
  const input = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= gz.byteLength) { controller.close(); return; }
      const end = Math.min(offset + INPUT_SLICE, gz.byteLength);
      controller.enqueue(gz.subarray(offset, end));
      offset = end;
    },
  });
  const reader = input.pipeThrough(new DecompressionStream("gzip") as unknown as ReadableWritablePair<Uint8Array, Uint8Array>).getReader();
  try {
    for (;;) {
      let step: ReadableStreamReadResult<Uint8Array>;
      try {
        step = await reader.read();
      } catch (cause) {
        throw new Error(`${name}: corrupt gzip data (${(cause as Error).message ?? String(cause)})`, { cause });
      }
      if (step.done) return;
      yield step.value;
    }
  } finally {
    // stop the inflater if the consumer gave up early (e.g. the IDX header was already bad)
    reader.cancel().catch(() => {});
  }
}
