// File edge cases (issue 14 §8), each a named error with a short message:
//  - a SimpleConvNet model whose config lost a key used to fail with "TypeError: inputDim is not
//    iterable": now the file and the key are named;
//  - shapes and configs nested 10 000+ deep overflowed the stack: depth is bounded, walks iterate;
//  - huge shapes, keys and configs made messages of 2 000 to 5 000 000 characters: every quoted
//    piece of user data is capped (with an ellipsis);
//  - a small labels.gz claiming 2³¹−1 labels was refused only after inflating 2 GiB: the header's
//    count is checked before inflating, and no file is inflated past what its header declares.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { constants as zlibConstants, deflateRawSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  SimpleConvNet, Tensor, TwoLayerNet, decodeIdx, decodeSafetensors, deserializeModel, encodeSafetensors, loadMnistFromBytes,
  loadParamsInto, loadSplit, serializeModel, ScratchnetError,
} from "../../../src/index.node.js";
import { MNIST_DIR } from "../../helpers/mnist.js";

const deep = (depth: number): unknown => { let a: unknown = 1; for (let i = 0; i < depth; i++) a = [a]; return a; };
const deepJson = (depth: number): string => "[".repeat(depth) + "1" + "]".repeat(depth);

/** The error `f` throws: a named library Error (never a TypeError/RangeError from the engine) with a short message. */
function refusal(f: () => unknown, maxLength = 600): string {
  let error: unknown = null;
  try { f(); } catch (e) { error = e; }
  expect(error).toBeInstanceOf(Error);
  expect([Error, ScratchnetError]).toContain((error as Error).constructor); // not TypeError / RangeError
  const message = (error as Error).message;
  expect(message.length).toBeLessThanOrEqual(maxLength);
  return message;
}

async function refusalAsync(p: Promise<unknown>, maxLength = 600): Promise<string> {
  const error = await p.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).constructor).toBe(Error);
  expect((error as Error).message.length).toBeLessThanOrEqual(maxLength);
  return (error as Error).message;
}

/** A model file whose metadata (config, format …) or tensor list was edited. */
function forge(net: SimpleConvNet | TwoLayerNet, edit: { config?: (c: Record<string, unknown>) => unknown; metadata?: Record<string, string>; tensors?: (t: [string, { dtype: "F32" | "F64"; shape: readonly number[]; data: Uint8Array }][]) => typeof t }): Uint8Array {
  const file = decodeSafetensors(serializeModel(net));
  const config = JSON.parse(file.metadata.config);
  const newConfig = edit.config ? edit.config(config) ?? config : config;
  const metadata = { ...file.metadata, config: typeof newConfig === "string" ? newConfig : JSON.stringify(newConfig), ...edit.metadata };
  const tensors = [...file.tensors.entries()];
  return encodeSafetensors(edit.tensors ? edit.tensors(tensors) : tensors, metadata);
}

