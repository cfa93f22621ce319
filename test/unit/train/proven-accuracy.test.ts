// The accuracy pass proves most rows' classes in integers (assembly/proven-class.ts) and
// sends the rest the float way. A proof that claims a wrong class would change a count by one
// row in thousands, so the count alone is a weak check: here every row is checked. The labels are
// set to the float path's own predictions (net.predict, the layer path: the recipe the pass must
// match), so the pass must count every row — one wrongly proved row and it counts one fewer.
// The nets cover what makes proofs hard: the book's initial weights (all scores close), a
// trained net, two classes whose scores tie exactly or differ in the last bits (only the float
// path can tell those), odd shapes, and weights the bounds refuse (NaN, huge).
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { init, setThreads, parseIdx, ImageDataset, BatchSampler, TwoLayerNet, evaluateAccuracy, trainNet } from "../../../src/index.node.js";
import { getCore } from "../../../src/internal.js";
import { testRng } from "../../helpers/wasm.js";

function idx(path: string, dims: number): Uint8Array {
  return parseIdx(gunzipSync(readFileSync(new URL(`../../../data-sample/${path}`, import.meta.url))), path, dims).data as Uint8Array;
}
const fashion = { images: idx("fashion-mnist/train-images-idx3-ubyte.gz", 3), labels: idx("fashion-mnist/train-labels-idx1-ubyte.gz", 1) };
const digits = { images: idx("mnist/t10k-images-idx3-ubyte.gz", 3).subarray(0, 2000 * 784), labels: idx("mnist/t10k-labels-idx1-ubyte.gz", 1).subarray(0, 2000) };

const provenRows = (): number => getCore().exports.provenRows();

/** Each row's class by the layer path (net.predict; numpy's first maximum). */
function floatClasses(net: TwoLayerNet, set: ImageDataset): Uint8Array {
  const sampler = new BatchSampler(set, Math.min(500, set.count), net.dtype);
  const out = new Uint8Array(set.count);
  try {
    for (let start = 0; start < set.count; start += sampler.capacity) {
      const n = Math.min(sampler.capacity, set.count - start);
      const y = net.predict(sampler.range(start, n)).data;
      const C = net.outputSize;
      for (let r = 0; r < n; r++) {
        let best = 0;
        for (let c = 1; c < C; c++) if (y[r * C + c] > y[r * C + best]) best = c;
        out[start + r] = best;
      }
    }
  } finally {
    sampler.dispose();
  }
  return out;
}

/** `images` labelled with the net's own float classes (so a full count means every row agreed). */
function selfLabelled(net: TwoLayerNet, images: Uint8Array, rows: number, cols: number, normalize = true): ImageDataset {
  const count = images.length / (rows * cols);
  const probe = ImageDataset.fromBytes("probe", images, new Uint8Array(count), rows, cols, { normalize, classes: net.outputSize });
  try {
    return ImageDataset.fromBytes("self-labelled", images, floatClasses(net, probe), rows, cols, { normalize, classes: net.outputSize });
  } finally {
    probe.dispose();
  }
}

/** The pass on 1 and 2 threads: every row counted; returns the rows proved on 1 thread. */
async function expectEveryRowAgrees(net: TwoLayerNet, set: ImageDataset): Promise<number> {
  await setThreads(2);
  expect(evaluateAccuracy(net, set), "2 threads: every row's class is the float path's").toBe(1);
  await setThreads(1);
  provenRows();
  expect(evaluateAccuracy(net, set), "1 thread: every row's class is the float path's").toBe(1);
  return provenRows();
}

beforeAll(async () => {
  await init({ threads: 2 });
});

