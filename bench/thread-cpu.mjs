#!/usr/bin/env node
// What a second thread costs: the per-step CPU time (user and system, process.cpuUsage(): every
// thread of the process) and wall time of the book's training loop — trainNet, TwoLayerNet
// 784-50-10, batch 100, SGD, no evaluation — on 1 thread and on 2 (the same threaded build, a
// pool of one or two), alternating in rounds so a busy machine's load falls on both alike.
// Issue 12's target: user CPU per step at 2 threads ≤ 1.15× that at 1 thread.
//
//   npm run build && node bench/thread-cpu.mjs [--data fashion|mnist] [--steps 1000] [--rounds 8] [--spin MS,MS…] [--no-two-processes]
//
// --spin times the workers' spin before they sleep (src/core/thread-pool.ts, WORKER_SPIN_MS):
// each value is its own set of rounds, so the choice can be re-measured on another machine.
// A second table splits the CPU by thread (Linux: /proc/self/task/*/schedstat, nanoseconds on
// a CPU): the main thread, and every other thread (the pool's worker, V8's and libuv's helpers),
// so "where does the second thread's CPU go" has an answer instead of a guess; the first table's
// last column is the same sum as a ratio (the scheduler's own count, beside getrusage's). Before each
// round it times a cache line's trip between two threads (common/core-latency.mjs): where the
// host put the vCPUs, which moves the second thread's cost more than most code changes do. After
// each round (unless --no-two-processes) it times the one-thread loop in a child process while
// another child trains in 50-ms bursts (common/paired-floor.mjs): how much slower one core runs
// while the other works is a floor under any second thread's CPU (1.01–1.02 on the model 207 VM,
// docs/performance.md), so the last line divides the round's ratio by it: what the step's own
// coordination adds.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import * as sn from "../dist/index.node.js";
import { setWorkerSpinMs } from "../dist/internal.js";
import { coreToCoreNs } from "./common/core-latency.mjs";
import { pairedFloor } from "./common/paired-floor.mjs";

const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const data = opt("--data", "fashion"), STEPS = Number(opt("--steps", 1000)), ROUNDS = Number(opt("--rounds", 8));
const spins = opt("--spin", null)?.split(",").map(Number) ?? [null];
const TWO_PROCESSES = !args.includes("--no-two-processes");

const FASHION = "/usr/share/datasets/fashion-mnist/";
const dir = data === "fashion" ? FASHION : new URL("../data-sample/mnist/", import.meta.url).pathname;
const prefix = data === "fashion" ? "train" : "t10k";
if (!existsSync(`${dir}${prefix}-images-idx3-ubyte.gz`)) throw new Error(`bench/thread-cpu: ${data} not found in ${dir}`);
const idx = (f, d) => sn.parseIdx(gunzipSync(readFileSync(dir + f)), f, d).data;

await sn.init({ threads: 2 });
const set = sn.ImageDataset.fromBytes(data, idx(`${prefix}-images-idx3-ubyte.gz`, 3), idx(`${prefix}-labels-idx1-ubyte.gz`, 1), 28, 28);
const net = new sn.TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, seed: 1 });
/** Nanoseconds on a CPU so far, per thread id of this process (empty where /proc is missing). */
function threadCpuNs() {
  const out = new Map();
  try {
    for (const tid of readdirSync("/proc/self/task")) {
      try { out.set(tid, Number(readFileSync(`/proc/self/task/${tid}/schedstat`, "utf8").split(" ")[0])); } catch { /* thread ended */ }
    }
  } catch { /* not Linux */ }
  return out;
}
/** µs per step on the main thread and on all others, between two threadCpuNs() readings. */
function splitByThread(before, after, steps) {
  let main = 0, others = 0;
  for (const [tid, ns] of after) {
    const d = ns - (before.get(tid) ?? 0);
    if (tid === String(process.pid)) main += d; else others += d;
  }
  return { main: main / 1000 / steps, others: others / 1000 / steps };
}
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

console.log(`bench/thread-cpu — trainNet steps (TwoLayerNet 784-50-10, batch 100, SGD, no evaluation) on ${data}, ` +
  `${ROUNDS} rounds × ${STEPS} steps per thread count, alternating; µs per step, medians over rounds`);
