// The book's trained networks in scratchnet's nets, on the 10 000 MNIST test digits bundled in
// data-sample/mnist: sample_weight.pkl always (it is bundled); ch07 params.pkl in SimpleConvNet and
// ch08 deep_convnet_params.pkl in DeepConvNet from SCRATCHNET_BOOK_DIR (the suite points it at the
// copies in test/fixtures/book unless set; without it they skip, saying so). Each accuracy must be the one a plain numpy
// forward pass of the same weights gives (test/fixtures/book/pretrained_accuracy.py, recorded in
// pretrained-accuracy.json: those numpy runs take minutes), as stored and with every weight and
// pixel rounded to float16 (ch08/half_float_network.py).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DeepConvNet, MultiLayerNet, SimpleConvNet, Tensor, accuracyOf, toHalfPrecision } from "../../src/index.node.js";
import { mnistTestSet } from "../helpers/mnist.js";

const ROOT = join(import.meta.dirname, "..", "..");
const BOOK_DIR = process.env.SCRATCHNET_BOOK_DIR;
type Entry = { accuracy: number; correct: number; count: number; numpy: string };
const REF = JSON.parse(readFileSync(join(ROOT, "test", "fixtures", "book", "pretrained-accuracy.json"), "utf8")) as Record<string, { stored: Entry; float16: Entry }>;
if (!BOOK_DIR) console.warn("NOTE: SCRATCHNET_BOOK_DIR is not set: the tests of the book's params.pkl and deep_convnet_params.pkl in SimpleConvNet/DeepConvNet are skipped");

function digits(dtype: "float32" | "float64"): { x: Tensor; t: Uint8Array } {
  const { images, labels } = mnistTestSet();
  return { x: Tensor.from(Float64Array.from(images, (v) => v / 255), [10000, 1, 28, 28], dtype), t: labels };
}

describe("the reference accuracies (numpy forward passes of the book's files)", () => {
  it("cover all three files, stored and float16, on all 10 000 digits", () => {
    expect(Object.keys(REF).sort()).toEqual(["deep_convnet_params.pkl", "params.pkl", "sample_weight.pkl"]);
    for (const [file, r] of Object.entries(REF)) for (const e of [r.stored, r.float16]) expect([file, e.count, e.correct / e.count]).toEqual([file, 10000, e.accuracy]);
    expect(REF["sample_weight.pkl"].stored.accuracy).toBe(0.9352); // the number the book prints: the reference is sound
  });
});

describe("sample_weight.pkl (bundled)", () => {
  it("MultiLayerNet: the book's 0.9352, and numpy's accuracy in float16", async () => {
    const { x, t } = digits("float64");
    const net = new MultiLayerNet({ inputSize: 784, hiddenSizeList: [50, 100], outputSize: 10, activation: "sigmoid", dtype: "float64" });
    await net.loadParams(join(ROOT, "data-sample", "book", "sample_weight.pkl"));
    expect(accuracyOf(net.predict(x.reshape(10000, 784)), t)).toBe(REF["sample_weight.pkl"].stored.accuracy);
    toHalfPrecision(net);
    toHalfPrecision(x);
    expect(accuracyOf(net.predict(x.reshape(10000, 784)), t)).toBe(REF["sample_weight.pkl"].float16.accuracy);
  });
});

describe.skipIf(!BOOK_DIR)("the book's larger files (from SCRATCHNET_BOOK_DIR)", () => {
  const file = (name: string): string => {
    const path = join(BOOK_DIR as string, name);
    expect(existsSync(path), `${path} (SCRATCHNET_BOOK_DIR is set, so the file must be there)`).toBe(true);
    return path;
  };

  it("params.pkl in SimpleConvNet: numpy's accuracy in float64, float32 (cast) and float16", async () => {
    const ref = REF["params.pkl"];
    const net = new SimpleConvNet({ dtype: "float64" });
    await net.loadParams(file("params.pkl"));
    const { x, t } = digits("float64");
    const acc = net.accuracy(x, t);
    const net32 = new SimpleConvNet();
    await expect(net32.loadParams(file("params.pkl"))).rejects.toThrow("W1 is float64 in the file but the net is float32");
    await net32.loadParams(file("params.pkl"), { cast: true });
    const acc32 = net32.accuracy(digits("float32").x, t);
    toHalfPrecision(net);
    const accHalf = net.accuracy(toHalfPrecision(x), t);
    console.log(`ch07 params.pkl, SimpleConvNet, 10 000 test digits: float64 ${acc} (numpy ${ref.stored.accuracy}), float32 ${acc32}, float16 ${accHalf} (numpy ${ref.float16.accuracy})`);
    expect(acc).toBe(ref.stored.accuracy);
    expect(Math.abs(acc32 - acc)).toBeLessThanOrEqual(0.0005);
    expect(accHalf).toBe(ref.float16.accuracy);
  }, 300_000);

  it("deep_convnet_params.pkl in DeepConvNet: numpy's accuracy in float64 and float16", async () => {
    const ref = REF["deep_convnet_params.pkl"];
    const net = new DeepConvNet({ dtype: "float64" });
    await net.loadParams(file("deep_convnet_params.pkl"));
    const { x, t } = digits("float64");
    const acc = net.accuracy(x, t);
    toHalfPrecision(net);
    const accHalf = net.accuracy(toHalfPrecision(x), t);
    console.log(`ch08 deep_convnet_params.pkl, DeepConvNet, 10 000 test digits: float64 ${acc} (numpy ${ref.stored.accuracy}), float16 ${accHalf} (numpy ${ref.float16.accuracy})`);
    expect(acc).toBe(ref.stored.accuracy);
    expect(accHalf).toBe(ref.float16.accuracy);
  }, 300_000);
});
