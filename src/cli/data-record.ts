// What a run records about its data — in history.json and in the model file's metadata — so
// `scratchnet eval --model FILE` can evaluate on exactly the data and preprocessing it was
// trained for (the bundled 8000/2000 digits split included) without any other flag.
import type { DatasetName } from "./load-data.js";

/** The `data` metadata entry of a model file (JSON). */
export interface ModelDataRecord {
  dataset: DatasetName;
  /** e.g. "bundled-t10k-8000-2000"; null for the dataset's own train/test files. */
  subset: string | null;
  /** Pixels ÷ 255. */
  normalize: boolean;
  /** Rows of 784 (true) or [N, 1, 28, 28]. */
  flatten: boolean;
}

export function modelDataMetadata(
  data: { dataset: DatasetName; subset?: string }, prep: { normalize: boolean; flatten: boolean },
): Record<string, string> {
  const record: ModelDataRecord = { dataset: data.dataset, subset: data.subset ?? null, ...prep };
  return { data: JSON.stringify(record) };
}

/** The record from a model file's metadata; undefined when the file has none (older files, library saves). */
export function readDataRecord(metadata: Record<string, string>, file: string): ModelDataRecord | undefined {
  if (metadata.data === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(metadata.data);
  } catch (e) {
    throw new Error(`${file}: metadata 'data' is not valid JSON (${(e as Error).message})`);
  }
  const r = parsed as Partial<ModelDataRecord> | null;
  if (typeof r !== "object" || r === null || (r.dataset !== "mnist" && r.dataset !== "fashion-mnist") ||
      typeof r.normalize !== "boolean" || typeof r.flatten !== "boolean" || (r.subset !== null && typeof r.subset !== "string")) {
    throw new Error(`${file}: metadata 'data' is not a dataset record: ${metadata.data}`);
  }
  return r as ModelDataRecord;
}

/** "mnist (60000 train / 10000 test, from DIR)", naming a subset when there is one. */
export function describeData(data: { dataset: string; subset?: string; isSample: boolean; train: { count: number }; test: { count: number }; source: string }): string {
  const kind = data.subset ? `${data.dataset} [${data.subset}]` : `${data.dataset}${data.isSample ? " SAMPLE" : ""}`;
  return `${kind} (${data.train.count} train / ${data.test.count} test, from ${data.source})`;
}
