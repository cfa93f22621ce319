// Worker side of test/browser/data.test.ts: loadMnistFromUrls with a RELATIVE base URL inside a
// Web Worker, where there is no document: it must resolve against the worker's location.
import { init, loadMnistFromUrls } from "../../src/index.browser.js";

self.onmessage = async (e: MessageEvent<{ base: string }>) => {
  try {
    await init(new URL("/build/scratchnet.wasm", self.location.href));
    const { train, test, source } = await loadMnistFromUrls(e.data.base, { dataset: "fashion-mnist" });
    self.postMessage({ result: { source, trainCount: train.count, testCount: test.count, firstLabels: Array.from(train.labelArray().subarray(0, 5)) } });
  } catch (err) {
    self.postMessage({ error: (err as Error).message });
  }
};
