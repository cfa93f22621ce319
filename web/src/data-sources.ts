// Where the page can get the four IDX files: the real MNIST test digits bundled with the
// package (always there, also in a static build: Vite emits them as assets), the dev server's
// /__data/ listing, files picked from disk, or a public mirror. Each ends as transferable
// buffers for the worker.
import { MNIST_PARTS, MNIST_SPECS, type MnistName, type MnistPart } from "scratchnet";
import bundledImagesUrl from "../../data-sample/mnist/t10k-images-idx3-ubyte.gz?url";
import bundledLabelsUrl from "../../data-sample/mnist/t10k-labels-idx1-ubyte.gz?url";
import type { DataMessage } from "./protocol.js";

/** The bundled digits split as the CLI's offline quick start does: 8000 train / 2000 test. */
export const BUNDLED_DIGITS: DataSourceInfo = {
  id: "bundled", dataset: "mnist",
  label: "mnist (bundled test digits: 8000 train / 2000 test)",
  urls: { testImages: bundledImagesUrl, testLabels: bundledLabelsUrl },
  splitTest: 8000,
};

/** One entry of /__data/index.json (see web/data-plugin.ts). */
export interface DataSourceInfo {
  id: string;
  dataset: MnistName;
  label: string;
  urls: Partial<Record<MnistPart, string>>;
  /** Set when only the test files exist: train on the first `splitTest` test digits. */
  splitTest?: number;
}

export async function listServerSources(): Promise<DataSourceInfo[]> {
  const response = await fetch("/__data/index.json");
  if (!response.ok) return []; // a static build has no data endpoint
  return (await response.json()) as DataSourceInfo[];
}

async function fetchBuffer(url: string): Promise<ArrayBuffer> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

/**
 * The choices for the source list, the default first: the full MNIST if this machine has it,
 * else the bundled digits (never clothes by default), then the rest.
 */
export function orderSources(server: DataSourceInfo[]): DataSourceInfo[] {
  const fullMnist = server.filter((s) => s.dataset === "mnist" && !s.splitTest);
  return [...fullMnist, BUNDLED_DIGITS, ...server.filter((s) => !fullMnist.includes(s))];
}

export async function fromServer(source: DataSourceInfo): Promise<DataMessage> {
  const files: DataMessage["files"] = {};
  for (const [part, url] of Object.entries(source.urls) as [MnistPart, string][]) files[part] = await fetchBuffer(url);
  return { files, label: source.label, dataset: source.dataset, splitTest: source.splitTest };
}

/** Four files picked by the user, matched to their parts by the standard names. */
export async function fromPickedFiles(list: FileList, dataset: MnistName = "mnist"): Promise<DataMessage> {
  const spec = MNIST_SPECS[dataset];
  const files: DataMessage["files"] = {};
  for (const file of Array.from(list)) {
    // "train-images-idx3-ubyte.gz", "train-images.idx3-ubyte" …: the stem before "-idx"/".idx" decides
    const part = MNIST_PARTS.find((p) => file.name.startsWith(spec.files[p].name.split("-idx")[0]));
    if (!part) throw new Error(`${file.name}: not one of ${MNIST_PARTS.map((p) => spec.files[p].name).join(", ")} (.gz or raw)`);
    files[part] = await file.arrayBuffer();
  }
  const missing = MNIST_PARTS.filter((p) => !files[p]).map((p) => spec.files[p].name);
  if (missing.length) throw new Error(`pick all four IDX files; missing: ${missing.join(", ")}`);
  return { files, label: `${Array.from(list).length} ${dataset} files from disk`, dataset };
}

/** The public mirrors (they must allow cross-origin requests; errors are reported, not hidden). */
export async function fromMirror(dataset: MnistName): Promise<DataMessage> {
  const spec = MNIST_SPECS[dataset];
  const errors: string[] = [];
  for (const base of spec.mirrors) {
    try {
      const files: DataMessage["files"] = {};
      for (const part of MNIST_PARTS) files[part] = await fetchBuffer(`${base}${spec.files[part].name}.gz`);
      return { files, label: `${dataset} from ${base}`, dataset };
    } catch (e) {
      errors.push(`${base}: ${(e as Error).message}`);
    }
  }
  throw new Error(`no mirror could be read from this page:\n${errors.join("\n")}`);
}