describe("a model file whose config lost a key names the file and the key", () => {
  const conv = new SimpleConvNet({ convParam: { filterNum: 2 }, hiddenSize: 4, seed: 0 });

  it.each([
    ["inputDim", (c: Record<string, unknown>) => { delete c.inputDim; }, "'inputDim'"],
    ["hiddenSize", (c: Record<string, unknown>) => { delete c.hiddenSize; }, "'hiddenSize'"],
    ["convParam.stride", (c: Record<string, unknown>) => { delete (c.convParam as Record<string, unknown>).stride; }, "'convParam.stride'"],
    ["all of convParam", (c: Record<string, unknown>) => { delete c.convParam; }, "'convParam.filterNum', 'convParam.filterSize', 'convParam.pad', 'convParam.stride'"],
  ])("SimpleConvNet without %s", (_what, edit, named) => {
    const m = refusal(() => deserializeModel(forge(conv, { config: edit }), "conv.safetensors"));
    expect(m).toMatch(new RegExp(`^conv\\.safetensors: the model config lacks ${named.replace(/[.]/g, "\\.")} \\(a SimpleConvNet config has inputDim, convParam\\.filterNum, convParam\\.filterSize, convParam\\.pad, convParam\\.stride, hiddenSize, outputSize\\): \\{`));
  });

  it("a config key of the wrong type is named too (inputDim: 5, convParam.pad: 'x')", () => {
    expect(refusal(() => deserializeModel(forge(conv, { config: (c) => { c.inputDim = 5; } }), "conv.safetensors")))
      .toMatch(/^conv\.safetensors: config \{"inputDim":5,.*\} does not make a SimpleConvNet: SimpleConvNet model: config inputDim must be \[channels, height, width\], got 5$/);
    expect(refusal(() => deserializeModel(forge(conv, { config: (c) => { (c.convParam as Record<string, unknown>).pad = "x"; } }), "conv.safetensors")))
      .toContain("SimpleConvNet model: config convParam.pad must be an integer ≥ 0, got \"x\"");
  });

  it("TwoLayerNet without hiddenSize", () => {
    const m = refusal(() => deserializeModel(forge(new TwoLayerNet(4, 3, 2), { config: (c) => { delete c.hiddenSize; } }), "two.safetensors"));
    expect(m).toMatch(/^two\.safetensors: the model config lacks 'hiddenSize' \(a TwoLayerNet config has inputSize, hiddenSize, outputSize\)/);
  });
});

