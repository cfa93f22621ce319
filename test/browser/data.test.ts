// The browser-safe loaders in headless Chromium: loadMnistFromUrls over the real Fashion-MNIST
// files (served from /usr/share/datasets by a local server) gives exactly what Node reads,
// and bad input fails with the same messages.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { createServer, type Server, type ServerResponse } from "node:http";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import type { Page } from "playwright-core";
import { openTestPage, type TestPage } from "./test-page.js";
import { FASHION_DIR } from "../helpers/mnist.js";
import { have } from "../helpers/prerequisites.js";
import { SAMPLE_DIR } from "../../src/data/mnist-dirs.node.js";
import { REPO } from "./packed-package.js";

let opened: TestPage;
let page: Page;
// a second origin that trickles one byte every 200 ms (/trickle/…) or never answers (/silent/…)
let slow: Server;
let slowOrigin = "";
const held = new Set<ServerResponse>();

beforeAll(async () => {
  if (!have("chromium")) return;
  opened = await openTestPage(["test/browser/data-page.ts", "test/browser/data-worker.ts"], { "/fashion/": FASHION_DIR, "/sample/": SAMPLE_DIR });
  page = opened.page;
  slow = createServer((req, res) => {
    held.add(res);
    res.on("close", () => held.delete(res));
    if (req.url?.startsWith("/silent/")) return;
    const wasm = req.url?.endsWith(".wasm");
    // real bytes (the wasm, a real labels file), one every 200 ms
    const data = wasm ? readFileSync(join(REPO, "build/scratchnet.wasm")) : readFileSync(join(FASHION_DIR, "t10k-labels-idx1-ubyte.gz"));
    res.writeHead(200, { "access-control-allow-origin": "*", "content-type": wasm ? "application/wasm" : "application/octet-stream", "content-length": data.length });
    let at = 0;
    const timer = setInterval(() => res.write(data.subarray(at, ++at)), 200);
    res.on("close", () => clearInterval(timer));
  });
  await new Promise<void>((ok) => slow.listen(0, "127.0.0.1", ok));
  slowOrigin = `http://127.0.0.1:${(slow.address() as { port: number }).port}`;
});

afterAll(async () => {
  await opened?.close();
  for (const res of held) res.destroy();
  if (slow) await new Promise<void>((ok) => slow.close(() => ok()));
});

const call = <T>(fn: string, ...args: unknown[]): Promise<T> =>
  page.evaluate(([f, a]) => (globalThis as unknown as Record<string, (...x: unknown[]) => Promise<unknown>>)[f as string](...(a as unknown[])), [fn, args] as const) as Promise<T>;

const raw = (file: string): Buffer => gunzipSync(readFileSync(join(FASHION_DIR, file)));
const sum = (b: Uint8Array): number => b.reduce((a, v) => a + v, 0);

describe.runIf(have("chromium"))("loadMnistFromUrls in Chromium", () => {
  it.runIf(have("fashion"))("loads the full Fashion-MNIST (60000 + 10000) exactly as the files hold it", async () => {
    const r = await call<{
      source: string; isSample: boolean; trainCount: number; testCount: number; firstTrainLabels: number[];
      trainLabelSum: number; testLabelSum: number; lastTrainImage: number[]; x01: number[]; xShape: number[];
    }>("loadFromUrls", "/fashion/", "fashion-mnist");
    const trainLabels = raw("train-labels-idx1-ubyte.gz").subarray(8), testLabels = raw("t10k-labels-idx1-ubyte.gz").subarray(8);
    expect(r.source).toBe(`${opened.server.origin}/fashion/`);
    expect([r.trainCount, r.testCount, r.isSample]).toEqual([60000, 10000, false]);
    expect(r.firstTrainLabels).toEqual(Array.from(trainLabels.subarray(0, 10)));
    expect([r.trainLabelSum, r.testLabelSum]).toEqual([sum(trainLabels), sum(testLabels)]);
    expect(r.lastTrainImage).toEqual(Array.from(raw("train-images-idx3-ubyte.gz").subarray(16 + 59999 * 784)));
    expect(r.xShape).toEqual([2, 784]);
    expect(r.x01).toEqual(Array.from(raw("t10k-images-idx3-ubyte.gz").subarray(16, 16 + 2 * 784)));
  });

  it("a missing file is an error naming the function, its URL and status", async () => {
    const m = await call<string>("loadError", "/nothing-here/");
    expect(m).toBe(`loadMnistFromUrls: ${opened.server.origin}/nothing-here/train-labels-idx1-ubyte.gz: HTTP 404 Not Found`);
  });

  // the docs' call as printed: a relative string (it threw "Failed to construct 'URL': Invalid base URL")
  it.each(["/sample/", "sample", "./sample/"])("a relative base URL (%j) resolves against the page", async (base) => {
    const r = await call<{ source?: string; trainCount?: number; testCount?: number; firstLabels?: number[]; error?: string }>("relativeOnPage", base);
    expect(r.error).toBeUndefined();
    expect(r).toEqual({ source: `${opened.server.origin}/sample/`, trainCount: 700, testCount: 200, firstLabels: [9, 0, 0, 3, 0] });
  });

  it("a relative base URL resolves against the worker's location in a Web Worker", async () => {
    const r = await call<{ source?: string; trainCount?: number; error?: string }>("relativeInWorker", "/sample/");
    expect(r).toEqual({ source: `${opened.server.origin}/sample/`, trainCount: 700, testCount: 200, firstLabels: [9, 0, 0, 3, 0] });
  });

  it("corrupt gzip bytes are an error naming the file", async () => {
    const m = await call<string>("corruptBytes");
    expect(m).toMatch(/^train-images-idx3-ubyte: corrupt gzip data \(.+\)$/);
  });
});

