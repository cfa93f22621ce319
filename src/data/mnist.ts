// MNIST / Fashion-MNIST from bytes or URLs: the browser-safe half of `loadMnist` (the Node
// half, src/data/load-mnist.node.ts, finds the files on disk or downloads them, then comes
// here too). Every file is IDX, gzip or raw; each is validated before a byte is trusted.
import { getCore } from "../core/core.js";
import { fail } from "../errors.js";
import { checkOptions, describeValue } from "../check.js";
import { decodeIdx } from "./idx.js";
import type { ByteSource } from "./byte-source.js";
import { datasetFromStorage, newStorage, type ImageDataset, type DatasetFlags } from "./dataset.js";
import { MNIST_PARTS, mnistSpec, type MnistName, type MnistPart } from "./mnist-files.js";

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
  /** True when this is the small bundled sample, not the full dataset. */
  isSample: boolean;
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

/**
 * Build one split from an image file ([N, 28, 28]) and a label file ([N]). Labels are read
 * first (small) so the image dims can be checked against them before anything large is
 * allocated; the images are then inflated straight into wasm memory (no JS copy of the set).
 */
export async function loadSplit(name: string, images: IdxInput, labels: IdxInput, flags: DatasetFlags = {}): Promise<ImageDataset> {
  const labelIdx = await decodeIdx(await labels.read(), labels.name, 1);
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
  const train = await loadSplit(`${dataset}-train`, inputs.trainImages, inputs.trainLabels, flags);
  try {
    const test = await loadSplit(`${dataset}-test`, inputs.testImages, inputs.testLabels, flags);
    return { train, test, source: options.source, isSample: options.isSample ?? false };
  } catch (error) {
    train.free(); // 47 MB back now, not at some later garbage collection
    throw error;
  }
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

export interface MnistUrlOptions extends MnistOptions {
  /** Appended to each file name (default ".gz"; use "" for uncompressed files). */
  suffix?: string;
  /** The fetch to use (default the global one). */
  fetch?: typeof fetch;
}

/**
 * Fetch `<baseUrl><file><suffix>` for the four files (e.g. a directory your web server
 * serves the .gz files from) and load them with the same validation as from disk.
 */
export async function loadMnistFromUrls(baseUrl: string | URL, options: MnistUrlOptions = {}): Promise<LoadedMnist> {
  const where = "loadMnistFromUrls";
  if (typeof baseUrl !== "string" && !(baseUrl instanceof URL)) fail(where, `baseUrl must be a URL or a string, got ${describeValue(baseUrl)}`);
  options = checkOptions(options, where);
  if (options.fetch !== undefined && typeof options.fetch !== "function") fail(where, `fetch must be a function, got ${describeValue(options.fetch)}`);
  if (options.suffix !== undefined && typeof options.suffix !== "string") fail(where, `suffix must be a string, got ${describeValue(options.suffix)}`);
  const spec = mnistSpec(options.dataset ?? "mnist", "loadMnistFromUrls");
  const doFetch = options.fetch ?? globalThis.fetch;
  const suffix = options.suffix ?? ".gz";
  const base = String(baseUrl).endsWith("/") ? String(baseUrl) : `${String(baseUrl)}/`;
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
        let response: Response;
        try {
          response = await doFetch(url);
        } catch (cause) {
          throw new Error(`${url}: download failed (${(cause as Error).message})`, { cause });
        }
        if (!response.ok) {
          response.body?.cancel().catch(() => {});
          throw new Error(`${url}: HTTP ${response.status} ${response.statusText}`.trimEnd());
        }
        // the body as a stream: inflated into wasm memory as it arrives
        return response.body ?? new Uint8Array(await response.arrayBuffer());
      },
    };
  }
  return loadMnistFromInputs(inputs, { ...options, source: base });
}
