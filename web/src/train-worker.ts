// The training worker: owns the wasm core, the datasets and the net, runs `trainNet` (the
// same loop as Node's CLI) and streams losses and accuracies to the page. The page thread
// never computes, so it stays responsive however big the net.
import {
  init, getThreads, ImageDataset, Tensor, TwoLayerNet, trainNet, evaluateAccuracy, softmax, serializeModel, deserializeModel,
  loadMnistFromBytes, decodeIdx, decodeSafetensors, MNIST_PARTS, type MnistName, type MnistPart,
} from "scratchnet";
import { GRID_SIZE, type DataInfo, type DataMessage, type FromWorker, type ModelInfo, type ToWorker, type TrainSettingsInput } from "./protocol.js";

const LOSS_FLUSH_MS = 50;

let data: { train: ImageDataset; test: ImageDataset; dataset: MnistName; splitTest?: number } | null = null;
let net: TwoLayerNet | null = null;
/** What `net` was trained on (null: a loaded file that does not say). */
let netDataset: MnistName | null = null;
let training: { abort: AbortController; paused: boolean; resume: (() => void) | null } | null = null;

const post = (m: FromWorker, transfer: Transferable[] = []): void => (self as unknown as Worker).postMessage(m, transfer);

self.onmessage = async (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  try {
    // finds the wasm next to the library (Vite follows new URL(..., import.meta.url)); on the
    // page's cores when it is cross-origin isolated (the demo server sends COOP/COEP), else 1
    await init();
    const value = await handle(m);
    post({ type: "reply", id: m.id, ok: true, value });
  } catch (err) {
    post({ type: "reply", id: m.id, ok: false, error: (err as Error)?.message ?? String(err) });
  }
};

async function handle(m: ToWorker): Promise<unknown> {
  switch (m.type) {
    case "data": return loadData(m.data);
    case "train":
      if (!data) throw new Error("load data first");
      if (training) throw new Error("already training");
      // progress and the end arrive as events
      train(m.settings).catch((err) => post({ type: "error", message: (err as Error)?.message ?? String(err) }));
      return undefined;
    case "pause": if (training) training.paused = true; return undefined;
    case "resume": if (training) { training.paused = false; training.resume?.(); } return undefined;
    case "stop": if (training) { training.abort.abort(); training.resume?.(); } return undefined;
    case "predict": return predictDrawn(m.pixels);
    case "save": return requireNet().then((n) => serializeModel(n, dataMetadata()));
    case "load": return loadModel(new Uint8Array(m.bytes));
  }
}

async function loadData(msg: DataMessage): Promise<DataInfo> {
  if (training) throw new Error("stop training before loading other data");
  const bytes = (part: MnistPart) => {
    const b = msg.files[part];
    if (!b) throw new Error(`${msg.label}: the ${part} file is missing`);
    return new Uint8Array(b);
  };
  if (msg.splitTest) {
    // only the test set is on disk: train on its first `splitTest` digits, test on the rest
    const images = await decodeIdx(bytes("testImages"), `${msg.label} test images`, 3);
    const labels = await decodeIdx(bytes("testLabels"), `${msg.label} test labels`, 1);
    const all = ImageDataset.fromBytes(msg.label, images.data, labels.data, 28, 28);
    data = { train: all.slice(0, msg.splitTest), test: all.slice(msg.splitTest), dataset: msg.dataset, splitTest: msg.splitTest };
  } else {
    const files = Object.fromEntries(MNIST_PARTS.map((p) => [p, bytes(p)])) as Record<MnistPart, Uint8Array>;
    const loaded = await loadMnistFromBytes(files, { source: msg.label, dataset: msg.dataset });
    data = { train: loaded.train, test: loaded.test, dataset: msg.dataset };
  }
  const n = Math.min(GRID_SIZE, data.test.count);
  const gridImages = new Uint8Array(n * 784);
  const gridLabels = new Uint8Array(n);
  for (let i = 0; i < n; i++) { gridImages.set(data.test.image(i), i * 784); gridLabels[i] = data.test.label(i); }
  return { label: msg.label, dataset: msg.dataset, trainCount: data.train.count, testCount: data.test.count, gridImages, gridLabels, threads: getThreads() } satisfies DataInfo;
}

