// bookWeightsFile: the book's weight files found locally or fetched, sha256-pinned, cached
// atomically. Every download goes to a local node:http server on 127.0.0.1 that serves a copy of
// the repository's layout (ch03/sample_weight.pkl from data-sample/book; ch07/params.pkl and
// ch08/deep_convnet_params.pkl too from SCRATCHNET_BOOK_DIR: test/fixtures/book by default) — never the internet.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOOK_REPO_RAW, BOOK_WEIGHTS, bookWeightsFile, type BookWeightsName, type BookWeightsOptions } from "../../../src/index.node.js";
import { listenLocal, type LocalServer } from "../../helpers/local-server.js";
import { tempDirs } from "../../helpers/temp-dirs.js";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const SAMPLE = readFileSync(join(ROOT, "data-sample", "book", "sample_weight.pkl"));
const BOOK_DIR = process.env.SCRATCHNET_BOOK_DIR;
const files: Record<string, Buffer> = { "ch03/sample_weight.pkl": SAMPLE };
if (BOOK_DIR) for (const name of ["params.pkl", "deep_convnet_params.pkl"] as const) files[BOOK_WEIGHTS[name].repoPath] = readFileSync(join(BOOK_DIR, name));

let server: LocalServer;
let base = "";
const requests: string[] = [];
const tempDir = tempDirs("scratchnet-bookw-");

function handle(req: IncomingMessage, res: ServerResponse): void {
  requests.push(req.url ?? "");
  const [, mode, ...rest] = (req.url ?? "").split("/");
  const body = files[rest.join("/")];
  if (!body) { res.writeHead(404, "Not Found").end("404: Not Found"); return; }
  switch (mode) {
    case "ok": res.writeHead(200, { "content-length": body.length }).end(body); return;
    case "altered": { const b = Buffer.from(body); b[b.length >> 1] ^= 1; res.writeHead(200, { "content-length": b.length }).end(b); return; }
    case "lfs": res.writeHead(200).end("version https://git-lfs.github.com/spec/v1\noid sha256:4b7a27ba\nsize 989219\n"); return;
    case "big": res.writeHead(200).end(Buffer.concat([body, body])); return; // no length announced: cut off at the file's size
    case "slow": res.writeHead(200, { "content-length": body.length }); res.write(body.subarray(0, 100)); return; // then silence
    default: res.writeHead(404).end();
  }
}

beforeAll(async () => {
  server = await listenLocal(handle);
  base = server.origin;
});
afterAll(async () => {
  await server.close();
});

/** No bundled copy, no SCRATCHNET_BOOK_DIR, a fresh cache, this server. */
const opts = (mode: string, extra: BookWeightsOptions = {}): BookWeightsOptions => ({
  bundled: false, env: {}, cacheDir: tempDir(), baseUrl: `${base}/${mode}/`, warn: () => {}, ...extra,
});

