// MultiLayerNet / MultiLayerNetExtend: backprop against numerical gradients (float64, real
// MNIST digits), weight decay, BatchNorm running statistics, dropout masks, model files.
import { describe, expect, it } from "vitest";
import {
  Adam, MultiLayerNet, MultiLayerNetExtend, Relu, Tensor, decodeSafetensors, deserializeModel, encodeSafetensors, serializeModel, type Layer,
} from "../../../src/index.node.js";
import { getCore } from "../../../src/internal.js";
import type { MultiLayerNetBase } from "../../../src/nets/multi-layer-net-base.js";
import { mnistRows } from "../../helpers/mnist.js";

function batch(start: number, n: number): { x: Tensor; t: number[] } {
  const { x, labels } = mnistRows(start, n);
  return { x: Tensor.from(x, [n, 784], "float64"), t: labels };
}

/**
 * Wraps every Relu so each forward compares its active set with the one at the base point:
 * a probe that moves any pre-activation across 0 would make the central difference straddle a
 * kink. Returns a counter of such flips (the precondition of the check is that it stays 0).
 */
function watchReluKinks(layers: Record<string, Layer>): { flips: () => number; arm: () => void } {
  const relus = Object.values(layers).filter((l): l is Relu => l instanceof Relu);
  const base = new Map<Relu, Uint8Array>();
  let flips = 0, armed = false;
  for (const r of relus) {
    const forward = r.forward.bind(r);
    r.forward = (x: Tensor): Tensor => {
      const out = forward(x);
      const d = out.data;
      if (!armed) base.set(r, Uint8Array.from(d, (v) => (v > 0 ? 1 : 0)));
      else {
        const b = base.get(r) as Uint8Array;
        for (let i = 0; i < d.length; i++) if ((d[i] > 0 ? 1 : 0) !== b[i]) flips++;
      }
      return out;
    };
  }
  expect(relus.length).toBeGreaterThan(0);
  return { flips: () => flips, arm: () => { armed = true; } };
}

function meanAbsDiff(a: Tensor, b: Tensor): number {
  expect(a.shape).toEqual(b.shape);
  let s = 0;
  for (let i = 0; i < a.size; i++) s += Math.abs(a.data[i] - b.data[i]);
  return s / a.size;
}

/** Analytic gradients (copied) vs numerical ones, per parameter, with the kink precondition. */
function checkGradients(net: MultiLayerNetBase, x: Tensor, t: number[]): Record<string, number> {
  const watch = net.activation === "relu" ? watchReluKinks(net.layers) : null;
  const analytic = Object.fromEntries(Object.entries(net.gradient(x, t)).map(([k, g]) => [k, g.clone()]));
  watch?.arm(); // base point recorded by gradient's forward; every probe is compared with it
  const numerical = net.numericalGradient(x, t);
  if (watch) expect(watch.flips()).toBe(0);
  const diffs: Record<string, number> = {};
  for (const key of Object.keys(net.params)) {
    diffs[key] = meanAbsDiff(numerical[key], analytic[key]);
    expect(diffs[key], key).toBeLessThanOrEqual(1e-6);
  }
  // the check is not vacuous: the gradients are far from zero
  expect(Math.max(...Array.from(analytic.W1.data, Math.abs))).toBeGreaterThan(1e-3);
  return diffs;
}

