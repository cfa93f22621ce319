// Models on disk: safetensors round trips (bit for bit), an independent reader, numpy, atomic
// writes, and a corpus of malformed files that must each fail with a specific error.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as fsp from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  Tensor, TwoLayerNet, VERSION, decodeSafetensors, deserializeModel, loadModel, loadParamsInto, saveModel, serializeModel, type DType,
} from "../../../src/index.node.js";
import { getCore } from "../../../src/internal.js";
import { writeFileAtomic, type AtomicWriteFs } from "../../../src/io/atomic-write.node.js";
import { mnistRows } from "../../helpers/mnist.js";
import { have } from "../../helpers/prerequisites.js";

const ARTIFACTS = new URL("../../../test-artifacts/", import.meta.url).pathname;
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "scratchnet-model-"));
  mkdirSync(ARTIFACTS, { recursive: true });
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const makeNet = (dtype: DType, hiddenSize = 50, seed = 7): TwoLayerNet =>
  new TwoLayerNet({ inputSize: 784, hiddenSize, outputSize: 10, dtype, seed, weightInitStd: 0.1 });

/** The raw bytes of a tensor (a copy). */
const bytesOf = (t: Tensor): Uint8Array => {
  const d = t.data;
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength).slice();
};

/** Bytes of predict() on 100 real MNIST digits (copied: predict reuses its output). */
function predictBytes(net: TwoLayerNet): Uint8Array {
  const { x } = mnistRows(0, 100);
  const input = Tensor.from(x, [100, 784], net.dtype);
  return bytesOf(net.predict(input));
}

// A reader written from the format description alone (DataView + JSON.parse), sharing no code
// with src/io: if both agree, the file really is what the spec says.
function independentRead(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  const headerText = Buffer.from(bytes.subarray(8, 8 + n)).toString("utf8");
  const header = JSON.parse(headerText) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  const { __metadata__: metadata, ...tensors } = header as Record<string, never>;
  const base = 8 + n;
  const out: Record<string, { dtype: string; shape: number[]; offsets: [number, number]; values: number[] }> = {};
  for (const [name, info] of Object.entries(tensors) as [string, { dtype: string; shape: number[]; data_offsets: [number, number] }][]) {
    const size = info.dtype === "F32" ? 4 : 8;
    const count = info.shape.reduce((a, b) => a * b, 1);
    const [b] = info.data_offsets;
    const values: number[] = [];
    for (let i = 0; i < count; i++) {
      values.push(size === 4 ? view.getFloat32(base + b + 4 * i, true) : view.getFloat64(base + b + 8 * i, true));
    }
    out[name] = { dtype: info.dtype, shape: info.shape, offsets: info.data_offsets, values };
  }
  return { headerLength: n, headerText, metadata: metadata as unknown as Record<string, string>, tensors: out, dataLength: bytes.byteLength - base };
}

describe("model round trip", () => {
  for (const dtype of ["float32", "float64"] as const) {
    it(`${dtype} TwoLayerNet: params bit for bit, predict identical on real digits`, () => {
      const net = makeNet(dtype);
      const bytes = serializeModel(net);
      const back = deserializeModel(bytes, `roundtrip-${dtype}`);
      expect(back).toBeInstanceOf(TwoLayerNet);
      const loaded = back as TwoLayerNet;
      expect([loaded.inputSize, loaded.hiddenSize, loaded.outputSize, loaded.dtype, loaded.activation]).toEqual([784, 50, 10, dtype, "relu"]);
      for (const key of ["W1", "b1", "W2", "b2"] as const) {
        expect(Buffer.compare(bytesOf(loaded.params[key]), bytesOf(net.params[key])), key).toBe(0);
      }
      // b1/b2 start at zero: make them non-trivial so the test also covers bias bytes
      net.params.b1.data.fill(0.25);
      loadParamsInto(loaded, serializeModel(net));
      expect(Buffer.compare(predictBytes(loaded), predictBytes(net))).toBe(0);
      expect(Buffer.compare(serializeModel(loaded), serializeModel(net))).toBe(0); // deterministic bytes
    });
  }

  it("keeps the activation (a sigmoid net stays a sigmoid net)", () => {
    const net = new TwoLayerNet({ inputSize: 6, hiddenSize: 5, outputSize: 3, activation: "sigmoid", seed: 3 });
    const back = deserializeModel(serializeModel(net)) as TwoLayerNet;
    expect(back.activation).toBe("sigmoid");
    const x = Tensor.from([[0.1, 0.2, 0.3, 0.4, 0.5, 0.6]]);
    expect(Array.from(back.predict(x).data)).toEqual(Array.from(net.predict(x).data));
  });

  it("records format, architecture, config, dtype and version", () => {
    const file = decodeSafetensors(serializeModel(makeNet("float64")));
    expect(file.metadata).toEqual({
      format: "scratchnet", architecture: "TwoLayerNet", dtype: "float64", version: VERSION,
      config: JSON.stringify({ inputSize: 784, hiddenSize: 50, outputSize: 10, activation: "relu" }),
    });
  });

  it("VERSION matches package.json", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });
});

