// CI smoke of the benchmark harness: `node bench/run.mjs --quick --only step` must print the
// side-by-side table with every expected row and write the same rows as JSON. No timing is
// asserted (the numbers of a --quick run on a shared CPU mean nothing); what is asserted is that
// each implementation ran and *learned*: after its timed steps, every peer's loss on the first
// batch is below the starting 2.303 (ln 10), so a broken step in any row fails here.
// --no-install: the test never reaches the network; .ci/run installs bench/tfjs beforehand.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

interface Row { id: string; name: string; status: "ok" | "skipped"; note?: string; meanMs?: number; opsPerSec?: number; ratio?: number | null; lossAfter?: number }

const EXPECTED = [
  "scratchnet-f32-1t", "scratchnet-f32-2t", "scratchnet-f64", "scratchnet-f32-relaxed-1t",
  "numpy-f64-1t", "numpy-f64-2t", "numpy-f32-1t", "numpy-f32-2t",
  "tfjs-wasm", "tfjs-cpu", "handwritten",
];
// rows that may be skipped with a reason: optional peers (no python/numpy, offline npm), the
// two-thread row until the `threads` option exists, and the relaxed-SIMD row on an engine without it
const MAY_SKIP = /^(numpy-|tfjs-|scratchnet-f32-2t|scratchnet-f32-relaxed-1t)/;
const MUST_RUN = ["scratchnet-f32-1t", "scratchnet-f64", "handwritten"];

describe("bench/run.mjs --quick --only step", () => {
  it("prints the table and writes every expected row as JSON", () => {
    const dir = mkdtempSync(join(tmpdir(), "scratchnet-bench-smoke-"));
    try {
      const json = join(dir, "latest.json");
      const r = spawnSync(process.execPath, ["bench/run.mjs", "--quick", "--no-install", "--only", "step", "--json", json], { encoding: "utf8", timeout: 600_000 });
      expect(r.status, r.stderr).toBe(0);
      const report = JSON.parse(readFileSync(json, "utf8")) as { suites: { step: Row[] }; table: string; machine: { cores: number } };
      const rows = report.suites.step;
      expect(rows.map((row) => row.id)).toEqual(EXPECTED);
      for (const row of rows) {
        expect(r.stdout).toContain(row.name); // the printed table has the row
        if (row.status === "skipped") {
          expect(row.id, `${row.id} skipped: ${row.note}`).toMatch(MAY_SKIP);
          expect(row.note ?? "").not.toBe("");
          continue;
        }
        expect(row.meanMs).toBeGreaterThan(0);
        expect(row.opsPerSec).toBeGreaterThan(0);
        expect(row.ratio).toBeGreaterThan(0);
        expect(row.lossAfter, `${row.id} did not learn`).toBeLessThan(2.29);
      }
      for (const id of MUST_RUN) expect(rows.find((row) => row.id === id)?.status, id).toBe("ok");
      expect(rows.find((row) => row.id === "scratchnet-f32-1t")?.ratio).toBe(1);
      expect(report.table).toContain("time ÷ scratchnet f32 1t");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);

  it("--data mnist: the step table on the real MNIST digits, every row learning, the temporary IDX copy removed", () => {
    const dir = mkdtempSync(join(tmpdir(), "scratchnet-bench-smoke-"));
    const before = new Set(readdirSync(tmpdir()).filter((f) => f.startsWith("scratchnet-bench-mnist-")));
    try {
      const json = join(dir, "latest.json");
      const r = spawnSync(process.execPath, ["bench/run.mjs", "--quick", "--no-install", "--data", "mnist", "--only", "step", "--json", json], { encoding: "utf8", timeout: 600_000 });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain("10 000 real MNIST test digits");
      const report = JSON.parse(readFileSync(json, "utf8")) as { suites: { step: Row[] }; data: string };
      expect(report.data).toContain("MNIST");
      expect(report.suites.step.map((row) => row.id)).toEqual(EXPECTED);
      for (const row of report.suites.step) {
        if (row.status === "skipped") { expect(row.id).toMatch(MAY_SKIP); continue; }
        // the slowest peers get only a few quick-mode steps on digits: ask for a clear drop from ln 10
        expect(row.lossAfter, `${row.id} did not learn`).toBeLessThan(Math.LN10 - 0.005);
      }
      const left = readdirSync(tmpdir()).filter((f) => f.startsWith("scratchnet-bench-mnist-") && !before.has(f));
      expect(left, "the numpy copy of the data is cleaned up").toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);

  it("rejects an unknown --data with a message naming the flag", () => {
    const r = spawnSync(process.execPath, ["bench/run.mjs", "--data", "cifar"], { encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("--data takes fashion|mnist");
  });

  it("rejects an unknown suite with a message naming the flag", () => {
    const r = spawnSync(process.execPath, ["bench/run.mjs", "--only", "steps"], { encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("--only takes step|eval|kernels|full");
  });
});