describe.runIf(have("chromium"))("network limits in Chromium", () => {
  const limited = (kind: "mnist" | "wasm" | "init", url: string, limits: object) => call<{ message: string; ms: number }>("limited", kind, url, limits);

  it("loadMnistFromUrls: a trickling body is cut off at the deadline, naming the URL and the limit", async () => {
    const r = await limited("mnist", `${slowOrigin}/trickle/`, { deadlineMs: 1200, minBytesPerSecond: 0 });
    expect(r.message).toMatch(new RegExp(`^loadMnistFromUrls: ${slowOrigin}/trickle/train-labels-idx1-ubyte\\.gz: read failed \\(.*not complete within the 1200 ms deadline \\(deadlineMs; \\d+ bytes received\\)\\)$`));
    expect(r.ms).toBeLessThan(1200 + 1500);
  });

  it("loadMnistFromUrls: a server that never answers is cut off", async () => {
    const r = await limited("mnist", `${slowOrigin}/silent/`, { timeoutMs: 600 });
    expect(r.message).toBe(`loadMnistFromUrls: ${slowOrigin}/silent/train-labels-idx1-ubyte.gz: request failed: no data for 600 ms (timed out)`);
    expect(r.ms).toBeLessThan(600 + 1500);
  });

  it("init's wasm fetch: a trickling wasm is cut off by the minimum rate during streaming compilation", async () => {
    // a fresh page: init() must be the first thing that touches the core
    const fresh = await opened.browser.newPage();
    try {
      await fresh.goto(`${opened.server.origin}/index.html`);
      await fresh.waitForFunction(() => (globalThis as { __ready?: boolean }).__ready === true);
      const url = `${slowOrigin}/trickle/scratchnet.wasm`;
      const r = await fresh.evaluate(([u]) => (globalThis as unknown as { limited: (k: string, u: string, l: object) => Promise<{ message: string; ms: number }> })
        .limited("init", u, { minBytesPerSecond: 50, rateWindowMs: 500 }), [url] as const);
      expect(r.message).toMatch(new RegExp(`^scratchnet\\.init: the wasm download from ${url} was cut off: too slow: \\d bytes in the last 500 ms, below the minimum of 50 bytes/s \\(minBytesPerSecond\\)$`));
      expect(r.ms).toBeLessThan(500 + 1500);
    } finally {
      await fresh.close();
    }
  });

  it("init's wasm fetch: a server that never answers is cut off", async () => {
    const r = await limited("wasm", `${slowOrigin}/silent/scratchnet.wasm`, { deadlineMs: 700 });
    expect(r.message).toBe(`scratchnet.init: could not fetch the wasm from ${slowOrigin}/silent/scratchnet.wasm: request failed: not complete within the 700 ms deadline (deadlineMs; 0 bytes received)`);
    expect(r.ms).toBeLessThan(700 + 1500);
  });
});

describe("loadMnistFromUrls in Node", () => {
  it("a relative URL with no page to resolve it against is an error naming the function and the URL", async () => {
    const { loadMnistFromUrls } = await import("../../src/index.node.js");
    await expect(loadMnistFromUrls("/data/fashion-mnist/", { dataset: "fashion-mnist" })).rejects.toThrow(
      'loadMnistFromUrls: "/data/fashion-mnist/" is not an absolute URL, and there is no page or worker location to resolve it against',
    );
  });
});
