// The book's whole run as a user runs it (train_neuralnet.py: 10 000 iterations, batch 100,
// lr 0.1, train + test accuracy every 600 iterations), each implementation in its own process,
// timed from spawn to exit (interpreter start, imports and data loading included) with the peak
// resident set size from GNU time (`/usr/bin/time -v`). Default thread settings on both sides:
// scratchnet on 1 thread (its default) and 2 (SCRATCHNET_THREADS=2, once the threaded build
// exists), numpy with 1 and 2 BLAS threads.
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

function scratchnetRow({ dataDir, dataset, iters, dtype = "float32", threads = 1, limitSeconds }) {
  const id = `full-scratchnet-${dtype === "float32" ? "f32" : "f64"}-${threads}t`;
  const name = `scratchnet ${dtype}, ${threads} thread${threads > 1 ? "s" : ""} (CLI, SCRATCHNET_THREADS=${threads})`;
  if (!existsSync(CLI)) return skippedRow(id, name, `skipped: ${CLI} not built (npm run build)`);
  const out = mkdtempSync(join(tmpdir(), "scratchnet-full-"));
  try {
    const wrapper = timeWrapper();
    const cmd = [...wrapper, ...deadline(limitSeconds), process.execPath, CLI, "train", "--dataset", dataset, "--data-dir", dataDir,
      "--iters", String(iters), "--dtype", dtype, "--out", out];
    const t0 = performance.now();
    const env = { ...process.env, SCRATCHNET_THREADS: String(threads) };
    const r = spawnSync(cmd[0], cmd.slice(1), { env, encoding: "utf8", timeout: (limitSeconds + 30) * 1000, maxBuffer: 64 << 20 });
    const wallMs = performance.now() - t0;
    if (r.status === 124 || r.error?.code === "ETIMEDOUT") {
      const last = (r.stdout ?? "").trim().split("\n").pop();
      return skippedRow(id, name, `failed: no exit within ${limitSeconds} s (last output: ${last})`);
    }
    if (r.error || r.status !== 0) {
      return skippedRow(id, name, `failed: ${r.error?.message ?? `exit ${r.status}`}: ${(r.stderr ?? "").trim().split("\n").filter((l) => !/^\s|^Command exited/.test(l)).slice(-2).join(" | ")}`);
    }
    const history = JSON.parse(readFileSync(join(out, "history.json"), "utf8"));
    return {
      id, name, status: "ok", wallMs, peakRssMB: parseGnuTimeRss(r.stderr),
      testAcc: history.finalTestAcc, trainAcc: history.finalTrainAcc, evaluations: history.testAccList?.length,
      trainerElapsedMs: history.elapsedMs, reference: dtype === "float32" && threads === 1,
      note: wrapper.length ? "" : "peak RSS n/a: /usr/bin/time missing (apt-get install time)",
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function numpyRow({ dataDir, iters, dtype, threads }, id, name) {
  const wrapper = timeWrapper();
  const limitSeconds = 1200; // 2-thread OpenBLAS on busy cores has taken 637 s here
  const { json, stderr, wallMs } = runNumpy(["--mode", "full", "--dtype", dtype, "--data", dataDir, "--iters", String(iters)],
    { wrapper: [...wrapper, ...deadline(limitSeconds)], threads, timeoutMs: (limitSeconds + 30) * 1000 });
  return {
    id, name, status: "ok", wallMs, peakRssMB: parseGnuTimeRss(stderr) ?? json.peakRssMB,
    testAcc: json.finalTestAcc, trainAcc: json.finalTrainAcc, evaluations: json.evaluations,
    inProcessWallMs: json.wallMs, blas: json.blas, numpy: json.numpy,
    note: wrapper.length ? "" : "peak RSS from getrusage (no /usr/bin/time)",
  };
}

/**
 * @param {{ dataDir: string, dataset?: 'fashion-mnist'|'mnist', iters: number, numpyMissing: string|null, threadsNote: string|null }} opts
 *   threadsNote: null when scratchnet's threaded build exists, else why the 2-thread row is n/a
 * @returns rows (scratchnet first: the reference)
 */
export function runFull({ dataDir, dataset = "fashion-mnist", iters, numpyMissing, threadsNote, log = () => {} }) {
  const rows = [];
  log("full run: scratchnet CLI, 1 thread …");
  // scratchnet's run takes well under a minute at 10 000 iterations; a process that has not exited
  // after this long is hung (e.g. a worker keeping it alive), not slow
  const limitSeconds = Math.max(120, Math.ceil(iters / 50));
  rows.push(scratchnetRow({ dataDir, dataset, iters, threads: 1, limitSeconds }));
  if (threadsNote) {
    rows.push(skippedRow("full-scratchnet-f32-2t", "scratchnet float32, 2 threads (CLI, SCRATCHNET_THREADS=2)", threadsNote));
  } else {
    log("full run: scratchnet CLI, 2 threads …");
    rows.push(scratchnetRow({ dataDir, dataset, iters, threads: 2, limitSeconds }));
  }
  // Both BLAS thread counts, set explicitly: OpenBLAS's default (all cores) collapses when the
  // cores are busy with anything else, so the 1-thread row is the robust one to compare with.
  for (const dtype of ["float64", "float32"]) {
    for (const threads of [1, 2]) {
      const id = `full-numpy-${dtype === "float32" ? "f32" : "f64"}-${threads}t`;
      const name = `numpy ${dtype}${dtype === "float64" ? " (the book's code)" : ""}, ${threads} BLAS thread${threads > 1 ? "s" : ""}`;
      if (numpyMissing) { rows.push(skippedRow(id, name, `skipped: ${numpyMissing}`)); continue; }
      log(`full run: ${name} …`);
      try {
        rows.push(numpyRow({ dataDir, iters, dtype, threads }, id, name));
      } catch (e) {
        rows.push(skippedRow(id, name, `failed: ${e.message}`));
      }
    }
  }
  return rows;
}
