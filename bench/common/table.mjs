// One side-by-side table per suite. Every row carries its ratio to the reference row (scratchnet
// float32, 1 thread): time of the row ÷ time of the reference, so 12× means "takes 12 times as
// long as scratchnet", 0.8× means "faster than scratchnet". Ratios and ops/s use the *median*
// sample: other processes on a shared CPU add long outliers that drag the mean (shown too).

const fmt = (v, digits = 3) => (v == null || !Number.isFinite(v) ? "" : v >= 100 ? v.toFixed(0) : Number(v.toPrecision(digits)).toString());

/** Fill `ratio` in each row of a suite from its reference row (the one with `reference: true`). */
export function addRatios(rows, key = "medianMs") {
  const ref = rows.find((r) => r.reference && r.status === "ok");
  for (const r of rows) r.ratio = ref && r.status === "ok" && r[key] > 0 ? r[key] / ref[key] : null;
  return rows;
}

function render(header, body) {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => String(r[i]).length)));
  const left = (i) => i === 0 || i === header.length - 1; // names and notes read left to right
  const line = (cells) => "| " + cells.map((c, i) => (left(i) ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(" | ") + " |";
  return [line(header), "|" + widths.map((w, i) => (left(i) ? "-".repeat(w + 2) : "-".repeat(w + 1) + ":")).join("|") + "|", ...body.map(line)].join("\n");
}

/** Markdown table of a timed suite (step, eval): ops/s, ms, ± and the ratio. */
export function timedTable(rows) {
  return render(
    ["implementation", "ops/s", "ms (median)", "ms (mean)", "±% (mean)", "time ÷ scratchnet f32 1t", "note"],
    rows.map((r) => r.status === "ok"
      ? [r.name, fmt(r.opsPerSec), fmt(r.medianMs), fmt(r.meanMs), r.samples > 1 ? fmt(r.rme, 2) : "", r.ratio == null ? "" : `${fmt(r.ratio)}×`, r.note ?? ""]
      : [r.name, "", "", "", "", "", r.note ?? r.status]),
  );
}

/** Markdown table of the whole-process full runs: median wall time (and each run's), CPU, peak RSS, accuracy, ratio. */
export function fullTable(rows) {
  return render(
    ["implementation", "wall s (median)", "runs (s)", "CPU s", "peak RSS MB", "test acc", "evals", "time ÷ scratchnet", "note"],
    rows.map((r) => r.status === "ok"
      ? [r.name, fmt(r.wallMs / 1000), (r.walls ?? []).map((w) => fmt(w / 1000)).join(" / "), fmt(r.cpuS), fmt(r.peakRssMB), fmt(r.testAcc, 4),
        r.evaluations ?? "", r.ratio == null ? "" : `${fmt(r.ratio)}×`, r.note ?? ""]
      : [r.name, "", "", "", "", "", "", "", r.note ?? r.status]),
  );
}

/** A row that could not be measured, with the reason in `note`. */
export function skippedRow(id, name, note, extra = {}) {
  return { id, name, status: "skipped", note, ...extra };
}

/** A row from a tinybench task. */
export function taskRow(id, name, task, extra = {}) {
  const res = task.result;
  if (res?.state !== "completed") {
    return skippedRow(id, name, `failed: ${res?.error?.message ?? res?.state ?? "not run"}`, extra);
  }
  return {
    id, name, status: "ok",
    opsPerSec: 1000 / res.latency.p50, meanMs: res.latency.mean, medianMs: res.latency.p50, throughputMean: res.throughput.mean,
    rme: res.latency.rme, samples: res.latency.samplesCount, ...extra,
  };
}

/** A row from a child process's timing JSON ({ stats, blas? }): numpy's bench.py, or suites/relaxed-step.mjs. */
export function numpyRow(id, name, json, extra = {}) {
  const s = json.stats;
  return {
    id, name, status: "ok", opsPerSec: 1000 / s.medianMs, meanMs: s.meanMs, medianMs: s.medianMs,
    rme: s.rme, samples: s.samples, blas: json.blas, ...extra,
  };
}