describe("nesting is bounded and walked without recursion", () => {
  it.each([10_000, 100_000])("Tensor.from(arrays nested %i deep)", (depth) => {
    expect(refusal(() => Tensor.from(deep(depth) as number[]))).toBe("Tensor.from: arrays nested more than 64 deep; a tensor has at most 64 dimensions");
  });

  it("nesting up to the limit still works (64 dimensions), and ragged arrays are still named", () => {
    const t = Tensor.from(deep(64) as number[]);
    expect(t.shape).toEqual(new Array(64).fill(1));
    expect(t.toArray()).toEqual(deep(64));
    expect(refusal(() => Tensor.from([[1, 2], [3]]))).toBe("Tensor.from: ragged nested array: element at [1] should be an array of length 2");
    expect(refusal(() => Tensor.from([[1, 2], [3, [4]]] as never))).toBe("Tensor.from: ragged nested array: element at [1,1] is an array, expected a number");
  });

  it.each([10_000, 100_000])("a safetensors shape nested %i deep", (depth) => {
    const header = `{"a":{"dtype":"F32","shape":${deepJson(depth)},"data_offsets":[0,4]}}`;
    const bytes = new Uint8Array(8 + header.length + 4);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
    bytes.set(new TextEncoder().encode(header), 8);
    expect(refusal(() => decodeSafetensors(bytes, "deep.safetensors"))).toBe("deep.safetensors: tensor 'a': shape must be an array of non-negative integers, got [[[[[…]]]]]");
  });

  it.each([10_000, 100_000])("a model config nested %i deep", (depth) => {
    const file = forge(new TwoLayerNet(4, 3, 2), { config: (c) => JSON.stringify(c).replace('"inputSize":4', `"inputSize":${deepJson(depth)}`) });
    const m = refusal(() => deserializeModel(file, "deep.safetensors"));
    expect(m).toMatch(/^deep\.safetensors: config \{"inputSize":\[\[\[.*… \(\d+ more characters\) does not match the file's tensors: W1 would be \[\[\[\[\[\[…\]\]\]\]\], 3\], the file has \[4, 3\]$/);
  });

  it("shapes of more than 64 dimensions are refused by every constructor", () => {
    expect(refusal(() => Tensor.zeros(new Array(65).fill(1)))).toMatch(/^Tensor\.zeros: shape \[1, 1, 1, 1, 1, 1, 1, 1, …, 1, 1\] \(65 dimensions\) has more than 64 dimensions$/);
  });
});

describe("messages quoting user data stay short", () => {
  const ones = (n: number): number[] => new Array(n).fill(1);

  it.each([1_000, 1_000_000])("shapes of %i dimensions", (n) => {
    expect(refusal(() => Tensor.zeros(ones(n)), 200)).toContain(`(${n} dimensions)`);
    expect(refusal(() => Tensor.from([1, 2], ones(n)), 200)).toContain("…");
    const net = new TwoLayerNet(4, 3, 2);
    const file = forge(net, { tensors: (t) => t.map(([k, v]) => (k === "b2" ? [k, { ...v, shape: [...ones(n), 2] }] : [k, v])) });
    expect(refusal(() => loadParamsInto(net, file, "long.safetensors"), 200)).toBe(`long.safetensors: b2: shape [1, 1, 1, 1, 1, 1, 1, 1, …, 1, 2] (${n + 1} dimensions) in file, net has [2]`);
    const header = `{"a":{"dtype":"F32","shape":[${ones(n).join(",")}],"data_offsets":[0,8]}}`;
    const bytes = new Uint8Array(8 + header.length + 8);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
    bytes.set(new TextEncoder().encode(header), 8);
    expect(refusal(() => decodeSafetensors(bytes, "long.safetensors"), 300)).toMatch(/^long\.safetensors: tensor 'a': shape \[1, 1, .*… × 4 bytes \(F32\) = 4 bytes, but data_offsets \[0, 8\] span 8$/);
  });

  it("a megabyte tensor name, config and format string", () => {
    const long = "k".repeat(1_000_000);
    const net = new TwoLayerNet(4, 3, 2);
    const renamed = forge(net, { tensors: (t) => [...t, [long, { dtype: "F32", shape: [1], data: new Uint8Array(4) }]] });
    expect(refusal(() => loadParamsInto(net, renamed, "m"))).toMatch(/^m: unexpected tensor k{60}… \(999940 more characters\) in file \(the net has W1, b1, W2, b2\)$/);
    expect(refusal(() => deserializeModel(forge(net, { metadata: { format: long } }), "m"))).toMatch(/^m: not a scratchnet model \(metadata format is "k+…"\)/);
    const bigConfig = forge(net, { config: (c) => { c.hiddenSize = ones(1_000_000); } });
    expect(refusal(() => deserializeModel(bigConfig, "m"))).toMatch(/^m: config \{"inputSize":4,"hiddenSize":\[1,1,1.*… \(\d+ more characters\) does not match the file's tensors: W1 would be \[4, \[1, 1, 1, .*…\], the file has \[4, 3\]$/);
  });

  it("a file listing a million tensors names a few of them", () => {
    const header: Record<string, unknown> = {};
    for (let i = 0; i < 100_000; i++) header[`t${i}`] = { dtype: "F32", shape: [0], data_offsets: [0, 0] };
    const json = JSON.stringify(header);
    const bytes = new Uint8Array(8 + json.length);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
    bytes.set(new TextEncoder().encode(json), 8);
    expect(refusal(() => loadParamsInto(new TwoLayerNet(4, 3, 2), bytes, "many"))).toBe("many: tensor W1 is missing (the file has t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, t10, t11, … (100000 in all))");
  });
});

describe("IDX sizes are checked before inflating", () => {
  const labelHeader = (count: number): Buffer => {
    const h = Buffer.alloc(8);
    h.writeUInt32BE(0x00000801, 0);
    h.writeUInt32BE(count, 4);
    return h;
  };
  /**
   * A gzip "bomb": a label header, then `mb` MiB of zeros, in ~1 KB of gzip per MiB. Built from
   * byte-aligned deflate segments (each ends in a full flush, so copies can follow each other)
   * instead of compressing gigabytes here; the CRC trailer is left zero, so a reader that
   * inflated it all would fail only at the very end — after the 2 GiB.
   */
  function bomb(count: number, mb: number): Buffer {
    const segment = (data: Buffer) => deflateRawSync(data, { finishFlush: zlibConstants.Z_FULL_FLUSH });
    const zeros = segment(Buffer.alloc(16 << 20));
    const parts = [Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]), segment(Buffer.concat([labelHeader(count), Buffer.alloc(16 << 20)]))];
    for (let i = 16; i < mb; i += 16) parts.push(zeros);
    parts.push(Buffer.from([3, 0]), Buffer.alloc(8)); // an empty final block, then the trailer
    return Buffer.concat(parts);
  }
  /** `bytes` as a stream of 16 KB chunks (the way a fetch body or a file stream arrives). */
  const chunked = (bytes: Uint8Array): ReadableStream<Uint8Array> => {
    let at = 0;
    return new ReadableStream<Uint8Array>({
      pull(c) { if (at >= bytes.length) { c.close(); return; } c.enqueue(bytes.slice(at, at + 16384)); at += 16384; },
    });
  };
  /** Runs `attempt`; returns how long it took and how much the process's RSS grew meanwhile. */
  const cost = async (attempt: () => Promise<string>): Promise<{ message: string; ms: number; rssMB: number }> => {
    const rss0 = process.memoryUsage().rss, started = performance.now();
    const message = await attempt();
    return { message, ms: performance.now() - started, rssMB: (process.memoryUsage().rss - rss0) / 2 ** 20 };
  };
  const images = { name: "t10k-images-idx3-ubyte.gz", read: () => readFileSync(join(MNIST_DIR, "t10k-images-idx3-ubyte.gz")) };

  it("a 2 MB labels.gz claiming 2³¹−1 labels (2 GiB inside) is refused at its header, in milliseconds", async () => {
    const gz = bomb(2 ** 31 - 1, 2048);
    expect(gz.length).toBeLessThan(4 << 20);
    for (const read of [() => gz, () => chunked(gz)]) {
      const r = await cost(() => refusalAsync(loadSplit("huge", images, { name: "labels.gz", read })));
      expect(r.message).toBe("labels.gz: the header declares 2147483647 labels, more than the 5478274 28×28 images a 4 GiB wasm memory can hold; refused before inflating it");
      // inflating the 2 GiB took ~10 s and +2 GB of RSS; now only the header's first chunk is inflated
      expect(r.ms).toBeLessThan(1000);
      expect(r.rssMB).toBeLessThan(200);
    }
  });

  it("… and against the real set's count where it is known (loadMnistFromBytes: at most 60000 training labels)", async () => {
    const files = {
      trainImages: readFileSync(join(MNIST_DIR, "t10k-images-idx3-ubyte.gz")),
      trainLabels: gzipSync(Buffer.concat([labelHeader(60001), Buffer.alloc(60001)])),
      testImages: readFileSync(join(MNIST_DIR, "t10k-images-idx3-ubyte.gz")),
      testLabels: readFileSync(join(MNIST_DIR, "t10k-labels-idx1-ubyte.gz")),
    };
    expect(await refusalAsync(loadMnistFromBytes(files))).toBe("train-labels-idx1-ubyte: the header declares 60001 labels, more than the 60000 of mnist's train-labels-idx1-ubyte; refused before inflating it");
  });

  it("inflation stops as soon as a file runs past its declared size (10 labels, then 2 GiB)", async () => {
    const gz = bomb(10, 2048);
    for (const input of [gz, chunked(gz)]) {
      const r = await cost(() => refusalAsync(decodeIdx(input, "labels.gz", 1)));
      expect(r.message).toMatch(/^labels\.gz \(decompressed\): \d+ unexpected bytes after the data \(dimensions \[10\] need 18 bytes\)$/);
      expect(r.ms).toBeLessThan(1000);
      expect(r.rssMB).toBeLessThan(200);
    }
  });
});
