// `npm run book`: runs the example of every script of the book (examples/book-scripts.mjs) in
// quick mode — offline, on the MNIST digits bundled with scratchnet — and writes
// out/book/index.html, a gallery with each figure next to its script and what it printed.
//   npm run book                       # build, then every example, two at a time
//   node examples/book.mjs [--jobs 2] [--only ch04-gradient-2d,ch05-buy-apple] [--full]
// --full runs the book's full versions instead (no --quick: the book's epochs and data sizes;
// tens of minutes). Exits with 1 if any example failed. out/book/index.json holds the same
// results for programs (the tests read it).
import { spawn } from "node:child_process";
import { availableParallelism } from "node:os";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { BOOK_SCRIPTS } from "./book-scripts.mjs";
import { FIGURE_DIR, outPath } from "./book-common.mjs";
import { galleryHtml } from "./book-gallery.mjs";
import { writeFileSync, renameSync, existsSync } from "node:fs";

const EXAMPLES = fileURLToPath(new URL("./", import.meta.url));
/** Longest a quick example may take before it is stopped (a loaded 2-core machine included). */
const QUICK_DEADLINE_MS = 10 * 60_000;

const opts = parseArgs(process.argv.slice(2));
const runnable = BOOK_SCRIPTS.filter((s) => s.example && !s.pending && (!opts.only || opts.only.includes(s.example)));
for (const name of opts.only ?? []) {
  if (!BOOK_SCRIPTS.some((s) => s.example === name)) throw new Error(`--only: no example named ${name}`);
}

const started = Date.now();
const results = new Map();
await runAll(runnable, opts.jobs);
const totalMs = Date.now() - started;

const rows = BOOK_SCRIPTS.map((s) => ({ ...s, result: s.example ? results.get(s.example) : undefined }));
const failed = [...results.values()].filter((r) => r.code !== 0);
writeAtomically(outPath("index.json"), JSON.stringify({ mode: opts.full ? "full" : "quick", totalMs, rows }, null, 2) + "\n");
writeAtomically(outPath("index.html"), galleryHtml(rows, { totalMs, mode: opts.full ? "full" : "quick" }));
console.log(`\n${results.size} examples in ${(totalMs / 1000).toFixed(1)} s${failed.length ? `, ${failed.length} FAILED: ${failed.map((r) => r.name).join(", ")}` : ""}`);
console.log(`wrote ${outPath("index.html")}`);
process.exitCode = failed.length ? 1 : 0;

/**
 * Run the examples, `jobs` at a time; one that `needs` another starts after it, and the ones
 * others need start first (ch08-train-deepnet is the longest, and two wait for its file).
 */
async function runAll(list, jobs) {
  const needed = new Set(list.map((s) => s.needs).filter(Boolean));
  const waiting = [...list].sort((a, b) => Number(needed.has(b.example)) - Number(needed.has(a.example)));
  const running = new Set();
  const done = new Set();
  await new Promise((resolve) => {
    const pump = () => {
      if (waiting.length === 0 && running.size === 0) return resolve();
      while (running.size < jobs) {
        // a dependency outside this run (e.g. with --only) counts as done: its output may exist from before
        const next = waiting.findIndex((s) => !s.needs || done.has(s.needs) || !list.some((o) => o.example === s.needs));
        if (next < 0) break;
        const [entry] = waiting.splice(next, 1);
        running.add(entry.example);
        runOne(entry).then((result) => {
          results.set(entry.example, result);
          running.delete(entry.example);
          done.add(entry.example);
          const status = result.code === 0 ? "ok" : `FAILED (exit ${result.code}${result.timedOut ? ", deadline" : ""})`;
          console.log(`${entry.script.padEnd(42)} ${entry.example.padEnd(38)} ${(result.ms / 1000).toFixed(1).padStart(6)} s  ${status}`);
          if (result.code !== 0) console.log(result.stderr.trim().split("\n").slice(-5).map((l) => `    ${l}`).join("\n"));
          pump();
        });
      }
    };
    pump();
  });
}

/** One example as a child process: its output, exit code, time and the figures it wrote. */
function runOne(entry) {
  const args = opts.full ? [] : (entry.quick ?? ["--quick"]).map((a) => a.replace("{out}", FIGURE_DIR));
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`${EXAMPLES}${entry.example}.mjs`, ...args], {
      env: { ...process.env, SCRATCHNET_OFFLINE: opts.full ? process.env.SCRATCHNET_OFFLINE ?? "" : "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "", stderr = "", timedOut = false;
    child.stdout.on("data", (d) => { stdout += d; });
    child.stderr.on("data", (d) => { stderr += d; });
    const timer = opts.full ? null : setTimeout(() => { timedOut = true; child.kill("SIGKILL"); }, QUICK_DEADLINE_MS);
    child.on("close", (code, signal) => {
      if (timer) clearTimeout(timer);
      const figures = [...stdout.matchAll(/^wrote (.+\.svg)$/gm)].map((m) => m[1]).filter((p) => existsSync(p)).map((p) => basename(p));
      resolve({ name: entry.example, args, code: code ?? (signal ? 128 : 1), timedOut, ms: Date.now() - t0, stdout, stderr, figures });
    });
  });
}

function parseArgs(args) {
  const o = { jobs: Math.max(1, Math.min(2, availableParallelism())), only: null, full: false };
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--full") o.full = true;
    else if (args[i] === "--jobs") o.jobs = Number(args[++i]);
    else if (args[i] === "--only") o.only = String(args[++i] ?? "").split(",").filter(Boolean);
    else throw new Error(`unknown argument ${args[i]} (options: --jobs N, --only a,b, --full)`);
  }
  if (!Number.isInteger(o.jobs) || o.jobs < 1) throw new Error("--jobs must be an integer ≥ 1");
  return o;
}

function writeAtomically(path, text) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}
