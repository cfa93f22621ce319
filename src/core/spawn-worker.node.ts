// Node side of the thread pool: workers are worker_threads running the pool's script, unref'd
// so an idle pool never keeps the process alive. The default thread count is the machine's
// (os.availableParallelism(), at most DEFAULT_MAX_THREADS); SCRATCHNET_THREADS overrides it.
import { Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";
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

/**
 * Threads when nobody asked for a number: the cores Node may use, at most this many. Results are
 * the same for any count; more threads than this only cut the book's 100-row batches (25 tiles
 * of 4 rows) into slivers, and each worker is a V8 isolate of its own (~10 MB).
 */
export const DEFAULT_MAX_THREADS = 8;

/** SCRATCHNET_THREADS as a thread count (unset or empty: the machine's cores, at most DEFAULT_MAX_THREADS). */
export function threadsFromEnv(): number {
  const raw = process.env.SCRATCHNET_THREADS;
  if (raw === undefined || raw.trim() === "") return Math.max(1, Math.min(availableParallelism(), DEFAULT_MAX_THREADS));
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error(`SCRATCHNET_THREADS must be an integer from 1 to 64, got '${raw}'`);
  return n;
}
