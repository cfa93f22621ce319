// loadPickle against pickles numpy itself wrote (protocols 2–5, numpy 1 and numpy 2 module names,
// every dtype, both byte orders, C and Fortran order, 0-d, empty, float16, nested containers):
// each must read back equal to what Python holds, bit for bit (test/fixtures/numpy/expected-np*.json,
// written by make_fixtures.py from the same objects). Then the book's own files.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { accuracyOf, Affine, decodePickle, loadPickle, NumpyArray, readParamsFile, Sigmoid, Tensor, wasFloat16 } from "../../../src/index.node.js";
import { canon, hexOf } from "../../helpers/numpy-canon.js";
import { mnistTestSet } from "../../helpers/mnist.js";

const FIXTURES = join(import.meta.dirname, "..", "..", "fixtures", "numpy");
const SAMPLE_WEIGHT = join(import.meta.dirname, "..", "..", "..", "data-sample", "book", "sample_weight.pkl");

interface Expected {
  numpy: string;
  files: Record<string, string>;
  values: Record<string, unknown>;
  sample_weight: Record<string, { dtype: string; shape: number[]; fortran: boolean; sha256: string; first: number; last: number; sum: number }>;
}
const expected = (tag: string): Expected => JSON.parse(readFileSync(join(FIXTURES, `expected-${tag}.json`), "utf8")) as Expected;

describe.each(["np1", "np2"])("pickles written by %s", (tag) => {
  const { files, values, numpy } = expected(tag);
  const pickles = Object.keys(files).filter((f) => f.endsWith(".pkl"));

  it(`covers protocols 2–5 (numpy ${numpy})`, () => {
    const protocols = pickles.map((f) => readFileSync(join(FIXTURES, f))[1]);
    expect(new Set(protocols)).toEqual(new Set([2, 3, 4, 5]));
    // the module name numpy writes differs between 1.x and 2.x: both must be in the files
    const zoo = readFileSync(join(FIXTURES, `zoo-p3-${tag}.pkl`)).toString("latin1");
    expect(zoo).toContain(tag === "np1" ? "numpy.core.multiarray\n_reconstruct" : "numpy._core.multiarray\n_reconstruct");
  });

  it.each(pickles)("%s reads back bit for bit", async (file) => {
    const value = await loadPickle(join(FIXTURES, file));
    expect(canon(value)).toEqual(values[files[file]]);
  });

  it("keeps shared references shared and types as documented", async () => {
    const zoo = (await loadPickle(join(FIXTURES, `zoo-p4-${tag}.pkl`))) as Record<string, any>;
    expect(zoo.shared[0]).toBe(zoo.shared[1]);
    expect(zoo.arrays.f32_c).toBeInstanceOf(Tensor);
    expect(zoo.arrays.f32_c.dtype).toBe("float32");
    expect(zoo.arrays.f64_fortran_3d.dtype).toBe("float64");
    expect(zoo.arrays.f64_0d.shape).toEqual([]);
    expect(zoo.arrays.f32_empty_0x3.shape).toEqual([0, 3]);
    expect(wasFloat16(zoo.arrays.f16)).toBe(true);
    expect(wasFloat16(zoo.arrays.f32_c)).toBe(false);
    expect(zoo.arrays.i64).toBeInstanceOf(NumpyArray);
    expect(zoo.arrays.i64.data).toBeInstanceOf(BigInt64Array);
    expect(zoo.arrays.bool.data).toBeInstanceOf(Uint8Array);
    expect(zoo.arrays.i64_fortran.data).toEqual(new BigInt64Array([-3n, -2n, -1n, 0n, 1n, 2n]));
    // Fortran order rearranged: element [i][j][k] of linspace(-1, 1, 24).reshape(2, 3, 4)
    expect(zoo.arrays.f64_fortran_3d.get(1, 2, 3)).toBe(1);
    expect(zoo.arrays.f64_fortran_3d.get(0, 1, 0)).toBeCloseTo(-1 + 4 * (2 / 23), 15);
    expect(zoo.int_keys).toBeInstanceOf(Map);
    expect(zoo.set).toEqual(new Set([1, 2, 3]));
    expect(zoo.ints.at(-1)).toBe(-(10n ** 30n));
    expect(Object.is(zoo.floats[1], -0)).toBe(true);
  });
});

