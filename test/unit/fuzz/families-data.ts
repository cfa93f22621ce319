// Fuzz families: datasets and samplers, the trainer, IDX/MNIST loading, safetensors, model
// files and the architecture registry, the core's init/threads. Some are async (awaited with a
// deadline by the runner). Nothing here touches the network: loaders get bytes, a fetch that
// refuses, or `download: false`.
import { join } from "node:path";
import * as sn from "../../../src/index.node.js";
import type { Gen } from "./gen.js";
import { expectClose, expectTrue } from "./check.js";
import type { Family } from "./families-tensor.js";
import { mnistTestSet } from "../../helpers/mnist.js";
import { tempDirs } from "../../helpers/temp-dirs.js";

/** The thread count the first "init / setThreads" check saw (the fuzz only makes refused calls). */
let threadsSeen: number | undefined;

const { images, labels } = mnistTestSet();
const digits = sn.ImageDataset.fromBytes("fuzz digits", images.subarray(0, 300 * 784), labels.subarray(0, 300), 28, 28);
const tmp = tempDirs("scratchnet-fuzz-")(); // removed after api-fuzz.test.ts, which imports this at its top level

/** A small idx file (rank 1 or 3), sometimes damaged. */
function idxBytes(g: Gen): Uint8Array {
  const rank = g.pick([1, 3]);
  const dims = rank === 1 ? [g.int(0, 5)] : [g.int(0, 3), g.int(1, 3), g.int(1, 3)];
  const n = dims.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(4 + 4 * rank + n);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x0800 + rank, false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < n; i++) out[4 + 4 * rank + i] = g.int(0, 9);
  if (g.bool(0.3)) out[g.int(0, out.length - 1)] = g.int(0, 255);
  return g.bool(0.1) ? out.subarray(0, g.int(0, out.length)) : out;
}

