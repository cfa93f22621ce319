// The demo page: wires the controls to the training worker and draws what it reports. No
// numerics here: the page thread only draws, so it never blocks while the worker trains.
import { CanvasChart, TAB10 } from "./canvas-chart.js";
import { DrawPad } from "./draw-pad.js";
import { mnistStyleDigit } from "./mnist-preprocess.js";
import { fromMirror, fromPickedFiles, fromServer, listServerSources, orderSources, type DataSourceInfo } from "./data-sources.js";
import { classNames } from "./classes.js";
import { WorkerClient, type WorkerEvent } from "./worker-client.js";
import { buildGrid, digitImage, showPredictions, showProbs } from "./views.js";
import type { DataInfo, DataMessage, ModelInfo, TrainSettingsInput } from "./protocol.js";
import type { MnistName } from "scratchnet";

type Phase = "idle" | "loading" | "ready" | "training" | "paused" | "done" | "stopped";
interface EpochPoint { epoch: number; iter: number; trainAcc: number; testAcc: number }

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;

/** Everything the page knows; also exposed as window.__scratchnet for tests and curious users. */
const state = {
  phase: "idle" as Phase,
  data: null as DataInfo | null,
  settings: null as TrainSettingsInput | null,
  losses: new Float64Array(0),
  lossCount: 0,
  epochs: [] as EpochPoint[],
  elapsedMs: 0,
  /** The run's time so far, from the worker's last loss batch (for the live iterations/s). */
  liveElapsedMs: 0,
  /** Threads the worker computes on (the page's cores when cross-origin isolated, else 1). */
  threads: 0,
  model: null as ModelInfo | null,
  /** The end of the last run: accuracy after its last iteration, its length in epochs. */
  final: null as { trainAcc: number; testAcc: number; epochs: number } | null,
  probs: null as number[] | null,
  error: null as string | null,
  /** Longest stretch the page thread spent in this file's handlers and chart draws (ms). */
  longestWorkMs: 0,
};

/** Run `fn` and keep the longest duration in state.longestWorkMs (the page's own blocking time). */
function timed<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
  return (...args: A) => {
    const t0 = performance.now();
    fn(...args);
    state.longestWorkMs = Math.max(state.longestWorkMs, performance.now() - t0);
  };
}
(globalThis as { __scratchnet?: typeof state }).__scratchnet = state;

const client = new WorkerClient(new Worker(new URL("./train-worker.ts", import.meta.url), { type: "module" }), timed(onWorkerEvent));

// ---- charts ----
const iterPerEpoch = (): number => (state.data && state.settings ? Math.max(state.data.trainCount / state.settings.batchSize, 1) : 1);
const lossChart = new CanvasChart($<HTMLCanvasElement>("loss-chart"), [{
  label: "train loss", color: TAB10.blue, length: () => state.lossCount, x: (i) => i, y: (i) => state.losses[i],
}], { xLabel: "iteration", yLabel: "loss", xDomain: () => [0, Math.max(1, state.settings?.itersNum ?? 1)] }, timed);
const accChart = new CanvasChart($<HTMLCanvasElement>("acc-chart"), [
  { label: "train acc", color: TAB10.blue, marker: "circle", length: () => state.epochs.length, x: (i) => i, y: (i) => state.epochs[i].trainAcc },
  { label: "test acc", color: TAB10.orange, dashed: true, marker: "square", length: () => state.epochs.length, x: (i) => i, y: (i) => state.epochs[i].testAcc },
], {
  xLabel: "epochs", yLabel: "accuracy", yDomain: [0, 1], legend: "lower right",
  xDomain: () => [0, Math.max(1, Math.floor(((state.settings?.itersNum ?? 1) - 1) / iterPerEpoch()))],
}, timed);

/** The phase is mirrored on <body data-phase> at once (tests and CSS read it), the rest per frame. */
function setPhase(phase: Phase): void {
  state.phase = phase;
  document.body.dataset.phase = phase;
}

let statusFrame = 0;
function render(): void {
  lossChart.invalidate();
  accChart.invalidate();
  if (statusFrame === 0) statusFrame = requestAnimationFrame(timed(() => { statusFrame = 0; renderStatus(); }));
}

function threadsText(n: number): string {
  if (n > 1) return `${n} threads`;
  return globalThis.crossOriginIsolated ? "1 thread" : "1 thread (the page is not cross-origin isolated)";
}

