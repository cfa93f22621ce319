// Browser side of test/browser/identical.test.ts, bundled by esbuild. The page decodes the
// served MNIST .gz files itself, runs the seeded run on its main thread, and can hand the
// same job to a Web Worker (identical-worker.ts) together with the compiled wasm module.
import { init, type DType } from "../../src/index.browser.js";
import { seededRun, webCryptoSha256, type SeededRunResult } from "./seeded-run.js";
import { loadDigits } from "./load-digits.js";

const WASM_URL = new URL("/build/scratchnet.wasm", location.href);

async function runOnMainThread(dtype: DType): Promise<SeededRunResult> {
  await init(WASM_URL);
  const { images, labels } = await loadDigits();
  return seededRun(images, labels, dtype, webCryptoSha256);
}

async function runInWorker(dtype: DType): Promise<SeededRunResult> {
  // compiled here, posted to the worker: the worker exercises init(WebAssembly.Module), the edge-runtime path
  const module = await WebAssembly.compileStreaming(fetch(WASM_URL));
  const worker = new Worker(new URL("./identical-worker.js", import.meta.url), { type: "module" });
  try {
    return await new Promise<SeededRunResult>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<{ result?: SeededRunResult; error?: string }>) =>
        e.data.error ? reject(new Error(`worker: ${e.data.error}`)) : resolve(e.data.result!);
      worker.onerror = (e) => reject(new Error(`worker: ${e.message}`));
      worker.postMessage({ dtype, module });
    });
  } finally {
    worker.terminate();
  }
}

Object.assign(globalThis, { runOnMainThread, runInWorker });
(globalThis as { __ready?: boolean }).__ready = true;
