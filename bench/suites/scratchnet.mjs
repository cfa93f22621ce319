// scratchnet's rows of the bench, through the public API exactly as the trainer uses it:
// minibatches gathered by BatchSampler (uint8 → float in wasm, labels as an Int32Workspace),
// `net.gradient(x, t)` then `optimizer.updateBlock(paramBlock, gradBlock)`; the 70 000-row pass
// is `evaluateAccuracy` over the uint8 train and test sets held in wasm memory.
import * as scratchnet from "../../dist/index.node.js";
import { batchRow } from "../common/data.mjs";

const { TwoLayerNet, SGD, ImageDataset, BatchSampler, evaluateAccuracy } = scratchnet;

let threads = null;

/**
 * Load the threaded core (before anything else touches scratchnet) so one process can time 1 and
 * 2 threads: `init({ threads: 2 })`, then `setThreads(n)` per row. Every scratchnet row then runs
 * in the threaded build (1-thread rows with a pool of one). Without the option in this build, or
 * with SCRATCHNET_BENCH_THREADS=0 (to time the default single-threaded build), the two-thread row
 * says why it is n/a.
 */
export async function prepareThreads(want = 2) {
  if (typeof scratchnet.setThreads !== "function" || typeof scratchnet.init !== "function") {
    threads = { available: false, note: "n/a (not built yet)" };
  } else if (process.env.SCRATCHNET_BENCH_THREADS === "0") {
    threads = { available: false, note: "n/a (SCRATCHNET_BENCH_THREADS=0: default single-threaded build)" };
  } else {
    try {
      await scratchnet.init({ threads: want });
      await scratchnet.setThreads(1);
      threads = {
        available: true, how: `init({ threads: ${want} }) + setThreads(n)`,
        set: (n) => scratchnet.setThreads(n), get: () => scratchnet.getThreads?.() ?? null,
      };
    } catch (e) {
      threads = { available: false, note: `n/a (${e.message})` };
    }
  }
  return threads;
}

/** What prepareThreads found (null before it ran). */
export function threadsSupport() {
  return threads;
}

/** The step minibatches (same rows as the other implementations) as one small uint8 dataset. */
function stepDataset(data, recipe) {
  const { batchSize, stepBatches } = recipe;
  const images = new Uint8Array(stepBatches * batchSize * data.rowLen);
  const labels = new Uint8Array(stepBatches * batchSize);
  for (let b = 0; b < stepBatches; b++) {
    for (let r = 0; r < batchSize; r++) {
      const row = batchRow(b, r, batchSize, data.trainCount), at = b * batchSize + r;
      images.set(data.trainImages.subarray(row * data.rowLen, (row + 1) * data.rowLen), at * data.rowLen);
      labels[at] = data.trainLabels[row];
    }
  }
  return ImageDataset.fromBytes("fashion-mnist step batches", images, labels, data.rows, data.cols);
}

// The uint8 datasets live in wasm memory once per process, shared by every variant.
const datasets = new WeakMap();
function wasmDatasets(data, recipe) {
  let d = datasets.get(data);
  if (d === undefined) {
    d = {
      steps: stepDataset(data, recipe),
      train: ImageDataset.fromBytes("fashion-mnist train", data.trainImages, data.trainLabels, data.rows, data.cols),
      test: ImageDataset.fromBytes("fashion-mnist test", data.testImages, data.testLabels, data.rows, data.cols),
    };
    datasets.set(data, d);
  }
  return d;
}

/**
 * @param {{ dtype: 'float32'|'float64', threads?: number }} variant
 * @returns {{ step(): void, loss(): number, evalPass(): number, label: string }}
 */
export function createScratchnet(variant, recipe, data) {
  const { dtype } = variant;
  const net = new TwoLayerNet({ ...recipe, dtype, seed: 0 });
  const optimizer = new SGD(recipe.learningRate);
  // One sampler per minibatch, each gathered once: the step then measures gradient + update only,
  // like the other rows (whose batches are gathered up front too).
  const { steps, train, test } = wasmDatasets(data, recipe);
  const batches = [];
  for (let b = 0; b < recipe.stepBatches; b++) {
    const sampler = new BatchSampler(steps, recipe.batchSize, dtype);
    const x = sampler.range(b * recipe.batchSize, recipe.batchSize);
    batches.push({ x, t: sampler.labelBatch });
  }
  let next = 0;
  const evalOptions = { batchSize: recipe.evalChunk };
  const trainEval = new BatchSampler(train, recipe.evalChunk, dtype);
  const testEval = new BatchSampler(test, recipe.evalChunk, dtype);
  return {
    step() {
      const { x, t } = batches[next++ % batches.length];
      net.gradient(x, t);
      optimizer.updateBlock(net.paramBlock, net.gradBlock);
    },
    loss() {
      return net.loss(batches[0].x, batches[0].t);
    },
    /** Correct predictions over all 70 000 rows (train then test, as the book evaluates each epoch). */
    evalPass() {
      const a = evaluateAccuracy(net, train, { ...evalOptions, sampler: trainEval });
      const b = evaluateAccuracy(net, test, { ...evalOptions, sampler: testEval });
      return Math.round(a * train.count + b * test.count);
    },
  };
}
