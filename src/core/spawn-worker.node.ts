// Node side of the thread pool: workers are worker_threads running the pool's script, unref'd
// so an idle pool never keeps the process alive. SCRATCHNET_THREADS picks the default count.
import { Worker } from "node:worker_threads";
import type { PoolWorker } from "./thread-pool.js";

export function spawnNodeWorker(source: string): PoolWorker {
  const worker = new Worker(source, { eval: true });
  let alive = false;
  // Adding a 'message' listener refs the worker again (Node starts and refs its port), which
  // undid an unref() made before it and kept every finished script alive: re-apply after each.
  const apply = (): void => { if (alive) worker.ref(); else worker.unref(); };
  apply();
  return {
    post: (message) => worker.postMessage(message),
    onMessage: (handler) => { worker.on("message", handler); apply(); },
    onError: (handler) => { worker.on("error", handler); apply(); },
    keepAlive: (on) => { alive = on; apply(); },
    terminate: () => { void worker.terminate(); },
  };
}

/** SCRATCHNET_THREADS as a thread count (unset or empty: 1). */
export function threadsFromEnv(): number {
  const raw = process.env.SCRATCHNET_THREADS;
  if (raw === undefined || raw.trim() === "") return 1;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error(`SCRATCHNET_THREADS must be an integer from 1 to 64, got '${raw}'`);
  return n;
}
