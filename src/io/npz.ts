// numpy's .npz: a ZIP of .npy members, one per array, named "<key>.npy" — np.savez writes them
// stored, np.savez_compressed deflated. Browser-safe (inflate/deflate via Compression Streams).
import { FileFormatError } from "./format-error.js";
import type { NumpyValue } from "./ndarray.js";
import { decodeNpy, encodeNpy } from "./npy.js";
import { readZipDirectory, readZipMember, writeZip, type ZipReadOptions } from "./zip.js";

export interface NpzReadOptions extends ZipReadOptions {
  /** Used in error messages (a path, say). */
  name?: string;
}

export interface NpzWriteOptions {
  /** Deflate the members, like np.savez_compressed (default false: stored, like np.savez). */
  compress?: boolean;
}

/** Every array of an .npz, by key (the member name without ".npy"), in archive order. */
export async function decodeNpz(bytes: Uint8Array, options: NpzReadOptions = {}): Promise<Record<string, NumpyValue>> {
  const file = options.name ?? "npz data";
  const members = readZipDirectory(bytes, file);
  const out: Record<string, NumpyValue> = {};
  for (const m of members) {
    if (!m.name.endsWith(".npy")) {
      throw new FileFormatError(`${file}: member ${m.name} is not an array (.npy); an .npz holds only arrays`, m.offset);
    }
    const data = await readZipMember(bytes, m, file, options);
    const value = decodeNpy(data, `${file}: member ${m.name}`);
    // defineProperty: a key named "__proto__" must stay an ordinary key
    Object.defineProperty(out, m.name.slice(0, -4), { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** The .npz numpy's np.savez (or, with compress, np.savez_compressed) would write for these arrays. */
export async function encodeNpz(arrays: Readonly<Record<string, NumpyValue>>, options: NpzWriteOptions = {}): Promise<Uint8Array> {
  const where = "encodeNpz";
  if (typeof arrays !== "object" || arrays === null) throw new Error(`${where}: expected an object of arrays, got ${String(arrays)}`);
  const members = Object.entries(arrays).map(([key, value]) => {
    if (key === "") throw new Error(`${where}: an array key must not be empty`);
    try {
      return { name: `${key}.npy`, data: encodeNpy(value) };
    } catch (e) {
      throw new Error(`${where}: ${key}: ${(e as Error).message}`, { cause: e });
    }
  });
  return writeZip(members, options.compress ?? false, where);
}