describe("bookWeightsFile", () => {
  it("points at the book's repository and pins the three files", () => {
    expect(BOOK_REPO_RAW).toBe("https://raw.githubusercontent.com/oreilly-japan/deep-learning-from-scratch/master/");
    expect(Object.fromEntries(Object.entries(BOOK_WEIGHTS).map(([k, s]) => [k, [s.repoPath, s.sha256.slice(0, 8), s.bytes]]))).toEqual({
      "sample_weight.pkl": ["ch03/sample_weight.pkl", "b7f55a27", 181853],
      "params.pkl": ["ch07/params.pkl", "a5da99cf", 3471484],
      "deep_convnet_params.pkl": ["ch08/deep_convnet_params.pkl", "4b7a27ba", 989219],
    });
  });

  it("finds sample_weight.pkl bundled in data-sample/book, without the network", async () => {
    const before = requests.length;
    const path = await bookWeightsFile("sample_weight.pkl", { env: {}, cacheDir: tempDir(), baseUrl: `${base}/ok/` });
    expect(path).toBe(join(ROOT, "data-sample", "book", "sample_weight.pkl"));
    expect(requests.length).toBe(before);
  });

  it("downloads into <cache>/book/, verified, atomically; the next call uses the cache", async () => {
    const o = opts("ok");
    const path = await bookWeightsFile("sample_weight.pkl", o);
    expect(path).toBe(join(o.cacheDir as string, "book", "sample_weight.pkl"));
    expect(readFileSync(path).equals(SAMPLE)).toBe(true);
    expect(readdirSync(join(o.cacheDir as string, "book"))).toEqual(["sample_weight.pkl"]); // no temp file left
    const before = requests.length;
    expect(await bookWeightsFile("sample_weight.pkl", { ...o, download: false })).toBe(path);
    expect(requests.length).toBe(before);
  });

  it.each([
    ["altered", /altered\/ch03\/sample_weight\.pkl: sha256 [0-9a-f]{64} \(181853 bytes\), expected b7f55a27988ba34c3777b0f1bbd464817c8a4db855723e6ff26f703501917a13 \(181853 bytes\)/],
    ["lfs", /this is a Git LFS pointer, not the file/],
    ["big", /more than 181853 bytes received; this cannot be the expected file/],
    ["404", /HTTP 404/],
  ])("refuses a %s download: nothing cached, and the error says how to get the file", async (mode, detail) => {
    const o = opts(mode);
    const error = await bookWeightsFile("sample_weight.pkl", o).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(detail);
    expect(message).toContain("bookWeightsFile: ch03/sample_weight.pkl (the 784-50-100-10 sigmoid net of ch03/neuralnet_mnist.py, 181853 bytes) is not here and could not be downloaded.");
    expect(message).toContain(`download ${base}/${mode}/ch03/sample_weight.pkl yourself and pass its path`);
    expect(message).toContain("set SCRATCHNET_BOOK_DIR=DIR");
    expect(message).toContain("(its sha256 is b7f55a27988ba34c3777b0f1bbd464817c8a4db855723e6ff26f703501917a13)");
    expect(existsSync(join(o.cacheDir as string, "book", "sample_weight.pkl"))).toBe(false);
    const left = existsSync(join(o.cacheDir as string, "book")) ? readdirSync(join(o.cacheDir as string, "book")) : [];
    expect(left).toEqual([]);
  });

  it("a silent server is cut off by the download's network limits", async () => {
    const started = Date.now();
    await expect(bookWeightsFile("sample_weight.pkl", opts("slow", { timeoutMs: 300 }))).rejects.toThrow(/no data for 300 ms \(timed out\)/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("offline (nothing listening) with no copy anywhere: the message lists every way to provide the file", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const o = opts("ok", { baseUrl: `http://127.0.0.1:${port}/` });
    await expect(bookWeightsFile("sample_weight.pkl", o)).rejects.toThrow(/request failed[\s\S]*Ways to provide it:[\s\S]*go online once: it is then kept in .*book\/sample_weight\.pkl/);
  });

  it("a damaged cached copy is fetched again (downloads on) or refused naming both checksums (downloads off)", async () => {
    const o = opts("ok");
    const path = await bookWeightsFile("sample_weight.pkl", o);
    const damaged = Buffer.from(SAMPLE);
    damaged[100] ^= 0xff;
    writeFileSync(path, damaged);
    await expect(bookWeightsFile("sample_weight.pkl", { ...o, download: false })).rejects.toThrow(
      new RegExp(`the cached ${path.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} is not the book's sample_weight\\.pkl: sha256 [0-9a-f]{64} \\(181853 bytes\\), expected b7f55a27[0-9a-f]+ \\(181853 bytes\\)\\n\\(downloads are off`),
    );
    const notes: string[] = [];
    expect(await bookWeightsFile("sample_weight.pkl", { ...o, warn: (m) => notes.push(m) })).toBe(path);
    expect(readFileSync(path).equals(SAMPLE)).toBe(true);
    expect(notes.join("\n")).toMatch(/replaced it with a verified copy from http:\/\/127\.0\.0\.1/);
    // damaged again and the download fails: the bad copy is removed, not left for the next run
    writeFileSync(path, damaged);
    await expect(bookWeightsFile("sample_weight.pkl", { ...o, baseUrl: `${base}/404/` })).rejects.toThrow(/cache: the cached .* \(removed\)/);
    expect(existsSync(path)).toBe(false);
  });

  it("an explicit path or SCRATCHNET_BOOK_DIR must hold the real file", async () => {
    const d = tempDir();
    writeFileSync(join(d, "params.pkl"), SAMPLE);
    await expect(bookWeightsFile("params.pkl", { path: join(d, "params.pkl") })).rejects.toThrow(
      `bookWeightsFile: ${join(d, "params.pkl")} (given by the path given) is not the book's params.pkl: sha256 b7f55a27988ba34c3777b0f1bbd464817c8a4db855723e6ff26f703501917a13 (181853 bytes), expected a5da99cf`,
    );
    await expect(bookWeightsFile("deep_convnet_params.pkl", { env: { SCRATCHNET_BOOK_DIR: d } })).rejects.toThrow(
      `bookWeightsFile: cannot read ${join(d, "deep_convnet_params.pkl")} (given by $SCRATCHNET_BOOK_DIR)`,
    );
    writeFileSync(join(d, "sample_weight.pkl"), SAMPLE);
    expect(await bookWeightsFile("sample_weight.pkl", { dir: d })).toBe(join(d, "sample_weight.pkl"));
    await expect(bookWeightsFile("weights.h5" as BookWeightsName)).rejects.toThrow('bookWeightsFile: unknown file "weights.h5" (known: sample_weight.pkl, params.pkl, deep_convnet_params.pkl)');
  });

  it("$SCRATCHNET_BOOK_URL replaces the repository URL (a mirror)", async () => {
    const path = await bookWeightsFile("sample_weight.pkl", { bundled: false, cacheDir: tempDir(), env: { SCRATCHNET_BOOK_URL: `${base}/ok` } });
    expect(readFileSync(path).equals(SAMPLE)).toBe(true);
  });

  it.runIf(BOOK_DIR)("fetches params.pkl and deep_convnet_params.pkl from a local copy of the repository (SCRATCHNET_BOOK_DIR)", async () => {
    for (const name of ["params.pkl", "deep_convnet_params.pkl"] as const) {
      const path = await bookWeightsFile(name, opts("ok"));
      expect(readFileSync(path).equals(files[BOOK_WEIGHTS[name].repoPath]), name).toBe(true);
    }
  });
});
