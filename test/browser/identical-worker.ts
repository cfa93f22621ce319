// Worker side of the identical-bits test: same seeded run, core built from a posted Module.
import { init, type DType } from "../../src/index.browser.js";
import { seededRun, webCryptoSha256 } from "./seeded-run.js";
import { loadDigits } from "./load-digits.js";

self.onmessage = async (e: MessageEvent<{ dtype: DType; module: WebAssembly.Module }>) => {
  try {
    await init(e.data.module);
    const { images, labels } = await loadDigits();
    self.postMessage({ result: await seededRun(images, labels, e.data.dtype, webCryptoSha256) });
  } catch (err) {
    self.postMessage({ error: String((err as Error)?.stack ?? err) });
  }
};
