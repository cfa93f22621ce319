// The two timed suites, side by side in one tinybench run each:
//   step — one training step of the book's TwoLayerNet (784-50-10, batch 100): gradient + SGD
//   eval — the 70 000-row accuracy pass (60 000 train + 10 000 test), as the book does per epoch
// JS implementations run in this process (tinybench); numpy runs as subprocesses, one per
// (dtype, BLAS threads), timed by the same mean-of-samples rule inside bench.py.
import { Bench } from "tinybench";
import { createScratchnet, threadsSupport } from "./scratchnet.mjs";
import { HandwrittenTwoLayerNet, LOOP_STYLES } from "../baselines/handwritten.mjs";
import { runNumpy } from "../common/numpy.mjs";
import { taskRow, numpyRow, skippedRow, addRatios } from "../common/table.mjs";
import { stepBenchOptions } from "./step-options.mjs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** tinybench settings: a step is ~0.5–40 ms, an accuracy pass ~0.1–10 s. */
function benchOptions(kind, quick) {
  return kind === "step" ? stepBenchOptions(quick) : { time: 1, iterations: quick ? 1 : 3, warmupTime: 1, warmupIterations: 1 };
}

function numpySettings(kind, quick) {
  return kind === "step" ? ["--time", quick ? "0.15" : "1.5", "--min-iters", quick ? "10" : "64"]
    : ["--time", "0.001", "--min-iters", quick ? "1" : "3"];
}

/** Pick the hand-written loop style for the eval pass: the step suite's winner, else a short trial. */
function fastestStyle(ctx) {
  if (ctx.handwrittenBest) return ctx.handwrittenBest;
  let best = null;
  for (const style of LOOP_STYLES) {
    const net = new HandwrittenTwoLayerNet(ctx.init, ctx.recipe, style);
    const { x, t } = ctx.batches[0];
    net.step(x, t, ctx.recipe.batchSize, ctx.recipe.learningRate);
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) net.step(x, t, ctx.recipe.batchSize, ctx.recipe.learningRate);
    const ms = performance.now() - t0;
    if (best === null || ms < best.ms) best = { style, ms };
  }
  return best.style;
}

/**
 * In-process entries: { id, name, fn, before?, after?: () => extra, reference? } or a skipped row.
 */
function jsEntries(kind, ctx) {
  const { recipe, data, init, batches, tfjs } = ctx;
  const entries = [];
  const threads = threadsSupport();
  const pool = threads?.available ? threads : null;
  const scratch = (id, name, variant, reference = false) => {
    let s = null, threadsUsed = null;
    return {
      id, name, reference,
      before: async () => {
        if (pool) threadsUsed = await pool.set(variant.threads ?? 1);
        s ??= createScratchnet(variant, recipe, data);
      },
      fn: kind === "step" ? () => s.step() : () => { s.lastCorrect = s.evalPass(); },
      after: () => ({ threadsUsed, ...(kind === "step" ? { lossAfter: s.loss() } : { correct: s.lastCorrect, accuracy: s.lastCorrect / data.count }) }),
      end: async () => { if (pool) await pool.set(1); },
    };
  };
  entries.push(scratch("scratchnet-f32-1t", "scratchnet float32, 1 thread", { dtype: "float32", threads: 1 }, true));
  entries.push(pool
    ? scratch("scratchnet-f32-2t", "scratchnet float32, 2 threads", { dtype: "float32", threads: 2 })
    : skippedRow("scratchnet-f32-2t", "scratchnet float32, 2 threads", threads?.note ?? "n/a (not built yet)"));
  entries.push(scratch("scratchnet-f64", "scratchnet float64, 1 thread", { dtype: "float64", threads: 1 }));

  for (const backend of ["wasm", "cpu"]) {
    const id = `tfjs-${backend}`, name = `TensorFlow.js ${tfjs.version ?? "4.22"} ${backend}${backend === "wasm" ? " (SIMD, 1 thread)" : ""}`;
    if (!tfjs.module) { entries.push(skippedRow(id, name, tfjs.note)); continue; }
    let net = null, evalPass = null, info = null;
    entries.push({
      id, name,
      before: async () => {
        info = await tfjs.module.useBackend(backend); // every phase: another task may have switched it
        net ??= new tfjs.module.TfjsTwoLayerNet(init, recipe, batches);
        if (kind === "eval") evalPass ??= net.prepareEval(data.images, data.labels, data.count, recipe.evalChunk);
      },
      fn: kind === "step" ? () => net.step() : () => { net.lastCorrect = evalPass(); },
      after: () => ({ backendInfo: info, ...(kind === "step" ? { lossAfter: net.loss() } : { correct: net.lastCorrect, accuracy: net.lastCorrect / data.count }) }),
    });
  }

  const styles = kind === "step" ? LOOP_STYLES : [fastestStyle(ctx)];
  for (const style of styles) {
    let net = null;
    const { x: _x, t: _t } = batches[0];
    let next = 0;
    entries.push({
      id: `handwritten-${style}`, name: `hand-written JS, ${style}`, handwritten: style,
      before: () => { net ??= new HandwrittenTwoLayerNet(init, recipe, style); },
      fn: kind === "step"
        ? () => { const b = batches[next++ % batches.length]; net.step(b.x, b.t, recipe.batchSize, recipe.learningRate); }
        : () => { net.lastCorrect = net.countCorrect(data.images, data.labels, data.count); },
      after: () => (kind === "step"
        ? { lossAfter: lossOf(net, _x, _t, recipe) }
        : { correct: net.lastCorrect, accuracy: net.lastCorrect / data.count }),
    });
  }
  return entries;
}

