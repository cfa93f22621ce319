// Fuzz families: the nets (constructors, every method, disposal), ParamBlock and the
// optimizers. TwoLayerNet's loss and gradient are compared with the float64 reference net;
// optimizer updates with the reference updates.
import * as sn from "../../../src/index.node.js";
import { ReferenceTwoLayerNet, sgdUpdate } from "../../../src/reference/index.js";
import { referenceAdaGrad, referenceAdam, referenceMomentum, referenceNesterov, referenceRMSprop } from "../../../src/reference/optimizers.js";
import type { Gen } from "./gen.js";
import { expectClose, expectTrue } from "./check.js";
import type { Family } from "./families-tensor.js";

type Net = sn.TwoLayerNet | sn.MultiLayerNet | sn.MultiLayerNetExtend | sn.SimpleConvNet;

/** Calls one method of `net` with (maybe junk) arguments; `x`/`t` are a valid batch for it. */
function exercise(g: Gen, p: number, net: Net, x: sn.Tensor, t: number[]): void {
  const xa = g.maybe(x, p) as sn.Tensor, ta = g.maybe(t, p) as number[];
  switch (g.int(0, 4)) {
    case 0: expectTrue(net.predict(xa).shape[0] === x.shape[0] || g.mutated, "predict rows"); break;
    case 1: expectTrue(Number.isFinite(net.loss(xa, ta)), "finite loss"); break;
    case 2: { const a = net.accuracy(xa, ta); expectTrue(a >= 0 && a <= 1, "accuracy in [0, 1]"); break; }
    case 3: net.gradient(xa, ta); break;
    case 4: if (x.size <= 20 && net.paramBlock.length <= 200) net.numericalGradient(xa, ta); break;
  }
}

