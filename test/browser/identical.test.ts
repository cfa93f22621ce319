// Node, a Chromium page and a Chromium Web Worker run the same seeded training (see
// test/browser/seeded-run.ts) and must agree bit for bit: the loss sequence, the parameters
// after 300 steps and the test accuracy, in float32 and float64. The page is served without
// COOP/COEP, so it is not cross-origin isolated, and the library must not need it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import type { Page } from "playwright-core";
import { init, type DType } from "../../src/index.node.js";
import { RUN, seededRun, type SeededRunResult } from "./seeded-run.js";
import { openTestPage, type TestPage } from "./test-page.js";
import { MNIST_DIR, mnistTestSet } from "../helpers/mnist.js";
import { have } from "../helpers/prerequisites.js";

const nodeSha256 = async (bytes: Uint8Array): Promise<string> => createHash("sha256").update(bytes).digest("hex");

let opened: TestPage;
let page: Page;

beforeAll(async () => {
  if (!have("chromium")) return;
  await init();
  opened = await openTestPage(["test/browser/identical-page.ts", "test/browser/identical-worker.ts"], { "/mnist/": MNIST_DIR });
  page = opened.page;
});

afterAll(async () => {
  await opened?.close();
});

function inChromium(where: "runOnMainThread" | "runInWorker", dtype: DType): Promise<SeededRunResult> {
  return page.evaluate(([fn, d]) => (globalThis as unknown as Record<string, (d: string) => Promise<SeededRunResult>>)[fn](d), [where, dtype] as const);
}

describe.runIf(have("chromium")).each(["float32", "float64"] as const)("%s: Node = Chromium page = Chromium worker", (dtype) => {
  let node: SeededRunResult;

  beforeAll(async () => {
    const { images, labels } = mnistTestSet();
    node = await seededRun(images, labels, dtype, nodeSha256);
  });

  it("the Node run learns (so the comparison is about a real training run)", () => {
    expect(node.losses).toHaveLength(RUN.iters);
    expect(node.losses[0]).toBeGreaterThan(2.2); // ≈ ln 10 at the start
    const last20 = node.losses.slice(-20).reduce((a, b) => a + b, 0) / 20;
    expect(last20).toBeLessThan(0.6);
    expect(node.testAcc).toBeGreaterThan(0.8);
  });

  it.each(["runOnMainThread", "runInWorker"] as const)("%s gives identical bits", async (where) => {
    const web = await inChromium(where, dtype);
    expect(web.crossOriginIsolated).toBe(false);
    expect(web.sharedArrayBufferExposed).toBe(false);
    expect(web.sharedMemory).toBe(false);
    expect(web.losses).toEqual(node.losses); // shows the first differing step if any
    expect(web.lossHash).toBe(node.lossHash);
    expect(web.paramHash).toBe(node.paramHash);
    expect(web.testAcc).toBe(node.testAcc);
  });
});

describe.runIf(have("chromium"))("the browser side", () => {
  it("logged no errors", () => {
    expect(opened.browser.errors).toEqual([]);
  });
});