/** Loss of a hand-written net on one batch without training it (a copy takes the step). */
function lossOf(net, x, t, recipe) {
  const probe = new HandwrittenTwoLayerNet({ W1: net.W1, b1: net.b1, W2: net.W2, b2: net.b2 }, recipe, net.style);
  return probe.step(x, t, recipe.batchSize, recipe.learningRate);
}

/** The hand-written rows collapse into one: the fastest style, the others in its note. */
function collapseHandwritten(rows, ctx, kind) {
  const hw = rows.filter((r) => r.handwritten);
  const ok = hw.filter((r) => r.status === "ok").sort((a, b) => a.medianMs - b.medianMs);
  const others = rows.filter((r) => !r.handwritten);
  if (ok.length === 0) return [...others, skippedRow("handwritten", "hand-written JS", hw[0]?.note ?? "failed")];
  const best = ok[0];
  if (kind === "step") ctx.handwrittenBest = best.handwritten;
  const note = kind === "step"
    ? `best of 3 loop styles: ${ok.map((r) => `${r.handwritten} ${r.medianMs.toFixed(2)} ms`).join(", ")}`
    : `loop style ${best.handwritten} (the step's fastest)`;
  return [...others, { ...best, id: "handwritten", name: `hand-written JS (${best.handwritten})`, note, styles: ok.map(({ handwritten, medianMs, meanMs, rme }) => ({ style: handwritten, medianMs, meanMs, rme })) }];
}

async function runJs(kind, ctx) {
  const entries = jsEntries(kind, ctx);
  const bench = new Bench({ name: kind, ...benchOptions(kind, ctx.quick) });
  const live = entries.filter((e) => e.fn);
  for (const e of live) {
    bench.add(e.name, e.fn, {
      beforeAll: e.before,
      afterAll: e.end,
    });
  }
  ctx.log(`${kind}: tinybench over ${live.length} in-process implementations …`);
  await bench.run();
  return entries.map((e) => {
    if (!e.fn) return e;
    const task = bench.getTask(e.name);
    const row = taskRow(e.id, e.name, task, { reference: e.reference, handwritten: e.handwritten });
    if (row.status === "ok" && e.after) Object.assign(row, e.after());
    return row;
  });
}