describe("gradient checks (float64, real MNIST digits, mean abs diff ≤ 1e-6)", () => {
  it("MultiLayerNet, ReLU, He init, weight decay, 3 samples", () => {
    const net = new MultiLayerNet({ inputSize: 784, hiddenSizeList: [10, 8], outputSize: 10, weightDecayLambda: 0.1, dtype: "float64", seed: 1 });
    const { x, t } = batch(0, 3);
      checkGradients(net, x, t);
  });

  it("MultiLayerNet, sigmoid, Xavier init", () => {
    const net = new MultiLayerNet({ inputSize: 784, hiddenSizeList: [9, 7], outputSize: 10, activation: "sigmoid", weightInitStd: "xavier", dtype: "float64", seed: 2 });
    const { x, t } = batch(3, 3);
    checkGradients(net, x, t);
  });

  it("MultiLayerNetExtend with BatchNorm + Dropout + weight decay, 5 samples", () => {
    const net = new MultiLayerNetExtend({
      inputSize: 784, hiddenSizeList: [12, 10], outputSize: 10, useBatchnorm: true, useDropout: true, dropoutRatio: 0.3,
      weightDecayLambda: 0.05, dtype: "float64", seed: 3,
    });
    const { x, t } = batch(20, 5);
    const before = net.buffers!.all().clone();
    const diffs = checkGradients(net, x, t);
    expect(Object.keys(diffs)).toEqual(["W1", "b1", "W2", "b2", "W3", "b3", "gamma1", "beta1", "gamma2", "beta2"]);
    // gradient's own forward moved the running statistics once; the thousands of probes did not
    const after = net.buffers!.all();
    expect(Array.from(after.data)).not.toEqual(Array.from(before.data));
    const once = new MultiLayerNetExtend({ inputSize: 784, hiddenSizeList: [12, 10], outputSize: 10, useBatchnorm: true, useDropout: true, dropoutRatio: 0.3, weightDecayLambda: 0.05, dtype: "float64", seed: 3 });
    once.gradient(x, t);
    expect(Array.from(after.data)).toEqual(Array.from(once.buffers!.all().data));
    // the dropout masks really dropped units in this check
    const mask = (net.layers.Dropout1 as unknown as { mask: Tensor }).mask;
    expect(Array.from(mask.data).filter((v) => v === 0).length).toBeGreaterThan(0);
  });
});

