// Gzip inflation with the platform's own DecompressionStream (Node ≥ 18 and every current
// browser have it as a global), so the same code reads .gz files in pages, workers and Node
// without a zlib dependency. No `node:` imports here: this file is part of the browser build.
// (The Node entry swaps in node:zlib, ./inflate.node.ts, which is faster there.)
import { sourceChunks, type ByteSource } from "./byte-source.js";
import { ScratchnetError } from "../errors.js";
import { describeValue } from "../check.js";

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/** True when `bytes` starts with the gzip magic 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  if (!(bytes instanceof Uint8Array)) throw new ScratchnetError("isGzip", `bytes must be a Uint8Array, got ${describeValue(bytes)}`);
  return bytes.byteLength >= 2 && bytes[0] === GZIP_MAGIC_0 && bytes[1] === GZIP_MAGIC_1;
}

/**
 * The content of `source`, chunk by chunk: inflated if it starts with the gzip magic, passed
 * through otherwise. Inflate failures (bad header, corrupt deflate data, truncated stream,
 * CRC mismatch) become `name: corrupt gzip data (...)`; a failing source keeps its own error.
 */
export async function openDecoded(source: ByteSource, name: string): Promise<{ gzip: boolean; chunks: AsyncGenerator<Uint8Array> }> {
  const input = sourceChunks(source, name);
  // look at the first two bytes (a stream may deliver them in separate chunks)
  const head: Uint8Array[] = [];
  let headLength = 0;
  while (headLength < 2) {
    const step = await input.next();
    if (step.done) break;
    head.push(step.value);
    headLength += step.value.byteLength;
  }
  const first = concatSmall(head, Math.min(headLength, 2));
  async function* all(): AsyncGenerator<Uint8Array> {
    try {
      yield* head;
      yield* { [Symbol.asyncIterator]: () => input };
    } finally {
      await input.return(undefined);
    }
  }
  if (!isGzip(first)) return { gzip: false, chunks: all() };
  return { gzip: true, chunks: inflater(all(), name) };
}

/**
 * Inflates a gzip byte stream piece by piece. Contract, whoever implements it: a failure of
 * `compressed` itself is rethrown as it is (the bytes never arrived); bad gzip data becomes
 * `name: corrupt gzip data (reason)`; when the consumer stops early, the inflater stops and
 * returns `compressed`.
 */
export type Inflater = (compressed: AsyncGenerator<Uint8Array>, name: string) => AsyncGenerator<Uint8Array>;

let inflater: Inflater = inflateWithDecompressionStream;

/**
 * Internal: the inflater openDecoded uses (null: the platform's DecompressionStream again).
 * The Node entry installs node:zlib's (./inflate.node.ts), which is about 2× faster there.
 */
export function setInflater(replacement: Inflater | null): void {
  inflater = replacement ?? inflateWithDecompressionStream;
}

async function* inflateWithDecompressionStream(compressed: AsyncGenerator<Uint8Array>, name: string): AsyncGenerator<Uint8Array> {
  if (typeof DecompressionStream !== "function") {
    throw new Error(`${name}: this runtime has no DecompressionStream; pass the uncompressed IDX bytes instead`);
  }
  let sourceError: unknown = null;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const step = await compressed.next();
        if (step.done) controller.close();
        else controller.enqueue(step.value);
      } catch (error) {
        sourceError = error;
        controller.error(error);
      }
    },
    async cancel() {
      await compressed.return(undefined);
    },
  });
  const reader = stream.pipeThrough(new DecompressionStream("gzip") as unknown as ReadableWritablePair<Uint8Array, Uint8Array>).getReader();
  try {
    for (;;) {
      let step: ReadableStreamReadResult<Uint8Array>;
      try {
        step = await reader.read();
      } catch (cause) {
        if (sourceError !== null) throw sourceError; // the bytes never arrived: not a gzip problem
        throw new Error(`${name}: corrupt gzip data (${(cause as Error)?.message ?? String(cause)})`, { cause });
      }
      if (step.done) return;
      yield step.value;
    }
  } finally {
    // stop the inflater (and the source) if the consumer gave up early, e.g. on a bad header
    reader.cancel().catch(() => {});
  }
}

function concatSmall(chunks: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    if (at >= length) break;
    const take = Math.min(c.byteLength, length - at);
    out.set(c.subarray(0, take), at);
    at += take;
  }
  return out;
}
