#!/usr/bin/env node
// `npm run bench`: scratchnet side by side with its peers on the book's TwoLayerNet, one process,
// one table per suite, the same rows as JSON in bench/results/latest.json.
//
//   node bench/run.mjs [--quick] [--only step|eval|kernels|full[,…]] [--json PATH]
//
//   --quick       few iterations (CI smoke: checks every row runs, the numbers mean little)
//   --no-install  never run `npm ci --prefix bench/tfjs` (no network): tfjs rows skipped if absent
//   --data fashion|mnist   the step and eval suites' data (default fashion: 70 000 real rows;
//             mnist: the 10 000 real MNIST test digits tiled 7×, the book's own kind of input)
//   --only    run some suites; default step, eval and kernels (full takes minutes: ask for it,
//             or pass --only step,eval,kernels,full). full always runs both data sets (Fashion-MNIST
//             and the tiled MNIST digits), --rounds N times each (default 3), alternating
//   --rounds  full: rounds of every row (default 3; medians are reported)
// See bench/README.md for how to read the ratios.
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { rmSync } from "node:fs";
import { RECIPE, FASHION_DIR, loadFashion, loadMnistTiled, stepBatches } from "./common/data.mjs";
import { initialParams } from "./common/init.mjs";
import { machineInfo } from "./common/machine.mjs";
import { numpyMissing, writeInitFile, UNSET_FOR_NUMPY } from "./common/numpy.mjs";
import { timedTable, fullTable, addRatios } from "./common/table.mjs";
import { runTimedSuite, agreementLine } from "./suites/timed.mjs";
import { runFull } from "./suites/full.mjs";
import { prepareThreads } from "./suites/scratchnet.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
export const SUITES = ["step", "eval", "kernels", "full"];
const DEFAULT_SUITES = ["step", "eval", "kernels"];

function parseArgs(argv) {
  const opts = { quick: false, install: true, only: DEFAULT_SUITES, data: "fashion", rounds: 3, json: join(HERE, "results", "latest.json") };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--quick") opts.quick = true;
    else if (a === "--no-install") opts.install = false;
    else if (a === "--only" || a.startsWith("--only=")) {
      const v = a.includes("=") ? a.slice(7) : argv[++i];
      const list = (v ?? "").split(",").filter(Boolean);
      const bad = list.filter((s) => !SUITES.includes(s));
      if (list.length === 0 || bad.length) throw new Error(`bench: --only takes ${SUITES.join("|")} (comma-separated), got '${v ?? ""}'`);
      opts.only = list;
    } else if (a === "--data" || a.startsWith("--data=")) {
      opts.data = a.includes("=") ? a.slice(7) : argv[++i];
      if (opts.data !== "fashion" && opts.data !== "mnist") throw new Error(`bench: --data takes fashion|mnist, got '${opts.data ?? ""}'`);
    } else if (a === "--rounds" || a.startsWith("--rounds=")) {
      opts.rounds = Number(a.includes("=") ? a.slice(9) : argv[++i]);
      if (!Number.isInteger(opts.rounds) || opts.rounds < 1) throw new Error("bench: --rounds takes a positive integer");
    } else if (a === "--json" || a.startsWith("--json=")) {
      opts.json = a.includes("=") ? a.slice(7) : argv[++i];
      if (!opts.json) throw new Error("bench: --json needs a path");
    } else if (a === "-h" || a === "--help") {
      opts.help = true;
    } else throw new Error(`bench: unknown argument '${a}' (try --help)`);
  }
  return opts;
}

/** TensorFlow.js lives in bench/tfjs with its own lockfile; install it on first use. */
async function loadTfjs(log, install) {
  const dir = join(HERE, "tfjs");
  if (!existsSync(join(dir, "node_modules", "@tensorflow", "tfjs-backend-wasm"))) {
    if (!install) return { module: null, note: "skipped: not installed (npm ci --prefix bench/tfjs), and --no-install given" };
    log("TensorFlow.js not installed: npm ci --prefix bench/tfjs …");
    const r = spawnSync("npm", ["ci", "--prefix", dir, "--no-audit", "--no-fund"], { encoding: "utf8", timeout: 5 * 60_000 });
    if (r.status !== 0) return { module: null, note: `skipped: npm ci --prefix bench/tfjs failed (offline?): ${(r.stderr ?? r.error?.message ?? "").trim().split("\n").pop()}` };
  }
  try {
    const module = await import(pathToFileURL(join(dir, "step.mjs")).href);
    return { module, version: module.TFJS_VERSION };
  } catch (e) {
    return { module: null, note: `skipped: TensorFlow.js failed to load: ${e.message}` };
  }
}