function renderStatus(): void {
  const s = state;
  const lines: string[] = [];
  if (s.error) lines.push(`error: ${s.error}`);
  if (s.settings) {
    lines.push(`${s.phase}: iteration ${s.lossCount} / ${s.settings.itersNum}` + (s.lossCount ? `, loss ${s.losses[s.lossCount - 1].toFixed(4)}` : ""));
    const e = s.epochs[s.epochs.length - 1];
    // the book measures at i % iterPerEpoch == 0, i.e. after iteration i + 1: say which
    if (e) lines.push(`epoch ${e.epoch} (after iteration ${e.iter + 1}): train acc ${e.trainAcc.toFixed(4)}, test acc ${e.testAcc.toFixed(4)}`);
    if (s.final) {
      lines.push(`final, after ${s.lossCount} iterations (${s.final.epochs.toFixed(2)} epochs): ` +
        `train acc ${s.final.trainAcc.toFixed(4)}, test acc ${s.final.testAcc.toFixed(4)}`);
    }
    const ms = s.elapsedMs || s.liveElapsedMs;
    if (ms) lines.push(`${(s.lossCount / (ms / 1000)).toFixed(0)} iterations/s on ${threadsText(s.threads)}`);
  } else if (s.data) {
    lines.push(`${s.phase}: ready to train on ${threadsText(s.threads)}`);
  } else if (s.phase !== "loading") {
    lines.push("Load a dataset to begin.");
  }
  $("status").textContent = lines.join("\n");
  const c = $("acc-chart");
  c.dataset.epochs = String(s.epochs.length);
  c.dataset.trainAcc = JSON.stringify(s.epochs.map((e) => e.trainAcc));
  c.dataset.testAcc = JSON.stringify(s.epochs.map((e) => e.testAcc));
  ($<HTMLButtonElement>("start")).disabled = !s.data || s.phase === "training" || s.phase === "paused" || s.phase === "loading";
  ($<HTMLButtonElement>("pause")).disabled = s.phase !== "training" && s.phase !== "paused";
  ($<HTMLButtonElement>("pause")).textContent = s.phase === "paused" ? "Resume" : "Pause";
  ($<HTMLButtonElement>("stop")).disabled = s.phase !== "training" && s.phase !== "paused";
  ($<HTMLButtonElement>("save")).disabled = !s.model || s.phase === "training" || s.phase === "paused";
}

// ---- worker events ----
function onWorkerEvent(e: WorkerEvent): void {
  switch (e.type) {
    case "losses":
      state.losses.set(e.losses, e.start);
      state.lossCount = e.start + e.losses.length;
      state.liveElapsedMs = e.elapsedMs;
      break;
    case "epoch":
      state.epochs.push({ epoch: e.epoch, iter: e.iter, trainAcc: e.trainAcc, testAcc: e.testAcc });
      showPredictions($("grid"), e.gridPredictions, classNames(state.data?.dataset ?? null));
      break;
    case "state":
      setPhase(e.state);
      if (e.elapsedMs !== undefined) state.elapsedMs = e.elapsedMs;
      if (e.threads !== undefined) state.threads = e.threads;
      if (e.final) state.final = e.final;
      if (e.model) setModel(e.model);
      break;
    case "error":
      state.error = e.message;
      break;
  }
  render();
}

// ---- data ----
let serverSources: DataSourceInfo[] = [];
async function refreshSources(): Promise<void> {
  // the bundled digits are always there (no server needed): the default unless the full MNIST is
  serverSources = orderSources(await listServerSources().catch(() => []));
  const select = $<HTMLSelectElement>("source");
  select.replaceChildren(...serverSources.map((s) => new Option(s.label, s.id)));
}

async function loadData(get: () => Promise<DataMessage>): Promise<void> {
  setPhase("loading");
  state.error = null;
  $("data-info").textContent = "loading…";
  render();
  try {
    const msg = await get();
    const info = await client.request<DataInfo>({ type: "data", data: msg }, Object.values(msg.files));
    state.data = info;
    state.threads = info.threads;
    setPhase("ready");
    $("data-info").textContent = `${info.label}: ${info.trainCount} train, ${info.testCount} test images` +
      (info.dataset === "fashion-mnist" ? " (clothing: Fashion-MNIST's ten classes, not digits)" : "");
    buildGrid($("grid"), info);
  } catch (e) {
    setPhase(state.data ? "ready" : "idle");
    state.error = (e as Error).message;
    $("data-info").textContent = "";
  }
  render();
}

$("load-server").onclick = () => {
  const source = serverSources.find((s) => s.id === $<HTMLSelectElement>("source").value);
  if (source) void loadData(() => fromServer(source));
};
$<HTMLInputElement>("files").onchange = (e) => {
  const list = (e.target as HTMLInputElement).files;
  if (list?.length) void loadData(() => fromPickedFiles(list, $<HTMLSelectElement>("pick-set").value as MnistName));
};
$("load-mirror").onclick = () => void loadData(() => fromMirror($<HTMLSelectElement>("mirror-set").value as MnistName));

