// Same bits, recorded: seeded runs through the public API, each hashed (sha-256 of every
// parameter byte and every recorded number), compared with the hashes the code gave on commit
// 186e9cd, before the memory rework (JS-heap tensors, arenas, per-call scratch). Storage moved;
// no result bit may. Covers training (float32/float64, ReLU/sigmoid, fused and layer-by-layer,
// five optimizers, BatchNorm + Dropout + weight decay, sigmoid MultiLayerNet, SimpleConvNet),
// optimizer.update, the book's functions, im2col/col2im, standalone layers, numerical gradients
// and model serialisation. The same hashes come out with SCRATCHNET_THREADS=2.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import * as sn from "../../src/index.node.js";
import { mnistTestSet } from "../helpers/mnist.js";

const RECORDED: Record<string, string> = {
  "two-float32-relu-train300": "6652b54942a154e8",
  "two-float32-sigmoid-train300": "57c84ff221437e65",
  "two-float32-layered-100": "41725d72d0005b14",
  "two-float32-adam-40": "a532b748f2291675",
  "two-float32-momentum-40": "66d36329ae899ac8",
  "two-float32-nesterov-40": "a5c0a10cf75f905e",
  "two-float32-adagrad-40": "1c6b7032b448feee",
  "two-float32-rmsprop-40": "9e6193e9b65f890e",
  "ext-float32-bn-dropout-60": "160c39d57c8073b6",
  "mln-float32-40": "d0275717f39cfba4",
  "conv-float32-15": "332984cd337265d8",
  "update-adam-float32": "3a789ce57f824b53",
  "functions-float32": "d336e1159b084b2e",
  "im2col-float32": "31cbefe5029983be",
  "layers-float32": "6a804680c7db1227",
  "bn-dropout-float32": "816241359014ed32",
  "conv-layers-float32": "b32ed67b9adde293",
  "rng-float32": "86bfbf85502efe78",
  "numgrad-float32": "5fd8840085b0091b",
  "serialize-float32": "bcf1be549799005f",
  "two-float64-relu-train300": "e1225a824a10cbe3",
  "two-float64-sigmoid-train300": "97f6d95418bff31a",
  "two-float64-layered-100": "06d0841f47265397",
  "two-float64-adam-40": "e1d0b00ea29fc8d4",
  "two-float64-momentum-40": "3cfc1dd3c8917a85",
  "two-float64-nesterov-40": "930b31ae3384899b",
  "two-float64-adagrad-40": "f3d3642d2737adeb",
  "two-float64-rmsprop-40": "8543daff955b66bd",
  "ext-float64-bn-dropout-60": "e33316b41781593e",
  "mln-float64-40": "788239ed7e42f967",
  "conv-float64-15": "539e84d19c62b1da",
  "update-adam-float64": "03e919a9c1e38d4f",
  "functions-float64": "81736ffc9420a851",
  "im2col-float64": "c2aa4cd908b52a05",
  "layers-float64": "162a71cb626f486f",
  "bn-dropout-float64": "571cca82fee83e03",
  "conv-layers-float64": "5c91dd13f9f75a6a",
  "rng-float64": "86bfbf85502efe78",
  "numgrad-float64": "4f171e435c792a08",
  "serialize-float64": "3aa660e90b7e5449",
};