/** bench/kernels.mjs (GEMM layouts + one step, wasm vs the plain-TS reference) when present. */
async function runKernels(ctx) {
  const path = join(HERE, "kernels.mjs");
  if (!existsSync(path)) return { status: "skipped", note: "bench/kernels.mjs not present" };
  const mod = await import(pathToFileURL(path).href);
  if (typeof mod.run !== "function") return { status: "skipped", note: "bench/kernels.mjs exports no run()" };
  const result = await mod.run({ quick: ctx.quick });
  return { status: "ok", result: toPlain(result) };
}

/** A tinybench Bench, an array of rows or anything JSON-able, as plain rows for the JSON file. */
function toPlain(result) {
  if (result && Array.isArray(result.tasks)) {
    return result.tasks.map((t) => ({ name: t.name, opsPerSec: t.result?.throughput?.mean, meanMs: t.result?.latency?.mean, rme: t.result?.latency?.rme }));
  }
  return JSON.parse(JSON.stringify(result ?? null));
}

function printKernels(k) {
  if (k.status !== "ok") return `(${k.note})`;
  const rows = Array.isArray(k.result) ? k.result : Array.isArray(k.result?.rows) ? k.result.rows : null;
  if (!rows || rows.length === 0 || typeof rows[0] !== "object") return "(kernels suite printed its own output above)";
  const keys = Object.keys(rows[0]).filter((key) => rows.every((r) => typeof r[key] !== "object"));
  const cell = (v) => (typeof v === "number" ? Number(v.toPrecision(4)).toString() : String(v ?? ""));
  return [`| ${keys.join(" | ")} |`, `|${keys.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${keys.map((key) => cell(r[key])).join(" | ")} |`)].join("\n");
}

function writeJsonAtomic(path, value) {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(value, null, 1) + "\n");
  renameSync(tmp, path);
}

const TITLES = {
  step: `(a) training step: TwoLayerNet ${RECIPE.inputSize}-${RECIPE.hiddenSize}-${RECIPE.outputSize}, batch ${RECIPE.batchSize}, gradient + SGD (lr ${RECIPE.learningRate})`,
  eval: { fashion: "(b) accuracy pass over all 70 000 Fashion-MNIST rows (60 000 train + 10 000 test)",
    mnist: "(b) accuracy pass over 70 000 MNIST rows (the 10 000 real test digits, 7×)" },
  kernels: "(c) kernels: GEMM layouts at the book's shapes + one step, wasm vs plain-TS reference (bench/kernels.mjs)",
  full: { fashion: (iters) => `(d) the book's full run on Fashion-MNIST: ${iters} iterations + accuracy every epoch, whole process, both sides at their defaults`,
    mnist: (iters) => `(d) the book's full run on the MNIST digits (the 10 000 bundled test digits tiled 7×, a timing proxy): ${iters} iterations + accuracy every epoch, whole process` },
};