// ---- training controls ----
function readSettings(): TrainSettingsInput {
  // bounds keep a typo from asking for gigabytes (the loss array holds one float64 per iteration)
  const num = (id: string, integer: boolean, min: number, max: number): number => {
    const text = $<HTMLInputElement>(id).value;
    const v = Number(text);
    if (text.trim() === "" || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
      throw new Error(`${id}: expected ${integer ? "an integer" : "a number"} in [${min}, ${max}], got "${text}"`);
    }
    return v;
  };
  return {
    hiddenSize: num("hidden", true, 1, 4096), learningRate: num("lr", false, 1e-9, 100), batchSize: num("batch", true, 1, 10000),
    itersNum: num("iters", true, 1, 1_000_000), seed: num("seed", true, 0, Number.MAX_SAFE_INTEGER),
  };
}

$("start").onclick = async () => {
  let settings: TrainSettingsInput;
  try {
    settings = readSettings();
  } catch (e) {
    state.error = (e as Error).message;
    render();
    return;
  }
  try {
    state.settings = settings;
    state.losses = new Float64Array(settings.itersNum);
    state.lossCount = 0;
    state.epochs = [];
    state.final = null;
    state.elapsedMs = 0;
    state.liveElapsedMs = 0;
    state.error = null;
    setPhase("training");
    render();
    await client.request({ type: "train", settings });
  } catch (e) {
    // the worker refused to start (no data, or a run still going)
    setPhase(state.data ? "ready" : "idle");
    state.error = (e as Error).message;
    render();
  }
};
$("pause").onclick = () => void client.request({ type: state.phase === "paused" ? "resume" : "pause" });
$("stop").onclick = () => void client.request({ type: "stop" });

// ---- the model: save / load ----
function setModel(model: ModelInfo): void {
  state.model = model;
  $("model-info").textContent = `TwoLayerNet 784-${model.hiddenSize}-10 (${model.dtype})` +
    `${model.dataset ? `, trained on ${model.dataset}` : ""}, test accuracy ${model.testAcc.toFixed(4)}`;
  if (model.gridPredictions.length) showPredictions($("grid"), model.gridPredictions, classNames(state.data?.dataset ?? model.dataset));
  updatePad();
  if (lastDigit && padAccepts()) void predict(lastDigit);
}

/** The pad is for digits: a model trained on clothes would answer a "7" with a shoe. */
function padAccepts(): boolean {
  return state.model?.dataset !== "fashion-mnist";
}

function updatePad(): void {
  const accepts = padAccepts();
  $("pad").classList.toggle("disabled", !accepts);
  $("pad-note").textContent = accepts ? ""
    : "This model knows clothes (Fashion-MNIST), not digits: train on MNIST digits to draw here.";
  if (!accepts) {
    state.probs = null;
    showProbs($("probs"), null);
  }
}

$("save").onclick = async () => {
  try {
    const bytes = await client.request<Uint8Array>({ type: "save" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([bytes as BlobPart], { type: "application/octet-stream" }));
    a.download = `twolayernet-784-${state.model?.hiddenSize ?? 0}-10.safetensors`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  } catch (e) {
    state.error = (e as Error).message;
    render();
  }
};
$<HTMLInputElement>("model-file").onchange = async (e) => {
  const input = e.target as HTMLInputElement;
  const file = input.files?.[0];
  if (!file) return;
  input.value = ""; // so that picking the same file again (after training another net) loads it again
  try {
    const buffer = await file.arrayBuffer();
    setModel(await client.request<ModelInfo>({ type: "load", bytes: buffer }, [buffer]));
    state.error = null;
  } catch (err) {
    state.error = (err as Error).message;
  }
  render();
};

// ---- drawing pad ----
let lastDigit: Uint8Array | null = null;
const pad = new DrawPad($<HTMLCanvasElement>("pad"), (ink, w, h) => {
  if (!padAccepts()) return;
  const digit = mnistStyleDigit(ink, w, h);
  if (!digit) return;
  lastDigit = digit;
  $<HTMLCanvasElement>("pad-preview").getContext("2d")!.putImageData(digitImage(digit), 0, 0);
  void predict(digit);
});
$("clear").onclick = () => {
  pad.clear();
  lastDigit = null;
  state.probs = null;
  showProbs($("probs"), null);
};

async function predict(digit: Uint8Array): Promise<void> {
  try {
    state.probs = await client.request<number[]>({ type: "predict", pixels: digit });
    showProbs($("probs"), state.probs);
  } catch (e) {
    state.error = (e as Error).message;
    render();
  }
}

void refreshSources();
render();
