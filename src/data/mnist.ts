// MNIST / Fashion-MNIST from bytes or URLs: the browser-safe half of `loadMnist` (the Node
// half, src/data/load-mnist.node.ts, finds the files on disk or downloads them, then comes
// here too). Every file is IDX, gzip or raw; each is validated before a byte is trusted.
import { getCore } from "../core/core.js";
import { fail } from "../errors.js";
import { checkOptions, describeValue } from "../check.js";
import { decodeIdx, type IdxTarget } from "./idx.js";
import type { ByteSource } from "./byte-source.js";
import { datasetFromStorage, newStorage, type ImageDataset, type DatasetFlags } from "./dataset.js";
import { MNIST_PARTS, mnistSpec, type MnistName, type MnistPart } from "./mnist-files.js";
import { fetchWithLimits, type NetworkLimits } from "../core/network-limits.js";

const SIDE = 28;

export interface MnistOptions extends DatasetFlags {
  /** Which set (default 'mnist', as in the book). */
  dataset?: MnistName;
}

export interface LoadedMnist {
  train: ImageDataset;
  test: ImageDataset;
  /** Where the files came from (a directory, a base URL, or "bytes"). */
  source: string;
  /** True when this is a bundled sample or subset, not the full dataset. */
  isSample: boolean;
  /**
   * Set when the splits are not the dataset's own train/test files: "bundled-t10k-8000-2000"
   * for the bundled MNIST test digits split 8000 train / 2000 test.
   */
  subset?: string;
}

/**
 * One IDX file: its name for messages and how to get its bytes, read lazily (one file at a
 * time) as a whole array or a stream (a stream never holds the whole compressed file).
 */
export interface IdxInput {
  name: string;
  read(): Promise<ByteSource> | ByteSource;
}

export type MnistBytes = Record<MnistPart, Uint8Array>;

/** Most images a split can have: their 28×28 bytes must fit in a wasm32 memory (4 GiB). */
export const MAX_SPLIT_COUNT = Math.floor(2 ** 32 / (SIDE * SIDE));

export interface SplitLimits {
  /** Refuse a label file declaring more labels than this (default MAX_SPLIT_COUNT). */
  maxCount?: number;
  /** What the limit is, for the message (e.g. "the 60000 of mnist's train-labels-idx1-ubyte"). */
  maxCountIs?: string;
}

/**
 * Build one split from an image file ([N, 28, 28]) and a label file ([N]). Labels are read
 * first (small) so the image dims can be checked against them before anything large is
 * allocated; the images are then inflated straight into wasm memory (no JS copy of the set).
 * The label count the header declares is checked against `limits` before the labels are
 * inflated (a 4 MB .gz may claim 2³¹−1 of them), and no file is inflated past what its header
 * declares.
 */
