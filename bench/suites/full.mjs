// The book's whole run as a user runs it (train_neuralnet.py: 10 000 iterations, batch 100,
// lr 0.1, train + test accuracy every 600 iterations), each implementation in its own process,
// timed from spawn to exit (interpreter start, imports and data loading included), with peak
// resident set size and CPU time from GNU time (`/usr/bin/time -v`).
//
// Both sides at their defaults, as a user gets them: `scratchnet train` with no thread setting
// (the machine's cores) and the book's numpy code with OpenBLAS's default threads (also the
// machine's cores); then each on one thread, and numpy in float32. On Fashion-MNIST and on the
// tiled MNIST digits, in one run, ROUNDS rounds; within a round every row runs once, scratchnet
// and numpy alternating, so a busy machine's load falls on both sides alike. Reported: each
// row's median wall time over the rounds and its ratio to scratchnet at its defaults.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { runNumpy } from "../common/numpy.mjs";
import { skippedRow } from "../common/table.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const CLI = join(ROOT, "dist", "cli", "main.js");
const GNU_TIME = "/usr/bin/time";

/** Peak RSS in MB from `/usr/bin/time -v` stderr, or null. */
export function parseGnuTimeRss(stderr) {
  const m = stderr.match(/Maximum resident set size \(kbytes\):\s*(\d+)/);
  return m ? Number(m[1]) / 1024 : null;
}

/** User and system CPU seconds from `/usr/bin/time -v` stderr (null if absent). */
export function parseGnuTimeCpu(stderr) {
  const user = stderr.match(/User time \(seconds\):\s*([\d.]+)/), sys = stderr.match(/System time \(seconds\):\s*([\d.]+)/);
  return user && sys ? { userS: Number(user[1]), sysS: Number(sys[1]) } : null;
}

function timeWrapper() {
  return existsSync(GNU_TIME) ? [GNU_TIME, "-v"] : [];
}

/**
 * coreutils `timeout` between GNU time and the program: spawnSync's own timeout would kill only
 * GNU time and leave the program running as an orphan.
 */
function deadline(seconds) {
  return existsSync("/usr/bin/timeout") ? ["/usr/bin/timeout", "-k", "5", String(seconds)] : [];
}

/** The rows of one dataset's table, in the order a round runs them (scratchnet and numpy alternate). */
export const FULL_ROWS = [
  { id: "full-scratchnet-default", kind: "scratchnet", threads: null, reference: true },
  { id: "full-numpy-f64-default", kind: "numpy", dtype: "float64", threads: null },
  { id: "full-scratchnet-1t", kind: "scratchnet", threads: 1 },
  { id: "full-numpy-f64-1t", kind: "numpy", dtype: "float64", threads: 1 },
  { id: "full-numpy-f32-default", kind: "numpy", dtype: "float32", threads: null },
  // the opt-in fused multiply-add build: its gain, beside the default build in the same rounds
  { id: "full-scratchnet-relaxed", kind: "scratchnet", threads: null, relaxed: true },
];

function rowName(row, cores) {
  if (row.kind === "scratchnet") {
    if (row.relaxed) return `scratchnet CLI --relaxed-simd (${cores} threads; FMA, not bit-identical)`;
    return row.threads === null ? `scratchnet CLI at its defaults (${cores} threads, float32)` : "scratchnet CLI, --threads 1";
  }
  const book = row.dtype === "float64" ? " (the book's code)" : "";
  return `numpy ${row.dtype}${book}, ${row.threads === null ? `BLAS default (${cores} threads)` : "1 BLAS thread"}`;
}

