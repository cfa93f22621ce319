// net.loadParams / net.saveParams on every net (issue 13 item 3): the book's pickle, .npz and
// safetensors, both ways; every check names the key and what was wrong, and a failed load leaves
// the net untouched; with python3 + numpy, the book's own load_params reads what saveParams wrote
// and computes the same logits, and an .npz numpy wrote loads bit for bit.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  DeepConvNet, MultiLayerNet, MultiLayerNetExtend, SimpleConvNet, Tensor, TwoLayerNet, accuracyOf, encodeNetParams,
  encodePickleParams, formatOfPath, NumpyArray, serializeModel, type ModelNet,
} from "../../../src/index.node.js";
import { getCore } from "../../../src/internal.js";
import { mnistRows, mnistTestSet } from "../../helpers/mnist.js";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const SAMPLE_WEIGHT = join(ROOT, "data-sample", "book", "sample_weight.pkl");
const hasNumpy = spawnSync("python3", ["-c", "import numpy"]).status === 0;
const dir = mkdtempSync(join(tmpdir(), "scratchnet-net-params-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Net = ModelNet & { loadParams: (s: string | Uint8Array, o?: object) => Promise<void>; saveParams: (t?: string, o?: object) => Promise<void>; predict: (x: Tensor) => Tensor };

/** Every net the issue names, small, in `dtype`; `seed` changes every value. */
const NETS: Record<string, (seed: number, dtype?: "float32" | "float64") => Net> = {
  TwoLayerNet: (seed, dtype = "float32") => new TwoLayerNet({ inputSize: 784, hiddenSize: 20, outputSize: 10, seed, dtype, weightInitStd: 0.1 }),
  MultiLayerNet: (seed, dtype = "float32") => new MultiLayerNet({ inputSize: 784, hiddenSizeList: [30, 20], outputSize: 10, activation: "sigmoid", seed, dtype }),
  MultiLayerNetExtend: (seed, dtype = "float32") => {
    const net = new MultiLayerNetExtend({ inputSize: 784, hiddenSizeList: [16, 12], outputSize: 10, useBatchnorm: true, useDropout: true, seed, dtype });
    net.gradient(Tensor.from(mnistRows(seed, 8).x, [8, 784], dtype), mnistRows(seed, 8).labels); // running statistics move
    const p = net.params; // gamma/beta away from 1/0, so a wrong copy would show
    for (const k of ["gamma1", "beta1", "gamma2", "beta2"]) for (let i = 0; i < p[k].size; i++) p[k].data[i] += 0.01 * (seed + 1) * ((i % 5) - 2);
    return net as unknown as Net;
  },
  SimpleConvNet: (seed, dtype = "float32") => new SimpleConvNet({ hiddenSize: 20, convParam: { filterNum: 6 }, seed, dtype, weightInitStd: 0.1 }) as unknown as Net,
  DeepConvNet: (seed, dtype = "float32") => new DeepConvNet({ hiddenSize: 20, seed, dtype }) as unknown as Net,
};

const x32 = Tensor.from(mnistRows(40, 12).x, [12, 784], "float32");
const stateBytes = (net: ModelNet): string => {
  const all = { ...net.params, ...((net as { buffers?: { tensors: Record<string, Tensor> } | null }).buffers?.tensors ?? {}) };
  return Object.entries(all).map(([k, t]) => `${k}:${createHash("sha256").update(t.data).digest("hex")}`).join(",");
};

describe.each(Object.keys(NETS))("%s.saveParams → loadParams", (name) => {
  it.each(["params.pkl", "params.npz", "params.safetensors", "noextension"])("%s: every value back bit for bit, same predictions", async (file) => {
    const net = NETS[name](1);
    const path = join(dir, `${name}-${file}`);
    await net.saveParams(path);
    const back = NETS[name](2);
    expect(stateBytes(back)).not.toBe(stateBytes(net));
    await back.loadParams(path);
    expect(stateBytes(back)).toBe(stateBytes(net));
    expect(Array.from(back.predict(x32).data)).toEqual(Array.from(net.predict(x32).data));
    // and from bytes, as a browser would pass them
    const third = NETS[name](3);
    await third.loadParams(readFileSync(path));
    expect(stateBytes(third)).toBe(stateBytes(net));
  });

  it("the pickle is the book's layout: a dict of the params by their book names (plus BatchNorm's running statistics)", async () => {
    const net = NETS[name](1);
    const path = join(dir, `${name}-layout.pkl`);
    await net.saveParams(path);
    const bytes = readFileSync(path);
    expect(bytes[0]).toBe(0x80);
    expect(bytes[1]).toBe(3); // protocol 3, as sample_weight.pkl
    const want = encodePickleParams(name === "MultiLayerNetExtend" ? { ...net.params, ...(net as unknown as MultiLayerNetExtend).buffers!.tensors } : net.params);
    expect(Buffer.from(bytes).equals(Buffer.from(want))).toBe(true);
  });
});

describe("saveParams chooses the format from the extension or the option", () => {
  it("by extension, the option winning; unknown extensions are refused", async () => {
    const net = NETS.TwoLayerNet(0);
    expect(["a/params.pkl", "x.PICKLE", "m.npz", "m.safetensors", "params", "dir.v2/params"].map((p) => formatOfPath(p)))
      .toEqual(["pickle", "pickle", "npz", "safetensors", "pickle", "pickle"]);
    const path = join(dir, "weights.bin");
    await expect(net.saveParams(path)).rejects.toThrow("TwoLayerNet.saveParams: cannot tell the format from the extension .bin of");
    await net.saveParams(path, { format: "npz" });
    expect(readFileSync(path).subarray(0, 2).toString()).toBe("PK");
    await net.saveParams(join(dir, "forced.pkl"), { format: "safetensors" });
    expect(Buffer.from(readFileSync(join(dir, "forced.pkl"))).equals(Buffer.from(serializeModel(net)))).toBe(true);
    await net.saveParams(join(dir, "c.npz"), { compress: true });
    expect(readFileSync(join(dir, "c.npz")).byteLength).toBeLessThan(readFileSync(path).byteLength);
    await expect(net.saveParams(join(dir, "x.pkl"), { format: "hdf5" as never })).rejects.toThrow("TwoLayerNet.saveParams: format must be 'pickle', 'npz' or 'safetensors', got \"hdf5\"");
    await expect(net.saveParams(join(dir, "missing-dir", "p.pkl"))).rejects.toThrow(/TwoLayerNet\.saveParams: .*missing-dir/);
    expect((await encodeNetParams(net))[0]).toBe(0x80); // bytes without a file: the pickle by default
  });
});

describe("loadParams checks everything before it writes anything", () => {
  const net = new SimpleConvNet({ hiddenSize: 20, convParam: { filterNum: 6 }, seed: 5 });
  const good = (): Record<string, Tensor> => Object.fromEntries(Object.entries(net.params).map(([k, t]) => [k, t.clone()]));
  const before = stateBytes(net);
  const load = (params: Record<string, Tensor | NumpyArray>, options?: object): Promise<void> => net.loadParams(encodePickleParams(params), { name: "bad.pkl", ...options });

  it.each([
    ["a missing key", () => { const p = good(); delete (p as Record<string, unknown>).b2; return p; }, "bad.pkl: b2 is missing (the file has W1, b1, W2, W3, b3; the net needs W1, b1, W2, b2, W3, b3)"],
    ["a wrong shape", () => ({ ...good(), W2: Tensor.zeros([864, 21]) }), "bad.pkl: W2 has shape [864, 21] in the file, but the net's W2 is [864, 20]"],
    ["a transposed matrix", () => ({ ...good(), W3: Tensor.zeros([10, 20]) }), "bad.pkl: W3 has shape [10, 20] in the file, but the net's W3 is [20, 10]"],
    ["float64 into a float32 net", () => ({ ...good(), b1: good().b1.clone("float64") }), "bad.pkl: b1 is float64 in the file but the net is float32; build the net with dtype 'float64', or pass { cast: true } to round the values to float32"],
    ["an extra array", () => ({ ...good(), W4: Tensor.zeros([2]) }), "bad.pkl: unexpected array W4 in the file (the net has W1, b1, W2, b2, W3, b3)"],
    ["an integer array", () => ({ ...good(), b3: new NumpyArray("int64", [10], new BigInt64Array(10)) }), "bad.pkl: b3 is an int64 array; parameters must be float arrays (float16/32/64)"],
  ])("%s: a named error, the net unchanged", async (_, params, message) => {
    await expect(load(params())).rejects.toThrow(message);
    expect(stateBytes(net)).toBe(before);
  });

  it("a NaN in the last array: refused, nothing written (the earlier arrays were fine)", async () => {
    const p = { ...good(), W1: Tensor.zeros([6, 1, 5, 5]) }; // would change W1 if anything were written
    const b3 = Tensor.zeros([10]);
    new Float32Array(b3.data.buffer, b3.data.byteOffset, 10).set([0, 0, 0, 0, 0, 0, 0, Number.NaN, 0, 0]);
    await expect(load({ ...p, b3 })).rejects.toThrow("bad.pkl: b3 holds NaN at flat index 7; a net's parameters must be finite");
    expect(stateBytes(net)).toBe(before);
  });

  it("not a parameter file, a missing path, another architecture's model, BatchNorm without running statistics", async () => {
    await expect(net.loadParams(new Uint8Array([1, 2, 3, 4]), { name: "junk" })).rejects.toThrow("junk: not a parameter file: expected a pickle (protocol 2–5), an .npz or a safetensors file");
    await expect(net.loadParams(join(dir, "nope.pkl"))).rejects.toThrow(/SimpleConvNet\.loadParams: cannot read .*nope\.pkl: ENOENT/);
    await expect(net.loadParams(serializeModel(NETS.TwoLayerNet(0)), { name: "two.safetensors" })).rejects.toThrow("two.safetensors: the file holds a TwoLayerNet, the net is a SimpleConvNet");
    const bn = NETS.MultiLayerNetExtend(0);
    const onlyParams = encodePickleParams(bn.params);
    await expect(bn.loadParams(onlyParams, { name: "bn.pkl" })).rejects.toThrow(/^bn\.pkl: runningMean1 is missing .* \(runningMean1 is not a trained parameter but part of the net's state, e\.g\. BatchNorm's running statistics/);
    expect(stateBytes(net)).toBe(before);
  });

  it("cast: float64 values rounded into a float32 net, exactly as Math.fround (numpy's astype(float32))", async () => {
    const f64 = Object.fromEntries(Object.entries(good()).map(([k, t]) => {
      const d = t.clone("float64");
      for (let i = 0; i < d.size; i++) d.data[i] += 1e-9 * ((i % 7) - 3); // below float32 resolution, mostly
      return [k, d];
    }));
    const target = new SimpleConvNet({ hiddenSize: 20, convParam: { filterNum: 6 }, seed: 6 });
    await target.loadParams(encodePickleParams(f64), { cast: true });
    for (const [k, t] of Object.entries(target.params)) {
      const src = f64[k].data;
      for (let i = 0; i < t.size; i++) if (t.data[i] !== Math.fround(src[i])) throw new Error(`${k}[${i}]`);
    }
    // widening needs no option: float32 file into a float64 net, exactly
    const wide = new SimpleConvNet({ hiddenSize: 20, convParam: { filterNum: 6 }, seed: 7, dtype: "float64" });
    await wide.loadParams(encodePickleParams(good()));
    expect(Array.from(wide.params.W2.data)).toEqual(Array.from(net.params.W2.data));
  });
});

describe("loadParams gives its temporary copies back", () => {
  it("the allocator's bytes in use are the same after 1 and after 13 loads (three formats, a failing one too)", async () => {
    const net = NETS.SimpleConvNet(1);
    const files = ["params.pkl", "params.npz", "params.safetensors"].map((f) => join(dir, `mem-${f}`));
    for (const f of files) await net.saveParams(f);
    const bad = encodePickleParams({ ...net.params, b3: Tensor.zeros([11]) });
    await net.loadParams(files[0]);
    const inUse = getCore().allocator.bytesInUse;
    for (let round = 0; round < 4; round++) {
      for (const f of files) await net.loadParams(f);
      await expect(net.loadParams(bad)).rejects.toThrow("b3 has shape [11]");
    }
    expect(getCore().allocator.bytesInUse).toBe(inUse);
  });
});

describe("the book's sample_weight.pkl through loadParams", () => {
  it("MultiLayerNet 784-50-100-10 sigmoid: 0.9352 on the 10 000 test digits, float32 and float64", async () => {
    const { images, labels } = mnistTestSet();
    for (const dtype of ["float32", "float64"] as const) {
      const net = new MultiLayerNet({ inputSize: 784, hiddenSizeList: [50, 100], outputSize: 10, activation: "sigmoid", dtype });
      await net.loadParams(SAMPLE_WEIGHT);
      const x = Tensor.from(Float64Array.from(images, (v) => v / 255), [10000, 784], dtype);
      expect(accuracyOf(net.predict(x), labels), dtype).toBe(0.9352);
    }
  });
});

/** Run Python with warnings as errors; parse the last line as JSON. */
function python(script: string, ...args: string[]): any {
  const out = execFileSync("python3", ["-W", "error", "-c", `import sys, json, pickle, numpy as np\n${script}`, ...args], { encoding: "utf8", maxBuffer: 1 << 26 });
  return JSON.parse(out.trim().split("\n").pop() as string);
}

describe.runIf(hasNumpy)("with Python and numpy", () => {
  // x: 7 real digits; our float64 logits against numpy's forward pass of the pickle we wrote
  const { x: rows } = mnistRows(200, 7);
  const cases: [string, () => Net, string][] = [
    ["TwoLayerNet (ReLU)", () => NETS.TwoLayerNet(11, "float64"), "np.maximum(x.reshape(len(x), -1) @ p['W1'] + p['b1'], 0) @ p['W2'] + p['b2']"],
    ["MultiLayerNet (sigmoid, ch03's predict)", () => NETS.MultiLayerNet(12, "float64"), "R.predict('sample-weight', p, x)"],
    ["SimpleConvNet", () => NETS.SimpleConvNet(13, "float64"), "None"],
    ["DeepConvNet (the book's full size)", () => new DeepConvNet({ seed: 14, dtype: "float64" }) as unknown as Net, "R.predict('deep-conv', p, x)"],
  ];

  it.each(cases)("%s: the book's load_params reads saveParams' pickle, and numpy computes the same logits to 1e-12", async (label, make, expr) => {
    const net = make();
    if (net instanceof SimpleConvNet) expr = "R.predict('simple-conv', p, x)"; // the book's filter 5×5, pad 0
    const path = join(dir, `py-${label.split(" ")[0]}.pkl`);
    await net.saveParams(path);
    const xPath = join(dir, "x.f64");
    writeFileSync(xPath, rows);
    const out = python(`
sys.path.insert(0, ${JSON.stringify(join(ROOT, "test", "fixtures", "book"))})
import pretrained_accuracy as R
with open(sys.argv[1], 'rb') as f:
    params = pickle.load(f)                # the book's load_params: pickle.load, then self.params[key] = val
p = {}
for key, val in params.items():
    p[key] = val
x = np.fromfile(sys.argv[2], dtype='<f8').reshape(-1, 1, 28, 28)
y = ${expr}
print(json.dumps({"keys": list(p), "dtypes": sorted({str(v.dtype) for v in p.values()}), "y": y.ravel().tolist()}))`, path, xPath);
    expect(out.keys).toEqual(Object.keys(net.params));
    expect(out.dtypes).toEqual(["float64"]);
    const ours = net.predict(Tensor.from(rows, [7, 784], "float64")).data;
    const scale = Math.max(...Array.from(ours, Math.abs));
    let worst = 0;
    for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i] - out.y[i]));
    expect(out.y.length).toBe(ours.length);
    expect(worst / scale, `${label}: max |ours − numpy| / max |logit|`).toBeLessThanOrEqual(1e-12);
  });

  it("an .npz numpy wrote (np.savez and np.savez_compressed, float32) loads bit for bit", async () => {
    for (const fn of ["savez", "savez_compressed"]) {
      const path = join(dir, `np-${fn}.npz`);
      const want = python(`
rng = np.random.default_rng(21)
shapes = {"W1": (784, 20), "b1": (20,), "W2": (20, 10), "b2": (10,)}
arrays = {k: rng.standard_normal(s).astype(np.float32) for k, s in shapes.items()}
np.${fn}(sys.argv[1], **arrays)
import hashlib
print(json.dumps({k: hashlib.sha256(v.tobytes()).hexdigest() for k, v in arrays.items()}))`, path);
      const net = NETS.TwoLayerNet(0);
      await net.loadParams(path);
      for (const [k, t] of Object.entries(net.params)) expect(createHash("sha256").update(t.data).digest("hex"), `${fn} ${k}`).toBe(want[k]);
    }
  });

  it("a params.npz from saveParams is what np.load expects (names, shapes, dtypes, values)", async () => {
    const net = NETS.DeepConvNet(3);
    const path = join(dir, "deep.npz");
    await net.saveParams(path);
    const out = python(`
z = np.load(sys.argv[1])
import hashlib
print(json.dumps({k: [list(z[k].shape), str(z[k].dtype), hashlib.sha256(z[k].tobytes()).hexdigest()] for k in z.files}))`, path);
    for (const [k, t] of Object.entries(net.params)) expect(out[k], k).toEqual([t.shape, "float32", createHash("sha256").update(t.data).digest("hex")]);
    expect(Object.keys(out)).toEqual(Object.keys(net.params));
  });
});
