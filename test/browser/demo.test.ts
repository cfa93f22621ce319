// The demo page (web/) in headless Chromium, served by Vite's dev server as `npm run demo`
// does: load the MNIST digits from the dev server's data endpoint, train in the worker, watch
// the accuracy rise, draw a digit, save and reload the model. Leaves a screenshot in
// test-artifacts/demo.png. The page must never block its thread for more than 50 ms.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createServer, type ViteDevServer } from "vite";
import type { Page } from "playwright-core";
import { launchChromium, type Browser } from "./chromium.js";
import { REPO } from "./packed-package.js";
import { controlLongTasks } from "./control-page.js";
import { have } from "../helpers/prerequisites.js";

interface Timed { start: number; duration: number; source?: string }
const ARTIFACTS = join(REPO, "test-artifacts");

let vite: ViteDevServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!have("chromium")) return;
  vite = await createServer({ configFile: join(REPO, "web/vite.config.ts"), logLevel: "silent", server: { port: 0, strictPort: false } });
  await vite.listen();
  browser = await launchChromium();
  page = await browser.newPage();
  await page.addInitScript(() => {
    // long tasks (any task > 50 ms on the page thread) and, for diagnosis, the scripts that
    // long animation frames attribute their time to
    const w = globalThis as unknown as { __longTasks: unknown[]; __slowScripts: unknown[] };
    w.__longTasks = [];
    w.__slowScripts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: "longtask", buffered: true });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as unknown as { scripts: PerformanceEntry[] }[]) {
        for (const sc of e.scripts) w.__slowScripts.push({ start: sc.startTime, duration: sc.duration, source: (sc as unknown as { sourceURL: string }).sourceURL });
      }
    }).observe({ type: "long-animation-frame", buffered: true });
  });
  await page.goto(vite.resolvedUrls!.local[0]);
});

afterAll(async () => {
  await browser?.close();
  await vite?.close();
});

const debug = <T>(p: Page, pick: string): Promise<T> =>
  p.evaluate((k) => (globalThis as unknown as { __scratchnet: Record<string, unknown> }).__scratchnet[k], pick) as Promise<T>;

/** The page's debug state without the loss array, for error messages. */
const pageState = (): Promise<string> => page.evaluate(() => {
  const { losses: _losses, data: _data, ...rest } = (globalThis as unknown as { __scratchnet: Record<string, unknown> }).__scratchnet;
  return JSON.stringify(rest);
});

/** Set the inputs, press Start, wait for the end; what blocked the page thread meanwhile. */
async function train(settings: Record<string, number>): Promise<{ start: number; end: number; longTasks: Timed[]; slowScripts: Timed[]; longestWorkMs: number }> {
  for (const [id, v] of Object.entries(settings)) await page.fill(`#${id}`, String(v));
  // the page's longest handler, counted for this run alone
  await page.evaluate(() => { (globalThis as unknown as { __scratchnet: { longestWorkMs: number } }).__scratchnet.longestWorkMs = 0; });
  const start = await page.evaluate(() => performance.now());
  await page.click("#start");
  await page.waitForFunction(() => document.body.dataset.phase === "done", null, { timeout: 60_000 })
    .catch(async (e: Error) => { throw new Error(`${e.message}; page state ${await pageState()}`); });
  const end = await page.evaluate(() => performance.now());
  const during = (list: Timed[]) => list.filter((t) => t.start + t.duration >= start && t.start <= end);
  const w = await page.evaluate(() => {
    const g = globalThis as unknown as { __longTasks: Timed[]; __slowScripts: Timed[] };
    return { __longTasks: g.__longTasks, __slowScripts: g.__slowScripts };
  });
  return { start, end, longTasks: during(w.__longTasks), slowScripts: during(w.__slowScripts), longestWorkMs: await debug<number>(page, "longestWorkMs") };
}

/** The losses the page received from the worker. */
const lossesShown = (): Promise<number[]> => page.evaluate(() => {
  const s = (globalThis as unknown as { __scratchnet: { losses: Float64Array; lossCount: number } }).__scratchnet;
  return Array.from(s.losses.subarray(0, s.lossCount));
});

async function drawSeven(): Promise<number[]> {
  const box = (await page.locator("#pad").boundingBox())!;
  const at = (x: number, y: number) => [box.x + (x * box.width) / 280, box.y + (y * box.height) / 280] as const;
  await page.click("#clear");
  await page.mouse.move(...at(70, 60));
  await page.mouse.down();
  for (const [x, y] of [[130, 60], [210, 62], [180, 120], [150, 180], [125, 240]] as const) await page.mouse.move(...at(x, y), { steps: 6 });
  await page.mouse.up();
  await page.waitForFunction(() => JSON.parse(document.getElementById("probs")!.dataset.probs ?? "[]").length === 10);
  return JSON.parse((await page.getAttribute("#probs", "data-probs"))!);
}

