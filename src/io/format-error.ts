// One error type for every file reader in src/io (pickle, npy, npz): the message names the file,
// the byte offset and the opcode/field, and the offset is also kept as a property so tests and
// callers can act on it without parsing text.

export class FileFormatError extends Error {
  /** Byte offset in the file where the problem was found (undefined when it is not about one place). */
  readonly offset: number | undefined;

  constructor(message: string, offset?: number) {
    super(message);
    this.name = "FileFormatError";
    this.offset = offset;
  }
}

/** Bytes from the accepted sources; views share memory with the caller's buffer (no copy). */
export type ByteInput = Uint8Array | ArrayBuffer;

export function asBytes(source: unknown, where: string): Uint8Array {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  const what = source === null ? "null" : typeof source === "object" ? (source as object).constructor?.name ?? "an object" : typeof source;
  throw new Error(`${where}: expected bytes (Uint8Array or ArrayBuffer), got ${what}`);
}
