// Runs bench/numpy/bench.py as a subprocess, one per (mode, dtype, BLAS threads), and parses the
// JSON it prints. The thread count is fixed per process through OPENBLAS_NUM_THREADS and
// OMP_NUM_THREADS. OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, which some machines set to keep old
// OpenBLAS builds correct, are removed *together* from this subprocess's environment only, so a
// current numpy runs the kernel it would pick itself; bench.py reports which one that was.
import { spawnSync } from "node:child_process";
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "..", "numpy", "bench.py");
export const PYTHON = process.env.PYTHON ?? "python3";
export const UNSET_FOR_NUMPY = ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"];

/** null when python3 + numpy are usable, else the reason they are not. */
export function numpyMissing() {
  const r = spawnSync(PYTHON, ["-c", "import numpy; print(numpy.__version__)"], { encoding: "utf8" });
  if (r.error) return `${PYTHON} not found (${r.error.code ?? r.error.message})`;
  if (r.status !== 0) return `numpy not importable by ${PYTHON}: ${r.stderr.trim().split("\n").pop()}`;
  return null;
}

/** The environment of one numpy subprocess (`threads` null: leave the BLAS default). */
export function numpyEnv(threads) {
  const env = { ...process.env };
  for (const k of UNSET_FOR_NUMPY) delete env[k];
  if (threads != null) {
    env.OPENBLAS_NUM_THREADS = String(threads);
    env.OMP_NUM_THREADS = String(threads);
  }
  return env;
}

/** Write the shared starting weights (float64, W1 b1 W2 b2) where bench.py --init reads them. */
export function writeInitFile(init) {
  const parts = [init.W1, init.b1, init.W2, init.b2];
  const all = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { all.set(p, at); at += p.length; }
  const path = join(mkdtempSync(join(tmpdir(), "scratchnet-bench-")), "init-f64.bin");
  writeFileSync(path, new Uint8Array(all.buffer)); // little-endian on every platform Node runs on
  return path;
}

/**
 * Run one numpy measurement. `args` are bench.py flags; `wrapper` (e.g. ['/usr/bin/time', '-v'])
 * prefixes the command. Returns { json, stderr, wallMs } or throws with python's stderr.
 */
export function runNumpy(args, { threads = null, wrapper = [], timeoutMs = 15 * 60_000 } = {}) {
  const cmd = [...wrapper, PYTHON, SCRIPT, ...args];
  const t0 = performance.now();
  const r = spawnSync(cmd[0], cmd.slice(1), { env: numpyEnv(threads), encoding: "utf8", timeout: timeoutMs, maxBuffer: 64 << 20 });
  const wallMs = performance.now() - t0;
  if (r.error || r.status !== 0) {
    throw new Error(`numpy bench ${args.join(" ")} failed (${r.error?.message ?? `exit ${r.status}`}): ${(r.stderr ?? "").trim().split("\n").slice(-5).join(" | ")}`);
  }
  const line = r.stdout.trim().split("\n").pop();
  return { json: JSON.parse(line), stderr: r.stderr, wallMs };
}
