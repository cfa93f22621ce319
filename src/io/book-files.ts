// loadPickle / loadNpy / loadNpz for bytes (every environment). The Node entry replaces these
// with versions that also take a path (book-files.node.ts); the browser entry stays free of `node:`.
import { asBytes, type ByteInput } from "./format-error.js";
import type { NumpyValue } from "./ndarray.js";
import { decodeNpy } from "./npy.js";
import { decodeNpz, type NpzReadOptions } from "./npz.js";
import { decodePickle, type PickleOptions } from "./pickle-reader.js";
import type { PickleValue } from "./pickle-values.js";

/** A pickle's value (e.g. the book's sample_weight.pkl → { W1: Tensor, b1: Tensor, … }); nothing in it is executed. */
export async function loadPickle(source: ByteInput, options: PickleOptions = {}): Promise<PickleValue> {
  return decodePickle(asBytes(source, "loadPickle"), options);
}

/** The array in a .npy file: a Tensor for float data, a NumpyArray otherwise. */
export async function loadNpy(source: ByteInput, options: { name?: string } = {}): Promise<NumpyValue> {
  return decodeNpy(asBytes(source, "loadNpy"), options.name);
}

/** The arrays in an .npz file, by key. */
export async function loadNpz(source: ByteInput, options: NpzReadOptions = {}): Promise<Record<string, NumpyValue>> {
  return decodeNpz(asBytes(source, "loadNpz"), options);
}
