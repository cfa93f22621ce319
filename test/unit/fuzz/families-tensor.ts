// Fuzz families: Tensor, Rng, the book's functions (ch. 3–4), numerical differentiation, the
// scalar layers, initial scales, smoothing, ticks and figures. Each picks arguments (valid, or
// with some replaced by junk), calls the API, and checks a success against a float64 reference.
import * as sn from "../../../src/index.node.js";
import * as ref from "../../../src/reference/index.js";
import type { Gen } from "./gen.js";
import { UserThrow } from "./gen.js";
import { expectClose, expectTrue, rounded } from "./check.js";

export interface Family { name: string; run(g: Gen, p: number): unknown }

const METHODS = ["reshape", "clone", "get", "set", "toArray", "toString"] as const;

export const tensorFamilies: Family[] = [
  { name: "Tensor.from", run(g, p) {
    const dtype = g.dtype();
    const shape = Array.from({ length: g.int(0, 3) }, () => g.dim());
    const n = shape.reduce((a, b) => a * b, 1);
    const values = g.values(n);
    const data = g.maybe(g.bool() ? values : (g.bool() ? Array.from(values) : sn.Tensor.from(values)), p);
    const t = sn.Tensor.from(data as sn.TensorData, g.maybe(shape, p), g.maybe(dtype, p));
    expectTrue(t.size === t.shape.reduce((a, b) => a * b, 1), "size = product of shape");
    if (data === values) expectClose(t.data, rounded(values, t.dtype), t.dtype, "Tensor.from values");
  } },
  { name: "Tensor.zeros", run(g, p) {
    const shape = g.maybe(Array.from({ length: g.int(0, 4) }, () => g.dim()), p);
    const t = sn.Tensor.zeros(shape, g.maybe(g.dtype(), p));
    expectTrue(t.data.every((v) => v === 0), "zeros are zero");
  } },
  { name: "Tensor methods", run(g, p) {
    const shape = [g.dim(), g.dim()];
    const t = g.bool(0.1) ? (g.forgedTensor() as sn.Tensor) : g.tensor(shape);
    const m = g.pick(METHODS);
    const before = Float64Array.from(sn.Tensor.prototype.clone.call(t).data);
    switch (m) {
      case "reshape": {
        const dims = g.maybe(g.bool() ? [-1] : [shape[1], shape[0]], p);
        const r = Array.isArray(dims) ? t.reshape(...(dims as number[])) : t.reshape(dims as never);
        if (!g.mutated) expectClose(r.data, before, "float64", "reshape keeps values");
        break;
      }
      case "clone": { const c = t.clone(g.maybe(g.dtype(), p)); expectClose(c.data, rounded(before, c.dtype), "float64", "clone"); break; }
      case "get": {
        const i = [g.int(0, shape[0] - 1), g.int(0, shape[1] - 1)];
        const idx = g.maybe(i, p);
        const v = Array.isArray(idx) ? t.get(...(idx as number[])) : t.get(idx as number);
        expectTrue(v === t.data[i[0] * shape[1] + i[1]] || Number.isNaN(v) === false, "get");
        break;
      }
      case "set": { const idx = g.maybe([0, 0], p); t.set(g.maybe(1.5, p) as number, ...(Array.isArray(idx) ? (idx as number[]) : [idx as number])); break; }
      case "toArray": expectTrue(Array.isArray(t.toArray()), "toArray"); break;
      case "toString": expectTrue(t.toString().startsWith("Tensor("), "toString"); break;
    }
  } },
  { name: "Tensor forged receivers and read-only fields", run(g) {
    const target = g.any();
    const name = g.pick(["shape", "size", "dtype", "ndim", "data"]);
    if (g.bool()) {
      const getter = Object.getOwnPropertyDescriptor(sn.Tensor.prototype, name)?.get as (this: unknown) => unknown;
      getter.call(target);
      // biome-ignore lint/suspicious/noDuplicateElseIf: each g.bool() is a fresh draw
    } else if (g.bool()) {
      (sn.Tensor.prototype[g.pick(METHODS)] as (this: unknown, ...a: unknown[]) => unknown).call(target, g.any(), g.any());
    } else {
      (g.tensor([2]) as unknown as Record<string, unknown>)[name] = g.any(); // refused with a named error
    }
  } },
  { name: "asTensor / assertFinite", run(g, p) {
    const t = sn.asTensor(g.maybe(Array.from(g.values(3)), p) as sn.TensorData, g.maybe(g.dtype(), p));
    sn.assertFinite(g.maybe(t, p), g.maybe("fuzz", p), g.maybe("x", p));
  } },
  { name: "Rng", run(g, p) {
    const rng = new sn.Rng(g.maybe(g.int(0, 1000), p));
    const t = g.tensor([g.dim(), g.dim()]);
    switch (g.int(0, 3)) {
      case 0: { const u = rng.uniform(); expectTrue(u >= 0 && u < 1, "uniform in [0, 1)"); break; }
      case 1: rng.fillNormal(g.maybe(t, p), g.maybe(0.5, p)); expectTrue(g.mutated || t.data.every(Number.isFinite), "normals finite"); break;
      case 2: rng.fillKeepMask(g.maybe(t, p), g.maybe(0.3, p)); expectTrue(g.mutated || t.data.every((v) => v === 0 || v === 1), "mask of 0/1"); break;
      case 3: {
        const range = g.maybe(g.int(1, 50), p), n = g.maybe(g.int(0, 20), p);
        const c = rng.choice(range, n);
        expectTrue(c.length === n && c.every((v) => v >= 0 && v < range), "choice in range");
      }
    }
  } },
  { name: "sigmoid / relu / stepFunction / softmax", run(g, p) {
    const N = g.dim(), C = g.dim();
    const x = g.tensor(g.bool() ? [N, C] : [C]);
    const xs = Float64Array.from(x.data);
    const arg = g.maybe(x, p) as sn.Tensor;
    const f = g.int(0, 3);
    const y = [sn.sigmoid, sn.relu, sn.stepFunction, sn.softmax][f](arg);
    if (arg !== x) return;
    const e = new Float64Array(xs.length);
    if (f === 0) ref.sigmoidForward(e, xs, xs.length);
    else if (f === 1) ref.reluForward(e, xs, xs.length);
    else if (f === 2) xs.forEach((v, i) => { e[i] = v > 0 ? 1 : 0; });
    else ref.softmaxRows(e, xs, x.ndim === 1 ? 1 : N, C);
    if (!g.mutated) expectClose(y.data, e, x.dtype, "activation", 4);
  } },
  { name: "dot", run(g, p) {
    const N = g.dim(), D = g.dim(), M = g.dim(), dtype = g.dtype();
    const a = g.tensor([N, D], dtype), b = g.tensor([D, M], dtype);
    const y = sn.dot(g.maybe(a, p) as sn.Tensor, g.maybe(b, p) as sn.Tensor);
    const e = new Float64Array(N * M);
    ref.gemmAB(e, Float64Array.from(a.data), Float64Array.from(b.data), null, N, M, D);
    if (!g.mutated) expectClose(y.data, e, dtype, "dot", 10 * D);
  } },
  { name: "crossEntropyError / accuracyOf / oneHot", run(g, p) {
    const N = g.dim(), C = g.dim() + 1, dtype = g.dtype();
    const y = sn.softmax(g.tensor([N, C], dtype));
    const labels = g.labels(N, C);
    const t = g.bool() ? labels : sn.oneHot(g.maybe(labels, p) as number[], g.maybe(C, p) as number, g.maybe(dtype, p));
    const ys = Float64Array.from(y.data);
    if (g.bool()) {
      const loss = sn.crossEntropyError(g.maybe(y, p) as sn.Tensor, g.maybe(t, p) as sn.Targets);
      if (!g.mutated) expectClose([loss], [ref.crossEntropyLabels(ys, Int32Array.from(labels), N, C)], dtype, "cross entropy", 10);
    } else {
      const acc = sn.accuracyOf(g.maybe(y, p) as sn.Tensor, g.maybe(t, p) as sn.Targets);
      if (!g.mutated) expectClose([acc], [ref.countCorrect(ys, Int32Array.from(labels), N, C) / N], "float64", "accuracy");
    }
  } },
  { name: "sumSquaredError / identityFunction", run(g, p) {
    const v = g.values(g.dim()), w = g.values(v.length);
    const e = 0.5 * v.reduce((s, x, i) => s + (x - w[i]) ** 2, 0);
    const got = sn.meanSquaredError(g.maybe(Array.from(v), p) as number[], g.maybe(Array.from(w), p) as number[]);
    if (!g.mutated) expectClose([got], [e], "float32", "sum of squares");
    expectTrue(sn.identityFunction(v) === v, "identity");
  } },
  { name: "numericalDiff / numericalGradient / gradientDescent", run(g, p) {
    const square = (x: number): number => x * x;
    const sumSq = (x: ArrayLike<number> | sn.Tensor): number => {
      const v = x instanceof sn.Tensor ? x.data : x;
      let s = 0;
      for (let i = 0; i < v.length; i++) s += v[i] * v[i];
      return s;
    };
    const f = g.maybe(g.bool(0.1) ? () => { throw new UserThrow("f"); } : sumSq, p);
    switch (g.int(0, 2)) {
      case 0: {
        const x = g.rand() * 4 - 2;
        const d = sn.numericalDiff(g.maybe(square, p) as typeof square, g.maybe(x, p));
        if (!g.mutated) expectClose([d], [2 * x], "float32", "numericalDiff", 100);
        break;
      }
      case 1: {
        const x = g.bool() ? Float64Array.from(g.values(g.dim())) : g.tensor([g.dim()], "float64");
        const grad = sn.numericalGradient(f as (x: unknown) => number, g.maybe(x, p) as Float64Array);
        if (!g.mutated) expectClose(grad instanceof sn.Tensor ? grad.data : grad, Array.from(x instanceof sn.Tensor ? x.data : x, (v) => 2 * v), "float32", "numericalGradient", 100);
        break;
      }
      case 2: sn.gradientDescent(f as (x: Float64Array) => number, g.maybe([1, -2], p) as number[], g.maybe(0.1, p), g.maybe(g.int(0, 20), p)); break;
    }
  } },
  { name: "MulLayer / AddLayer", run(g, p) {
    const a = g.rand() * 10, b = g.rand() * 10;
    const mul = new sn.MulLayer(), add = new sn.AddLayer();
    const x = g.maybe(a, p) as number, y = g.maybe(b, p) as number, dout = g.maybe(1, p) as number;
    const prod = mul.forward(x, y);
    const [dx, dy] = mul.backward(dout);
    expectTrue(Object.is(prod, x * y) && Object.is(dx, dout * y) && Object.is(dy, dout * x), "MulLayer forward/backward");
    expectTrue(Object.is(add.forward(x, b), x + b), "AddLayer.forward");
    add.backward(g.maybe(1, p) as number);
  } },
  { name: "weightInitScale / smoothCurve / kaiserWindow", run(g, p) {
    switch (g.int(0, 2)) {
      case 0: sn.weightInitScale(g.maybe(g.pick<sn.WeightInitStd>(["he", "xavier", 0.1, "ReLU"]), p), g.maybe(g.dim(), p) as number); break;
      case 1: { const x = g.maybe(Array.from(g.values(g.int(5, 40))), p) as number[]; expectTrue(sn.smoothCurve(x).length === x.length, "same length"); break; }
      case 2: { const w = sn.kaiserWindow(g.maybe(g.int(2, 30), p) as number, g.maybe(2, p) as number); expectTrue(w.every(Number.isFinite), "finite window"); break; }
    }
  } },
  { name: "niceTicks / lineChart / figures", run(g, p) {
    const min = g.maybe(g.rand() * 10, p) as number, max = g.maybe(10 + g.rand() * 100, p) as number;
    switch (g.int(0, 2)) {
      case 0: {
        const n = g.maybe(g.int(1, 12), p) as number;
        const t = sn.niceTicks(min, max, n, g.maybe(g.bool(), p) as boolean);
        expectTrue(t.values.length <= 2 * n + 3 && t.values.every((v, i) => i === 0 || v > t.values[i - 1]), "ticks ascending, bounded");
        break;
      }
      case 1: {
        const ys = Array.from(g.values(g.int(1, 20)));
        const series = g.maybe([{ label: g.maybe("loss", p), y: g.maybe(ys, p) }], p);
        const svg = sn.lineChart(g.maybe({ series, title: g.maybe("t", p), width: g.maybe(300, p), height: g.maybe(200, p), xDomain: g.maybe(undefined, p / 2) }, p) as never);
        expectTrue(svg.startsWith("<svg"), "an SVG");
        break;
      }
      case 2: {
        const losses = Array.from(g.values(g.int(1, 30)), Math.abs);
        const svg = g.bool() ? sn.lossFigure(g.maybe(losses, p) as number[]) : sn.accuracyFigure(g.maybe({ trainAccList: [0.1, 0.5], testAccList: [0.2, 0.4] }, p) as never);
        expectTrue(svg.startsWith("<svg"), "an SVG");
      }
    }
  } },
  { name: "ScratchnetError", run(g) {
    const e = new sn.ScratchnetError(g.any() as string, g.any() as string);
    expectTrue(e instanceof Error && e.name === "ScratchnetError", "an Error named ScratchnetError");
  } },
];