describe.runIf(have("chromium"))("demo page", () => {
  let probsAfterTraining: number[];
  let savedModel: string;

  it("is cross-origin isolated (the demo server sends COOP/COEP), says how to begin, and offers the bundled digits by default", async () => {
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await page.waitForFunction(() => document.querySelectorAll("#source option[value]:not([value=''])").length > 0);
    expect(await page.textContent("#status")).toBe("Load a dataset to begin.");
    const labels = await page.locator("#source option").allTextContents();
    expect(labels.some((l) => l.includes("bundled test digits"))).toBe(true);
    // no full MNIST on this machine: the real bundled digits come first, never clothes
    if (!labels.some((l) => l.startsWith("mnist (") && !l.includes("bundled"))) {
      expect(await page.$eval("#source", (s) => (s as HTMLSelectElement).selectedOptions[0].textContent))
        .toBe("mnist (bundled test digits: 8000 train / 2000 test)");
    }
    expect(labels.findIndex((l) => l.startsWith("fashion-mnist"))).not.toBe(0);
  });

  it("loads the MNIST digits from the dev server", async () => {
    const value = await page.locator("#source option", { hasText: "bundled test digits" }).first().getAttribute("value");
    await page.selectOption("#source", value!);
    await page.click("#load-server");
    await page.waitForFunction(() => document.getElementById("data-info")!.textContent!.includes("8000 train"));
    expect(await page.locator("#grid .cell").count()).toBe(40);
    // isolated, so the worker's core runs on the page's cores (at most 8)
    const cores = await page.evaluate(() => Math.min(navigator.hardwareConcurrency, 8));
    expect(await debug<number>(page, "threads")).toBe(cores);
    await page.waitForFunction(() => document.getElementById("status")!.textContent!.includes("ready to train on"));
    expect(await page.textContent("#status")).toBe(`ready: ready to train on ${cores > 1 ? `${cores} threads` : "1 thread"}`);
  });

  it("trains in the worker: ≥ 2 epochs, accuracy rises, no long task on the page thread", async () => {
    const settings = { hidden: 50, lr: 0.1, batch: 100, iters: 400, seed: 1 };
    const runs = [await train(settings)];
    const firstLosses = await lossesShown();
    // No long task while training, and none of the page's own work (worker messages, chart
    // frames) as long as 50 ms. On a machine shared with other jobs the scheduler can stall any
    // thread for 50 ms, and the page's clock counts the stall too (CI once read a 67 ms handler),
    // so a run with either is repeated (same seed, same losses) up to twice; if every run has
    // long tasks, a control page (busy worker + a redrawn canvas, no demo code) must show them
    // too, else the demo is to blame. Handlers slow in every run are the demo's own.
    const slow = (r: Awaited<ReturnType<typeof train>>) => r.longestWorkMs >= 50 || r.slowScripts.some((t) => t.duration > 50);
    while ((runs[runs.length - 1].longTasks.length > 0 || slow(runs[runs.length - 1])) && runs.length < 3) {
      runs.push(await train(settings));
      expect(await lossesShown()).toEqual(firstLosses);
    }
    const last = runs[runs.length - 1];
    if (last.longTasks.length > 0) {
      const control = await controlLongTasks(browser, 3 * (last.end - last.start));
      await page.bringToFront();
      console.warn(`demo: long tasks in all ${runs.length} runs ${JSON.stringify(runs.map((r) => r.longTasks))}; control page: ${JSON.stringify(control)}`);
      if (control.length === 0) expect(last.longTasks).toEqual([]);
    }
    // The page's own work under 50 ms in at least one run: timed by the page itself and by
    // Chromium's long-animation-frame script attribution.
    expect(Math.min(...runs.map((r) => r.longestWorkMs))).toBeLessThan(50);
    expect(runs.some((r) => !r.slowScripts.some((t) => t.duration > 50)), JSON.stringify(runs.map((r) => r.slowScripts))).toBe(true);
    const chart = page.locator("#acc-chart");
    const epochs = Number(await chart.getAttribute("data-epochs"));
    const testAcc: number[] = JSON.parse((await chart.getAttribute("data-test-acc"))!);
    const trainAcc: number[] = JSON.parse((await chart.getAttribute("data-train-acc"))!);
    expect(epochs).toBeGreaterThanOrEqual(2);
    expect(epochs).toBe(5); // iterations 0, 80, 160, 240, 320 with 8000 rows and batch 100
    expect(testAcc[testAcc.length - 1]).toBeGreaterThan(testAcc[0] + 0.5);
    expect(trainAcc[trainAcc.length - 1]).toBeGreaterThan(0.85);
    expect(firstLosses).toHaveLength(400);
    expect(await debug<number>(page, "lossCount")).toBe(400);
    expect(await page.textContent("#status")).toMatch(/\n\d+ iterations\/s on (\d+ threads|1 thread)$/);
    expect(await page.locator("#grid .cell.wrong").count()).toBeLessThan(12);
  });

  it("predicts a drawn digit with ten probabilities summing to 1; screenshot", async () => {
    probsAfterTraining = await drawSeven();
    expect(probsAfterTraining.every((p) => p >= 0 && p <= 1)).toBe(true);
    expect(Math.abs(probsAfterTraining.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-5);
    // the run is seeded, so this is not luck: pre-processed like MNIST, the stroke reads as a 7
    expect(probsAfterTraining.indexOf(Math.max(...probsAfterTraining))).toBe(7);
    expect(await page.getAttribute("#probs", "data-predicted")).toBe("7");
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "demo.png"), fullPage: true });
  });

  it("saves the model as safetensors", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#save")]);
    savedModel = join(ARTIFACTS, "demo-model.safetensors");
    await download.saveAs(savedModel);
    const bytes = readFileSync(savedModel);
    const headerLength = Number(bytes.readBigUInt64LE(0));
    const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString("utf8"));
    expect(header.W1.shape).toEqual([784, 50]);
    expect(header.__metadata__.architecture).toBe("TwoLayerNet");
    // what it was trained on, as the CLI records it
    expect(JSON.parse(header.__metadata__.data)).toEqual({ dataset: "mnist", subset: "bundled-t10k-8000-2000", normalize: true, flatten: true });
    expect(bytes.length).toBe(8 + headerLength + 4 * (784 * 50 + 50 + 50 * 10 + 10));
  });

  it("loads the saved model back: the same predictions after training something else", async () => {
    const gridBefore = await page.locator("#grid .cell").evaluateAll((cells) => cells.map((c) => (c as HTMLElement).dataset.predicted));
    await train({ hidden: 20, lr: 0.05, batch: 50, iters: 30, seed: 2 }); // a different net
    // shorter than an epoch (8000 / 50 = 160 iterations): the status says how far it got
    await page.waitForFunction(() => document.getElementById("status")!.textContent!.includes("final, after"));
    const status = (await page.textContent("#status"))!;
    expect(status).toContain("epoch 0 (after iteration 1): train acc");
    expect(status).toMatch(/final, after 30 iterations \(0\.19 epochs\): train acc 0\.\d{4}, test acc 0\.\d{4}/);
    // the page re-predicts the drawn digit with every new model
    await page.waitForFunction((before) => JSON.stringify((globalThis as unknown as { __scratchnet: { probs: number[] } }).__scratchnet.probs) !== before, JSON.stringify(probsAfterTraining), { timeout: 10_000 })
      .catch(async (e: Error) => { throw new Error(`${e.message}; page state ${await pageState()}`); });
    await page.setInputFiles("#model-file", savedModel);
    await page.waitForFunction(() => document.getElementById("model-info")!.textContent!.includes("784-50-10"));
    await page.waitForFunction((expected) => JSON.stringify((globalThis as unknown as { __scratchnet: { probs: number[] } }).__scratchnet.probs) === expected, JSON.stringify(probsAfterTraining));
    const gridAfter = await page.locator("#grid .cell").evaluateAll((cells) => cells.map((c) => (c as HTMLElement).dataset.predicted));
    expect(gridAfter).toEqual(gridBefore);
  });

  it("draws with touch too (pointer events): a 1", async () => {
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send("Emulation.setTouchEmulationEnabled", { enabled: true, maxTouchPoints: 1 });
    const box = (await page.locator("#pad").boundingBox())!;
    const at = (x: number, y: number) => ({ x: box.x + (x * box.width) / 280, y: box.y + (y * box.height) / 280 });
    await page.click("#clear");
    await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [at(150, 50)] });
    for (let y = 60; y <= 230; y += 10) await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [at(145, y)] });
    await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
    await page.waitForFunction(() => JSON.parse(document.getElementById("probs")!.dataset.probs ?? "[]").length === 10);
    const probs: number[] = JSON.parse((await page.getAttribute("#probs", "data-probs"))!);
    expect(Math.abs(probs.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-5);
    expect(probs.indexOf(Math.max(...probs))).toBe(1);
    await cdp.detach();
  });

  it("says which setting is wrong instead of starting", async () => {
    await page.fill("#iters", "-5");
    await page.click("#start");
    await page.waitForFunction(() => document.getElementById("status")!.textContent!.includes("iters: expected an integer in [1, 1000000]"));
    expect(await debug<string>(page, "phase")).toBe("done");
  });

  it("pauses, resumes and stops a run", async () => {
    for (const [id, v] of Object.entries({ hidden: 30, lr: 0.1, batch: 100, iters: 100000, seed: 3 })) await page.fill(`#${id}`, String(v));
    await page.click("#start");
    await page.waitForFunction(() => (globalThis as unknown as { __scratchnet: { lossCount: number } }).__scratchnet.lossCount > 50);
    await page.click("#pause");
    await page.waitForFunction(() => document.body.dataset.phase === "paused");
    const atPause = await debug<number>(page, "lossCount");
    await page.waitForTimeout(300);
    expect(await debug<number>(page, "lossCount")).toBe(atPause);
    await page.click("#pause"); // now labelled Resume
    await page.waitForFunction((n) => (globalThis as unknown as { __scratchnet: { lossCount: number } }).__scratchnet.lossCount > n + 20, atPause);
    await page.click("#stop");
    await page.waitForFunction(() => document.body.dataset.phase === "stopped");
    const stoppedAt = await debug<number>(page, "lossCount");
    expect(stoppedAt).toBeGreaterThan(atPause);
    expect(stoppedAt).toBeLessThan(100000);
    // the x axis runs to 100000: every tick label, the last one included, is drawn whole
    await page.waitForFunction(() => (document.getElementById("loss-chart")!.dataset.xTicks ?? "").includes("100000"));
    const { width, ticks } = JSON.parse((await page.getAttribute("#loss-chart", "data-x-ticks"))!) as { width: number; ticks: { label: string; left: number; right: number }[] };
    expect(ticks.map((t) => t.label)).toContain("100000");
    for (const t of ticks) {
      expect(t.left, t.label).toBeGreaterThanOrEqual(0);
      expect(t.right, t.label).toBeLessThanOrEqual(width);
    }
  });

  it.runIf(have("fashion"))("loads the full Fashion-MNIST (60000 + 10000) from the system dataset directory", async () => {
    const value = await page.locator("#source option", { hasText: "fashion-mnist (system)" }).first().getAttribute("value");
    expect(value).not.toBeNull(); // CI installs Debian's dataset-fashion-mnist
    await page.selectOption("#source", value!);
    await page.click("#load-server");
    await page.waitForFunction(() => document.getElementById("data-info")!.textContent!.includes("60000 train, 10000 test"), null, { timeout: 60_000 });
  });

  it.runIf(have("fashion"))("loads the four IDX files picked from disk (file input)", async () => {
    const dir = "/usr/share/datasets/fashion-mnist/";
    await page.selectOption("#pick-set", "fashion-mnist");
    await page.setInputFiles("#files", ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"].map((f) => dir + f));
    await page.waitForFunction(() => document.getElementById("data-info")!.textContent!.startsWith("4 fashion-mnist files from disk: 60000 train, 10000 test"), null, { timeout: 60_000 });
    expect(await page.textContent("#data-info")).toContain("clothing: Fashion-MNIST's ten classes, not digits");
    expect(await page.locator("#grid .cell").count()).toBe(40);
  });

  it.runIf(have("fashion"))("a Fashion model: clothing captions, and the pad says it knows clothes instead of reading digits", async () => {
    await train({ hidden: 30, lr: 0.1, batch: 100, iters: 120, seed: 4 });
    const captions = await page.locator("#grid .cell span").allTextContents();
    const fashion = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];
    // the first test image is an ankle boot (label 9): never captioned "9"
    expect(await page.getAttribute("#grid .cell >> nth=0", "data-label")).toBe("9");
    expect(captions.every((c) => fashion.includes(c.replace(/ \(.*\)$/, "")))).toBe(true);
    expect(captions.some((c) => /^\d/.test(c))).toBe(false);
    expect(await page.textContent("#model-info")).toContain("trained on fashion-mnist");
    expect(await page.getAttribute("#pad", "class")).toContain("disabled");
    expect(await page.textContent("#pad-note")).toContain("This model knows clothes (Fashion-MNIST), not digits");
    expect(await debug<number[] | null>(page, "probs")).toBeNull();
    // the digits model saved earlier knows digits again: the pad comes back
    await page.setInputFiles("#model-file", savedModel);
    await page.waitForFunction(() => document.getElementById("model-info")!.textContent!.includes("trained on mnist"), null, { timeout: 10_000 })
      .catch(async (e: Error) => { throw new Error(`${e.message}; model-info ${await page.textContent("#model-info")}; page state ${await pageState()}`); });
    expect(await page.getAttribute("#pad", "class")).not.toContain("disabled");
    expect(await page.textContent("#pad-note")).toBe("");
  });

  it("logged no errors", async () => {
    expect(await debug(page, "error")).toBeNull();
    expect(browser.errors).toEqual([]);
  });
});