export async function loadSplit(name: string, images: IdxInput, labels: IdxInput, flags: DatasetFlags = {}, limits: SplitLimits = {}): Promise<ImageDataset> {
  const maxCount = limits.maxCount ?? MAX_SPLIT_COUNT;
  const labelTarget: IdxTarget = (dims, dataBytes) => {
    if (dims[0] > maxCount) {
      const limit = limits.maxCountIs ?? `the ${maxCount} 28×28 images a 4 GiB wasm memory can hold`;
      throw new Error(`${labels.name}: the header declares ${dims[0]} labels, more than ${limit}; refused before inflating it`);
    }
    const array = new Uint8Array(dataBytes);
    return () => array;
  };
  const labelIdx = await decodeIdx(await labels.read(), labels.name, 1, labelTarget);
  const labelCount = labelIdx.dims[0];
  let storage: ReturnType<typeof newStorage> | null = null;
  const intoWasm = (dims: number[], dataBytes: number) => {
    const [count, rows, cols] = dims;
    if (rows !== SIDE || cols !== SIDE) {
      throw new Error(`${images.name}: images are ${rows}×${cols}, expected ${SIDE}×${SIDE}`);
    }
    if (count !== labelCount) {
      throw new Error(`${name}: ${count} images (${images.name}) vs ${labelCount} labels (${labels.name})`);
    }
    // images and labels both checked against what wasm memory can hold before either is taken
    const s = (storage = newStorage(`ImageDataset(${name})`, dataBytes, labelCount));
    // re-derived per chunk: something else may grow wasm memory while we await the inflater
    return () => new Uint8Array(getCore().memory.buffer, s.images.ptr, dataBytes);
  };
  try {
    await decodeIdx(await images.read(), images.name, 3, intoWasm);
    const s = storage as unknown as ReturnType<typeof newStorage>;
    new Uint8Array(getCore().memory.buffer, s.labels.ptr, labelCount).set(labelIdx.data);
    return datasetFromStorage(name, s, SIDE, SIDE, { ...flags, classes: 10 });
  } catch (error) {
    // give a failed load's memory back now rather than at some later garbage collection
    (storage as ReturnType<typeof newStorage> | null)?.arena.dispose();
    throw error;
  }
}

/** Train and test splits from four named inputs. */
export async function loadMnistFromInputs(
  inputs: Record<MnistPart, IdxInput>, options: MnistOptions & { source: string; isSample?: boolean },
): Promise<LoadedMnist> {
  const dataset = mnistSpec(options.dataset ?? "mnist", "loadMnist").name;
  const flags = { normalize: options.normalize, flatten: options.flatten, oneHotLabel: options.oneHotLabel };
  // no more than the real set has (a subset, such as the bundled sample, is fine)
  const full = (part: MnistPart) => {
    const f = mnistSpec(dataset, "loadMnist").files[part];
    const count = f.bytes - 8; // a label file: 8 header bytes, then one byte per label
    return { maxCount: count, maxCountIs: `the ${count} of ${dataset}'s ${f.name}` };
  };
  // both splits at once: in Node the inflating runs on libuv's threads, so the test split's
  // overlaps the training split's instead of following it
  const [train, test] = await Promise.allSettled([
    loadSplit(`${dataset}-train`, inputs.trainImages, inputs.trainLabels, flags, full("trainLabels")),
    loadSplit(`${dataset}-test`, inputs.testImages, inputs.testLabels, flags, full("testLabels")),
  ]);
  if (train.status === "fulfilled" && test.status === "fulfilled") {
    return { train: train.value, test: test.value, source: options.source, isSample: options.isSample ?? false };
  }
  // a split that did load gives its memory back now (47 MB), not at some later garbage collection;
  // the training split's error is the one reported when both fail, as when they loaded in turn
  for (const split of [train, test]) if (split.status === "fulfilled") split.value.free();
  throw train.status === "rejected" ? train.reason : (test as PromiseRejectedResult).reason;
}

/**
 * The four files given as bytes (gzip or raw IDX), e.g. from `<input type=file>` or your own
 * fetch. Works in browsers, workers and Node.
 */
export async function loadMnistFromBytes(files: MnistBytes, options: MnistOptions & { source?: string } = {}): Promise<LoadedMnist> {
  options = checkOptions(options, "loadMnistFromBytes");
  if (typeof files !== "object" || files === null) fail("loadMnistFromBytes", `files must be { trainImages, trainLabels, testImages, testLabels } (Uint8Arrays), got ${describeValue(files)}`);
  const spec = mnistSpec(options.dataset ?? "mnist", "loadMnistFromBytes");
  const inputs = {} as Record<MnistPart, IdxInput>;
  for (const part of MNIST_PARTS) {
    const bytes = files?.[part];
    if (!(bytes instanceof Uint8Array)) {
      throw new Error(`loadMnistFromBytes: files.${part} (${spec.files[part].name}) must be a Uint8Array, got ${bytes === undefined ? "nothing" : typeof bytes}`);
    }
    inputs[part] = { name: spec.files[part].name, read: () => bytes };
  }
  return loadMnistFromInputs(inputs, { ...options, source: options.source ?? "bytes" });
}