describe("the file format, read independently", () => {
  it("header, offsets and bytes are what the safetensors spec says", () => {
    const net = makeNet("float32");
    net.params.b2.data.set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const bytes = serializeModel(net);
    const f = independentRead(bytes);
    expect(f.headerLength % 8).toBe(0); // padded so the data region is 8-byte aligned
    expect(f.headerText).toMatch(/^\{.*\} *$/); // JSON, then only spaces
    expect(f.metadata.format).toBe("scratchnet");
    expect(Object.keys(f.tensors)).toEqual(["W1", "b1", "W2", "b2"]);
    let offset = 0;
    for (const [name, shape] of [["W1", [784, 50]], ["b1", [50]], ["W2", [50, 10]], ["b2", [10]]] as const) {
      const t = f.tensors[name];
      const count = shape.reduce((a: number, b: number) => a * b, 1);
      expect(t.dtype).toBe("F32");
      expect(t.shape).toEqual(shape);
      expect(t.offsets).toEqual([offset, offset + 4 * count]); // back to back from 0
      offset += 4 * count;
      const data = net.params[name].data;
      let mismatches = 0;
      for (let i = 0; i < count; i++) if (!Object.is(t.values[i], data[i])) mismatches++;
      expect(mismatches, name).toBe(0);
    }
    expect(offset).toBe(f.dataLength); // the tensors cover the data region exactly
    expect(f.tensors.b2.values).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it.runIf(have("numpy"))("numpy reads the file (header JSON + np.frombuffer) and computes the same predict", () => {
    const net = makeNet("float32");
    net.params.b1.data.fill(0.01);
    const path = join(ARTIFACTS, "model-784-50-10-f32.safetensors");
    writeFileSync(path, serializeModel(net));
    const script = [
      "import json, struct, sys, numpy as np",
      "raw = open(sys.argv[1], 'rb').read()",
      "n = struct.unpack('<Q', raw[:8])[0]",
      "header = json.loads(raw[8:8 + n]); meta = header.pop('__metadata__')",
      "p = {k: np.frombuffer(raw[8 + n + v['data_offsets'][0]:8 + n + v['data_offsets'][1]], dtype={'F32': '<f4', 'F64': '<f8'}[v['dtype']]).reshape(v['shape']) for k, v in header.items()}",
      "x = (np.arange(3 * 784) % 256 / 255.0).reshape(3, 784)",
      "h = np.maximum(0, x @ p['W1'].astype(np.float64) + p['b1'])",
      "y = h @ p['W2'].astype(np.float64) + p['b2']",
      "print(json.dumps({'meta': meta, 'shapes': {k: list(a.shape) for k, a in p.items()}, 'sums': {k: float(a.astype(np.float64).sum()) for k, a in p.items()}, 'y': y.ravel().tolist()}))",
    ].join("\n");
    const out = JSON.parse(execFileSync("python3", ["-c", script, path], { encoding: "utf8" })) as {
      meta: Record<string, string>; shapes: Record<string, number[]>; sums: Record<string, number>; y: number[];
    };
    expect(out.meta.architecture).toBe("TwoLayerNet");
    expect(out.shapes).toEqual({ W1: [784, 50], b1: [50], W2: [50, 10], b2: [10] });
    for (const key of ["W1", "b1", "W2", "b2"] as const) {
      const sum = Array.from(net.params[key].data).reduce((a, b) => a + b, 0);
      expect(Math.abs(out.sums[key] - sum), key).toBeLessThan(1e-9 * Math.max(1, Math.abs(sum)) + 1e-12);
    }
    const x = Tensor.from(Array.from({ length: 3 * 784 }, (_, i) => (i % 256) / 255), [3, 784], "float32");
    const y = Array.from(net.predict(x).data);
    expect(out.y).toHaveLength(30);
    for (let i = 0; i < 30; i++) expect(Math.abs(out.y[i] - y[i])).toBeLessThan(1e-5 * Math.max(1, Math.abs(y[i])));
  });
});

describe("saveModel / loadModel", () => {
  it("writes the serialized bytes and reads back an equal net", async () => {
    const net = makeNet("float32");
    const path = join(tmp, "model.safetensors");
    await saveModel(net, path);
    expect(Buffer.compare(readFileSync(path), serializeModel(net))).toBe(0);
    const back = (await loadModel(path)) as TwoLayerNet;
    expect(Buffer.compare(predictBytes(back), predictBytes(net))).toBe(0);
    expect(readdirSync(tmp)).toEqual(["model.safetensors"]); // no temp file left behind
    await saveModel(makeNet("float64"), path); // overwrite in place
    expect(((await loadModel(path)) as TwoLayerNet).dtype).toBe("float64");
  });

  it("a directory that does not exist: a clear error, nothing written", async () => {
    const path = join(tmp, "missing-dir", "model.safetensors");
    await expect(saveModel(makeNet("float32"), path)).rejects.toThrow(/^saveModel: cannot write .*missing-dir\/model\.safetensors: ENOENT/);
    expect(readdirSync(tmp).filter((f) => f.includes("missing"))).toEqual([]);
  });

  it("a failure mid-write leaves the old file intact and no temp file", async () => {
    const dir = mkdtempSync(join(tmp, "midwrite-"));
    const path = join(dir, "model.safetensors");
    const oldBytes = serializeModel(makeNet("float32", 50, 1));
    await writeFileAtomic(path, oldBytes);
    // A file system whose write stores some bytes, then fails like a full disk would.
    const failing: AtomicWriteFs = {
      ...fsp,
      open: (async (...args: Parameters<typeof fsp.open>) => {
        const handle = await fsp.open(...args);
        let calls = 0;
        return new Proxy(handle, {
          get(target, prop) {
            if (prop === "write") {
              return async (data: Uint8Array, offset: number, length: number) => {
                if (++calls > 1) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
                return target.write(data, offset, Math.min(length, 1000));
              };
            }
            const v = Reflect.get(target, prop);
            return typeof v === "function" ? v.bind(target) : v;
          },
        });
      }) as typeof fsp.open,
    };
    const newBytes = serializeModel(makeNet("float32", 50, 2));
    await expect(writeFileAtomic(path, newBytes, failing)).rejects.toThrow(/cannot write .*model\.safetensors: ENOSPC/);
    expect(readdirSync(dir)).toEqual(["model.safetensors"]);
    expect(Buffer.compare(readFileSync(path), oldBytes)).toBe(0);
  });

  it("a rename that fails (target is a non-empty directory) removes the temp file", async () => {
    const dir = mkdtempSync(join(tmp, "rename-"));
    const target = join(dir, "model.safetensors");
    mkdirSync(target);
    writeFileSync(join(target, "keep"), "x");
    await expect(saveModel(makeNet("float32"), target)).rejects.toThrow(/^saveModel: cannot write .*model\.safetensors: E(ISDIR|NOTEMPTY|EXIST)/);
    expect(readdirSync(dir)).toEqual(["model.safetensors"]);
    expect(readdirSync(target)).toEqual(["keep"]);
  });

  it("loadModel on a missing file names it", async () => {
    await expect(loadModel(join(tmp, "nope.safetensors"))).rejects.toThrow(/^loadModel: cannot read .*nope\.safetensors: ENOENT/);
  });
});

// ---- malformed files ------------------------------------------------------------------------

type Header = Record<string, Record<string, unknown>>;

/** A copy of `bytes` with its JSON header replaced by `edit(header)` (the data region kept). */
function withHeader(bytes: Uint8Array, edit: (h: Header) => unknown, data?: (d: Uint8Array) => Uint8Array): Uint8Array {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + n)).toString("utf8")) as Header;
  const edited = edit(header);
  const json = edited instanceof Uint8Array ? edited : Buffer.from(typeof edited === "string" ? edited : JSON.stringify(edited ?? header));
  const body = (data ?? ((d) => d))(bytes.slice(8 + n));
  const out = new Uint8Array(8 + json.length + body.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(body, 8 + json.length);
  return out;
}