describe("the book's sample_weight.pkl (ch03, bundled in data-sample/book)", () => {
  const want = expected("np2").sample_weight;

  it("is the book's file", () => {
    const sha = createHash("sha256").update(readFileSync(SAMPLE_WEIGHT)).digest("hex");
    expect(sha).toBe("b7f55a27988ba34c3777b0f1bbd464817c8a4db855723e6ff26f703501917a13");
  });

  it("loads as the 784-50-100-10 net's float32 weights, values exact", async () => {
    const params = (await loadPickle(SAMPLE_WEIGHT)) as Record<string, Tensor>;
    const shapes = { W1: [784, 50], b1: [50], W2: [50, 100], b2: [100], W3: [100, 10], b3: [10] };
    expect(Object.keys(params).sort()).toEqual(Object.keys(shapes).sort());
    for (const [key, shape] of Object.entries(shapes)) {
      const t = params[key];
      expect(t, key).toBeInstanceOf(Tensor);
      expect(t.dtype, key).toBe("float32");
      expect(t.shape, key).toEqual(shape);
      expect(createHash("sha256").update(t.data).digest("hex"), key).toBe(want[key].sha256);
      expect(t.data[0], key).toBe(want[key].first);
      expect(t.data.at(-1), key).toBe(want[key].last);
      let sum = 0;
      for (const v of t.data) sum += v;
      expect(Math.abs(sum - want[key].sum), key).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want[key].sum)));
    }
    // the weight matrices are Fortran-ordered in the book's file: the reorder path is exercised
    expect(want.W1.fortran && want.W2.fortran && want.W3.fortran).toBe(true);
  });

  it("is the book's trained net: 0.9352 on the 10 000 MNIST test digits, as ch03/neuralnet_mnist.py prints", async () => {
    const p = (await loadPickle(SAMPLE_WEIGHT)) as Record<string, Tensor>;
    for (const dtype of ["float32", "float64"] as const) {
      // the book's predict(): sigmoid(x·W1 + b1) → sigmoid(·W2 + b2) → ·W3 + b3 (softmax keeps the argmax)
      const w = (k: string) => p[k].clone(dtype);
      const layers = [new Affine(w("W1"), w("b1")), new Sigmoid(), new Affine(w("W2"), w("b2")), new Sigmoid(), new Affine(w("W3"), w("b3"))];
      const { images, labels, count } = mnistTestSet();
      let correct = 0;
      for (let i = 0; i < count; i += 100) { // batch_size = 100, like the book's batched version
        const x = Tensor.from(Float64Array.from(images.subarray(i * 784, (i + 100) * 784), (v) => v / 255), [100, 784], dtype);
        let y = x;
        for (const layer of layers) y = layer.forward(y);
        correct += Math.round(accuracyOf(y, labels.subarray(i, i + 100)) * 100);
      }
      expect(correct / count, dtype).toBe(0.9352);
    }
  });

  it("reads the same through readParamsFile (format sniffed from the bytes)", async () => {
    const bytes = readFileSync(SAMPLE_WEIGHT);
    const a = await readParamsFile(bytes);
    const b = decodePickle(bytes) as Record<string, Tensor>;
    for (const key of Object.keys(b)) expect(hexOf(a[key].data)).toBe(hexOf(b[key].data));
  });
});

