// Threads in a real browser: a Chromium page served with COOP/COEP (cross-origin isolated, as
// the demo's server sends them) starts scratchnet with its defaults — the threaded build on
// navigator.hardwareConcurrency threads — sets 2, and runs the seeded training of
// browser-identical.test.ts (300 steps, the accuracy pass), four SimpleConvNet steps and 60 steps
// on dense rows (the fused step in stages). Its worker must take chunks, and every bit must equal Node's.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import type { Page } from "playwright-core";
import { init, setThreads, type DType } from "../../src/index.node.js";
import { getCore } from "../../src/internal.js";
import { convRun, denseRun, epochRun, seededRun, type SeededRunResult } from "./seeded-run.js";
import { openTestPage, type TestPage } from "./test-page.js";
import type { IsolatedRunResult } from "./isolated-page.js";
import { MNIST_DIR, mnistTestSet } from "../helpers/mnist.js";
import { have } from "../helpers/prerequisites.js";

const nodeSha256 = async (bytes: Uint8Array): Promise<string> => createHash("sha256").update(bytes).digest("hex");

let opened: TestPage;
let page: Page;

beforeAll(async () => {
  if (!have("chromium")) return;
  await init({ threads: 2 });
  opened = await openTestPage(["test/browser/isolated-page.ts"], { "/mnist/": MNIST_DIR }, { isolated: true });
  page = opened.page;
});

afterAll(async () => {
  await opened?.close();
});

describe.runIf(have("chromium")).each(["float32", "float64"] as const)("%s: Node = a cross-origin isolated Chromium page on 2 threads", (dtype: DType) => {
  let node: SeededRunResult & { convParamHash: string; convLosses: number[]; epochAccs: number[][]; epochParamHash: string }
    & { denseLosses: number[]; denseParamHash: string; denseStages: number[] };
  let web: IsolatedRunResult;

  beforeAll(async () => {
    await setThreads(2);
    const { images, labels } = mnistTestSet();
    node = {
      ...(await seededRun(images, labels, dtype, nodeSha256)), ...(await convRun(images, labels, dtype, nodeSha256)),
      ...(await epochRun(images, labels, dtype, nodeSha256)),
      ...(await denseRun(images, labels, dtype, nodeSha256, () => getCore().exports.lastStepStages())),
    };
    web = await page.evaluate((d) => (globalThis as unknown as { runThreaded: (d: string) => Promise<IsolatedRunResult> }).runThreaded(d), dtype);
  });

  it("the page is isolated, its default is the threaded build on its cores, and its worker works", () => {
    expect(web.crossOriginIsolated).toBe(true);
    expect(web.sharedMemory).toBe(true);
    expect(web.defaultThreads).toBeGreaterThanOrEqual(Math.min(2, 8)); // hardwareConcurrency here is ≥ 2
    expect(web.threads).toBe(2);
    expect(web.workerChunks, "chunks run by the page's worker").toBeGreaterThan(0);
    expect(getCore().pool?.threads).toBe(2);
  });

  it("gives Node's bits: losses, parameters, the threaded accuracy pass, the threaded convolutions", () => {
    expect(web.losses).toEqual(node.losses);
    expect(web.lossHash).toBe(node.lossHash);
    expect(web.paramHash).toBe(node.paramHash);
    expect(web.testAcc).toBe(node.testAcc);
    expect(web.convLosses).toEqual(node.convLosses);
    expect(web.convParamHash).toBe(node.convParamHash);
  });

  it("gives Node's bits on dense rows, where the fused step goes as 2 stages over x·W1's steps", () => {
    expect(web.denseStages).toEqual([2]);
    expect(node.denseStages).toEqual([2]);
    expect(web.denseLosses).toEqual(node.denseLosses);
    expect(web.denseParamHash).toBe(node.denseParamHash);
    expect(node.denseLosses[59]).toBeLessThan(node.denseLosses[0]);
  });

  it("gives Node's per-epoch accuracies, counted by the worker while the steps go on, and Node's model", async () => {
    expect(web.epochAccs).toEqual(node.epochAccs);
    expect(web.epochParamHash).toBe(node.epochParamHash);
    expect(node.epochAccs[0]).toHaveLength(5);
    // and one thread in Node gives the same (the background counting changes no bit)
    await setThreads(1);
    const { images, labels } = mnistTestSet();
    const one = await epochRun(images, labels, dtype, nodeSha256);
    await setThreads(2);
    expect(one).toEqual({ epochAccs: node.epochAccs, epochParamHash: node.epochParamHash });
  });
});
