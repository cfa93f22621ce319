// readParamsFile: one reader for the book's pickle, numpy's .npz and safetensors, told apart by
// their first bytes; anything that is not named float arrays is a clear error naming the key.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  encodeNpy, encodeNpz, encodePickleParams, encodeSafetensors, FileFormatError, NumpyArray, readParamsFile, sniffParamsFormat, Tensor,
} from "../../../src/index.node.js";
import { hexOf } from "../../helpers/numpy-canon.js";

const SAMPLE_WEIGHT = join(import.meta.dirname, "..", "..", "..", "data-sample", "book", "sample_weight.pkl");
const params = () => ({ W1: Tensor.from([[1.5, -2], [0.25, 3]]), b1: Tensor.from([0.5, -0.125], [2], "float64") });

describe("readParamsFile", () => {
  it("reads the same tensors from a pickle, an .npz and a safetensors file", async () => {
    const want = params();
    const safetensors = encodeSafetensors(Object.entries(want).map(([k, t]) => [k, {
      dtype: t.dtype === "float32" ? "F32" : "F64", shape: t.shape, data: new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength).slice(),
    }] as const));
    const files = { pickle: encodePickleParams(want), npz: await encodeNpz(want, { compress: true }), safetensors };
    for (const [format, bytes] of Object.entries(files)) {
      expect(sniffParamsFormat(bytes), format).toBe(format);
      const got = await readParamsFile(bytes);
      expect(Object.keys(got), format).toEqual(["W1", "b1"]);
      for (const key of ["W1", "b1"] as const) {
        expect(got[key].dtype, `${format} ${key}`).toBe(want[key].dtype);
        expect(got[key].shape, `${format} ${key}`).toEqual(want[key].shape);
        expect(hexOf(got[key].data), `${format} ${key}`).toBe(hexOf(want[key].data));
      }
    }
    expect(sniffParamsFormat(readFileSync(SAMPLE_WEIGHT))).toBe("pickle");
    expect(sniffParamsFormat(encodeNpy(want.W1))).toBe("npy");
    expect(sniffParamsFormat(new Uint8Array([1, 2, 3]))).toBeNull();
  });

  it.each([
    ["an integer array", async () => encodeNpz({ W1: Tensor.from([1]), labels: new NumpyArray("int64", [1], new BigInt64Array([7n])) }), /^p: labels is an int64 array; parameters must be float arrays/],
    ["a .npy file", async () => encodeNpy(Tensor.from([1])), /^p: a \.npy file holds one unnamed array, not named parameters; read it with loadNpy/],
    ["a pickled list", async () => Uint8Array.from([0x80, 2, 0x5d, 0x2e]), /^p: the pickle holds a list or tuple, not a dict of named arrays/],
    ["a dict with a nested dict", async () => Uint8Array.from([0x80, 2, 0x7d, 0x58, 1, 0, 0, 0, 0x57, 0x7d, 0x73, 0x2e]), /^p: W is a dict; parameters must be float arrays/],
    ["something else", async () => new TextEncoder().encode("hello, world"), /^p: not a parameter file: expected a pickle \(protocol 2–5\), an \.npz or a safetensors file/],
  ])("refuses %s, naming it", async (_name, make, message) => {
    const bytes = await make();
    const error = await readParamsFile(bytes, { name: "p" }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(FileFormatError);
    expect((error as Error).message).toMatch(message);
  });
});
