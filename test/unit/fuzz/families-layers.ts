// Fuzz families: the layer classes (standalone, user-made), im2col/col2im. Successes are
// compared with the plain float64 reference kernels.
import * as sn from "../../../src/index.node.js";
import * as ref from "../../../src/reference/index.js";
import * as conv from "../../../src/reference/index.js";
import { expectClose, expectTrue } from "./check.js";
import type { Family } from "./families-tensor.js";

const f64 = (t: sn.Tensor): Float64Array => Float64Array.from(t.data);

export const layerFamilies: Family[] = [
  { name: "Affine forward/backward", run(g, p) {
    const N = g.dim(), D = g.dim(), H = g.dim(), dtype = g.dtype();
    const W = g.tensor([D, H], dtype), b = g.tensor([H], dtype), x = g.tensor([N, D], dtype), dout = g.tensor([N, H], dtype);
    const layer = new sn.Affine(g.maybe(W, p) as sn.Tensor, g.maybe(b, p) as sn.Tensor, g.bool(0.9) ? undefined : (g.any() as never));
    const y = layer.forward(g.maybe(x, p) as sn.Tensor);
    const e = new Float64Array(N * H);
    ref.gemmAB(e, f64(x), f64(W), f64(b), N, H, D);
    if (!g.mutated) expectClose(y.data, e, dtype, "Affine.forward", 10 * D);
    const dx = layer.backward(g.maybe(dout, p) as sn.Tensor);
    const edx = new Float64Array(N * D), edW = new Float64Array(D * H);
    ref.gemmABt(edx, f64(dout), f64(W), N, D, H);
    ref.gemmAtB(edW, f64(x), f64(dout), D, H, N);
    if (!g.mutated) expectClose(dx.data, edx, dtype, "Affine dx", 10 * H);
    if (!g.mutated) expectClose(layer.dW.data, edW, dtype, "Affine dW", 10 * N);
  } },
  { name: "Relu / Sigmoid / SoftmaxWithLoss", run(g, p) {
    const N = g.dim(), C = g.dim() + 1, dtype = g.dtype();
    const x = g.tensor([N, C], dtype), xs = f64(x);
    const act = g.bool() ? new sn.Relu() : new sn.Sigmoid();
    const y = act.forward(g.maybe(x, p) as sn.Tensor);
    const e = new Float64Array(N * C);
    if (act instanceof sn.Relu) ref.reluForward(e, xs, e.length);
    else ref.sigmoidForward(e, xs, e.length);
    if (!g.mutated) expectClose(y.data, e, dtype, "activation forward", 4);
    const last = new sn.SoftmaxWithLoss();
    const labels = g.labels(N, C);
    const loss = last.forward(g.maybe(y, p) as sn.Tensor, g.maybe(g.bool() ? labels : Int32Array.from(labels), p) as number[]);
    const probs = new Float64Array(N * C);
    ref.softmaxRows(probs, f64(y), N, C);
    if (!g.mutated) expectClose([loss], [ref.crossEntropyLabels(probs, Int32Array.from(labels), N, C)], dtype, "loss", 10);
    const d = last.backward(g.maybe(1, p) as number);
    act.backward(g.maybe(d, p) as sn.Tensor);
  } },
  { name: "BatchNormalization", run(g, p) {
    const N = g.dim() + 1, D = g.dim(), dtype = g.dtype();
    const gamma = g.tensor([D], dtype), beta = g.tensor([D], dtype);
    const bn = new sn.BatchNormalization(g.maybe(gamma, p) as sn.Tensor, g.maybe(beta, p) as sn.Tensor, g.maybe({ momentum: 0.9 }, p / 2) as never);
    const x = g.tensor([N, D], dtype);
    const train = g.maybe(true, p) as boolean;
    const y = bn.forward(g.maybe(x, p) as sn.Tensor, train);
    expectTrue(y.data.every(Number.isFinite) || f64(x).some((v, i, a) => a.filter((_w, j) => j % D === i % D).every((w) => w === v)), "finite output");
    bn.backward(g.maybe(g.tensor([N, D], dtype), p) as sn.Tensor);
  } },
  { name: "Dropout", run(g, p) {
    const x = g.tensor([g.dim(), g.dim()]);
    const d = new sn.Dropout(g.maybe(0.4, p) as number, g.maybe({ seed: g.int(0, 9) }, p / 2) as never);
    if (g.bool(0.2)) d.freezeMask = g.any() as boolean;
    const y = d.forward(g.maybe(x, p) as sn.Tensor, g.maybe(g.bool(), p) as boolean);
    if (!g.mutated) expectTrue(y.size === x.size, "same size");
    d.backward(g.maybe(g.tensor([...x.shape], x.dtype), p) as sn.Tensor);
  } },
  { name: "Convolution / Pooling", run(g, p) {
    const dtype = g.dtype();
    const geom = { N: g.dim(2), C: g.dim(2), H: g.int(3, 7), W: g.int(3, 7), FH: g.int(1, 3), FW: g.int(1, 3), stride: g.int(1, 2), pad: g.int(0, 1) };
    const FN = g.dim(3);
    const x = g.tensor([geom.N, geom.C, geom.H, geom.W], dtype), W = g.tensor([FN, geom.C, geom.FH, geom.FW], dtype), b = g.tensor([FN], dtype);
    const layer = new sn.Convolution(g.maybe(W, p) as sn.Tensor, g.maybe(b, p) as sn.Tensor, g.maybe(geom.stride, p) as number, g.maybe(geom.pad, p) as number);
    const y = layer.forward(g.maybe(x, p) as sn.Tensor);
    const { OH, OW } = conv.convOutSize(geom);
    const e = new Float64Array(geom.N * FN * OH * OW);
    conv.convForward(e, f64(x), f64(W), f64(b), FN, geom);
    if (!g.mutated) expectClose(y.data, e, dtype, "Convolution.forward", 20 * geom.C * geom.FH * geom.FW);
    layer.backward(g.maybe(g.tensor([...y.shape], dtype), p) as sn.Tensor);
    const pool = new sn.Pooling(g.maybe(g.int(1, 2), p) as number, g.maybe(g.int(1, 2), p) as number, g.maybe(g.int(1, 2), p) as number, g.maybe(0, p) as number);
    const py = pool.forward(g.maybe(y, p) as sn.Tensor);
    pool.backward(g.maybe(g.tensor([...py.shape], dtype), p) as sn.Tensor);
    expectTrue(pool.argMax !== null, "argMax after forward");
  } },
  { name: "im2col / col2im", run(g, p) {
    const dtype = g.dtype();
    const geom = { N: g.dim(2), C: g.dim(2), H: g.int(2, 6), W: g.int(2, 6), FH: g.int(1, 2), FW: g.int(1, 2), stride: 1, pad: g.int(0, 1) };
    const x = g.tensor([geom.N, geom.C, geom.H, geom.W], dtype);
    const col = sn.im2col(g.maybe(x, p) as sn.Tensor, g.maybe(geom.FH, p) as number, g.maybe(geom.FW, p) as number, geom.stride, g.maybe(geom.pad, p) as number);
    const e = new Float64Array(col.size);
    conv.im2col(e, f64(x), geom);
    if (!g.mutated) expectClose(col.data, e, dtype, "im2col");
    const back = sn.col2im(g.maybe(col, p) as sn.Tensor, g.maybe([geom.N, geom.C, geom.H, geom.W], p) as number[], geom.FH, geom.FW, geom.stride, geom.pad);
    const eb = new Float64Array(x.size);
    conv.col2im(eb, e, geom);
    if (!g.mutated) expectClose(back.data, eb, dtype, "col2im", 10);
  } },
];
