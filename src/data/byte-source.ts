// Bytes that arrive whole (a Uint8Array) or in pieces (a web ReadableStream: a fetch body,
// a file read in Node via Readable.toWeb). Reading a stream chunk by chunk means a large file
// never has to sit in memory in one piece. Browser-safe.

export type ByteSource = Uint8Array | ReadableStream<Uint8Array>;

// Slices handed on from a whole array (subarray: no copy), so work downstream can start early.
const SLICE = 1 << 20;

/** The bytes of `source`, chunk by chunk; a failing stream becomes `name: read failed (...)`. */
export async function* sourceChunks(source: ByteSource, name: string): AsyncGenerator<Uint8Array> {
  if (source instanceof Uint8Array) {
    for (let at = 0; at < source.byteLength; at += SLICE) yield source.subarray(at, Math.min(at + SLICE, source.byteLength));
    return;
  }
  const reader = source.getReader();
  try {
    for (;;) {
      let step: ReadableStreamReadResult<Uint8Array>;
      try {
        step = await reader.read();
      } catch (cause) {
        throw new Error(`${name}: read failed (${(cause as Error)?.message ?? String(cause)})`, { cause });
      }
      if (step.done) return;
      yield step.value;
    }
  } finally {
    // stop the producer (socket, file) when the consumer gave up early
    reader.cancel().catch(() => {});
  }
}