describe("the accuracy pass's proved rows", () => {
  it("a trained net: every row's class is the float path's, nearly all of them proved", async () => {
    const train = ImageDataset.fromBytes("fashion", fashion.images, fashion.labels, 28, 28);
    const net = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, seed: 3 });
    await setThreads(1);
    await trainNet(net, { train, test: train }, { itersNum: 300, evaluate: false, seed: 3 });
    const set = selfLabelled(net, fashion.images, 28, 28);
    const proved = await expectEveryRowAgrees(net, set);
    expect(proved, "the integer path did the bulk of the dense rows").toBeGreaterThan(0.5 * set.count);
    expect(proved).toBeLessThanOrEqual(set.count);
    // and the real labels: the same count as the layer path's
    net.fused = false;
    const expected = evaluateAccuracy(net, train);
    net.fused = true;
    expect(evaluateAccuracy(net, train)).toBe(expected);
    set.dispose();
    train.dispose();
    net.dispose();
  });

  it("the book's initial weights (scores all close) and wider ones, bytes ÷255 or not", async () => {
    for (const [std, normalize] of [[0.01, true], [0.1, true], [0.01, false]] as const) {
      const net = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, seed: 11, weightInitStd: std });
      const set = selfLabelled(net, fashion.images, 28, 28, normalize);
      expect(await expectEveryRowAgrees(net, set), `std ${std}, normalize ${normalize}: some rows proved`).toBeGreaterThan(0);
      set.dispose();
      net.dispose();
    }
  });

  it("two classes that tie exactly, or differ only in their last bits, go the float way", async () => {
    const net = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, seed: 5, weightInitStd: 0.1 });
    const W2 = net.params.W2.data, b2 = net.params.b2.data;
    const rand = testRng(7);
    // class 4 copies class 2 (an exact tie: the float path picks 2); class 7 is class 2 with
    // its weights nudged by one float32 ulp (the winner is decided by rounding alone)
    for (let j = 0; j < 50; j++) {
      W2[j * 10 + 4] = W2[j * 10 + 2];
      const w = new Float32Array([W2[j * 10 + 2]]);
      const bits = new Int32Array(w.buffer);
      bits[0] += rand() < 0.5 ? 1 : -1;
      W2[j * 10 + 7] = w[0];
    }
    b2[2] = b2[4] = b2[7] = 100; // far above the other classes: 2, 4 or 7 wins every row
    const set = selfLabelled(net, fashion.images, 28, 28);
    const proved = await expectEveryRowAgrees(net, set);
    expect(proved, "no row can be proved: its top classes are within the bounds").toBe(0);
    set.dispose();
    net.dispose();
  });

  it("two classes apart by about W1's rounding: whichever the float path picks, the pass counts", async () => {
    // margins of the size the bounds are made of — W1's rounding to integers (~1e-4 of a
    // weight) and the float path's own — so a bound that left one out would claim wrong rows
    for (const nudge of [1e-6, 1e-5, 1e-4, 1e-3]) {
      const net = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, seed: 6, weightInitStd: 0.1 });
      const W2 = net.params.W2.data, b2 = net.params.b2.data;
      const rand = testRng(8);
      for (let j = 0; j < 50; j++) W2[j * 10 + 7] = W2[j * 10 + 2] * (1 + nudge * (rand() - 0.5));
      b2[2] = b2[7] = 100;
      const set = selfLabelled(net, fashion.images, 28, 28);
      await expectEveryRowAgrees(net, set);
      set.dispose();
      net.dispose();
    }
  });

  it("odd shapes: a hidden layer that is not a multiple of 4 or 8, three or eleven classes, an odd row length; MNIST digits", async () => {
    const rand = testRng(9);
    const odd = Uint8Array.from({ length: 300 * 27 }, () => (rand() < 0.3 ? 0 : Math.floor(rand() * 256)));
    const shapes = [
      { images: fashion.images, rows: 28, cols: 28, H: 7, C: 10 },
      { images: fashion.images, rows: 28, cols: 28, H: 13, C: 3 },
      { images: fashion.images, rows: 28, cols: 28, H: 50, C: 11 },
      { images: odd, rows: 3, cols: 9, H: 20, C: 10 },
    ];
    const net = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, seed: 4, weightInitStd: 0.1 });
    const set = selfLabelled(net, digits.images, 28, 28);
    await expectEveryRowAgrees(net, set); // MNIST digits' rows are mostly under 40 % ink: they go alone, the float way
    set.dispose();
    net.dispose();
    for (const { images, rows, cols, H, C } of shapes) {
      const net = new TwoLayerNet({ inputSize: rows * cols, hiddenSize: H, outputSize: C, seed: H + C, weightInitStd: 0.3 });
      const set = selfLabelled(net, images, rows, cols);
      expect(await expectEveryRowAgrees(net, set), `D ${rows * cols}, H ${H}, C ${C}`).toBeGreaterThan(0);
      set.dispose();
      net.dispose();
    }
  });

  it("weights the bounds do not cover (NaN, beyond 1e10), float64 and the sigmoid go the float way alone", async () => {
    const train = ImageDataset.fromBytes("fashion", fashion.images, fashion.labels, 28, 28);
    const cases: Array<[string, TwoLayerNet]> = [];
    const nan = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, seed: 1 });
    nan.params.W1.data[123] = Number.NaN;
    cases.push(["a NaN weight", nan]);
    const huge = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, seed: 1 });
    huge.params.b2.data[3] = 2e10;
    cases.push(["a bias beyond 1e10", huge]);
    cases.push(["float64", new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, seed: 1, dtype: "float64" })]);
    cases.push(["the sigmoid", new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, seed: 1, activation: "sigmoid" })]);
    await setThreads(1);
    for (const [name, net] of cases) {
      net.fused = false;
      const expected = evaluateAccuracy(net, train);
      net.fused = true;
      provenRows();
      expect(evaluateAccuracy(net, train), name).toBe(expected);
      expect(provenRows(), `${name}: nothing proved`).toBe(0);
      net.dispose();
    }
    train.dispose();
  });
});
