// The published package in real bundlers and a real browser: a tiny app (test/fixtures/
// bundler-app) is built with Vite, with esbuild, and served as plain ESM with an import map;
// each build runs in headless Chromium and must print the same losses, bit for bit, as the
// same app run by Node from the packed package.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { cpSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { build as viteBuild, createServer as viteServer } from "vite";
import { installPackedPackage, type PackedApp } from "./packed-package.js";
import { launchChromium, type Browser } from "./chromium.js";
import { serveStatic, type StaticServer } from "./static-server.js";
import { have } from "../helpers/prerequisites.js";

const FIXTURE = fileURLToPath(new URL("../fixtures/bundler-app/", import.meta.url));
const BUNDLE_FIXTURE = fileURLToPath(new URL("../fixtures/bundle-page/", import.meta.url));

let app: PackedApp;
let browser: Browser;
let server: StaticServer;
let nodeLosses: number[];

beforeAll(async () => {
  if (!have("chromium")) return;
  app = installPackedPackage();
  cpSync(FIXTURE, app.dir, { recursive: true });
  cpSync(BUNDLE_FIXTURE, app.dir, { recursive: true });
  nodeLosses = JSON.parse(execFileSync(process.execPath, ["entry-node.mjs"], { cwd: app.dir, encoding: "utf8" }));
  server = await serveStatic({ "/": app.dir });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  app?.cleanup();
});

async function lossesInChromium(path: string, origin = server.origin): Promise<number[]> {
  return (await resultInChromium<{ losses: number[] }>(path, origin)).losses;
}

async function resultInChromium<T>(path: string, origin = server.origin): Promise<T> {
  const page = await browser.newPage();
  const log: string[] = [];
  page.on("console", (m) => log.push(m.text()));
  page.on("requestfailed", (r) => log.push(`failed: ${r.url()}`));
  page.on("response", (r) => { if (!r.ok()) log.push(`HTTP ${r.status()}: ${r.url()}`); });
  try {
    await page.goto(`${origin}/${path}`);
    await page.waitForFunction(() => (globalThis as { __result?: unknown }).__result !== undefined, null, { timeout: 30_000 })
      .catch((e: Error) => { throw new Error(`${path}: no result (${e.message}); page log:\n${log.join("\n")}`); });
    const result = await page.evaluate(() => (globalThis as unknown as { __result: { error?: string } }).__result);
    if (result.error) throw new Error(`${path}: ${result.error}\npage log:\n${log.join("\n")}`);
    return result as T;
  } finally {
    await page.close();
  }
}

describe.runIf(have("chromium"))("the packed package", () => {
  it("trains in Node from the `node` export and the loss falls", () => {
    expect(nodeLosses).toHaveLength(6);
    expect(nodeLosses[5]).toBeLessThan(nodeLosses[0]);
    expect(nodeLosses[0]).toBeGreaterThan(2); // ≈ ln 10 for a fresh net
  });

  it("can be require()d from CommonJS (no top-level await on that path)", () => {
    const out = execFileSync(process.execPath, ["require-check.cjs"], { cwd: app.dir, encoding: "utf8" });
    const { keys, loss } = JSON.parse(out.trim().split("\n").pop()!);
    expect(keys).toBeGreaterThan(20);
    expect(loss).toBeGreaterThan(0);
  });

  it("reaches no `node:` module from the browser entry", async () => {
    const result = await esbuild.build({
      entryPoints: [join(app.dir, "node_modules/scratchnet/dist/index.browser.js")],
      bundle: true, write: false, format: "esm", platform: "neutral", metafile: true, logLevel: "silent",
      mainFields: ["module", "main"], conditions: ["browser", "import"],
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((p) => p.includes("index.browser.js"))).toBe(true);
    const nodeImports = Object.values(result.metafile.inputs).flatMap((i) => i.imports).filter((i) => i.path.startsWith("node:") || i.external);
    expect(nodeImports).toEqual([]);
    // no dynamic import of a Node module either (string literals, e.g. a worker's source, are fine)
    expect(result.outputFiles[0].text).not.toMatch(/\bimport\s*\(\s*["']node:/);
  });
});

describe.runIf(have("chromium"))("bundlers in Chromium", () => {
  it("Vite build: default init() finds the wasm; same losses as Node", async () => {
    await viteBuild({ root: app.dir, base: "./", logLevel: "silent", build: { outDir: "out-vite", emptyOutDir: true } });
    expect(readFileSync(join(app.dir, "out-vite/index.html"), "utf8")).toContain("<script");
    expect(await lossesInChromium("out-vite/index.html")).toEqual(nodeLosses);
  });

  it("Vite dev server (dependency pre-bundling): same losses as Node", async () => {
    const dev = await viteServer({ root: app.dir, logLevel: "silent", server: { host: "127.0.0.1", port: 0 } });
    try {
      await dev.listen();
      const origin = dev.resolvedUrls!.local[0].replace(/\/$/, "");
      expect(await lossesInChromium("index.html", origin)).toEqual(nodeLosses);
    } finally {
      await dev.close();
    }
  });

  it("esbuild with the `file` loader for scratchnet/wasm: same losses as Node", async () => {
    await esbuild.build({
      entryPoints: [join(app.dir, "entry-esbuild.js")], absWorkingDir: app.dir,
      bundle: true, format: "esm", platform: "browser", outdir: join(app.dir, "out-esbuild"),
      loader: { ".wasm": "file" }, logLevel: "silent",
    });
    expect(await lossesInChromium("esbuild.html")).toEqual(nodeLosses);
  });

  it("plain <script type=module> with an import map: same losses as Node", async () => {
    expect(await lossesInChromium("plain.html")).toEqual(nodeLosses);
  });

  it("the standalone bundle in a plain page (no bundler, no import map): 50 seeded SGD steps, same losses and parameter bits as Node", async () => {
    const pkg = JSON.parse(readFileSync(join(app.dir, "node_modules/scratchnet/package.json"), "utf8"));
    expect(pkg.exports["./bundle"].default).toBe("./dist/scratchnet.bundle.js");
    // one self-contained module: no import or export-from of anything (bare or relative)
    const bundle = readFileSync(join(app.dir, "node_modules/scratchnet/dist/scratchnet.bundle.js"), "utf8");
    expect(bundle).not.toMatch(/^\s*(import|export)\s[^;]*\sfrom\s*["']/m);
    expect(bundle).not.toMatch(/\bimport\s*\(\s*["']/);
    type Steps = { losses: number[]; lossHash: string; paramHash: string };
    const node: Steps = JSON.parse(execFileSync(process.execPath, ["bundle-node.mjs"], { cwd: app.dir, encoding: "utf8" }));
    expect(node.losses).toHaveLength(50);
    expect(node.losses[49]).toBeLessThan(node.losses[0] - 0.05); // a real run: 2.30 → 2.19 in 50 steps
    const web = await resultInChromium<Steps>("bundle.html");
    expect(web.losses).toEqual(node.losses);
    expect(web.lossHash).toBe(node.lossHash);
    expect(web.paramHash).toBe(node.paramHash);
  });

  it("pages logged no errors", () => {
    expect(browser.errors).toEqual([]);
  });
});