async function hashes(): Promise<Record<string, string>> {
  const { images, labels } = mnistTestSet();
  const h = (...parts: unknown[]): string => {
    const hash = createHash("sha256");
    for (const p of parts) {
      if (ArrayBuffer.isView(p)) hash.update(new Uint8Array(p.buffer, p.byteOffset, p.byteLength));
      else if (typeof p === "string") hash.update(p);
      else if (Array.isArray(p)) hash.update(new Uint8Array(Float64Array.from(p).buffer));
      else hash.update(new Uint8Array(Float64Array.of(p as number).buffer));
    }
    return hash.digest("hex").slice(0, 16);
  };
  const paramsHash = (net: { params: Readonly<Record<string, sn.Tensor>> }): string => h(...Object.values(net.params).map((t) => t.data.slice()));
  const data = (flatten = true): { train: sn.ImageDataset; test: sn.ImageDataset } => {
    const all = sn.ImageDataset.fromBytes("t10k", images, labels, 28, 28, { flatten });
    return { train: all.slice(0, 8000), test: all.slice(8000) };
  };
  const out: Record<string, string> = {};
  for (const dtype of ["float32", "float64"] as const) {
    for (const activation of ["relu", "sigmoid"] as const) {
      const net = new sn.TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, dtype, seed: 7, activation });
      const hist = await sn.trainNet(net, data(), { itersNum: 300, batchSize: 100, learningRate: 0.1, seed: 42, evaluate: true });
      out[`two-${dtype}-${activation}-train300`] = h(paramsHash(net), hist.trainLossList, hist.trainAccList, hist.testAccList, hist.finalTestAcc);
    }
    // layer by layer + after-update loss
    const lnet = new sn.TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, dtype, seed: 7 });
    lnet.fused = false;
    const lh = await sn.trainNet(lnet, data(), { itersNum: 100, batchSize: 100, learningRate: 0.1, seed: 42, evaluate: false, lossRecording: "after-update" });
    out[`two-${dtype}-layered-100`] = h(paramsHash(lnet), lh.trainLossList);
    for (const [name, opt] of ([["adam", () => new sn.Adam()], ["momentum", () => new sn.Momentum()], ["nesterov", () => new sn.Nesterov()], ["adagrad", () => new sn.AdaGrad()], ["rmsprop", () => new sn.RMSprop()]] as [string, () => sn.Optimizer][])) {
      const net = new sn.TwoLayerNet({ inputSize: 784, hiddenSize: 30, outputSize: 10, dtype, seed: 1 });
      const hist = await sn.trainNet(net, data(), { itersNum: 40, batchSize: 50, optimizer: opt(), seed: 3, evaluate: false });
      out[`two-${dtype}-${name}-40`] = h(paramsHash(net), hist.trainLossList);
    }
    const ext = new sn.MultiLayerNetExtend({ inputSize: 784, hiddenSizeList: [40, 30], outputSize: 10, useBatchnorm: true, useDropout: true, dropoutRatio: 0.2, weightDecayLambda: 0.01, dtype, seed: 5 });
    const eh = await sn.trainNet(ext, data(), { itersNum: 60, batchSize: 50, optimizer: new sn.Adam(0.01), seed: 9, evaluate: true, evalBatchSize: 500 });
    out[`ext-${dtype}-bn-dropout-60`] = h(...Object.values(ext.stateTensors()).map((t) => t.data.slice()), eh.trainLossList, eh.trainAccList, eh.testAccList);
    const mln = new sn.MultiLayerNet({ inputSize: 784, hiddenSizeList: [30, 30, 30], outputSize: 10, activation: "sigmoid", weightInitStd: "xavier", weightDecayLambda: 0.1, dtype, seed: 2 });
    const mh = await sn.trainNet(mln, data(), { itersNum: 40, batchSize: 64, learningRate: 0.05, seed: 4, evaluate: false });
    out[`mln-${dtype}-40`] = h(paramsHash(mln), mh.trainLossList);
    const conv = new sn.SimpleConvNet({ inputDim: [1, 28, 28], convParam: { filterNum: 6, filterSize: 5, pad: 0, stride: 1 }, hiddenSize: 30, outputSize: 10, dtype, seed: 3, weightInitStd: 0.05 });
    const ch = await sn.trainNet(conv, data(false), { itersNum: 15, batchSize: 20, optimizer: new sn.Momentum(0.05), seed: 6, evaluate: false });
    out[`conv-${dtype}-15`] = h(paramsHash(conv), ch.trainLossList, conv.accuracy(data(false).test.toTensor(0, 150, dtype).x, Array.from(labels.subarray(8000, 8150))));
    // optimizer.update path over the params dict
    {
      const net = new sn.TwoLayerNet({ inputSize: 784, hiddenSize: 20, outputSize: 10, dtype, seed: 8 });
      const opt = new sn.Adam(0.01);
      const x = sn.Tensor.from(Float64Array.from(images.subarray(0, 32 * 784), (v) => v / 255), [32, 784], dtype);
      const t = Array.from(labels.subarray(0, 32));
      const losses: number[] = [];
      for (let i = 0; i < 20; i++) { const g = net.gradient(x, t); losses.push(net.lastLayer.loss as number); opt.update(net.params, g); }
      out[`update-adam-${dtype}`] = h(paramsHash(net), losses, net.predict(x).data.slice(), net.accuracy(x, t));
    }
    // functions
    {
      const x = sn.Tensor.from(Float64Array.from({ length: 60 }, (_, i) => Math.sin(i * 1.7) * 3), [6, 10], dtype);
      const w = sn.Tensor.from(Float64Array.from({ length: 40 }, (_, i) => Math.cos(i * 0.3)), [10, 4], dtype);
      const lab = [1, 2, 3, 0, 9, 5];
      out[`functions-${dtype}`] = h(sn.softmax(x).data, sn.sigmoid(x).data, sn.relu(x).data, sn.dot(x, w).data, sn.crossEntropyError(sn.softmax(x), lab),
        sn.crossEntropyError(sn.softmax(x), sn.oneHot(lab, 10, dtype)), sn.accuracyOf(x, lab), sn.stepFunction(x).data, sn.sumSquaredError(x, x.clone()));
      const col = sn.im2col(sn.Tensor.from(Float64Array.from({ length: 2 * 3 * 7 * 7 }, (_, i) => Math.sin(i)), [2, 3, 7, 7], dtype), 3, 3, 2, 1);
      out[`im2col-${dtype}`] = h(col.data, sn.col2im(col, [2, 3, 7, 7], 3, 3, 2, 1).data);
    }
    // standalone layers
    {
      const rng = new sn.Rng(5);
      const W = sn.Tensor.zeros([10, 4], dtype); rng.fillNormal(W, 0.5);
      const b = sn.Tensor.zeros([4], dtype); rng.fillNormal(b, 0.5);
      const x = sn.Tensor.zeros([6, 10], dtype); rng.fillNormal(x, 1);
      const a = new sn.Affine(W, b), r = new sn.Relu(), s = new sn.Sigmoid(), l = new sn.SoftmaxWithLoss();
      const y = a.forward(x), z = r.forward(y), q = s.forward(z);
      const loss = l.forward(q, [0, 1, 2, 3, 0, 1]);
      const d1 = l.backward(1), d2 = s.backward(d1), d3 = r.backward(d2), d4 = a.backward(d3);
      out[`layers-${dtype}`] = h(y.data.slice(), z.data.slice(), q.data.slice(), loss, d1.data.slice(), d2.data.slice(), d3.data.slice(), d4.data.slice(), a.dW.data.slice(), a.db.data.slice());
      const gamma = sn.Tensor.zeros([4], dtype); gamma.data.fill(1.5);
      const beta = sn.Tensor.zeros([4], dtype); beta.data.fill(0.1);
      const bn = new sn.BatchNormalization(gamma, beta);
      const bo = bn.forward(y, true).data.slice();
      const bd = bn.backward(d3).data.slice();
      const bt = bn.forward(y, false).data.slice();
      const dr = new sn.Dropout(0.3, { seed: 4 });
      const dro = dr.forward(y, true).data.slice(), drb = dr.backward(d3).data.slice();
      out[`bn-dropout-${dtype}`] = h(bo, bd, bt, bn.dgamma.data.slice(), bn.dbeta.data.slice(), bn.runningMean.data.slice(), bn.runningVar.data.slice(), dro, drb);
      const cW = sn.Tensor.zeros([3, 2, 3, 3], dtype); rng.fillNormal(cW, 0.3);
      const cb = sn.Tensor.zeros([3], dtype); rng.fillNormal(cb, 0.3);
      const cx = sn.Tensor.zeros([2, 2, 6, 6], dtype); rng.fillNormal(cx, 1);
      const conv = new sn.Convolution(cW, cb, 1, 1), pool = new sn.Pooling(2, 2, 2);
      const co = conv.forward(cx), po = pool.forward(co);
      const pd = pool.backward(po), cd = conv.backward(pd);
      out[`conv-layers-${dtype}`] = h(co.data.slice(), po.data.slice(), pd.data.slice(), cd.data.slice(), conv.dW.data.slice(), conv.db.data.slice());
      out[`rng-${dtype}`] = h(rng.uniform(), rng.uniform());
    }
    // numerical gradient (small net)
    {
      const net = new sn.TwoLayerNet({ inputSize: 12, hiddenSize: 5, outputSize: 3, dtype, seed: 4, weightInitStd: 0.3 });
      const x = sn.Tensor.from(Float64Array.from({ length: 4 * 12 }, (_, i) => Math.cos(i)), [4, 12], dtype);
      const ng = net.numericalGradient(x, [0, 1, 2, 1]);
      out[`numgrad-${dtype}`] = h(...Object.values(ng).map((t) => t.data.slice()));
      out[`serialize-${dtype}`] = h(sn.serializeModel(net));
    }
  }
  return out;
}

describe("every result bit equals the base commit's", () => {
  it("40 seeded computations through the public API", async () => {
    const got = await hashes();
    expect(Object.keys(got).sort()).toEqual(Object.keys(RECORDED).sort());
    for (const key of Object.keys(RECORDED)) expect(got[key], key).toBe(RECORDED[key]);
  });
});