async function train(s: TrainSettingsInput): Promise<void> {
  const sets = data!; // checked by the caller
  const run = { abort: new AbortController(), paused: false, resume: null as (() => void) | null };
  training = run;
  net = new TwoLayerNet({ inputSize: 784, hiddenSize: s.hiddenSize, outputSize: 10, seed: s.seed });
  netDataset = sets.dataset;
  const pending = new Float64Array(4096);
  let pendingStart = 0, pendingCount = 0, lastFlush = performance.now();
  const started = performance.now();
  let pausedMs = 0;
  const flush = (): void => {
    if (pendingCount === 0) return;
    post({ type: "losses", start: pendingStart, losses: pending.slice(0, pendingCount), elapsedMs: performance.now() - started - pausedMs });
    pendingStart += pendingCount;
    pendingCount = 0;
    lastFlush = performance.now();
  };
  post({ type: "state", state: "training", itersDone: 0, threads: getThreads() });
  try {
    const history = await trainNet(net, sets, {
      itersNum: s.itersNum, batchSize: s.batchSize, learningRate: s.learningRate, seed: s.seed,
      signal: run.abort.signal,
      onStep: async ({ iter, loss }) => {
        pending[pendingCount++] = loss;
        if (pendingCount === pending.length || performance.now() - lastFlush > LOSS_FLUSH_MS) flush();
        if (run.paused) {
          flush();
          post({ type: "state", state: "paused", itersDone: iter + 1 });
          const pausedAt = performance.now();
          await new Promise<void>((resolve) => { run.resume = resolve; });
          pausedMs += performance.now() - pausedAt;
          run.resume = null;
          if (!run.abort.signal.aborted) post({ type: "state", state: "training", itersDone: pendingStart });
        }
      },
      onEpoch: ({ epoch, iter, trainAcc, testAcc }) => {
        flush();
        post({ type: "epoch", epoch, iter, trainAcc, testAcc, gridPredictions: gridPredictions(net!) });
      },
    });
    flush();
    post({
      type: "state", state: history.aborted ? "stopped" : "done", itersDone: history.trainLossList.length,
      elapsedMs: history.elapsedMs, model: modelInfo(net),
      final: { trainAcc: history.finalTrainAcc, testAcc: history.finalTestAcc, epochs: history.trainLossList.length / history.settings.iterPerEpoch },
    });
  } catch (err) {
    post({ type: "state", state: "stopped", itersDone: pendingStart + pendingCount });
    throw err;
  } finally {
    training = null;
  }
}

function gridPredictions(n: TwoLayerNet): Uint8Array {
  const count = Math.min(GRID_SIZE, data!.test.count);
  const { x } = data!.test.toTensor(0, count, n.dtype);
  const y = n.predict(x).data;
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    let best = 0;
    for (let c = 1; c < 10; c++) if (y[i * 10 + c] > y[i * 10 + best]) best = c;
    out[i] = best;
  }
  return out;
}

function modelInfo(n: TwoLayerNet): ModelInfo {
  return {
    hiddenSize: n.hiddenSize, dtype: n.dtype, dataset: netDataset,
    gridPredictions: data ? gridPredictions(n) : new Uint8Array(0),
    testAcc: data ? evaluateAccuracy(n, data.test) : NaN,
  };
}

async function requireNet(): Promise<TwoLayerNet> {
  if (!net) throw new Error("train or load a model first");
  return net;
}

/** Ten class probabilities for a 28×28 uint8 digit. */
async function predictDrawn(pixels: Uint8Array): Promise<number[]> {
  const n = await requireNet();
  if (pixels.length !== 784) throw new Error(`predict: expected 784 pixels, got ${pixels.length}`);
  const x = Tensor.from(Float64Array.from(pixels, (v) => v / 255), [1, 784], n.dtype);
  return Array.from(softmax(n.predict(x)).data);
}

async function loadModel(bytes: Uint8Array): Promise<ModelInfo> {
  if (training) throw new Error("stop training before loading a model");
  const loaded = deserializeModel(bytes, "model file");
  if (!(loaded instanceof TwoLayerNet) || loaded.inputSize !== 784 || loaded.outputSize !== 10) {
    throw new Error("model file: expected a TwoLayerNet with 784 inputs and 10 outputs");
  }
  net = loaded;
  netDataset = recordedDataset(bytes);
  return modelInfo(net);
}

/** The `data` entry a saved model carries (the CLI writes the same): dataset and preprocessing. */
function dataMetadata(): Record<string, string> {
  if (!netDataset) return {};
  const subset = data?.dataset === netDataset && data.splitTest ? "bundled-t10k-8000-2000" : null;
  return { data: JSON.stringify({ dataset: netDataset, subset, normalize: true, flatten: true }) };
}

/** The dataset a model file says it was trained on, or null. */
function recordedDataset(bytes: Uint8Array): MnistName | null {
  try {
    const record = JSON.parse(decodeSafetensors(bytes, "model file").metadata.data ?? "null") as { dataset?: unknown } | null;
    return record?.dataset === "mnist" || record?.dataset === "fashion-mnist" ? record.dataset : null;
  } catch {
    return null; // deserializeModel accepted the file; a bad optional entry only loses the caption hint
  }
}
