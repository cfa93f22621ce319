// Browser side of test/browser/threads.test.ts: a cross-origin isolated page (the test server
// sends COOP/COEP) that starts the library with its default settings, which there means the
// threaded build on navigator.hardwareConcurrency threads, asks for exactly 2, and runs the
// same seeded training as Node (seeded-run.ts) plus a few SimpleConvNet steps and a run with
// per-epoch accuracy (counted by the worker while the steps go on) and one on dense rows (the
// fused step cut into stages over x·W1's steps), reporting how many chunks the page's worker took.
import { init, getThreads, setThreads, type DType } from "../../src/index.browser.js";
import { getCore } from "../../src/core/core.js"; // not internal.ts: that also exports a Node-only helper
import { convRun, denseRun, epochRun, seededRun, webCryptoSha256, type SeededRunResult } from "./seeded-run.js";
import { loadDigits } from "./load-digits.js";

export interface IsolatedRunResult extends SeededRunResult {
  threads: number;
  defaultThreads: number;
  workerChunks: number;
  convParamHash: string;
  convLosses: number[];
  epochAccs: number[][];
  epochParamHash: string;
  denseLosses: number[];
  denseParamHash: string;
  denseStages: number[];
}

let defaultThreads = 0;

async function runThreaded(dtype: DType): Promise<IsolatedRunResult> {
  if (defaultThreads === 0) {
    await init(); // the page's default: isolated, so the threaded build on its cores
    defaultThreads = getThreads();
  }
  await setThreads(2);
  const before = getCore().exports.workerChunks();
  const { images, labels } = await loadDigits();
  const run = await seededRun(images, labels, dtype, webCryptoSha256);
  const conv = await convRun(images, labels, dtype, webCryptoSha256);
  const epochs = await epochRun(images, labels, dtype, webCryptoSha256);
  const dense = await denseRun(images, labels, dtype, webCryptoSha256, () => getCore().exports.lastStepStages());
  return { ...run, ...conv, ...epochs, ...dense, threads: getThreads(), defaultThreads, workerChunks: getCore().exports.workerChunks() - before };
}

Object.assign(globalThis, { runThreaded });
(globalThis as { __ready?: boolean }).__ready = true;
