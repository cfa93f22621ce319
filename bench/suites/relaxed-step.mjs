#!/usr/bin/env node
// The step row of the opt-in relaxed-SIMD build (fused multiply-add; not bit-identical), as a
// child process of suites/timed.mjs, since one process holds one core:
//
//   node bench/suites/relaxed-step.mjs --data <IDX dir> [--quick]
//
// Node 20 compiles relaxed SIMD only behind the V8 flag --experimental-wasm-relaxed-simd: this
// script turns it on with the CLI's own allowRelaxedSimd (src/cli/relaxed-simd.ts), which sets
// it only where the engine lacks relaxed SIMD without it.
// Same net, seed, minibatches and tinybench settings as the in-process scratchnet rows
// (suites/scratchnet.mjs); prints one JSON line, { stats, loss }, the shape bench.py prints.
import { Bench } from "tinybench";
import { init } from "../../dist/index.node.js";
import { allowRelaxedSimd } from "../../dist/cli/relaxed-simd.js";
import { loadFashion, RECIPE } from "../common/data.mjs";
import { createScratchnet } from "./scratchnet.mjs";
import { stepBenchOptions } from "./step-options.mjs";

const args = process.argv.slice(2);
const at = args.indexOf("--data");
if (at < 0 || args[at + 1] === undefined) throw new Error("bench/suites/relaxed-step.mjs: --data <directory of the four IDX files> is required");
const quick = args.includes("--quick");

allowRelaxedSimd();
await init({ threads: 1, simd: "relaxed" }); // throws, saying why, where the engine still lacks it
const s = createScratchnet({ dtype: "float32", threads: 1 }, RECIPE, loadFashion(args[at + 1]));
const bench = new Bench({ name: "relaxed step", ...stepBenchOptions(quick) });
bench.add("step", () => s.step());
await bench.run();
const r = bench.tasks[0].result;
if (r?.state !== "completed") throw new Error(`bench/suites/relaxed-step.mjs: the step did not complete (${r?.error?.message ?? r?.state})`);
const stats = { meanMs: r.latency.mean, medianMs: r.latency.p50, rme: r.latency.rme, samples: r.latency.samplesCount };
console.log(JSON.stringify({ stats, loss: s.loss() }));
process.exit(0); // the pool's worker (none on one thread) must not hold the process
