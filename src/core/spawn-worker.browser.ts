// Browser side of the thread pool: a classic Web Worker from a Blob URL (no extra file to
// serve or bundle). Only used when the page is cross-origin isolated (SharedArrayBuffer).
import type { PoolWorker } from "./thread-pool.js";

/** Most threads `init()` starts by itself (as in Node: the book's batches do not split further usefully). */
const DEFAULT_MAX_THREADS = 8;
let explained = false;

/**
 * Threads when `init()` is not told: navigator.hardwareConcurrency (at most 8) in a cross-origin
 * isolated page or worker, where SharedArrayBuffer exists; otherwise 1, saying why once.
 */
export function browserDefaultThreads(): number {
  const g = globalThis as { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } };
  const cores = Math.max(1, Math.min(g.navigator?.hardwareConcurrency ?? 1, DEFAULT_MAX_THREADS));
  if (g.crossOriginIsolated === true && typeof SharedArrayBuffer === "function" && typeof Worker === "function") return cores;
  if (!explained && cores > 1) {
    explained = true;
    console.info("scratchnet: 1 thread — this page is not cross-origin isolated (serve it with COOP: same-origin and COEP: require-corp to use " +
      `its ${cores} cores; results are the same either way)`);
  }
  return 1;
}

export function spawnWebWorker(source: string): PoolWorker {
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  const worker = new Worker(url);
  URL.revokeObjectURL(url);
  return {
    post: (message) => worker.postMessage(message),
    onMessage: (handler) => worker.addEventListener("message", (e) => handler(e.data)),
    onError: (handler) => worker.addEventListener("error", (e) => handler(new Error(e.message))),
    keepAlive: () => {}, // a page's workers never keep anything alive
    terminate: () => worker.terminate(),
  };
}