export async function main(argv = process.argv.slice(2)) {
  const opts = parseArgs(argv);
  if (opts.help) {
    process.stdout.write(readHelp());
    return 0;
  }
  const log = (m) => process.stderr.write(`[bench] ${m}\n`);
  const threads = await prepareThreads(2); // first: the threaded core must load before any net exists
  const started = new Date();
  const machine = machineInfo();
  const missing = numpyMissing();
  const report = {
    date: started.toISOString(), command: `node bench/run.mjs ${argv.join(" ")}`.trim(), quick: opts.quick, suites: {},
    machine, recipe: RECIPE, data: opts.data === "mnist" ? "MNIST test digits tiled 7×" : FASHION_DIR,
    numpy: missing ? { skipped: missing } : { unsetEnv: Object.fromEntries(UNSET_FOR_NUMPY.map((k) => [k, process.env[k] ?? null])) },
    scratchnetThreads: threads.available ? threads.how : threads.note,
  };
  const out = [];
  const print = (s) => { out.push(s); process.stdout.write(s + "\n"); };
  print(`scratchnet bench — ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}${opts.quick ? " — QUICK (smoke numbers, not measurements)" : ""}`);
  if (missing) print(`note: numpy rows skipped: ${missing}`);

  const needsData = opts.only.some((s) => s === "step" || s === "eval");
  const ctx = { quick: opts.quick, recipe: RECIPE, log, numpyMissing: missing };
  try {
    if (needsData) {
      ctx.data = opts.data === "mnist" ? loadMnistTiled() : loadFashion();
      if (opts.data === "mnist") print(`data: ${ctx.data.count} rows = the 10 000 real MNIST test digits (${ctx.data.source}) 7×` +
        (opts.only.includes("full") ? "; the full run trains on them as a timing proxy for MNIST input (its accuracies mean nothing)" : ""));
      ctx.batches = stepBatches(ctx.data);
      ctx.init = initialParams();
      ctx.initPath = missing ? null : writeInitFile(ctx.init);
      ctx.tfjs = await loadTfjs(log, opts.install);
    }
    for (const suite of SUITES.filter((s) => opts.only.includes(s))) {
      const title = typeof TITLES[suite] === "string" ? TITLES[suite] : TITLES[suite][opts.data];
      if (suite !== "full") print(`\n${title}${suite === "step" ? ` — ${ctx.data?.name ?? ""} rows` : ""}`);
      if (suite === "step" || suite === "eval") {
        const rows = await runTimedSuite(suite, ctx);
        report.suites[suite] = rows;
        print(timedTable(rows));
        if (suite === "eval") print(agreementLine(rows));
      } else if (suite === "kernels") {
        const k = await runKernels(ctx);
        report.suites.kernels = k;
        print(printKernels(k));
      } else {
        // both data sets, alternating rounds; the MNIST digits tiled 7× as a timing proxy (the
        // net trains on repeated test digits there: its accuracy means nothing)
        const tiled = loadMnistTiled();
        try {
          const datasets = [
            { key: "fashion", label: "Fashion-MNIST", dataDir: FASHION_DIR, dataset: "fashion-mnist" },
            { key: "mnist", label: "MNIST digits", dataDir: tiled.dir, dataset: "mnist" },
          ];
          const iters = opts.quick ? 600 : RECIPE.fullIters;
          const tables = runFull({ datasets, iters, rounds: opts.quick ? 1 : opts.rounds, cores: machine.cores, numpyMissing: missing, log });
          report.suites.full = {};
          for (const d of datasets) {
            const rows = addRatios(tables[d.key], "wallMs");
            report.suites.full[d.key] = rows;
            print(`\n${TITLES.full[d.key](iters)}, ${opts.quick ? 1 : opts.rounds} round(s) alternating`);
            print(fullTable(rows));
          }
        } finally {
          rmSync(tiled.dir, { recursive: true, force: true });
        }
      }
    }
  } finally {
    if (ctx.data?.source) rmSync(ctx.data.dir, { recursive: true, force: true }); // the temporary IDX copy for numpy
    if (ctx.initPath) rmSync(dirname(ctx.initPath), { recursive: true, force: true }); // numpy's starting weights
  }
  print("\nratio = this row's time ÷ scratchnet float32 1-thread time (full: ÷ scratchnet at its defaults); higher = slower than scratchnet. " +
    "Shared or busy CPUs skew everything: rerun before quoting.");
  report.table = out.join("\n");
  writeJsonAtomic(opts.json, report);
  log(`wrote ${opts.json}`);
  return 0;
}

function readHelp() {
  return `Usage: node bench/run.mjs [--quick] [--no-install] [--data fashion|mnist] [--only ${SUITES.join("|")}[,…]] [--rounds N] [--json PATH]\n` +
    "  --data        step/eval data: fashion (default, 70 000 real rows) or mnist (the 10 000 real test digits, 7×)\n" +
    "  --quick       few iterations (CI smoke)\n" +
    "  --no-install  do not install TensorFlow.js into bench/tfjs when missing (its rows are then skipped)\n" +
    `  --only        suites to run (default ${DEFAULT_SUITES.join(",")}; 'full' runs the book's whole training run per implementation)\n` +
    "  --rounds      full: rounds of every row on each data set, alternating (default 3; medians reported)\n" +
    "  --json        where to write the JSON (default bench/results/latest.json)\n";
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then((code) => { process.exitCode = code; }, (e) => {
    // usage errors are ours and say what is wrong; anything else keeps its stack
    process.stderr.write(`${String(e?.message).startsWith("bench:") ? e.message : e?.stack ?? e}\n`);
    process.exitCode = 1;
  });
}
