// ImageDataset: uint8 in wasm memory, views, and the book's float arrays for a few rows.
import { describe, expect, it } from "vitest";
import { ImageDataset, Tensor } from "../../../src/index.node.js";
import { datasetMemory, getCore } from "../../../src/internal.js";
import { mnistTestSet } from "../../helpers/mnist.js";

const { images, labels } = mnistTestSet();
const make = (flags = {}) => ImageDataset.fromBytes("mnist-test", images, labels, 28, 28, flags);

describe("ImageDataset", () => {
  it("copies the bytes into wasm memory once and reads them back", () => {
    const before = getCore().allocator.bytesInUse;
    const ds = make();
    expect(getCore().allocator.bytesInUse - before).toBeGreaterThanOrEqual(10000 * 785);
    expect([ds.count, ds.rowLen, ds.classes]).toEqual([10000, 784, 10]);
    expect(ds.image(0).buffer).toBe(getCore().memory.buffer); // a view into wasm memory, not a JS copy
    expect(Buffer.compare(Buffer.from(ds.image(9999)), Buffer.from(images.subarray(9999 * 784)))).toBe(0);
    expect(ds.label(0)).toBe(7);
    expect(() => ds.image(10000)).toThrow("ImageDataset(mnist-test).image: index 10000 is outside [0, 9999]");
    ds.free();
    expect(() => ds.label(0)).toThrow("use of a freed memory block");
  });

  it("refuses mismatched counts, ragged bytes and out-of-range labels at construction", () => {
    expect(() => ImageDataset.fromBytes("x", images.subarray(0, 784 * 10), labels.subarray(0, 9), 28, 28))
      .toThrow("ImageDataset(x): 10 images vs 9 labels");
    expect(() => ImageDataset.fromBytes("x", images.subarray(0, 784 * 10 + 1), labels.subarray(0, 10), 28, 28))
      .toThrow("ImageDataset(x): 7841 image bytes are not a whole number of 28×28 images");
    const bad = Uint8Array.from(labels.subarray(0, 10)); // a copy (Buffer#slice would be a view)
    bad[6] = 200;
    expect(() => ImageDataset.fromBytes("x", images.subarray(0, 7840), bad, 28, 28))
      .toThrow("ImageDataset(x): label 200 at index 6 is not a class index in [0, 9]");
    expect(() => ImageDataset.fromBytes("x", images.subarray(0, 7840), labels.subarray(0, 10), 28, 28, { classes: 5 }))
      .toThrow(/label [5-9] at index \d is not a class index in \[0, 4\]/);
  });

  it("slice shares memory: the 8000/2000 split of the test digits", () => {
    const ds = make();
    const used = getCore().allocator.bytesInUse;
    const train = ds.slice(0, 8000), test = ds.slice(8000);
    expect(getCore().allocator.bytesInUse).toBe(used); // no copy
    expect([train.count, test.count, test.name]).toEqual([8000, 2000, "mnist-test[8000:10000]"]);
    const at = (d: ImageDataset) => datasetMemory(d, "test"); // the addresses the samplers read
    expect(at(test).imagesPtr).toBe(at(ds).imagesPtr + 8000 * 784);
    expect(at(test).labelsPtr).toBe(at(ds).labelsPtr + 8000);
    expect(test.label(0)).toBe(labels[8000]);
    expect(Buffer.compare(Buffer.from(test.slice(5, 1).image(0)), Buffer.from(images.subarray(8005 * 784, 8006 * 784)))).toBe(0);
    expect(() => ds.slice(9000, 2000)).toThrow("ImageDataset(mnist-test).slice: rows [9000, 11000) are outside [0, 10000)");
    expect(ds.slice(0, 10, { flatten: false }).flatten).toBe(false);
  });

  it("toTensor gives the book's x_test[:3], t_test[:3] (normalized, flattened, labels)", () => {
    const ds = make();
    const { x, t } = ds.slice(2).toTensor(0, 3);
    expect(x.shape).toEqual([3, 784]);
    expect(x.dtype).toBe("float32");
    const data = x.data;
    for (let i = 0; i < 3 * 784; i++) {
      expect(data[i]).toBe(Math.fround(images[2 * 784 + i] / 255)); // the kernel divides in float32, like numpy's astype+/=
    }
    expect(Array.from(t as Int32Array)).toEqual([1, 0, 4]);
  });

  it("toTensor honours normalize=false, flatten=false, oneHotLabel and float64", () => {
    const ds = make({ normalize: false, flatten: false, oneHotLabel: true });
    const { x, t } = ds.toTensor(100, 4, "float64");
    expect(x.shape).toEqual([4, 1, 28, 28]);
    expect(Array.from(x.data)).toEqual(Array.from(images.subarray(100 * 784, 104 * 784)));
    expect(t).toBeInstanceOf(Tensor);
    const oneHot = t as Tensor;
    expect(oneHot.shape).toEqual([4, 10]);
    expect(oneHot.toArray()).toEqual(Array.from(labels.subarray(100, 104), (l) => Array.from({ length: 10 }, (_, k) => (k === l ? 1 : 0))));
    expect(ds.toTensor(0, 0).x.shape).toEqual([0, 1, 28, 28]);
    expect(() => ds.toTensor(9999, 2)).toThrow("ImageDataset(mnist-test).toTensor: rows [9999, 10001) are outside [0, 10000)");
  });
});