export const dataFamilies: Family[] = [
  { name: "ImageDataset", run(g, p) {
    const n = g.int(0, 5), rows = g.dim(3), cols = g.dim(3);
    const px = Uint8Array.from({ length: n * rows * cols }, () => g.int(0, 255)), lab = Uint8Array.from({ length: n }, () => g.int(0, 9));
    using ds = sn.ImageDataset.fromBytes(g.maybe("d", p) as string, g.maybe(px, p) as Uint8Array, g.maybe(lab, p) as Uint8Array,
      g.maybe(rows, p) as number, g.maybe(cols, p) as number, g.maybe({ classes: 10, flatten: g.bool() }, p / 2) as never);
    const i = g.maybe(g.int(0, Math.max(0, n - 1)), p) as number;
    switch (g.int(0, 3)) {
      case 0: expectTrue(ds.label(i) === lab[i], "label"); break;
      case 1: expectTrue(ds.image(i).every((v, j) => v === px[i * rows * cols + j]), "image"); break;
      case 2: ds.slice(g.maybe(0, p) as number, g.maybe(n, p) as number, g.maybe({}, p) as never).labelArray(); break;
      case 3: {
        const { x } = ds.toTensor(g.maybe(0, p) as number, g.maybe(n, p) as number, g.maybe(g.dtype(), p));
        if (!g.mutated) expectClose(x.data, Array.from(px, (v) => v / 255), x.dtype, "toTensor ÷255");
      }
    }
  } },
  { name: "BatchSampler / evaluateAccuracy", run(g, p) {
    const dtype = g.dtype();
    using sampler = new sn.BatchSampler(g.maybe(digits, p) as sn.ImageDataset, g.maybe(g.int(1, 50), p) as number, g.maybe(dtype, p));
    if (g.bool()) {
      const start = g.maybe(g.int(0, 250), p) as number, n = g.maybe(g.int(1, sampler.capacity), p) as number;
      const x = sampler.range(start, n);
      if (!g.mutated) expectClose(x.data.subarray(0, 784), Array.from(images.subarray(start * 784, start * 784 + 784), (v) => v / 255), dtype, "gathered ÷255");
      expectTrue(sampler.labelBatch.toArray().every((v, i) => v === labels[start + i]), "labels gathered");
    } else {
      sampler.sample(g.maybe(new sn.Rng(g.int(0, 9)), p) as sn.Rng, g.maybe(sampler.capacity, p) as number);
      using net = new sn.TwoLayerNet(784, g.dim(), g.pick([5, 10]), 0.1, { dtype });
      if (g.bool()) net.loss(sampler.labelView.length > 0 ? sampler.sample(new sn.Rng(1)) : sampler.range(0, 1), sampler.labelBatch);
      else {
        const acc = sn.evaluateAccuracy(g.maybe(net, p) as sn.TwoLayerNet, g.maybe(digits, p) as sn.ImageDataset, g.maybe({ batchSize: g.int(1, 300) }, p) as never);
        expectTrue(acc >= 0 && acc <= 1, "accuracy in [0, 1]");
      }
    }
  } },
  { name: "trainNet", async run(g, p) {
    using net = new sn.TwoLayerNet(784, g.dim(8), 10, 0.01, { dtype: g.dtype() });
    using momentum = new sn.Momentum(0.01);
    const data = g.maybe({ train: digits.slice(0, 200), test: digits.slice(200) }, p / 2);
    // options objects always carry a small itersNum: the default (10 000, the book's) is a real run
    const fields = {
      itersNum: g.maybe(g.int(0, 3), p), batchSize: g.maybe(g.int(1, 50), p), learningRate: g.maybe(0.1, p), seed: g.maybe(1, p),
      optimizer: g.maybe(g.pick<unknown>(["adam", "sgd", undefined, momentum]), p), evaluate: g.maybe(g.bool(), p), evalBatchSize: g.maybe(100, p),
      lossRecording: g.maybe("gradient", p), onStep: g.maybe(undefined, p / 3),
    };
    if (typeof fields.itersNum === "object" || (typeof fields.itersNum === "number" && fields.itersNum > 3 && fields.itersNum <= 1e7)) fields.itersNum = 2;
    const junk = g.any();
    const options = g.bool(p / 2) && typeof junk !== "object" && junk !== undefined ? junk : fields; // no options at all = 10 000 iterations
    const history = await sn.trainNet(net, data as never, options as never);
    expectTrue(history.trainLossList.every(Number.isFinite), "finite losses");
  } },
  { name: "parseIdx / decodeIdx / isGzip / loadSplit / loadMnistFromBytes", async run(g, p) {
    const bytes = g.maybe(idxBytes(g), p) as Uint8Array;
    switch (g.int(0, 3)) {
      case 0: sn.parseIdx(bytes, g.maybe("f", p) as string, g.maybe(g.pick([undefined, 1, 3]), p) as number); break;
      case 1: await sn.decodeIdx(bytes, g.maybe("f", p) as string); break;
      case 2: expectTrue(typeof sn.isGzip(bytes) === "boolean", "a boolean"); break;
      case 3: {
        const files = g.maybe({ trainImages: idxBytes(g), trainLabels: idxBytes(g), testImages: idxBytes(g), testLabels: idxBytes(g) }, p);
        const loaded = await sn.loadMnistFromBytes(files as sn.MnistBytes, g.maybe({ dataset: "mnist" }, p) as never);
        loaded.train.dispose();
        loaded.test.dispose();
      }
    }
  } },
  { name: "loadMnistFromUrls / loadMnist / mnistCacheDir (no network)", async run(g, p) {
    const refuse = (): Promise<Response> => Promise.reject(new Error("offline (fuzz)"));
    switch (g.int(0, 2)) {
      case 0: await sn.loadMnistFromUrls(g.maybe("http://127.0.0.1:9/", p) as string, { ...(g.maybe({ dataset: "mnist" }, p) as object), fetch: refuse }); break;
      case 1: await sn.loadMnist({ ...(g.maybe({ dataset: "fashion-mnist", cacheDir: tmp }, p) as object), download: false, env: {}, dataDir: join(tmp, "none") } as never); break;
      case 2: sn.mnistCacheDir(g.maybe("mnist", p) as string, g.maybe({ cacheDir: tmp }, p) as never); break;
    }
  } },
  { name: "safetensors encode/decode", run(g, p) {
    const t = g.tensor([g.dim(), g.dim()], "float64");
    const bytes = sn.encodeSafetensors(g.maybe([["w", { dtype: "F64", shape: t.shape, data: new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength) }]], p) as never, g.maybe({ a: "b" }, p) as never);
    const damaged = g.bool(0.3) ? bytes.map((v, i) => (i === g.int(0, bytes.length - 1) ? g.int(0, 255) : v)) : bytes;
    const file = sn.decodeSafetensors(g.maybe(damaged, p) as Uint8Array, g.maybe("f", p) as string);
    if (damaged === bytes && file.tensors.has("w")) expectClose(new Float64Array(file.tensors.get("w")!.data.slice().buffer), t.data, "float64", "round trip");
  } },
  { name: "serializeModel / deserializeModel / loadParamsInto / saveModel / loadModel", async run(g, p) {
    using net = g.pick([() => new sn.TwoLayerNet(3, 2, 2, 0.5), () => new sn.MultiLayerNetExtend({ inputSize: 3, hiddenSizeList: [2], outputSize: 2, useBatchnorm: true })])();
    const bytes = sn.serializeModel(g.maybe(net, p) as sn.TwoLayerNet);
    switch (g.int(0, 3)) {
      case 0: { const back = sn.deserializeModel(g.maybe(bytes, p) as Uint8Array, g.maybe("m", p) as string) as sn.TwoLayerNet; if (!g.mutated) expectClose(back.params.W1.data, net.params.W1.data, net.dtype, "round trip"); back.dispose(); break; }
      case 1: sn.loadParamsInto(g.maybe(net, p) as sn.TwoLayerNet, g.maybe(bytes, p) as Uint8Array); break;
      case 2: await sn.saveModel(g.maybe(net, p) as sn.TwoLayerNet, g.maybe(join(tmp, `m${g.int(0, 3)}.safetensors`), p) as string); break;
      case 3: (await sn.loadModel(g.maybe(join(tmp, `m${g.int(0, 3)}.safetensors`), p) as string) as sn.TwoLayerNet).dispose(); break;
    }
  } },
  { name: "registerModelArchitecture", run(g) {
    class Custom { readonly dtype = "float32" as const; readonly params = {}; }
    sn.registerModelArchitecture(g.pick(["Custom", "TwoLayerNet", "", "x"]) as string, g.pick([
      null, undefined, {}, { netClass: Custom }, { netClass: Custom, config: () => ({}), create: g.any() }, g.any(),
      { netClass: sn.TwoLayerNet, config: () => ({}), create: () => new sn.TwoLayerNet(1, 1, 1) },
    ]) as never);
  } },
  { name: "init / setThreads / getThreads / isCoreReady", async run(g) {
    switch (g.int(0, 2)) {
      case 0: await sn.init(g.any() as never); break;
      case 1: { // valid counts start workers (test/unit/assembly/gemm/threads.test.ts covers them): only refusals here
        const n = g.any();
        if (!(typeof n === "number" && Number.isInteger(n) && n >= 1 && n <= 64)) await sn.setThreads(n as number);
        break;
      }
      case 2: { // threads are the machine's cores by default: whatever they were, no refused call changed them
        threadsSeen ??= sn.getThreads();
        expectTrue(sn.getThreads() === threadsSeen && threadsSeen >= 1 && sn.isCoreReady(), `still ${threadsSeen} thread(s), core ready`);
        break;
      }
    }
  } },
];