/** One scratchnet CLI run; `threads` null: no --threads and no SCRATCHNET_THREADS, i.e. the CLI's default. */
function scratchnetRun({ dataDir, dataset, iters, threads, relaxed = false, limitSeconds }) {
  if (!existsSync(CLI)) return { failed: `${CLI} not built (npm run build)` };
  const out = mkdtempSync(join(tmpdir(), "scratchnet-full-"));
  try {
    const cmd = [...timeWrapper(), ...deadline(limitSeconds), process.execPath, CLI, "train", "--dataset", dataset, "--data-dir", dataDir,
      "--iters", String(iters), "--out", out, ...(threads === null ? [] : ["--threads", String(threads)]), ...(relaxed ? ["--relaxed-simd"] : [])];
    const env = { ...process.env };
    delete env.SCRATCHNET_THREADS;
    const t0 = performance.now();
    const r = spawnSync(cmd[0], cmd.slice(1), { env, encoding: "utf8", timeout: (limitSeconds + 30) * 1000, maxBuffer: 64 << 20 });
    const wallMs = performance.now() - t0;
    if (r.status === 124 || r.error?.code === "ETIMEDOUT") return { failed: `no exit within ${limitSeconds} s (last output: ${(r.stdout ?? "").trim().split("\n").pop()})` };
    if (r.error || r.status !== 0) {
      return { failed: `${r.error?.message ?? `exit ${r.status}`}: ${(r.stderr ?? "").trim().split("\n").filter((l) => !/^\s|^Command exited/.test(l)).slice(-2).join(" | ")}` };
    }
    const history = JSON.parse(readFileSync(join(out, "history.json"), "utf8"));
    return {
      wallMs, peakRssMB: parseGnuTimeRss(r.stderr), cpu: parseGnuTimeCpu(r.stderr), testAcc: history.finalTestAcc,
      evaluations: history.testAccList?.length, threads: history.settings?.threads ?? null, trainerElapsedMs: history.elapsedMs,
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function numpyRun({ dataDir, iters, dtype, threads }) {
  const limitSeconds = 1200; // 2-thread OpenBLAS on busy cores has taken 637 s here
  try {
    const { json, stderr, wallMs } = runNumpy(["--mode", "full", "--dtype", dtype, "--data", dataDir, "--iters", String(iters)],
      { wrapper: [...timeWrapper(), ...deadline(limitSeconds)], threads, timeoutMs: (limitSeconds + 30) * 1000 });
    return {
      wallMs, peakRssMB: parseGnuTimeRss(stderr) ?? json.peakRssMB, cpu: parseGnuTimeCpu(stderr), testAcc: json.finalTestAcc,
      evaluations: json.evaluations, blas: json.blas, numpy: json.numpy, inProcessWallMs: json.wallMs,
    };
  } catch (e) {
    return { failed: e.message };
  }
}

const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? null : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * @param {{ datasets: { key: string, label: string, dataDir: string, dataset: 'fashion-mnist'|'mnist' }[],
 *   iters: number, rounds: number, cores: number, numpyMissing: string|null, log?: (m: string) => void }} opts
 * @returns {Record<string, object[]>} rows per dataset key (scratchnet at its defaults first: the reference)
 */
export function runFull({ datasets, iters, rounds, cores, numpyMissing, log = () => {} }) {
  // a scratchnet run takes well under a minute at 10 000 iterations; one that has not exited
  // after this long is hung (e.g. a worker keeping it alive), not slow
  const limitSeconds = Math.max(120, Math.ceil(iters / 50));
  const runs = new Map(datasets.map((d) => [d.key, FULL_ROWS.map(() => [])]));
  for (let round = 0; round < rounds; round++) {
    for (const d of datasets) {
      FULL_ROWS.forEach((row, i) => {
        if (row.kind === "numpy" && numpyMissing) return;
        log(`full run ${round + 1}/${rounds}, ${d.label}: ${rowName(row, cores)} …`);
        const r = row.kind === "scratchnet"
          ? scratchnetRun({ dataDir: d.dataDir, dataset: d.dataset, iters, threads: row.threads, relaxed: row.relaxed, limitSeconds })
          : numpyRun({ dataDir: d.dataDir, iters, dtype: row.dtype, threads: row.threads });
        runs.get(d.key)[i].push(r);
        log(r.failed ? `  failed: ${r.failed}` : `  ${(r.wallMs / 1000).toFixed(2)} s, ${r.peakRssMB?.toFixed(0) ?? "?"} MB`);
      });
    }
  }
  const out = {};
  for (const d of datasets) {
    out[d.key] = FULL_ROWS.map((row, i) => {
      const name = rowName(row, cores);
      if (row.kind === "numpy" && numpyMissing) return skippedRow(row.id, name, `skipped: ${numpyMissing}`);
      const all = runs.get(d.key)[i];
      const ok = all.filter((r) => !r.failed);
      if (ok.length === 0) return skippedRow(row.id, name, `failed: ${all[0]?.failed ?? "not run"}`);
      const last = ok[ok.length - 1];
      return {
        id: row.id, name, status: "ok", reference: row.reference === true,
        wallMs: median(ok.map((r) => r.wallMs)), walls: ok.map((r) => r.wallMs),
        peakRssMB: Math.max(...ok.map((r) => r.peakRssMB ?? 0)) || null,
        cpuS: median(ok.filter((r) => r.cpu).map((r) => r.cpu.userS + r.cpu.sysS)),
        testAcc: last.testAcc, evaluations: last.evaluations, blas: last.blas, numpy: last.numpy, threads: last.threads,
        note: ok.length < all.length ? `${all.length - ok.length} of ${all.length} runs failed: ${all.find((r) => r.failed).failed}` : "",
      };
    });
  }
  return out;
}