function runNumpyRows(kind, ctx) {
  const rows = [];
  for (const dtype of ["float64", "float32"]) {
    for (const threads of [1, 2]) {
      const id = `numpy-${dtype === "float64" ? "f64" : "f32"}-${threads}t`;
      const name = `numpy ${dtype}${dtype === "float64" ? " (the book's code)" : ""}, ${threads} BLAS thread${threads > 1 ? "s" : ""}`;
      if (ctx.numpyMissing) { rows.push(skippedRow(id, name, `skipped: ${ctx.numpyMissing}`)); continue; }
      ctx.log(`${kind}: ${name} …`);
      try {
        const { json } = runNumpy(["--mode", kind, "--dtype", dtype, "--data", ctx.data.dir, "--init", ctx.initPath, ...numpySettings(kind, ctx.quick)], { threads });
        const extra = kind === "step" ? { lossAfter: json.loss }
          : { correct: Math.round(json.trainAcc * ctx.data.trainCount + json.testAcc * ctx.data.testCount), accuracy: (json.trainAcc * ctx.data.trainCount + json.testAcc * ctx.data.testCount) / ctx.data.count };
        rows.push(numpyRow(id, name, json, { ...extra, numpy: json.numpy, note: `${json.blas?.coretype ?? "?"} kernel` }));
      } catch (e) {
        rows.push(skippedRow(id, name, `failed: ${e.message}`));
      }
    }
  }
  return rows;
}

const RELAXED_STEP = fileURLToPath(new URL("./relaxed-step.mjs", import.meta.url));

/**
 * The opt-in relaxed-SIMD build's one-thread step (FMA: the gap to numpy float32's AVX-512 on
 * dense data), in a child process (suites/relaxed-step.mjs); skipped with the child's reason
 * where the engine has no relaxed SIMD.
 */
function runRelaxedRow(ctx) {
  const id = "scratchnet-f32-relaxed-1t", name = "scratchnet float32 --relaxed-simd, 1 thread";
  ctx.log(`step: ${name} …`);
  const r = spawnSync(process.execPath, [RELAXED_STEP, "--data", ctx.data.dir, ...(ctx.quick ? ["--quick"] : [])],
    { encoding: "utf8", timeout: 10 * 60_000 });
  if (r.error || r.status !== 0) {
    const lines = (r.stderr ?? "").split("\n").map((l) => l.trim()).filter(Boolean);
    const why = r.error?.message ?? lines.find((l) => /^\w*Error: /.test(l)) ?? lines.at(-1) ?? `exit ${r.status}`;
    return skippedRow(id, name, `failed: ${why}`);
  }
  const json = JSON.parse(r.stdout.trim().split("\n").pop());
  return numpyRow(id, name, json, { lossAfter: json.loss, note: "FMA, not bit-identical (opt-in)" });
}

/** Run one timed suite ('step' | 'eval'); rows in table order, ratios filled. */
export async function runTimedSuite(kind, ctx) {
  const js = collapseHandwritten(await runJs(kind, ctx), ctx, kind);
  if (kind === "step") js.push(runRelaxedRow(ctx));
  const numpy = runNumpyRows(kind, ctx);
  // table order: scratchnet rows, numpy, TensorFlow.js, hand-written
  const order = (r) => (r.id.startsWith("scratchnet") ? 0 : r.id.startsWith("numpy") ? 1 : r.id.startsWith("tfjs") ? 2 : 3);
  const rows = [...js, ...numpy].sort((a, b) => order(a) - order(b));
  if (kind === "eval") {
    for (const r of rows) if (r.status === "ok") r.note = [`${r.correct}/${ctx.data.count} correct`, r.note].filter(Boolean).join("; ");
  }
  return addRatios(rows);
}

/**
 * Every eval row starts from the same weights, so every implementation must predict the same
 * classes: one line saying they agree, or which rows do not (float32 rounding may flip a rare tie).
 */
export function agreementLine(rows) {
  const ok = rows.filter((r) => r.status === "ok" && Number.isFinite(r.correct));
  const counts = new Map();
  for (const r of ok) counts.set(r.correct, [...(counts.get(r.correct) ?? []), r.name]);
  if (counts.size <= 1) return `check: all ${ok.length} implementations agree (${ok[0]?.correct ?? "?"} correct on the shared starting weights)`;
  return `CHECK FAILED: implementations disagree on the shared starting weights: ${[...counts].map(([c, names]) => `${c} correct: ${names.join(", ")}`).join("; ")}`;
}
