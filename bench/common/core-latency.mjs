// How far apart the two threads' cores are: the one-way time of a cache line from one thread to
// the other, by a ping-pong on a SharedArrayBuffer between this thread and a worker. Why the
// thread benches print it: on a VM the host decides where the vCPUs run, and it moves them.
// On the 2-vCPU EPYC this was written on, a C ping-pong of the same kind read 50–60 ns one minute,
// when the vCPUs shared an L3 (this JS loop: ~100 ns), and 220–250 ns the next, on different
// CCDs (this JS loop: 490–660 ns) — and a second thread's cost per training step moved with it
// (docs/performance.md). A per-thread-CPU figure without this one cannot be compared.
import { Worker } from "node:worker_threads";

const ECHO = `
const { workerData } = require("node:worker_threads");
const a = new Int32Array(workerData);
let last = 0;
for (;;) {
  const v = Atomics.load(a, 0);
  if (v < 0) break;
  if (v !== last) { last = v; Atomics.store(a, 16, v); }
}`;

/**
 * Median over `rounds` of the one-way latency in ns (round trip ÷ 2, `trips` each), main thread
 * ↔ one worker. Every wait is bounded: a worker that does not answer within `timeoutMs` ends
 * the measurement with null instead of a hang.
 */
export async function coreToCoreNs({ rounds = 5, trips = 20_000, timeoutMs = 2_000 } = {}) {
  const shared = new SharedArrayBuffer(128); // the two words 64 bytes apart: two cache lines
  const words = new Int32Array(shared);
  const worker = new Worker(ECHO, { eval: true, workerData: shared });
  let seq = 0;
  const trip = (deadline) => {
    const v = ++seq;
    Atomics.store(words, 0, v);
    while (Atomics.load(words, 16) !== v) if (performance.now() > deadline) return false;
    return true;
  };
  try {
    if (!trip(performance.now() + timeoutMs)) return null; // the worker is up (or never came)
    const results = [];
    for (let r = 0; r < rounds; r++) {
      const deadline = performance.now() + timeoutMs;
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < trips; i++) if (!trip(deadline)) return null;
      results.push(Number(process.hrtime.bigint() - t0) / trips / 2);
    }
    results.sort((x, y) => x - y);
    return results[results.length >> 1];
  } finally {
    Atomics.store(words, 0, -1);
    await worker.terminate();
  }
}
