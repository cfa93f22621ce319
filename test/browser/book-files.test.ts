// The pickle/npy/npz readers and writers in headless Chromium give what Node gives: the fixtures
// numpy wrote read back bit for bit, the writers' output is the same, and hostile input is
// refused with the same messages (inflate and deflate are Chromium's own here).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import type { Page } from "playwright-core";
import { decodeNpz, encodeNetParams, encodePickleParams, loadNpz, loadPickle, MultiLayerNet, type Tensor } from "../../src/index.node.js";
import { openTestPage, type TestPage } from "./test-page.js";
import { canon } from "../helpers/numpy-canon.js";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "numpy");
const BOOK = join(import.meta.dirname, "..", "..", "data-sample", "book");
let opened: TestPage;
let page: Page;

beforeAll(async () => {
  opened = await openTestPage(["test/browser/book-files-page.ts"], { "/fixtures/": FIXTURES, "/book/": BOOK });
  page = opened.page;
});

afterAll(async () => {
  await opened?.close();
});

const call = <T>(fn: string, ...args: unknown[]): Promise<T> =>
  page.evaluate(([f, a]) => (globalThis as unknown as Record<string, (...x: unknown[]) => Promise<unknown>>)[f as string](...(a as unknown[])), [fn, args] as const) as Promise<T>;

describe("book files in Chromium", () => {
  it.each([
    ["np1", "zoo-p2-np1.pkl"], ["np2", "zoo-p5-np2.pkl"], ["np1", "deflated-np1.npz"], ["np2", "stored-np2.npz"],
    ["np2", "npy-np2/f16_big_endian_fortran.npy"], ["np1", "npy-np1/f64_fortran_3d.npy"],
  ])("%s fixture %s reads back bit for bit", async (tag, file) => {
    const { files, values } = JSON.parse(readFileSync(join(FIXTURES, `expected-${tag}.json`), "utf8"));
    expect(await call("canonOf", `/fixtures/${file}`)).toEqual(values[files[file]]);
  });

  it("sample_weight.pkl reads as in Node, and encodePickleParams writes the same bytes", async () => {
    const node = await loadPickle(join(BOOK, "sample_weight.pkl"));
    expect(await call("canonOf", "/book/sample_weight.pkl")).toEqual(canon(node));
    const nodeSha = createHash("sha256").update(encodePickleParams(node as Record<string, Tensor>)).digest("hex");
    expect(await call("rewritePickle", "/book/sample_weight.pkl")).toBe(nodeSha);
  });

  it("an .npz deflated by Chromium reads back exactly in Node", async () => {
    const bytes = Uint8Array.from(await call<number[]>("rewriteNpz", "/fixtures/deflated-np2.npz"));
    expect(bytes[8]).toBe(8); // deflated
    // float16 arrays were widened to float32 on reading, so they are written back as float32
    const asWritten = (v: unknown) => JSON.stringify(canon(v)).replaceAll(',"widened_from":"float16"', "");
    expect(JSON.stringify(canon(await decodeNpz(bytes)))).toBe(asWritten(await loadNpz(join(FIXTURES, "deflated-np2.npz"))));
  });

  it("net.loadParams takes bytes in a page (same values as Node); paths are refused with what to do instead", async () => {
    const net = new MultiLayerNet({ inputSize: 784, hiddenSizeList: [50, 100], outputSize: 10, activation: "sigmoid" });
    await net.loadParams(join(BOOK, "sample_weight.pkl"));
    const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
    const got = await call<{ params: string; encoded: string; pathLoad: string; pathSave: string }>("netParams", "/book/sample_weight.pkl");
    expect(got.params).toBe(sha(new Uint8Array(net.paramBlock.all().data.slice().buffer)));
    expect(got.encoded).toBe(sha(await encodeNetParams(net)));
    expect(got.pathLoad).toBe("Error: MultiLayerNet.loadParams: a path (\"sample_weight.pkl\") needs Node; in a browser pass the file's bytes, e.g. new Uint8Array(await (await fetch(url)).arrayBuffer())");
    expect(got.pathSave).toBe("Error: MultiLayerNet.saveParams: writing a file needs Node; in a browser use encodeNetParams(net, { format }) for the bytes");
  });

  it("a zip bomb is stopped, and a hostile pickle refused, with Node's messages", async () => {
    expect(await call("zipBomb")).toBe("FileFormatError: npz data: member W.npy: at byte 35: inflates past its declared size of 1000000 bytes: corrupt or a zip bomb; stopped");
    expect(await call("hostilePickle", "/fixtures/hostile-eval-p4.pkl")).toMatch(/^FileFormatError: pickle data: at byte \d+, STACK_GLOBAL: refused global builtins\.eval/);
  });
});
