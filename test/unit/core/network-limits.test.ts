// Every network wait has a deadline (issue 14 §7). A body trickling one byte every 200 ms used
// to be read forever (the idle timeout restarted with each byte), and loadMnistFromUrls and
// init()'s wasm fetch had no timeout at all. Against a local server on 127.0.0.1 that trickles
// or never answers, each path is cut off within its limit, caches nothing, names the URL and
// the limit, and leaves no timer behind.
import type { IncomingMessage, ServerResponse } from "node:http";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMnist, loadMnistFromUrls, type LoadMnistOptions } from "../../../src/index.node.js";
import { fetchWasm } from "../../../src/core/fetch-wasm.js";
import { NETWORK_DEFAULTS, type NetworkLimits } from "../../../src/core/network-limits.js";
import { MNIST_DIR } from "../../helpers/mnist.js";
import { listenLocal, type LocalServer } from "../../helpers/local-server.js";

const WASM = readFileSync(fileURLToPath(new URL("../../../build/scratchnet.wasm", import.meta.url)));
let server: LocalServer;
let base = "";
const temps: string[] = [];
const open = new Set<ServerResponse>();

function body(file: string): Buffer {
  return file.endsWith(".wasm") ? WASM : readFileSync(join(MNIST_DIR, file.startsWith("train-labels") ? "t10k-labels-idx1-ubyte.gz" : "t10k-images-idx3-ubyte.gz"));
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const [, mode, file = ""] = (req.url ?? "").split("/");
  const type = file.endsWith(".wasm") ? "application/wasm" : "application/octet-stream";
  open.add(res);
  res.on("close", () => open.delete(res));
  if (mode === "silent") return; // accepts the connection, never answers
  if (mode === "trickle") {
    // the whole length announced, then one byte every 200 ms for as long as the client listens
    const data = body(file);
    res.writeHead(200, { "content-length": data.length, "content-type": type });
    let at = 0;
    const timer = setInterval(() => { if (at < data.length) res.write(data.subarray(at, ++at)); }, 200);
    serverTimers.add(timer);
    res.on("close", () => { clearInterval(timer); serverTimers.delete(timer); });
    return;
  }
  res.writeHead(404).end();
}

beforeAll(async () => {
  server = await listenLocal(handle);
  base = server.origin;
});

afterAll(async () => {
  for (const res of open) res.destroy();
  await server.close();
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "scratchnet-net-"));
  temps.push(dir);
  return dir;
}

/**
 * The process's live timers, less this test server's own trickle intervals: the server sees a
 * client hang up a turn or two after the client has given up, and with both splits loading at
 * once there are two such connections, whose closing races the count.
 */
const serverTimers = new Set<ReturnType<typeof setInterval>>();
const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length - serverTimers.size;

/** Runs `attempt`, which must fail; returns its message and how long it took. No timer may survive it. */
async function cutOff(attempt: () => Promise<unknown>): Promise<{ message: string; ms: number }> {
  const before = timers();
  const started = performance.now();
  const error = await attempt().then(() => null, (e: unknown) => e);
  const ms = performance.now() - started;
  expect(error).toBeInstanceOf(Error);
  expect(timers()).toBeLessThanOrEqual(before); // nothing left to keep the process alive
  return { message: (error as Error).message, ms };
}

/** loadMnist that can only reach the local server; the cache dir is returned for inspection. */
function offline(mode: string, limits: NetworkLimits): LoadMnistOptions & { cacheDir: string } {
  return { dataset: "mnist", env: {}, systemDirs: [], useSample: false, cacheDir: tempDir(), mirrors: [`${base}/${mode}/`], ...limits };
}

const cached = (options: { cacheDir: string }): string[] => {
  try { return readdirSync(join(options.cacheDir, "mnist")); } catch { return []; }
};

describe("the defaults", () => {
  it("are a 10-minute deadline, 1 KiB/s over 10 s windows, 30 s without data", () => {
    expect(NETWORK_DEFAULTS).toEqual({ deadlineMs: 600_000, minBytesPerSecond: 1024, rateWindowMs: 10_000, timeoutMs: 30_000 });
  });

  it("bad limits are refused by name", async () => {
    await expect(loadMnistFromUrls(`${base}/trickle/`, { deadlineMs: -1 })).rejects.toThrow("loadMnistFromUrls: deadlineMs must be a positive number of milliseconds");
    await expect(fetchWasm(`${base}/trickle/x.wasm`, { minBytesPerSecond: Number.NaN })).rejects.toThrow("minBytesPerSecond must be a non-negative number of bytes per second, got NaN");
  });
});