function withHeaderLength(bytes: Uint8Array, n: bigint): Uint8Array {
  const out = bytes.slice();
  new DataView(out.buffer).setBigUint64(0, n, true);
  return out;
}

describe("malformed model files: each a specific error, no crash", () => {
  const net = makeNet("float32");
  net.params.b1.data.fill(0.5);
  const good = serializeModel(net);
  const goodLength = good.byteLength;
  const n = Number(new DataView(good.buffer).getBigUint64(0, true));
  const dataLength = goodLength - 8 - n;
  const W1Bytes = 784 * 50 * 4;

  // [case, bytes, message pattern]; every message must also name the file
  const corpus: [string, Uint8Array, RegExp][] = [
    ["empty file", new Uint8Array(0), /truncated at byte 0: a safetensors file starts with an 8-byte header length/],
    ["truncated inside the length", good.slice(0, 5), /truncated at byte 5/],
    ["truncated inside the header", good.slice(0, 8 + (n >> 1)), new RegExp(`header length ${n} points past the end of the file \\(needs ${8 + n} bytes, the file has ${8 + (n >> 1)}\\)`)],
    ["truncated inside W1's data", good.slice(0, 8 + n + 1000), /tensor 'W1': data_offsets \[0, 156800\] are out of range: the data region holds 1000 bytes/],
    ["truncated by one byte", good.slice(0, goodLength - 1), /tensor 'b2': data_offsets \[\d+, \d+\] are out of range/],
    ["header length past EOF", withHeaderLength(good, BigInt(goodLength)), /header length \d+ points past the end of the file/],
    ["huge header length", withHeaderLength(good, 2n ** 40n), /header length 1099511627776 bytes is above the 100000000-byte limit/],
    ["header length 2^64-1", withHeaderLength(good, 2n ** 64n - 1n), /header length 18446744073709551615 bytes is above the 100000000-byte limit/],
    ["bad JSON", withHeader(good, () => `{"W1": {"dtype": "F32",`), /header \(bytes 8\.\.\d+\) is not valid JSON/],
    ["invalid UTF-8", withHeader(good, () => new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), /header \(bytes 8\.\.12\) is not valid UTF-8/],
    ["JSON array header", withHeader(good, () => "[1, 2, 3]"), /header must be a JSON object, got an array/],
    ["JSON null header", withHeader(good, () => "null"), /header must be a JSON object, got null/],
    ["unknown dtype", withHeader(good, (h) => { h.W1.dtype = "F33"; }), /tensor 'W1': unknown dtype "F33"/],
    ["unsupported dtype", withHeader(good, (h) => { h.W1.dtype = "F16"; }), /tensor 'W1': dtype F16 is not supported \(scratchnet reads F32 and F64\)/],
    ["negative shape", withHeader(good, (h) => { h.W1.shape = [-784, 50]; }), /tensor 'W1': shape must be an array of non-negative integers, got \[-784,50\]/],
    ["fractional shape", withHeader(good, (h) => { h.W1.shape = [784.5, 50]; }), /tensor 'W1': shape must be an array of non-negative integers, got \[784\.5,50\]/],
    ["shape not an array", withHeader(good, (h) => { h.b1.shape = "50"; }), /tensor 'b1': shape must be an array/],
    ["offsets out of range", withHeader(good, (h) => { h.b2.data_offsets = [dataLength - 40, dataLength + 8]; }), new RegExp(`tensor 'b2': data_offsets \\[${dataLength - 40}, ${dataLength + 8}\\] are out of range: the data region holds ${dataLength} bytes`)],
    ["offsets not integers", withHeader(good, (h) => { h.b1.data_offsets = [W1Bytes, "x"]; }), /tensor 'b1': data_offsets must be two non-negative integers/],
    ["end before begin", withHeader(good, (h) => { h.b1.data_offsets = [W1Bytes + 200, W1Bytes]; }), /tensor 'b1': data_offsets \[157000, 156800\] end before they begin/],
    ["overlapping offsets", withHeader(good, (h) => { h.b1.data_offsets = [W1Bytes - 8, W1Bytes + 192]; h.W2.data_offsets = [W1Bytes + 192, W1Bytes + 2192]; }), /tensor 'b1' data_offsets \[156792, 156992\] overlap the previous tensor, which ends at 156800/],
    ["gap in data", withHeader(good, (h) => { delete h.b1; }), /gap in the data region: bytes 156800\.\.157000 belong to no tensor \(tensor 'W2' starts at 157000\)/],
    ["trailing bytes", withHeader(good, () => undefined, (d) => new Uint8Array([...d, 0, 0, 0, 0])), /the tensors cover only \d+: 4 trailing bytes belong to no tensor/],
    ["shape × itemsize ≠ span", withHeader(good, (h) => { h.W1.shape = [784, 49]; }), /tensor 'W1': shape \[784,49\] × 4 bytes \(F32\) = 153664 bytes, but data_offsets \[0, 156800\] span 156800/],
    ["metadata value not a string", withHeader(good, (h) => { (h.__metadata__ as Record<string, unknown>).epochs = 17; }), /__metadata__\.epochs must be a string, got number 17/],
    ["tensor entry not an object", withHeader(good, (h) => { (h as Record<string, unknown>).W1 = [1, 2]; }), /tensor 'W1': entry must be an object, got an array/],
    ["not a scratchnet file", withHeader(good, (h) => { delete h.__metadata__; }), /not a scratchnet model \(metadata format is missing\)/],
    ["wrong architecture", withHeader(good, (h) => { h.__metadata__.architecture = "ResNet50"; }), /unknown architecture "ResNet50" \(known: [^)]*TwoLayerNet/],
    ["bad dtype metadata", withHeader(good, (h) => { h.__metadata__.dtype = "int8"; }), /metadata: dtype must be 'float32' or 'float64', got "int8"/],
    ["dtype metadata disagrees with tensors", withHeader(good, (h) => { h.__metadata__.dtype = "float64"; }), /W1: dtype F32 in file, net has F64 \(float64\)/],
    ["config not JSON", withHeader(good, (h) => { h.__metadata__.config = "{inputSize: 784"; }), /metadata config is not valid JSON/],
    ["config makes no net", withHeader(good, (h) => { h.__metadata__.config = JSON.stringify({ inputSize: 784, hiddenSize: 50, outputSize: 10, activation: "tanh" }); }), /config .* does not make a TwoLayerNet: TwoLayerNet: activation must be 'relu' or 'sigmoid', got tanh/],
    ["config disagrees with tensors", withHeader(good, (h) => { h.__metadata__.config = JSON.stringify({ inputSize: 784, hiddenSize: 100, outputSize: 10 }); }), /does not match the file's tensors: W1 would be \[784, 100\], the file has \[784, 50\]/],
    ["negative size in config", withHeader(good, (h) => { h.__metadata__.config = JSON.stringify({ inputSize: -1, hiddenSize: 50, outputSize: 10 }); }), /W1 would be \[-1, 50\], the file has \[784, 50\]/],
    ["huge config in a small file", withHeader(good, (h) => { h.__metadata__.config = JSON.stringify({ inputSize: 784, hiddenSize: 1e6, outputSize: 10 }); }), /W1 would be \[784, 1000000\], the file has \[784, 50\]/],
    ["NaN in W2", withNaN(good, n, W1Bytes + 200 + 4 * 3), /W2 holds NaN at flat index 3; a model's parameters must be finite/],
  ];

  it(`has at least 10 cases (${corpus.length})`, () => expect(corpus.length).toBeGreaterThanOrEqual(10));

  for (const [name, bytes, pattern] of corpus) {
    it(name, () => {
      const file = `corpus/${name.replace(/\W+/g, "-")}.safetensors`;
      let error: unknown;
      try {
        deserializeModel(bytes, file);
      } catch (e) {
        error = e;
      }
      expect(error, "must throw").toBeInstanceOf(Error);
      const message = (error as Error).message;
      expect(message.startsWith(`${file}: `), message).toBe(true);
      expect(message).toMatch(pattern);
    });
  }

  it("loadParamsInto: wrong dtype, wrong shape, wrong architecture, missing/extra tensors", () => {
    const f64 = serializeModel(makeNet("float64"));
    expect(() => loadParamsInto(makeNet("float32"), f64, "f64.safetensors")).toThrow("f64.safetensors: W1: dtype F64 in file, net has F32 (float32)");
    expect(() => loadParamsInto(makeNet("float32", 100), good, "m.safetensors")).toThrow("m.safetensors: W1: shape [784, 50] in file, net has [784, 100]");
    const other = withHeader(good, (h) => { h.__metadata__.architecture = "MultiLayerNet"; });
    expect(() => loadParamsInto(makeNet("float32"), other, "m")).toThrow("m: the file holds a MultiLayerNet, the net is a TwoLayerNet");
    const noB2 = withHeader(good, (h) => { delete h.b2; }, (d) => d.slice(0, d.byteLength - 40));
    expect(() => loadParamsInto(makeNet("float32"), noB2, "m")).toThrow("m: tensor b2 is missing (the file has W1, b1, W2)");
    const extra = withHeader(good, (h) => { h.b3 = { dtype: "F32", shape: [1], data_offsets: [dataLength, dataLength + 4] }; }, (d) => new Uint8Array([...d, 0, 0, 0, 0]));
    expect(() => loadParamsInto(makeNet("float32"), extra, "m")).toThrow("m: unexpected tensor b3 in file (the net has W1, b1, W2, b2)");
  });

  it("a rejected file leaves the net untouched (all checks before the first write)", () => {
    const target = makeNet("float32", 50, 99);
    const before = serializeModel(target);
    expect(() => loadParamsInto(target, withNaN(good, n, W1Bytes + 200 + 4 * 3), "nan")).toThrow(/W2 holds NaN/);
    expect(Buffer.compare(serializeModel(target), before)).toBe(0);
  });

  it("the wasm heap still works after the whole corpus, and the corpus made memory grow by < 8 MB (no config-sized allocation)", () => {
    const memoryBefore = getCore().memory.buffer.byteLength;
    for (const [, bytes] of corpus) expect(() => deserializeModel(bytes)).toThrow();
    expect(getCore().memory.buffer.byteLength - memoryBefore).toBeLessThan(8 * 2 ** 20);
    const fresh = deserializeModel(good) as TwoLayerNet;
    expect(Buffer.compare(predictBytes(fresh), predictBytes(net))).toBe(0);
    const net2 = makeNet("float32", 50, 5); // fresh allocations still work and compute
    expect(Number.isFinite(net2.loss(Tensor.from(mnistRows(0, 10).x, [10, 784], "float32"), mnistRows(0, 10).labels))).toBe(true);
  });
});

/** `bytes` with the float32 at data-region byte offset `at` set to NaN. */
function withNaN(bytes: Uint8Array, n: number, at: number): Uint8Array {
  const out = bytes.slice();
  new DataView(out.buffer).setFloat32(8 + n + at, NaN, true);
  return out;
}
