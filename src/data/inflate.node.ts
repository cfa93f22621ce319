// Gzip inflation in Node through node:zlib, installed by the Node entry in place of the web
// DecompressionStream (../data/gzip.ts keeps that one for pages and workers). Same bytes out,
// but zlib hands its output over in 256 KiB pieces instead of the web stream's 16 KiB ones, and
// the per-piece cost is what dominated: loadMnist as a whole went 2.09× faster (docs/performance.md,
// "Loading the data"; ./file-pieces.node.ts says why 256 KiB and not more).
import { createGunzip } from "node:zlib";
import { Readable, pipeline } from "node:stream";
import { setInflater } from "./gzip.js";
import { FILE_PIECE_BYTES } from "./file-pieces.node.js";

/** node:zlib's gunzip behind the Inflater contract of ./gzip.ts (exported for the tests). */
export async function* inflateWithZlib(compressed: AsyncGenerator<Uint8Array>, name: string): AsyncGenerator<Uint8Array> {
  let sourceError: unknown = null;
  async function* watched(): AsyncGenerator<Uint8Array> {
    try {
      yield* compressed;
    } catch (error) {
      sourceError = error; // the bytes never arrived: reported as the source's own error
      throw error;
    }
  }
  const gunzip = createGunzip({ chunkSize: FILE_PIECE_BYTES });
  // pipeline destroys both ends on any failure (and on an early stop, below), so the source's
  // reader is always released; its error surfaces through the gunzip iterator
  pipeline(Readable.from(watched(), { objectMode: false }), gunzip, () => {});
  try {
    for await (const piece of gunzip) yield piece as Uint8Array;
  } catch (cause) {
    if (sourceError !== null) throw sourceError;
    throw new Error(`${name}: corrupt gzip data (${(cause as Error)?.message ?? String(cause)})`, { cause });
  } finally {
    gunzip.destroy(); // the consumer stopped early (e.g. a bad header): stop inflating and reading
  }
}

setInflater(inflateWithZlib);
