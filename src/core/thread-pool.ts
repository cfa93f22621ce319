// Workers that run the threaded wasm build on the same shared memory as the main thread.
// The wasm side (assembly/gemm/threads.ts) does all synchronisation with atomics on a 256-byte
// control block; this file only spawns workers, hands each the module, the memory and its
// index, and says how many threads take part once every worker is up. Nothing here runs per
// step. Workers are platform objects (worker_threads in Node, Web Workers in browsers) made
// by a `spawn` function the entry point provides, so this file imports nothing platform-specific.

/** What the pool needs from a worker. */
export interface PoolWorker {
  post(message: unknown): void;
  onMessage(handler: (message: unknown) => void): void;
  onError(handler: (error: unknown) => void): void;
  /**
   * Whether this worker keeps the process alive (Node; a no-op in browsers). Only while it
   * starts and someone awaits that; an idle pool must never hold a finished script open.
   */
  keepAlive(on: boolean): void;
  terminate(): void;
}

/** Makes a worker running `source` (plain JS, valid both as a CommonJS Node worker and a classic Web Worker). */
export type SpawnWorker = (source: string) => PoolWorker;

interface ThreadExports {
  threadsAttach(ctrl: number, index: number): void;
  setThreadCount(n: number): void;
  threadCount(): number;
  threadGeneration(): number;
  finishBackground(): void;
}

/** Bytes of the control block (assembly/gemm/threads.ts: 64 bytes of words, then the job's kind and arguments). */
export const CONTROL_BLOCK_BYTES = 256;
/** A worker that is not up after this long is reported as an error. */
const START_TIMEOUT_MS = 20_000;

/**
 * How long a worker spins for the next job before it sleeps (ms). Inside a training step the
 * jobs come tens of microseconds apart (the fused TwoLayerNet step: the forward's job, then the
 * weight-gradient job after a few µs); waking a sleeping thread costs 10–30 µs here (a
 * futex round trip through the hypervisor), as long as the whole gap, and the job would be half
 * done by the main thread before the worker arrived. So a worker spins through the gaps inside
 * a step, into the update. Between steps it does not: the update is published `idleAfter`
 * (assembly/gemm/threads.ts), because the loop's bookkeeping, the next draw, plan and panels
 * take longer than this spin on the main thread, and spinning through them was all waste (per-
 * step user CPU on two threads 1.36× → 1.20–1.22× that of one, `bench/thread-cpu.mjs`); the
 * next step wakes it as it starts (`wakeWorkers` in assembly/gemm/threads.ts). Anything longer (a slow callback, the end of a run, an idle pool) it sleeps through, where
 * spinning would only burn a core.
 */
export const WORKER_SPIN_MS = 0.05;
let spinMs = WORKER_SPIN_MS;

/** Internal (bench, tests): the spin time of workers started from now on (ms; 0 = sleep at once). */
export function setWorkerSpinMs(ms: number): void {
  spinMs = ms;
}
/** Polls of the job word per wasm call while spinning (~a microsecond; the clock is read between calls). */
const POLLS_PER_CALL = 500;

// Runs inside each worker. The memory is the main thread's shared WebAssembly.Memory.
export const WORKER_SOURCE = `
const isNode = typeof require === "function" && typeof process === "object";
const port = isNode ? require("node:worker_threads").parentPort : self;
const post = (m) => port.postMessage(m);
const start = ({ module, memory, ctrl, index, seen, spinMs }) => {
  try {
    const instance = new WebAssembly.Instance(module, { env: { memory, abort() { throw new Error("scratchnet worker: wasm abort"); } } });
    const { threadsAttach, workerWait, workerSleep, workerRun, workerMaySpin } = instance.exports;
    threadsAttach(ctrl, index);
    post({ ready: index });
    // never returns; the pool terminates the worker. Short wasm calls, so V8 optimises them.
    for (let gen = seen; ;) {
      let next = workerWait(gen, ${POLLS_PER_CALL});
      if (next === gen) {
        if (workerMaySpin()) {
          const until = performance.now() + spinMs;
          while ((next = workerWait(gen, ${POLLS_PER_CALL})) === gen && performance.now() < until) {}
        }
        if (next === gen) next = workerSleep(gen);
      }
      gen = next;
      workerRun(index, gen);
    }
  } catch (error) {
    post({ failed: index, message: String(error && error.message || error) });
  }
};
if (isNode) port.once("message", start); else port.onmessage = (e) => start(e.data);
`;

export class ThreadPool {
  private workers: PoolWorker[] = [];
  private size = 1;

  constructor(
    private readonly module: WebAssembly.Module,
    private readonly memory: WebAssembly.Memory,
    private readonly exports: ThreadExports,
    private readonly ctrl: number,
    private readonly spawn: SpawnWorker,
  ) {
    exports.threadsAttach(ctrl, 0);
    exports.setThreadCount(1);
  }

  /** Threads taking part right now (the main thread counts). */
  get threads(): number {
    return this.size;
  }

  /**
   * Use `n` threads: stop the current workers (between jobs, so none is mid-product), start
   * n-1 new ones, and switch the wasm side over once all of them run. Until then products
   * run on the main thread — with identical results, only slower. `holdProcess`: keep the
   * process alive until the workers are up (true when the caller awaits this; false for the
   * background start of a synchronously created core, where a script that finishes first
   * should simply exit). Once up, workers never keep the process alive.
   */
  async resize(n: number, holdProcess = true): Promise<number> {
    if (n === this.size && this.workers.length === n - 1) return n;
    this.exports.finishBackground(); // a background job out (trainNet's accuracy) ends first: its chunks run on workers
    this.exports.setThreadCount(1);
    this.size = 1;
    for (const w of this.workers) w.terminate();
    this.workers = [];
    if (n <= 1) return 1;
    const seen = this.exports.threadGeneration(); // frozen while the count is 1
    const started: Promise<void>[] = [];
    for (let index = 1; index < n; index++) {
      const worker = this.spawn(WORKER_SOURCE);
      worker.keepAlive(holdProcess);
      this.workers.push(worker);
      started.push(new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`setThreads: worker ${index} did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
        (timer as { unref?: () => void }).unref?.();
        worker.onMessage((m) => {
          const msg = m as { ready?: number; failed?: number; message?: string };
          clearTimeout(timer);
          if (msg.ready === index) resolve();
          else reject(new Error(`setThreads: worker ${index} failed to start: ${msg.message ?? "unknown error"}`));
        });
        worker.onError((error) => { clearTimeout(timer); reject(error instanceof Error ? error : new Error(String(error))); });
      }));
      worker.post({ module: this.module, memory: this.memory, ctrl: this.ctrl, index, seen, spinMs });
    }
    try {
      await Promise.all(started);
    } catch (error) {
      for (const w of this.workers) w.terminate();
      this.workers = [];
      throw error;
    } finally {
      for (const w of this.workers) w.keepAlive(false);
    }
    this.exports.setThreadCount(n);
    this.size = n;
    return n;
  }
}
