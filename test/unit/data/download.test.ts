// Downloads against a local node:http server (127.0.0.1, random port) that serves the real
// Fashion-MNIST files, well and badly. No internet: every URL points at this server.
import type { IncomingMessage, ServerResponse } from "node:http";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMnist, loadMnistFromUrls, MNIST_SPECS, type LoadMnistOptions } from "../../../src/index.node.js";
import { downloadToCache } from "../../../src/data/download.node.js";
import { FASHION_DIR } from "../../helpers/mnist.js";
import { listenLocal, type LocalServer } from "../../helpers/local-server.js";
import { have } from "../../helpers/prerequisites.js";
import { tempDirs } from "../../helpers/temp-dirs.js";

const real = (file: string): Buffer => readFileSync(join(FASHION_DIR, file));
let server: LocalServer;
let base = "";
const requests: string[] = [];
const tempDir = tempDirs("scratchnet-dl-");
let badTrainImages: Buffer; // the real raw train images with one pixel changed

function handle(req: IncomingMessage, res: ServerResponse): void {
  requests.push(req.url ?? "");
  const [, mode, file] = (req.url ?? "").split("/");
  let body: Buffer;
  try {
    body = mode === "badsum" && file === "train-images-idx3-ubyte.gz" ? badTrainImages : real(file);
  } catch {
    res.writeHead(404).end("not found");
    return;
  }
  switch (mode) {
    case "ok":
    case "badsum":
      res.writeHead(200, { "content-length": body.length }).end(body);
      return;
    case "404":
      res.writeHead(404, "Not Found").end("<html>404</html>");
      return;
    case "html": // a captive portal answering 200 with a web page
      res.writeHead(200, { "content-type": "text/html" }).end("<html><body>Please log in</body></html>");
      return;
    case "short": // chunked (no length), ends cleanly after half the file
      res.writeHead(200);
      res.end(body.subarray(0, body.length >> 1));
      return;
    case "liar": // announces the full length, sends half, closes the connection cleanly
      res.writeHead(200, { "content-length": body.length });
      res.write(body.subarray(0, body.length >> 1), () => res.socket?.end());
      return;
    case "drop": // connection reset mid-file
      res.writeHead(200, { "content-length": body.length });
      res.write(body.subarray(0, 1 << 16), () => res.socket?.destroy());
      return;
    case "slow": // headers and a few bytes, then silence
      res.writeHead(200, { "content-length": body.length });
      res.write(body.subarray(0, 1000));
      return;
    default:
      res.writeHead(404).end();
  }
}

beforeAll(async () => {
  const raw = gunzipSync(real("train-images-idx3-ubyte.gz"));
  raw[16 + 1234] ^= 1;
  badTrainImages = raw;
  server = await listenLocal(handle);
  base = server.origin;
});

afterAll(async () => {
  await server.close();
});

/** Options that can only reach the local server and never fall back to anything else. */
const offline = (mode: string, extra: LoadMnistOptions = {}): LoadMnistOptions => ({
  dataset: "fashion-mnist", env: {}, systemDirs: [], useSample: false, cacheDir: tempDir(),
  mirrors: [`${base}/${mode}/`], timeoutMs: 5000, ...extra,
});

const entries = (dir: string): string[] => {
  try { return readdirSync(dir); } catch { return []; }
};

async function failure(options: LoadMnistOptions): Promise<string> {
  const error = await loadMnist(options).then(() => null, (e: Error) => e);
  expect(error).toBeInstanceOf(Error);
  // nothing half-written: the cache holds no file and no temp file
  expect(entries(join(options.cacheDir!, "fashion-mnist"))).toEqual([]);
  return error!.message;
}