export const netFamilies: Family[] = [
  { name: "TwoLayerNet vs the float64 reference net", run(g, p) {
    const D = g.dim(), H = g.dim(), C = g.dim() + 1, N = g.dim(), dtype = g.dtype();
    const options = { inputSize: g.maybe(D, p), hiddenSize: g.maybe(H, p), outputSize: g.maybe(C, p), dtype: g.maybe(dtype, p), seed: g.maybe(g.int(0, 99), p), weightInitStd: g.maybe(0.5, p), activation: g.maybe("relu", p) };
    using net = g.bool(0.8) ? new sn.TwoLayerNet(options as sn.TwoLayerNetOptions) : new sn.TwoLayerNet(options.inputSize as number, options.hiddenSize as number, options.outputSize as number, options.weightInitStd as number, g.maybe({ dtype }, p) as never);
    const x = g.tensor([N, D], net.dtype), t = g.labels(N, C);
    if (g.bool(0.3)) { exercise(g, p, net, x, t); return; }
    const P = net.params;
    const refNet = new ReferenceTwoLayerNet(D, H, C, N, { W1: Float64Array.from(P.W1.data), b1: Float64Array.from(P.b1.data), W2: Float64Array.from(P.W2.data), b2: Float64Array.from(P.b2.data) });
    net.fused = g.bool();
    const grads = net.gradient(x, t);
    const refLoss = refNet.gradient(Float64Array.from(x.data), t);
    if (!g.mutated) expectClose([net.lastLayer.loss as number], [refLoss], net.dtype, "TwoLayerNet loss", 50);
    if (!g.mutated) for (const key of ["W1", "b1", "W2", "b2"] as const) expectClose(grads[key].data, refNet.grads[key], net.dtype, `d${key}`, 100 * (D + H + N));
  } },
  { name: "MultiLayerNet / MultiLayerNetExtend", run(g, p) {
    const D = g.dim(), C = g.dim() + 1, N = g.dim() + 1;
    const options = {
      inputSize: g.maybe(D, p), hiddenSizeList: g.maybe(Array.from({ length: g.int(0, 3) }, () => g.dim()), p), outputSize: g.maybe(C, p),
      activation: g.maybe(g.pick(["relu", "sigmoid"]), p), weightInitStd: g.maybe(g.pick(["he", "xavier", 0.1]), p),
      weightDecayLambda: g.maybe(g.pick([0, 0.1]), p), dtype: g.maybe(g.dtype(), p), seed: g.maybe(g.int(0, 9), p),
    };
    const extend = g.bool();
    using net = extend
      ? new sn.MultiLayerNetExtend({ ...options, useBatchnorm: g.maybe(g.bool(), p), useDropout: g.maybe(g.bool(), p), dropoutRatio: g.maybe(0.3, p) } as never)
      : new sn.MultiLayerNet(options as never);
    exercise(g, p, net, g.tensor([N, D], net.dtype), g.labels(N, C));
    if (g.bool()) expectTrue(Number.isFinite(net.weightDecay()), "finite weight decay");
  } },
  { name: "SimpleConvNet", run(g, p) {
    const side = g.pick([4, 6, 8]), C = g.dim(2), classes = g.dim(3) + 1, N = g.dim(3);
    const options = {
      inputDim: g.maybe([C, side, side], p), convParam: g.maybe({ filterNum: g.dim(3), filterSize: g.pick([1, 3]), pad: g.int(0, 1), stride: 1 }, p),
      hiddenSize: g.maybe(g.dim(), p), outputSize: g.maybe(classes, p), dtype: g.maybe(g.dtype(), p), seed: g.maybe(1, p), weightInitStd: g.maybe(0.1, p),
    };
    using net = new sn.SimpleConvNet(g.maybe(options, p / 2) as never);
    const x = g.tensor(g.bool() ? [N, C, side, side] : [N, C * side * side], net.dtype);
    exercise(g, p, net, x, g.labels(N, classes));
  } },
  { name: "SimpleNet", run(g, p) {
    const net = new sn.SimpleNet(g.maybe({ dtype: g.dtype(), seed: g.int(0, 5), W: g.maybe(g.tensor([2, 3], "float64"), p) }, p) as never);
    const loss = net.loss(g.maybe(g.tensor([2], net.W.dtype), p) as sn.Tensor, g.maybe([g.int(0, 2)], p) as number[]);
    expectTrue(Number.isFinite(loss), "finite loss");
  } },
  { name: "disposed nets", run(g) {
    const net = g.pick([() => new sn.TwoLayerNet(3, 2, 2), () => new sn.MultiLayerNet({ inputSize: 3, hiddenSizeList: [2], outputSize: 2 })])();
    const x = sn.Tensor.from([[1, 2, 3]]);
    const before = g.bool() ? net.predict(x) : net.params.W1;
    net[Symbol.dispose]();
    switch (g.int(0, 3)) {
      case 0: net.loss(x, [1]); break;
      case 1: void before.data; break;
      case 2: new sn.SGD(0.1).updateBlock(net.paramBlock, net.gradBlock); break;
      case 3: sn.serializeModel(net); break;
    }
  } },
  { name: "ParamBlock", run(g, p) {
    const spec = g.maybe([["a", [g.dim(), g.dim()]], ["b", [g.dim()]]], p) as sn.ParamSpec;
    using block = new sn.ParamBlock(spec, g.maybe(g.dtype(), p));
    expectTrue(block.all().data.every((v) => v === 0), "zeroed");
  } },
  { name: "optimizers: update / updateBlock vs the reference updates", run(g, p) {
    const name = g.pick(["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"] as const);
    const lr = g.maybe(g.pick([0.01, 0.1, 0.5]), p) as number;
    const opt = g.bool(0.7)
      ? sn.createOptimizer(g.maybe(name, p) as string, g.maybe({ lr }, p / 2) as never)
      : new ({ sgd: sn.SGD, momentum: sn.Momentum, nesterov: sn.Nesterov, adagrad: sn.AdaGrad, rmsprop: sn.RMSprop, adam: sn.Adam }[name])(lr, g.maybe(0.9, p) as number);
    using net = new sn.TwoLayerNet(g.dim(), g.dim(), g.dim() + 1, 0.3, { dtype: g.dtype(), seed: 1 });
    net.gradient(g.tensor([2, net.inputSize], net.dtype), g.labels(2, net.outputSize));
    const before = Float64Array.from(net.paramBlock.all().data), grad = Float64Array.from(net.gradBlock.all().data);
    try {
      if (g.bool()) opt.updateBlock(g.maybe(net.paramBlock, p), g.maybe(net.gradBlock, p));
      else opt.update(g.maybe({ ...net.params }, p), g.maybe({ ...net.gradBlock.tensors }, p));
      const expected = Float64Array.from(before);
      const o = opt as unknown as { lr: number; momentum: number; decayRate: number; beta1: number; beta2: number };
      const P = { all: expected }, G = { all: grad };
      const step = {
        SGD: () => sgdUpdate(expected, grad, o.lr, expected.length),
        Momentum: () => referenceMomentum(o.lr, o.momentum)(P, G),
        Nesterov: () => referenceNesterov(o.lr, o.momentum)(P, G),
        AdaGrad: () => referenceAdaGrad(o.lr)(P, G),
        RMSprop: () => referenceRMSprop(o.lr, o.decayRate)(P, G),
        Adam: () => referenceAdam(o.lr, o.beta1, o.beta2)(P, G),
      }[opt.name as "SGD"];
      step();
      if (!g.mutated) expectClose(net.paramBlock.all().data, expected, net.dtype, `${opt.name} update`, 10);
    } finally {
      opt.dispose?.();
    }
  } },
];
