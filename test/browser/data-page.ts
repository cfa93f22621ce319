// Browser side of test/browser/data.test.ts (bundled by esbuild for the browser platform, so
// any `node:` import reachable from index.browser.ts would fail the build). Loads datasets
// with the browser-safe entry points and reports what it got.
import { init, loadMnistFromUrls, loadMnistFromBytes } from "../../src/index.browser.js";
import { fetchWasm } from "../../src/core/fetch-wasm.js";
import type { NetworkLimits } from "../../src/core/network-limits.js";

const labelSum = (labels: Uint8Array): number => labels.reduce((a, b) => a + b, 0);

async function loadFromUrls(base: string, dataset: "mnist" | "fashion-mnist") {
  await init(new URL("/build/scratchnet.wasm", location.href));
  const { train, test, source, isSample } = await loadMnistFromUrls(new URL(base, location.href), { dataset });
  const x = test.toTensor(0, 2);
  const result = {
    source, isSample, trainCount: train.count, testCount: test.count,
    firstTrainLabels: Array.from(train.labelArray().subarray(0, 10)),
    trainLabelSum: labelSum(train.labelArray()), testLabelSum: labelSum(test.labelArray()),
    lastTrainImage: Array.from(train.image(train.count - 1)),
    x01: Array.from(x.x.data.subarray(0, 784 * 2)).map((v) => Math.round(v * 255)),
    xShape: x.x.shape,
  };
  train.free();
  test.free();
  return result;
}

async function loadError(base: string): Promise<string> {
  await init(new URL("/build/scratchnet.wasm", location.href));
  try {
    await loadMnistFromUrls(new URL(base, location.href), { dataset: "fashion-mnist" });
    return "no error";
  } catch (e) {
    return (e as Error).message;
  }
}

async function corruptBytes(): Promise<string> {
  await init(new URL("/build/scratchnet.wasm", location.href));
  const get = async (f: string) => new Uint8Array(await (await fetch(`/sample/${f}`)).arrayBuffer());
  const trainImages = await get("train-images-idx3-ubyte.gz");
  trainImages[200] ^= 0xff; // flip bits inside the deflate stream
  try {
    await loadMnistFromBytes({
      trainImages, trainLabels: await get("train-labels-idx1-ubyte.gz"),
      testImages: await get("t10k-images-idx3-ubyte.gz"), testLabels: await get("t10k-labels-idx1-ubyte.gz"),
    }, { dataset: "fashion-mnist" });
    return "no error";
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * A load that must be cut off by `limits`: its message and how long it took. "init" must run in
 * a fresh page (nothing has created the core yet); "wasm" compiles what fetchWasm hands over.
 */
async function limited(kind: "mnist" | "wasm" | "init", url: string, limits: NetworkLimits): Promise<{ message: string; ms: number }> {
  if (kind !== "init") await init(new URL("/build/scratchnet.wasm", location.href));
  const started = performance.now();
  try {
    if (kind === "mnist") await loadMnistFromUrls(url, { dataset: "mnist", ...limits });
    else if (kind === "wasm") await WebAssembly.compileStreaming(await fetchWasm(url, limits) as Response);
    else await init({ wasm: url, ...limits });
    return { message: "no error", ms: performance.now() - started };
  } catch (e) {
    return { message: (e as Error).message, ms: performance.now() - started };
  }
}

/** loadMnistFromUrls with the base exactly as a user writes it: a relative string, on the page. */
async function relativeOnPage(base: string) {
  await init(new URL("/build/scratchnet.wasm", location.href));
  try {
    const { train, test, source } = await loadMnistFromUrls(base, { dataset: "fashion-mnist" });
    return { source, trainCount: train.count, testCount: test.count, firstLabels: Array.from(train.labelArray().subarray(0, 5)) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** The same from a module Web Worker (no document: the worker's location is the base). */
function relativeInWorker(base: string) {
  const worker = new Worker(new URL("./data-worker.js", import.meta.url), { type: "module" });
  return new Promise((resolve) => {
    worker.onmessage = (e: MessageEvent<{ result?: unknown; error?: string }>) => { worker.terminate(); resolve(e.data.result ?? { error: e.data.error }); };
    worker.onerror = (e) => { worker.terminate(); resolve({ error: `worker: ${e.message}` }); };
    worker.postMessage({ base });
  });
}

Object.assign(globalThis, { loadFromUrls, loadError, corruptBytes, limited, relativeOnPage, relativeInWorker });
(globalThis as { __ready?: boolean }).__ready = true;