/** The name the training API notes use for `loadMnistFromBytes`. */
export const loadMnistFromFiles = loadMnistFromBytes;

export interface MnistUrlOptions extends MnistOptions, NetworkLimits {
  /** Appended to each file name (default ".gz"; use "" for uncompressed files). */
  suffix?: string;
  /** The fetch to use (default the global one). */
  fetch?: typeof fetch;
}

/**
 * Fetch `<baseUrl><file><suffix>` for the four files (e.g. a directory your web server
 * serves the .gz files from) and load them with the same validation as from disk. A relative
 * `baseUrl` ("/data/mnist/", "data/") is resolved against the page (`document.baseURI`) or,
 * in a worker, the worker's location. Every error names this function and the URL.
 */
export async function loadMnistFromUrls(baseUrl: string | URL, options: MnistUrlOptions = {}): Promise<LoadedMnist> {
  const where = "loadMnistFromUrls";
  if (typeof baseUrl !== "string" && !(baseUrl instanceof URL)) fail(where, `baseUrl must be a URL or a string, got ${describeValue(baseUrl)}`);
  options = checkOptions(options, where);
  if (options.fetch !== undefined && typeof options.fetch !== "function") fail(where, `fetch must be a function, got ${describeValue(options.fetch)}`);
  if (options.suffix !== undefined && typeof options.suffix !== "string") fail(where, `suffix must be a string, got ${describeValue(options.suffix)}`);
  const spec = mnistSpec(options.dataset ?? "mnist", where);
  const doFetch = options.fetch ?? globalThis.fetch;
  const suffix = options.suffix ?? ".gz";
  const base = resolveBaseUrl(baseUrl, where);
  const inputs = {} as Record<MnistPart, IdxInput>;
  for (const part of MNIST_PARTS) {
    let url: string;
    try {
      url = new URL(spec.files[part].name + suffix, base).href;
    } catch {
      return fail(where, `${JSON.stringify(base.slice(0, 200))} is not a base URL (an absolute http(s) URL, or one relative to the page)`);
    }
    inputs[part] = {
      name: url,
      async read() {
        // each file under its own limits (deadline, minimum rate, idle timeout): a server that
        // trickles or goes silent is cut off, and the error names the URL and the limit
        const { response, body } = await fetchWithLimits(url, options, "loadMnistFromUrls", doFetch);
        if (!response.ok) {
          body?.cancel().catch(() => {});
          throw new Error(`${url}: HTTP ${response.status} ${response.statusText}`.trimEnd());
        }
        // the body as a stream: inflated into wasm memory as it arrives
        return body ?? new Uint8Array(0);
      },
    };
  }
  try {
    return await loadMnistFromInputs(inputs, { ...options, source: base });
  } catch (error) {
    // the inputs' names are their URLs, so every message already says which file
    throw new Error(`${where}: ${(error as Error).message}`, { cause: error });
  }
}

/** `baseUrl` as an absolute URL ending in "/", resolved against the page or worker location. */
function resolveBaseUrl(baseUrl: string | URL, where: string): string {
  const text = String(baseUrl);
  const g = globalThis as { document?: { baseURI?: string }; location?: { href?: string } };
  const page = g.document?.baseURI ?? g.location?.href;
  let url: URL;
  try {
    url = new URL(text, page);
  } catch {
    throw new Error(page === undefined
      ? `${where}: ${JSON.stringify(text)} is not an absolute URL, and there is no page or worker location to resolve it against (outside a browser, pass e.g. "http://host/data/"; in Node, loadMnist reads files)`
      : `${where}: ${JSON.stringify(text)} is not a valid URL (relative to ${page})`);
  }
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url.href;
}
