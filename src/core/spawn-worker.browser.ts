// Browser side of the thread pool: a classic Web Worker from a Blob URL (no extra file to
// serve or bundle). Only used when the page is cross-origin isolated (SharedArrayBuffer).
import type { PoolWorker } from "./thread-pool.js";

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
