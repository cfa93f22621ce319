import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { Bench } from "tinybench";
import * as sn from "../dist/index.node.js";
await sn.init();
const dir = process.env.FASH ? "/usr/share/datasets/fashion-mnist/" : "/work/shared/data/mnist/";
const images = sn.parseIdx(gunzipSync(readFileSync(dir + "t10k-images-idx3-ubyte.gz")), "i", 3).data;
const B = 100, D = 784, H = 50;
const k = sn.getCore().kernels("float32");
const x = sn.Tensor.zeros([B, D], "float32"), xd = sn.Tensor.zeros([B, D], "float32");
const W = sn.Tensor.zeros([D, H], "float32"), b = sn.Tensor.zeros([H], "float32"), h = sn.Tensor.zeros([B, H], "float32");
const z = sn.Tensor.zeros([B, D], "float32");
const dW = sn.Tensor.zeros([D, H], "float32"); const big = sn.Tensor.zeros([4900, 50], "float32");
const mem = () => new Float32Array(sn.getCore().memory.buffer);
let s = 1; const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647 - 0.5;
{ const m = mem(); for (let i = 0; i < B * D; i++) { m[x.ptr / 4 + i] = images[i] / 255; m[xd.ptr / 4 + i] = rnd(); }
  for (let i = 0; i < D * H; i++) m[W.ptr / 4 + i] = rnd() * 0.02; for (let i = 0; i < B*H; i++) m[h.ptr/4+i] = rnd(); }
let nz = 0; for (let i = 0; i < B * D; i++) nz += images[i] !== 0; console.log("density", nz / (B * D));
const raw = sn.getCore().exports;
const tasks = {
 "xW auto": () => k.gemmAB(h.ptr, x.ptr, W.ptr, b.ptr, B, H, D, D, 1),
 "xW rows dense": () => raw.tmpRows(h.ptr, x.ptr, W.ptr, b.ptr, H, D, D, 1, 0, B, false),
 "forced sparse": () => raw.tmpSparse(h.ptr, x.ptr, W.ptr, b.ptr, H, D, D, 1, 0, B),
 "forced sparse dense x": () => raw.tmpSparse(h.ptr, xd.ptr, W.ptr, b.ptr, H, D, D, 1, 0, B),
 "xW rows dense N=48": () => raw.tmpRows(h.ptr, x.ptr, W.ptr, b.ptr, 48, D, D, 1, 0, B, false),
 "xTdH auto": () => k.gemmAB(dW.ptr, x.ptr, h.ptr, 0, D, H, B, 1, D),
 "xTdH forced sparse": () => raw.tmpSparse(dW.ptr, x.ptr, h.ptr, 0, H, B, 1, D, 0, D),
 "xTdH rows dense": () => raw.tmpRows(dW.ptr, x.ptr, h.ptr, 0, H, B, 1, D, 0, D, false),
};
const best = {};
for (let round = 0; round < 40; round++) for (const [name, fn] of Object.entries(tasks)) {
  const t0 = performance.now(); for (let r = 0; r < 50; r++) fn(); const dt = (performance.now() - t0) / 50;
  best[name] = Math.min(best[name] ?? Infinity, dt);
}
for (const [n, v] of Object.entries(best)) console.log(n.padEnd(16), v.toFixed(4));
