// The browser-safe loaders in headless Chromium: loadMnistFromUrls over the real Fashion-MNIST
// files (served from /usr/share/datasets by a local server) gives exactly what Node reads,
// and bad input fails with the same messages.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import * as esbuild from "esbuild";
import type { Page } from "playwright-core";
import { launchChromium, type Browser } from "./browser/chromium.js";
import { serveStatic, type StaticServer } from "./browser/static-server.js";
import { REPO } from "./browser/packed-package.js";
import { FASHION_DIR } from "./helpers/mnist.js";
import { SAMPLE_DIR } from "../src/data/load-mnist.node.js";

let outDir: string;
let server: StaticServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), "scratchnet-data-browser-"));
  await esbuild.build({
    entryPoints: [join(REPO, "test/browser/data-page.ts")],
    bundle: true, format: "esm", platform: "browser", outdir: outDir, logLevel: "silent",
  });
  writeFileSync(join(outDir, "index.html"),
    '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="./data-page.js"></script>');
  server = await serveStatic({ "/": outDir, "/build/": join(REPO, "build"), "/fashion/": FASHION_DIR, "/sample/": SAMPLE_DIR });
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(`${server.origin}/index.html`);
  await page.waitForFunction(() => (globalThis as { __ready?: boolean }).__ready === true);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

const call = <T>(fn: string, ...args: unknown[]): Promise<T> =>
  page.evaluate(([f, a]) => (globalThis as unknown as Record<string, (...x: unknown[]) => Promise<unknown>>)[f as string](...(a as unknown[])), [fn, args] as const) as Promise<T>;

const raw = (file: string): Buffer => gunzipSync(readFileSync(join(FASHION_DIR, file)));
const sum = (b: Uint8Array): number => b.reduce((a, v) => a + v, 0);

describe("loadMnistFromUrls in Chromium", () => {
  it("loads the full Fashion-MNIST (60000 + 10000) exactly as the files hold it", async () => {
    const r = await call<{
      source: string; isSample: boolean; trainCount: number; testCount: number; firstTrainLabels: number[];
      trainLabelSum: number; testLabelSum: number; lastTrainImage: number[]; x01: number[]; xShape: number[];
    }>("loadFromUrls", "/fashion/", "fashion-mnist");
    const trainLabels = raw("train-labels-idx1-ubyte.gz").subarray(8), testLabels = raw("t10k-labels-idx1-ubyte.gz").subarray(8);
    expect(r.source).toBe(`${server.origin}/fashion/`);
    expect([r.trainCount, r.testCount, r.isSample]).toEqual([60000, 10000, false]);
    expect(r.firstTrainLabels).toEqual(Array.from(trainLabels.subarray(0, 10)));
    expect([r.trainLabelSum, r.testLabelSum]).toEqual([sum(trainLabels), sum(testLabels)]);
    expect(r.lastTrainImage).toEqual(Array.from(raw("train-images-idx3-ubyte.gz").subarray(16 + 59999 * 784)));
    expect(r.xShape).toEqual([2, 784]);
    expect(r.x01).toEqual(Array.from(raw("t10k-images-idx3-ubyte.gz").subarray(16, 16 + 2 * 784)));
  });

  it("a missing file is an error naming its URL and status", async () => {
    const m = await call<string>("loadError", "/nothing-here/");
    expect(m).toBe(`${server.origin}/nothing-here/train-labels-idx1-ubyte.gz: HTTP 404 Not Found`);
  });

  it("corrupt gzip bytes are an error naming the file", async () => {
    const m = await call<string>("corruptBytes");
    expect(m).toMatch(/^train-images-idx3-ubyte: corrupt gzip data \(.+\)$/);
  });
});
