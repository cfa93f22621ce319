// The book's whole run as a user runs it (train_neuralnet.py: 10 000 iterations, batch 100,
// lr 0.1, train + test accuracy every 600 iterations), each implementation in its own process,
// timed from spawn to exit (interpreter start, imports and data loading included) with the peak
// resident set size from GNU time (`/usr/bin/time -v`). Default thread settings on both sides:
// scratchnet with its default threads (what `scratchnet train` does out of the box), numpy with
// 1 and 2 BLAS threads.
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

function scratchnetRow({ dataDir, iters, dtype = "float32" }) {
  const id = `full-scratchnet-${dtype === "float32" ? "f32" : "f64"}`;
  const name = `scratchnet ${dtype}, default threads (CLI)`;
  if (!existsSync(CLI)) return skippedRow(id, name, `skipped: ${CLI} not built (npm run build)`);
  const out = mkdtempSync(join(tmpdir(), "scratchnet-full-"));
  try {
    const wrapper = timeWrapper();
    const cmd = [...wrapper, process.execPath, CLI, "train", "--dataset", "fashion-mnist", "--data-dir", dataDir,
      "--iters", String(iters), "--dtype", dtype, "--out", out];
    const t0 = performance.now();
    const r = spawnSync(cmd[0], cmd.slice(1), { encoding: "utf8", timeout: 15 * 60_000, maxBuffer: 64 << 20 });
    const wallMs = performance.now() - t0;
    if (r.error || r.status !== 0) {
      return skippedRow(id, name, `failed: ${r.error?.message ?? `exit ${r.status}`}: ${(r.stderr ?? "").trim().split("\n").filter((l) => !/^\s|^Command exited/.test(l)).slice(-2).join(" | ")}`);
    }
    const history = JSON.parse(readFileSync(join(out, "history.json"), "utf8"));
    return {
      id, name, status: "ok", wallMs, peakRssMB: parseGnuTimeRss(r.stderr),
      testAcc: history.finalTestAcc, trainAcc: history.finalTrainAcc, evaluations: history.testAccList?.length,
      trainerElapsedMs: history.elapsedMs, reference: dtype === "float32",
      note: wrapper.length ? "" : "peak RSS n/a: /usr/bin/time missing (apt-get install time)",
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function numpyRow({ dataDir, iters, dtype, threads }, id, name) {
  const wrapper = timeWrapper();
  const { json, stderr, wallMs } = runNumpy(["--mode", "full", "--dtype", dtype, "--data", dataDir, "--iters", String(iters)], { wrapper, threads });
  return {
    id, name, status: "ok", wallMs, peakRssMB: parseGnuTimeRss(stderr) ?? json.peakRssMB,
    testAcc: json.finalTestAcc, trainAcc: json.finalTrainAcc, evaluations: json.evaluations,
    inProcessWallMs: json.wallMs, blas: json.blas, numpy: json.numpy,
    note: wrapper.length ? "" : "peak RSS from getrusage (no /usr/bin/time)",
  };
}

/**
 * @param {{ dataDir: string, iters: number, numpyMissing: string|null }} opts
 * @returns rows (scratchnet first: the reference)
 */
export function runFull({ dataDir, iters, numpyMissing, log = () => {} }) {
  const rows = [];
  log("full run: scratchnet CLI …");
  rows.push(scratchnetRow({ dataDir, iters }));
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