describe("MultiLayerNetExtend behaviour", () => {
  const options = { inputSize: 784, hiddenSizeList: [20, 20], outputSize: 10, useBatchnorm: true, useDropout: true, seed: 5 } as const;

  it("has the book's public shape", () => {
    const net = new MultiLayerNetExtend(options);
    expect(Object.keys(net.layers)).toEqual([
      "Affine1", "BatchNorm1", "ActivationFunction1", "Dropout1",
      "Affine2", "BatchNorm2", "ActivationFunction2", "Dropout2", "Affine3",
    ]);
    expect(Object.keys(net.params)).toEqual(["W1", "b1", "W2", "b2", "W3", "b3", "gamma1", "beta1", "gamma2", "beta2"]);
    expect(Array.from(net.params.gamma1.data).every((v) => v === 1)).toBe(true);
    expect(Object.keys(net.buffers!.tensors)).toEqual(["runningMean1", "runningVar1", "runningMean2", "runningVar2"]);
    // running statistics are not trainable: the gradient block holds exactly the params
    expect(net.gradBlock.length).toBe(net.paramBlock.length);
    expect(Object.keys(net.gradBlock.tensors)).toEqual(Object.keys(net.params));
  });

  it("inference is deterministic; training mode draws new masks", () => {
    const net = new MultiLayerNetExtend(options);
    const x = batch(0, 8).x.clone("float32");
    net.predict(x, true); // give the running statistics something
    const a = Array.from(net.predict(x).data), b = Array.from(net.predict(x, false).data);
    expect(a).toEqual(b);
    const t1 = Array.from(net.predict(x, true).data), t2 = Array.from(net.predict(x, true).data);
    expect(t1).not.toEqual(t2);
  });

  it("loss adds 0.5·λ·ΣW² to the cross-entropy", () => {
    const lambda = 0.3;
    const net = new MultiLayerNet({ inputSize: 784, hiddenSizeList: [16], outputSize: 10, weightDecayLambda: lambda, seed: 8, dtype: "float64" });
    const { x, t } = batch(0, 4);
    const total = net.loss(x, t);
    let decay = 0;
    for (const k of ["W1", "W2"]) {
      let s = 0;
      for (const v of net.params[k].data) s += v * v;
      decay += 0.5 * lambda * s;
    }
    expect(decay).toBeGreaterThan(0.1);
    expect(Math.abs(total - ((net.lastLayer.loss as number) + decay))).toBeLessThan(1e-12);
  });

  it("trains through updateBlock (the trainer's path): Adam lowers the loss on a fixed batch", () => {
    const net = new MultiLayerNetExtend({ ...options, dropoutRatio: 0.1 });
    const { x, t } = batch(100, 64);
    const x32 = x.clone("float32");
    const opt = new Adam(0.01);
    const first = net.loss(x32, t);
    for (let i = 0; i < 30; i++) {
      net.gradient(x32, t);
      opt.updateBlock(net.paramBlock, net.gradBlock);
    }
    expect(net.loss(x32, t)).toBeLessThan(first * 0.5);
    expect(net.accuracy(x32, t)).toBeGreaterThan(0.8);
  });

  it("saves and loads params and running statistics bit for bit", () => {
    const net = new MultiLayerNetExtend({ ...options, weightDecayLambda: 0.01, dropoutRatio: 0.2 });
    const { x } = batch(0, 16);
    net.predict(x.clone("float32"), true);
    const bytes = serializeModel(net);
    const back = deserializeModel(bytes) as MultiLayerNetExtend;
    expect(back).toBeInstanceOf(MultiLayerNetExtend);
    expect([back.hiddenSizeList, back.useBatchnorm, back.useDropout, back.dropoutRatio, back.weightDecayLambda]).toEqual([[20, 20], true, true, 0.2, 0.01]);
    expect(Array.from(back.paramBlock.all().data)).toEqual(Array.from(net.paramBlock.all().data));
    expect(Array.from(back.buffers!.all().data)).toEqual(Array.from(net.buffers!.all().data));
    expect(Array.from(back.buffers!.tensors.runningVar2.data).some((v) => v !== 0)).toBe(true);
    const x32 = x.clone("float32");
    expect(Array.from(back.predict(x32).data)).toEqual(Array.from(net.predict(x32).data));

    const plain = new MultiLayerNet({ inputSize: 784, hiddenSizeList: [5], outputSize: 10, activation: "sigmoid", seed: 2 });
    const plainBack = deserializeModel(serializeModel(plain)) as MultiLayerNet;
    expect(plainBack).toBeInstanceOf(MultiLayerNet);
    expect(plainBack.activation).toBe("sigmoid");
    expect(Array.from(plainBack.paramBlock.all().data)).toEqual(Array.from(plain.paramBlock.all().data));
  });

  it("refuses a file whose config does not match its tensors, before allocating the net", () => {
    const net = new MultiLayerNetExtend({ inputSize: 784, hiddenSizeList: [8], outputSize: 10, useBatchnorm: true });
    const file = decodeSafetensors(serializeModel(net));
    const config = JSON.parse(file.metadata.config);
    const forge = (patch: object): Uint8Array => encodeSafetensors(file.tensors, { ...file.metadata, config: JSON.stringify({ ...config, ...patch }) });
    const before = getCore().memory.buffer.byteLength;
    expect(() => deserializeModel(forge({ hiddenSizeList: [1_000_000] }), "big.safetensors")).toThrow(/big\.safetensors: config .* does not match the file's tensors: W1 would be \[784, 1000000\], the file has \[784, 8\]/);
    expect(getCore().memory.buffer.byteLength).toBe(before); // nothing was allocated for the bogus net
    expect(() => deserializeModel(forge({ hiddenSizeList: "8" }), "odd.safetensors")).toThrow(/config hiddenSizeList must be an array of positive integers/);
    expect(() => deserializeModel(forge({ useBatchnorm: false }), "nobn.safetensors")).toThrow(/unexpected tensor gamma1/);
  });

  it("names bad options", () => {
    expect(() => new MultiLayerNet({ inputSize: 784, hiddenSizeList: [10, 0], outputSize: 10 })).toThrow(/MultiLayerNet: hiddenSizeList\[1\] must be a positive integer, got 0/);
    expect(() => new MultiLayerNet({ inputSize: 784, hiddenSizeList: [10], outputSize: 10, useBatchnorm: true } as never)).toThrow(/option 'useBatchnorm' belongs to MultiLayerNetExtend/);
    expect(() => new MultiLayerNetExtend({ ...options, dropoutRatio: 1 })).toThrow(/Dropout: dropoutRatio must be a number in \[0, 1\)/);
    expect(() => new MultiLayerNetExtend({ ...options, weightDecayLambda: -1 })).toThrow(/MultiLayerNetExtend: weightDecayLambda must be a finite number ≥ 0/);
    expect(() => new MultiLayerNetExtend({ ...options, weightInitStd: "lecun" as never })).toThrow(/MultiLayerNetExtend: weightInitStd must be/);
    const net = new MultiLayerNet({ inputSize: 784, hiddenSizeList: [10], outputSize: 10 });
    expect(() => net.predict(Tensor.zeros([2, 784], "float64"))).toThrow(/MultiLayerNet\.predict: x is float64 but the net is float32/);
  });
});