// The two larger book files: SCRATCHNET_BOOK_DIR, which the suite points at test/fixtures/book unless set.
// Expected values: sha256 of each array's C-ordered little-endian float64 bytes (first 16 hex
// digits) and its first element, computed with numpy (pickle.load + np.ascontiguousarray).
const BOOK_DIR = process.env.SCRATCHNET_BOOK_DIR;
const LARGE_BOOK_FILES: Record<string, { sha256: string; shapes: Record<string, [number[], string, number]> }> = {
  "params.pkl": {
    sha256: "a5da99cffddafcfe5e686e79dc0ec3a7cc993b58e64f483b50960511e5e85344",
    shapes: {
      W1: [[30, 1, 5, 5], "01f380fea29823e7", 0.029043125307097867], b1: [[30], "be90ad9e4a6a9609", -0.00436782044949035],
      W2: [[4320, 100], "d0fdfec6da729206", -0.0037957684322847012], b2: [[100], "d2db70811913bbf9", -0.009000240429435938],
      W3: [[100, 10], "acd52b62aad62088", 0.029296026645952405], b3: [[10], "2f9fce3c51c48721", -0.019599940732667402],
    },
  },
  "deep_convnet_params.pkl": {
    sha256: "4b7a27baee2037605afa94d3f514ca9fa9cc96623739328609765073cfd5f802",
    shapes: {
      W1: [[16, 1, 3, 3], "3ecb43e463372551", -0.8277412376260538], b1: [[16], "59a6ac0d95485a4c", 0.01927885645263165],
      W2: [[16, 16, 3, 3], "25c996dd41d276b8", 0.01429705068808758], b2: [[16], "e102a71b3406632b", -0.015590673985304304],
      W3: [[32, 16, 3, 3], "26a8127756451db0", 0.18133971004672925], b3: [[32], "de3d5efac5c96e81", 0.018086322646100123],
      W4: [[32, 32, 3, 3], "75b6a31b19ce5582", 0.07230080414635572], b4: [[32], "fa16178e9e6b89b1", -0.00893285367027812],
      W5: [[64, 32, 3, 3], "2ec7b1bceea5586a", -0.09524583579366395], b5: [[64], "7459711c382e5e89", -0.009059867440718183],
      W6: [[64, 64, 3, 3], "a765f1ec4befd488", 0.054493120588714264], b6: [[64], "db7eb36677088394", -0.006373986727768255],
      W7: [[1024, 50], "51fc92a6bd5f5bbc", 0.032971401187949965], b7: [[50], "15be367e56bdad97", -0.0030401295453345713],
      W8: [[50, 10], "1cf7204e52e8b3dd", 0.0025516390121961916], b8: [[10], "36d51f6297e5ac79", -0.0792862361671907],
    },
  },
};
if (!BOOK_DIR) console.warn("NOTE: SCRATCHNET_BOOK_DIR is not set: the tests of the book's params.pkl and deep_convnet_params.pkl are skipped");

describe.skipIf(!BOOK_DIR).each(Object.keys(LARGE_BOOK_FILES))("the book's %s (from SCRATCHNET_BOOK_DIR)", (file) => {
  it("loads as float64 arrays, values exact", async () => {
    const path = join(BOOK_DIR as string, file);
    expect(existsSync(path), `${path} (SCRATCHNET_BOOK_DIR is set, so the file must be there)`).toBe(true);
    const want = LARGE_BOOK_FILES[file];
    expect(createHash("sha256").update(readFileSync(path)).digest("hex")).toBe(want.sha256);
    const params = await readParamsFile(readFileSync(path), { name: path });
    expect(Object.keys(params)).toEqual(Object.keys(want.shapes));
    for (const [key, [shape, sha, first]] of Object.entries(want.shapes)) {
      expect(params[key].shape, key).toEqual(shape);
      expect(params[key].dtype, key).toBe("float64");
      expect(createHash("sha256").update(params[key].data).digest("hex").slice(0, 16), key).toBe(sha);
      expect(params[key].data[0], key).toBe(first);
    }
  });
});
