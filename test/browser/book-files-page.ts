// Browser side of test/browser/book-files.test.ts (bundled for the browser platform, so a `node:`
// import reachable from index.browser.ts would fail the build): the pickle/npy/npz readers and
// writers in Chromium, where inflate/deflate are Chromium's own Compression Streams.
import {
  decodeNpz, encodeNetParams, encodeNpz, encodePickleParams, init, loadNpy, loadNpz, loadPickle, MultiLayerNet, Tensor,
} from "../../src/index.browser.js";
import { canon } from "../helpers/numpy-canon.js";

const ready = init(new URL("/build/scratchnet.wasm", location.href));
const bytesOf = async (url: string) => new Uint8Array(await (await fetch(url)).arrayBuffer());

async function canonOf(url: string): Promise<unknown> {
  await ready;
  const bytes = await bytesOf(url);
  if (url.endsWith(".pkl")) return canon(await loadPickle(bytes));
  if (url.endsWith(".npz")) return canon(await loadNpz(bytes.buffer));
  return canon(await loadNpy(bytes));
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** sample_weight.pkl read and written again: the sha-256 of encodePickleParams' bytes. */
async function rewritePickle(url: string): Promise<string> {
  await ready;
  return sha256Hex(encodePickleParams((await loadPickle(await bytesOf(url))) as Record<string, Tensor>));
}

/** An .npz read and written again with Chromium's deflate, as bytes for Node to read. */
async function rewriteNpz(url: string): Promise<number[]> {
  await ready;
  return Array.from(await encodeNpz(await loadNpz(await bytesOf(url)), { compress: true }));
}

async function errorOf(work: () => Promise<unknown>): Promise<string> {
  try {
    await work();
    return "no error";
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
}

/** A deflated member declaring 1 MB that inflates to 32 MB must be stopped here too. */
async function zipBomb(): Promise<string> {
  await ready;
  const z = await encodeNpz({ W: Tensor.zeros([4_000_000], "float64") }, { compress: true });
  const view = new DataView(z.buffer);
  view.setUint32(view.getUint32(z.byteLength - 6, true) + 24, 1_000_000, true); // central directory: uncompressed size
  return errorOf(() => decodeNpz(z));
}

async function hostilePickle(url: string): Promise<string> {
  await ready;
  const bytes = await bytesOf(url);
  return errorOf(() => loadPickle(bytes));
}

/** net.loadParams from bytes in a page, what a path gets there, and encodeNetParams' bytes (sha-256). */
async function netParams(url: string): Promise<{ params: string; encoded: string; pathLoad: string; pathSave: string }> {
  await ready;
  const net = new MultiLayerNet({ inputSize: 784, hiddenSizeList: [50, 100], outputSize: 10, activation: "sigmoid" });
  await net.loadParams(await bytesOf(url));
  return {
    params: await sha256Hex(new Uint8Array(net.paramBlock.all().data.slice().buffer)),
    encoded: await sha256Hex(await encodeNetParams(net)),
    pathLoad: await errorOf(() => net.loadParams("sample_weight.pkl")),
    pathSave: await errorOf(() => net.saveParams("params.pkl")),
  };
}

Object.assign(globalThis, { canonOf, rewritePickle, rewriteNpz, zipBomb, hostilePickle, netParams });
(globalThis as { __ready?: boolean }).__ready = true;
