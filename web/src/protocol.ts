// Messages between the page (main.ts) and the training worker (train-worker.ts).
import type { MnistName, MnistPart } from "scratchnet";

export interface TrainSettingsInput {
  hiddenSize: number;
  learningRate: number;
  batchSize: number;
  itersNum: number;
  seed: number;
}

/** The four IDX files (gz or raw) as transferred buffers; `splitTest` = train on the first N test digits. */
export interface DataMessage {
  files: Partial<Record<MnistPart, ArrayBuffer>>;
  label: string;
  /** Digits or clothes: decides the captions and whether the drawing pad applies. */
  dataset: MnistName;
  splitTest?: number;
}

export type ToWorker =
  | { type: "data"; id: number; data: DataMessage }
  | { type: "train"; id: number; settings: TrainSettingsInput }
  | { type: "pause" | "resume" | "stop"; id: number }
  | { type: "predict"; id: number; pixels: Uint8Array }
  | { type: "save"; id: number }
  | { type: "load"; id: number; bytes: ArrayBuffer };

export interface DataInfo {
  label: string;
  dataset: MnistName;
  trainCount: number;
  testCount: number;
  /** The first GRID_SIZE test images (uint8, 784 each) and their labels, for the grid. */
  gridImages: Uint8Array;
  gridLabels: Uint8Array;
  /** Threads the worker's scratchnet core runs on (1 unless the page is cross-origin isolated). */
  threads: number;
}

export interface ModelInfo {
  hiddenSize: number;
  dtype: string;
  /** What it was trained on (from the run, or a model file's `data` metadata); null if unknown. */
  dataset: MnistName | null;
  /** Predicted classes of the grid images. */
  gridPredictions: Uint8Array;
  testAcc: number;
}

export type FromWorker =
  | { type: "reply"; id: number; ok: true; value?: unknown }
  | { type: "reply"; id: number; ok: false; error: string }
  /** Losses of iterations [start, start + losses.length); `elapsedMs`: the run's time so far (worker clock). */
  | { type: "losses"; start: number; losses: Float64Array; elapsedMs: number }
  | { type: "epoch"; epoch: number; iter: number; trainAcc: number; testAcc: number; gridPredictions: Uint8Array }
  | { type: "error"; message: string }
  | {
    type: "state"; state: "training" | "paused" | "done" | "stopped"; itersDone: number; elapsedMs?: number; model?: ModelInfo;
    /** Threads the run uses. */
    threads?: number;
    /** At the end of a run: accuracy after its last iteration, and its length in epochs. */
    final?: { trainAcc: number; testAcc: number; epochs: number };
  };

export const GRID_SIZE = 40;