describe.runIf(have("fashion"))("downloading Fashion-MNIST from a local mirror", () => {
  it("downloads, verifies, caches atomically, then loads from the cache without the server", async () => {
    const options = offline("ok");
    const first = await loadMnist(options);
    expect([first.train.count, first.test.count, first.isSample]).toEqual([60000, 10000, false]);
    const cacheDir = join(options.cacheDir!, "fashion-mnist");
    expect(first.source).toBe(`${cacheDir} (downloaded from ${["train-images", "train-labels", "t10k-images", "t10k-labels"].map((f) => `${base}/ok/${f}-idx${f.endsWith("images") ? 3 : 1}-ubyte.gz`).join(", ")})`);
    const cached = entries(cacheDir).sort();
    expect(cached).toEqual(["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"]);
    for (const f of cached) expect(Buffer.compare(readFileSync(join(cacheDir, f)), real(f))).toBe(0);
    first.train.free();
    first.test.free();

    const refuse = (async () => { throw new Error("the second load must not touch the network"); }) as typeof fetch;
    const second = await loadMnist({ ...options, fetch: refuse });
    expect(second.source).toBe(cacheDir);
    expect(second.train.label(0)).toBe(9); // Fashion-MNIST's first training image is an ankle boot
    second.train.free();
    second.test.free();
  });

  it("loadMnistFromUrls (the browser-safe loader) reads the same mirror in Node", async () => {
    const r = await loadMnistFromUrls(`${base}/ok/`, { dataset: "fashion-mnist", oneHotLabel: true });
    expect([r.source, r.train.count, r.test.count, r.test.oneHotLabel]).toEqual([`${base}/ok/`, 60000, 10000, true]);
    expect(r.test.label(0)).toBe(gunzipSync(real("t10k-labels-idx1-ubyte.gz"))[8]);
    r.train.free();
    await expect(loadMnistFromUrls(`${base}/404/`, { dataset: "fashion-mnist" }))
      .rejects.toThrow(`${base}/404/train-labels-idx1-ubyte.gz: HTTP 404 Not Found`);
  });

  it("only the missing files are fetched into a partial cache", async () => {
    const options = offline("ok");
    const cacheDir = join(options.cacheDir!, "fashion-mnist");
    const spec = MNIST_SPECS["fashion-mnist"];
    for (const part of ["trainImages", "trainLabels", "testImages"] as const) {
      await downloadToCache(spec.files[part], [`${base}/ok/`], cacheDir);
    }
    const before = requests.length;
    const r = await loadMnist(options);
    expect(requests.slice(before)).toEqual(["/ok/t10k-labels-idx1-ubyte.gz"]);
    expect(r.test.count).toBe(10000);
    r.train.free();
  });

  it("a wrong checksum is refused: nothing cached, no temp file left", async () => {
    const m = await failure(offline("badsum"));
    expect(m).toContain(`${base}/badsum/train-images-idx3-ubyte.gz: checksum mismatch: sha256 of the decompressed file is `);
    expect(m).toContain(`expected ${MNIST_SPECS["fashion-mnist"].files.trainImages.sha256}`);
  });

  it("HTTP 404 on every mirror: the error lists each mirror's answer", async () => {
    const m = await failure(offline("404", { mirrors: [`${base}/404/`, `${base}/html/`] }));
    expect(m).toContain(`train-images-idx3-ubyte.gz: every mirror failed:`);
    expect(m).toContain(`${base}/404/train-images-idx3-ubyte.gz: HTTP 404 Not Found`);
    expect(m).toContain(`${base}/html/train-images-idx3-ubyte.gz: 39 bytes and not gzip (an error page?), expected the 47040016-byte train-images-idx3-ubyte`);
  });

  it("a failing mirror is skipped for the next one", async () => {
    const r = await loadMnist(offline("404", { mirrors: [`${base}/404/`, `${base}/ok/`] }));
    expect(r.source).toContain(`downloaded from ${base}/ok/train-images-idx3-ubyte.gz`);
    r.train.free();
  });

  it("a truncated body (clean end, no length) is caught as a corrupt gzip", async () => {
    const m = await failure(offline("short"));
    expect(m).toContain(`${base}/short/train-images-idx3-ubyte.gz: corrupt gzip data or larger than 47040016 bytes (unexpected end of file)`);
  });

  it("a body shorter than its Content-Length is refused", async () => {
    const m = await failure(offline("liar"));
    expect(m).toMatch(new RegExp(`${base}/liar/train-images-idx3-ubyte\\.gz: connection lost after \\d+ bytes: terminated \\(UND_ERR_SOCKET\\)\n|truncated body: got \\d+ of ${real("train-images-idx3-ubyte.gz").length} bytes`));
  });

  it("a connection dropped mid-file is refused", async () => {
    const m = await failure(offline("drop"));
    expect(m).toMatch(new RegExp(`${base}/drop/train-images-idx3-ubyte\\.gz: connection lost after \\d+ bytes`));
  });

  it("a server that stops sending times out (bounded wait)", async () => {
    const started = performance.now();
    const m = await failure(offline("slow", { timeoutMs: 300 }));
    expect(m).toContain(`${base}/slow/train-images-idx3-ubyte.gz: connection lost after 1000 bytes: no data for 300 ms (timed out)`);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