describe("Node downloads (loadMnist → download.node.ts)", () => {
  it("a body trickling a byte every 200 ms is cut off at the deadline; nothing cached", async () => {
    const options = offline("trickle", { deadlineMs: 1500, minBytesPerSecond: 0 });
    const { message, ms } = await cutOff(() => loadMnist(options));
    expect(message).toMatch(new RegExp(`${base}/trickle/train-images-idx3-ubyte\\.gz: connection lost after [1-9] bytes: not complete within the 1500 ms deadline \\(deadlineMs; [1-9] bytes received\\)`));
    expect(ms).toBeGreaterThanOrEqual(1490);
    expect(ms).toBeLessThan(1500 + 1500);
    expect(cached(options)).toEqual([]); // no partial file, no temp file
  });

  it("… and by the minimum rate long before any deadline", async () => {
    const options = offline("trickle", { minBytesPerSecond: 100, rateWindowMs: 500 });
    const { message, ms } = await cutOff(() => loadMnist(options));
    expect(message).toMatch(new RegExp(`${base}/trickle/train-images-idx3-ubyte\\.gz: connection lost after \\d bytes: too slow: \\d bytes in the last 500 ms, below the minimum of 100 bytes/s \\(minBytesPerSecond\\)`));
    expect(ms).toBeLessThan(500 + 1500);
    expect(cached(options)).toEqual([]);
  });

  it("the default minimum rate (1 KiB/s) applies when only the window is shortened", async () => {
    const options = offline("trickle", { rateWindowMs: 600 });
    const { message } = await cutOff(() => loadMnist(options));
    expect(message).toContain("below the minimum of 1024 bytes/s (minBytesPerSecond)");
  });

  it("a server that never answers is cut off at the deadline", async () => {
    const options = offline("silent", { deadlineMs: 800 });
    const { message, ms } = await cutOff(() => loadMnist(options));
    expect(message).toContain(`${base}/silent/train-images-idx3-ubyte.gz: request failed: not complete within the 800 ms deadline (deadlineMs; 0 bytes received)`);
    expect(ms).toBeLessThan(800 + 1500);
    expect(cached(options)).toEqual([]);
  });

  it("… or by the idle timeout when that is shorter", async () => {
    const { message, ms } = await cutOff(() => loadMnist(offline("silent", { timeoutMs: 400 })));
    expect(message).toContain(`${base}/silent/train-images-idx3-ubyte.gz: request failed: no data for 400 ms (timed out)`);
    expect(ms).toBeLessThan(400 + 1500);
  });
});

describe("loadMnistFromUrls (the browser-safe loader, here in Node)", () => {
  it("a trickling body is cut off at the deadline, naming the URL and the limit", async () => {
    const { message, ms } = await cutOff(() => loadMnistFromUrls(`${base}/trickle/`, { deadlineMs: 1200, minBytesPerSecond: 0 }));
    expect(message).toMatch(new RegExp(`^loadMnistFromUrls: ${base}/trickle/train-labels-idx1-ubyte\\.gz: read failed \\(${base}/trickle/train-labels-idx1-ubyte\\.gz: connection lost after \\d bytes: not complete within the 1200 ms deadline \\(deadlineMs; \\d bytes received\\)\\)$`));
    expect(ms).toBeLessThan(1200 + 1500);
  });

  it("a server that never answers is cut off at the deadline", async () => {
    const { message, ms } = await cutOff(() => loadMnistFromUrls(`${base}/silent/`, { deadlineMs: 700 }));
    expect(message).toBe(`loadMnistFromUrls: ${base}/silent/train-labels-idx1-ubyte.gz: request failed: not complete within the 700 ms deadline (deadlineMs; 0 bytes received)`);
    expect(ms).toBeLessThan(700 + 1500);
  });
});

describe("init()'s wasm fetch (fetchWasm)", () => {
  it("a trickling wasm is cut off by the minimum rate, also while streaming compilation reads it", async () => {
    const { message, ms } = await cutOff(async () => {
      const source = await fetchWasm(`${base}/trickle/scratchnet.wasm`, { minBytesPerSecond: 50, rateWindowMs: 500 });
      await WebAssembly.compileStreaming(source as Response);
    });
    expect(message).toMatch(/too slow: \d bytes in the last 500 ms, below the minimum of 50 bytes\/s \(minBytesPerSecond\)/);
    expect(ms).toBeLessThan(500 + 1500);
  });

  it("a trickling wasm read as bytes is cut off at the deadline", async () => {
    // content-type octet-stream path: fetchWasm reads the bytes itself
    const { message } = await cutOff(() => fetchWasm(`${base}/trickle/scratchnet.bin`, { deadlineMs: 900, minBytesPerSecond: 0 }));
    expect(message).toContain(`${base}/trickle/scratchnet.bin: connection lost after`);
    expect(message).toContain("not complete within the 900 ms deadline (deadlineMs;");
  });

  it("a server that never answers is cut off, naming the URL", async () => {
    const { message, ms } = await cutOff(() => fetchWasm(`${base}/silent/scratchnet.wasm`, { deadlineMs: 600 }));
    expect(message).toBe(`scratchnet.init: could not fetch the wasm from ${base}/silent/scratchnet.wasm: request failed: not complete within the 600 ms deadline (deadlineMs; 0 bytes received)`);
    expect(ms).toBeLessThan(600 + 1500);
  });

  it("a fetch the caller started is bounded too (init(fetch(url)))", async () => {
    const { message } = await cutOff(() => fetchWasm(fetch(`${base}/silent/scratchnet.wasm`), { timeoutMs: 500 }));
    expect(message).toBe("scratchnet.init: the wasm response: request failed: no data for 500 ms (timed out)");
  });
});
