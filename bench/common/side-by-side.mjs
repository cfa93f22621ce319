// The side-by-side run of bench/kernels.mjs and bench/training-kernels.mjs: every case in three
// variants (the plain-TS float64 reference, wasm float64, wasm float32) in ONE tinybench run, so
// the ratios compare times taken under the same load.
import { Bench } from "tinybench";

export const VARIANTS = [["reference", "plain TS (float64)"], ["float64", "wasm SIMD float64"], ["float32", "wasm SIMD float32"]];

/**
 * Runs `cases` ({ name, reference, float64, float32 } thunks); returns one row per (case,
 * variant): mean ms/op, ops/s, median ms, ±% and the ratio to the reference (on means).
 */
export async function runSideBySide(name, cases, { quick = false } = {}) {
  const bench = new Bench({ name, time: quick ? 50 : 800, warmupTime: quick ? 10 : 200 });
  for (const c of cases) for (const [key, label] of VARIANTS) bench.add(`${c.name} | ${label}`, c[key]);
  await bench.run();
  const rows = [];
  for (const c of cases) {
    const byVariant = {};
    for (const [key, label] of VARIANTS) {
      const task = bench.tasks.find((tk) => tk.name === `${c.name} | ${label}`);
      if (task?.result?.state !== "completed") throw new Error(`bench/${name}: ${task?.name} did not complete (${task?.result?.state}): ${task?.result?.error?.message ?? ""}`);
      const { latency } = task.result;
      byVariant[key] = { label, msPerOp: latency.mean, opsPerSec: 1000 / latency.mean, medianMs: latency.p50, rme: latency.rme };
    }
    for (const [key] of VARIANTS) {
      const v = byVariant[key];
      rows.push({
        case: c.name, variant: v.label, msPerOp: v.msPerOp, opsPerSec: v.opsPerSec, medianMs: v.medianMs, rmePercent: v.rme,
        speedupVsReference: byVariant.reference.msPerOp / v.msPerOp,
      });
    }
  }
  return rows;
}

/** The rows as a console table. */
export function printRows(rows) {
  console.table(rows.map((r) => ({
    case: r.case, variant: r.variant, "ms/op": r.msPerOp.toFixed(4), "ops/s": Math.round(r.opsPerSec).toLocaleString("en-US"),
    "median ms": r.medianMs.toFixed(4), "±%": r.rmePercent.toFixed(1), "× vs reference": r.speedupVsReference.toFixed(1),
  })));
}
