// Node versions of the numpy/pickle file functions: the loaders also take a path (the path then
// names the file in every error), and the savers write files atomically, argument order as
// numpy's np.save(file, arr) / np.savez(file, **arrays).
import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "./atomic-write.node.js";
import { asBytes, type ByteInput } from "./format-error.js";
import type { NumpyValue } from "./ndarray.js";
import { decodeNpy, encodeNpy } from "./npy.js";
import { decodeNpz, encodeNpz, type NpzReadOptions, type NpzWriteOptions } from "./npz.js";
import { decodePickle, type PickleOptions } from "./pickle-reader.js";
import type { PickleValue } from "./pickle-values.js";
import { encodePickleParams } from "./pickle-writer.js";

/** A path or bytes. */
export type FileSource = string | ByteInput;

async function bytesOf(source: FileSource, where: string, name: string | undefined): Promise<{ bytes: Uint8Array; name: string | undefined }> {
  if (typeof source !== "string") return { bytes: asBytes(source, where), name };
  try {
    return { bytes: await readFile(source), name: name ?? source };
  } catch (e) {
    throw new Error(`${where}: cannot read ${source}: ${(e as Error).message}`, { cause: e });
  }
}

/** A pickle's value, from a path or bytes (e.g. loadPickle("sample_weight.pkl")); nothing in it is executed. */
export async function loadPickle(source: FileSource, options: PickleOptions = {}): Promise<PickleValue> {
  const { bytes, name } = await bytesOf(source, "loadPickle", options.name);
  return decodePickle(bytes, { ...options, name });
}

/** The array in a .npy file (path or bytes): a Tensor for float data, a NumpyArray otherwise. */
export async function loadNpy(source: FileSource, options: { name?: string } = {}): Promise<NumpyValue> {
  const { bytes, name } = await bytesOf(source, "loadNpy", options.name);
  return decodeNpy(bytes, name);
}

/** The arrays in an .npz file (path or bytes), by key. */
export async function loadNpz(source: FileSource, options: NpzReadOptions = {}): Promise<Record<string, NumpyValue>> {
  const { bytes, name } = await bytesOf(source, "loadNpz", options.name);
  return decodeNpz(bytes, { ...options, name });
}

/** np.save: one array to `path` as .npy (atomic write). */
export async function saveNpy(path: string, array: NumpyValue): Promise<void> {
  await write("saveNpy", path, encodeNpy(array));
}

/** np.savez (or np.savez_compressed with { compress: true }): named arrays to `path` (atomic write). */
export async function saveNpz(path: string, arrays: Readonly<Record<string, NumpyValue>>, options: NpzWriteOptions = {}): Promise<void> {
  await write("saveNpz", path, await encodeNpz(arrays, options));
}

/** The book's save_params format: a pickled dict of numpy arrays at `path` (atomic write). */
export async function savePickleParams(path: string, params: Readonly<Record<string, NumpyValue>>): Promise<void> {
  await write("savePickleParams", path, encodePickleParams(params));
}

async function write(where: string, path: string, bytes: Uint8Array): Promise<void> {
  try {
    await writeFileAtomic(path, bytes);
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`, { cause: e });
  }
}