console.log("| worker spin | wall 1t | wall 2t | user 1t | user 2t | sys 1t | sys 2t | user 2t ÷ 1t (median of rounds) | (user+sys) 2t ÷ 1t | on a CPU (schedstat) 2t ÷ 1t |");
console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
const byThread = [];
const floors = []; // per round: how much a busy second core slows one-thread training, and this round's 2t ÷ 1t on a CPU
const latencies = []; // core-to-core one-way ns before each round (common/core-latency.mjs: where the host put the vCPUs)
for (const spin of spins) {
  if (spin !== null) setWorkerSpinMs(spin); // applies to workers started from here on (setThreads restarts them)
  const runs = { 1: [], 2: [] };
  for (let r = 0; r < ROUNDS; r++) {
    latencies.push(await coreToCoreNs());
    for (const threads of r % 2 ? [2, 1] : [1, 2]) {
      await sn.setThreads(threads);
      await sn.trainNet(net, { train: set, test: set }, { itersNum: 100, evaluate: false, seed: r }); // warm
      const t0 = threadCpuNs(), c0 = process.cpuUsage(), w0 = performance.now();
      await sn.trainNet(net, { train: set, test: set }, { itersNum: STEPS, evaluate: false, seed: r });
      const c = process.cpuUsage(c0);
      const split = splitByThread(t0, threadCpuNs(), STEPS);
      runs[threads].push({ wall: ((performance.now() - w0) * 1000) / STEPS, user: c.user / STEPS, sys: c.system / STEPS, ...split });
    }
    if (TWO_PROCESSES && spin === spins[0]) { // the machine's own floor, measured between this round's runs
      const { ratio } = await pairedFloor({ dir, prefix, seconds: 3, who: "bench/thread-cpu" });
      const mine = runs[2][r], theirs = runs[1][r];
      floors.push({ ratio, cpu: (mine.main + mine.others) / (theirs.main + theirs.others) });
    }
  }
  const m = (t, k) => median(runs[t].map((x) => x[k]));
  const ratio = median(runs[2].map((x, i) => x.user / runs[1][i].user));
  const ratioAll = median(runs[2].map((x, i) => (x.user + x.sys) / (runs[1][i].user + runs[1][i].sys)));
  // every thread's time on a CPU, from the scheduler (not Linux: no figure): over short intervals
  // process.cpuUsage() strayed from it by up to 12 % on a VM (docs/performance.md, "model 207")
  const onCpu = (x) => x.main + x.others;
  const ratioSched = runs[1].every((x) => onCpu(x) > 0) ? median(runs[2].map((x, i) => onCpu(x) / onCpu(runs[1][i]))).toFixed(3) : "n/a";
  console.log(`| ${spin ?? "default"} ms | ${m(1, "wall").toFixed(0)} | ${m(2, "wall").toFixed(0)} | ${m(1, "user").toFixed(0)} | ${m(2, "user").toFixed(0)} | ` +
    `${m(1, "sys").toFixed(1)} | ${m(2, "sys").toFixed(1)} | **${ratio.toFixed(3)}** | ${ratioAll.toFixed(3)} | ${ratioSched} |`);
  byThread.push(`| ${spin ?? "default"} ms | ${m(1, "main").toFixed(0)} | ${m(1, "others").toFixed(0)} | ${m(2, "main").toFixed(0)} | ${m(2, "others").toFixed(0)} |`);
}
if (existsSync("/proc/self/task")) {
  console.log("\nCPU by thread (µs per step on a CPU, /proc/self/task/*/schedstat; medians over rounds): the main thread, and all others (the worker, V8's and libuv's helpers)");
  console.log("| worker spin | main 1t | others 1t | main 2t | others 2t |");
  console.log("|---|---:|---:|---:|---:|");
  for (const line of byThread) console.log(line);
}
if (floors.length > 0 && floors.every((f) => Number.isFinite(f.cpu))) {
  const fmt = (a) => a.map((v) => v.toFixed(2)).join(", ");
  console.log(`\na busy second core slows one-thread training by (bench/common/paired-floor.mjs, after each round: one child process ` +
    `times its steps while another trains in 50-ms bursts): median **${median(floors.map((f) => f.ratio)).toFixed(3)}** ` +
    `[${fmt(floors.map((f) => f.ratio))}] — the floor under any second thread's cost on this machine now; the rounds' 2t ÷ 1t ` +
    `on a CPU (schedstat) divided by it, median **${median(floors.map((f) => f.cpu / f.ratio)).toFixed(3)}** ` +
    `[${fmt(floors.map((f) => f.cpu / f.ratio))}]: what the step's own coordination adds`);
}
const known = latencies.filter((v) => v !== null).sort((x, y) => x - y);
if (known.length > 0) {
  console.log(`\ncore-to-core one-way latency before each round (JS ping-pong, bench/common/core-latency.mjs): ` +
    `min ${known[0].toFixed(0)}, median ${known[known.length >> 1].toFixed(0)}, max ${known[known.length - 1].toFixed(0)} ns` +
    " — on a VM the host places the vCPUs, and a second thread's cost moves with this");
}
process.exit(0); // the pool's workers are unref'd; say so anyway
