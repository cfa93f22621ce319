// The examples that run the book's trained weight files in their full (not quick) mode, as a user
// runs them (`node examples/…`, importing the built package by name): ch03-neuralnet-mnist.mjs
// always (sample_weight.pkl is bundled); ch07-visualize-filter (params.pkl), ch08-misclassified-mnist
// and ch08-half-float-network (deep_convnet_params.pkl) from SCRATCHNET_BOOK_DIR (the suite's
// default: the copies in test/fixtures/book), one of them fetching its file from a local HTTP server (127.0.0.1) into an
// empty cache; and, in any clone, what an example says when the file is nowhere and the network
// is unreachable. Accuracies must equal numpy's (test/fixtures/book/pretrained-accuracy.json).
// (test/book-examples.test.ts runs the same examples in quick mode.)
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDirs } from "../helpers/temp-dirs.js";

const ROOT = join(import.meta.dirname, "..", "..");
const BOOK_DIR = process.env.SCRATCHNET_BOOK_DIR;
const REF = JSON.parse(readFileSync(join(ROOT, "test", "fixtures", "book", "pretrained-accuracy.json"), "utf8")) as Record<string, { stored: { accuracy: number }; float16: { accuracy: number } }>;
const tempDir = tempDirs("scratchnet-ex-book-");

/** Environment without the user's book dir, cache, mirror or offline switch, figures into a temp dir, plus `extra`. */
function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: tempDir(), SCRATCHNET_OUT_DIR: tempDir(), ...extra };
  if (!("SCRATCHNET_BOOK_DIR" in extra)) delete e.SCRATCHNET_BOOK_DIR;
  if (!("SCRATCHNET_BOOK_URL" in extra)) delete e.SCRATCHNET_BOOK_URL;
  delete e.SCRATCHNET_OFFLINE; // the examples' full mode downloads: here only from 127.0.0.1
  return e;
}

/** Run an example asynchronously (the local server must keep answering meanwhile). */
function run(name: string, extraEnv: Record<string, string> = {}, args: string[] = []): Promise<{ status: number | null; stdout: string; stderr: string }> {
  if (!existsSync(join(ROOT, "dist", "index.node.js"))) throw new Error("dist/ is missing — run `npm run build` first");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`examples/${name}.mjs`, ...args], { cwd: ROOT, env: env(extraEnv) });
    let stdout = "", stderr = "";
    child.stdout.on("data", (d) => { stdout += d; });
    child.stderr.on("data", (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill(), 240_000);
    child.on("error", reject);
    child.on("close", (status) => { clearTimeout(timer); resolve({ status, stdout, stderr }); });
  });
}

const value = (out: string, key: string): number => {
  const m = new RegExp(`^${key}:(.*)$`, "m").exec(out);
  expect(m, `printed "${key}:" in\n${out}`).not.toBeNull();
  return Number(m![1]);
};

describe("examples with the book's weight files", () => {
  it("ch03-neuralnet-mnist.mjs prints the book's Accuracy:0.9352", async () => {
    const r = await run("ch03-neuralnet-mnist");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe("Accuracy:0.9352");
  });

  it("offline and without a copy, an example exits 1 and says how to get the file", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const r = await run("ch08-misclassified-mnist", { SCRATCHNET_BOOK_URL: `http://127.0.0.1:${port}/` });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("bookWeightsFile: ch08/deep_convnet_params.pkl (the trained DeepConvNet of chapter 8, 989219 bytes) is not here and could not be downloaded.");
    expect(r.stderr).toContain(`download http://127.0.0.1:${port}/ch08/deep_convnet_params.pkl yourself and pass its path (an example's --weights FILE`);
    expect(r.stderr).toContain("set SCRATCHNET_BOOK_DIR=DIR");
    expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    const wrong = await run("ch08-misclassified-mnist", {}, ["--weights", join(ROOT, "data-sample", "book", "sample_weight.pkl")]);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/sample_weight\.pkl \(given by the path given\) is not the book's deep_convnet_params\.pkl: sha256 b7f55a27/);
  });

  describe.skipIf(!BOOK_DIR)("the larger files (SCRATCHNET_BOOK_DIR)", () => {
    let server: Server;
    let base = "";
    beforeAll(async () => {
      // the repository's layout, served from the copies in SCRATCHNET_BOOK_DIR
      const files: Record<string, Buffer> = {
        "/ch07/params.pkl": readFileSync(join(BOOK_DIR as string, "params.pkl")),
        "/ch08/deep_convnet_params.pkl": readFileSync(join(BOOK_DIR as string, "deep_convnet_params.pkl")),
      };
      server = createServer((req, res) => {
        const body = files[req.url ?? ""];
        if (body) res.writeHead(200, { "content-length": body.length }).end(body);
        else res.writeHead(404).end();
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      base = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    });
    afterAll(async () => { server.closeAllConnections(); await new Promise((resolve) => server.close(resolve)); });

    it("ch07-visualize-filter.mjs (params.pkl from SCRATCHNET_BOOK_DIR): numpy's accuracy", async () => {
      const r = await run("ch07-visualize-filter", { SCRATCHNET_BOOK_DIR: BOOK_DIR as string });
      expect(r.status, r.stderr).toBe(0);
      expect(value(r.stdout, "test accuracy")).toBe(REF["params.pkl"].stored.accuracy);
    }, 300_000);

    it("ch08-misclassified-mnist.mjs downloads its file into an empty cache, verified, and gets numpy's accuracy", async () => {
      const cache = tempDir();
      const r = await run("ch08-misclassified-mnist", { SCRATCHNET_BOOK_URL: base, XDG_CACHE_HOME: cache });
      expect(r.status, r.stderr).toBe(0);
      const cached = join(cache, "scratchnet", "book", "deep_convnet_params.pkl");
      expect(r.stdout).toContain(`weights: ${cached}`);
      expect(readFileSync(cached).equals(readFileSync(join(BOOK_DIR as string, "deep_convnet_params.pkl")))).toBe(true);
      expect(value(r.stdout, "test accuracy")).toBe(REF["deep_convnet_params.pkl"].stored.accuracy);
    }, 300_000);

    it("ch08-half-float-network.mjs: float64 and float16 accuracies as numpy's", async () => {
      const r = await run("ch08-half-float-network", {}, ["--weights", join(BOOK_DIR as string, "deep_convnet_params.pkl")]);
      expect(r.status, r.stderr).toBe(0);
      expect(value(r.stdout, "float64 accuracy")).toBe(REF["deep_convnet_params.pkl"].stored.accuracy);
      expect(value(r.stdout, "float16 accuracy")).toBe(REF["deep_convnet_params.pkl"].float16.accuracy);
    }, 300_000);
  });
});
