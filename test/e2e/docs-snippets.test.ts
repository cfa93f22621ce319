// Every ts/js snippet in README.md and docs/*.md type-checks under `tsc --strict` against the
// built package's own types, and runs: in Node (offline: empty cache, no network, run from a
// directory laid out like a fresh clone) or, for browser snippets, in headless Chromium. A
// snippet that only compiles says why in its fence (see test/helpers/snippets.ts and
// docs/design.md). So a snippet can never rot again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as esbuild from "esbuild";
import ts from "typescript";
import { REPO } from "../browser/packed-package.js";
import { documentationFiles, extractSnippets, type Snippet } from "../helpers/snippets.js";
import { have } from "../helpers/prerequisites.js";
import { FASHION_DIR } from "../helpers/mnist.js";
import { launchChromium, type Browser } from "../browser/chromium.js";
import { serveStatic, type StaticServer } from "../browser/static-server.js";

const snippets = documentationFiles(REPO).flatMap((f) => extractSnippets(REPO, f));
const home = mkdtempSync(join(tmpdir(), "scratchnet-snippets-"));
/** Where the snippets are compiled: node_modules/scratchnet is this repo, as after `npm install scratchnet`. */
const compileDir = join(home, "compile");
/** Where Node snippets run: a fresh clone's layout (data-sample/) with an empty out/. */
const runDir = join(home, "clone");
const fileName = (s: Snippet) => `${s.id}.${s.lang === "ts" ? "mts" : "mjs"}`;

beforeAll(() => {
  for (const dir of [compileDir, runDir]) {
    mkdirSync(join(dir, "node_modules", "@types"), { recursive: true });
    symlinkSync(REPO, join(dir, "node_modules", "scratchnet"), "dir");
    symlinkSync(join(REPO, "node_modules", "@types", "node"), join(dir, "node_modules", "@types", "node"), "dir");
  }
  symlinkSync(join(REPO, "data-sample"), join(runDir, "data-sample"), "dir");
  // what a bundler's asset import gives (esbuild's file loader, Vite's ?url): the file's URL
  writeFileSync(join(compileDir, "assets.d.ts"), 'declare module "scratchnet/wasm" { const url: string; export default url; }\n');
  for (const s of snippets) writeFileSync(join(compileDir, fileName(s)), s.code);
});

afterAll(() => rmSync(home, { recursive: true, force: true }));

describe("README and docs snippets", () => {
  it("there are snippets, and every one declares how it is checked", () => {
    expect(snippets.length).toBeGreaterThan(25);
    for (const s of snippets.filter((x) => x.mode === "compile-only")) expect(s.reason, s.where).toMatch(/\w{3,}/);
  });

  it("all compile under tsc --strict against the package's published types", () => {
    const options: ts.CompilerOptions = {
      strict: true, noEmit: true, allowJs: true, checkJs: true, skipLibCheck: true,
      module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022,
      lib: ["lib.es2022.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"], types: ["node"],
    };
    const files = [join(compileDir, "assets.d.ts"), ...snippets.map((s) => join(compileDir, fileName(s)))];
    const program = ts.createProgram(files, options);
    const messages = ts.getPreEmitDiagnostics(program).map((d) => {
      const text = ts.flattenDiagnosticMessageText(d.messageText, "\n");
      if (!d.file) return text;
      const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
      const snippet = snippets.find((s) => d.file!.fileName.endsWith(fileName(s)));
      const at = snippet ? `${snippet.where.split(":")[0]}:${Number(snippet.where.split(":")[1]) + 1 + line}` : d.file.fileName;
      return `${at}: ${text}`;
    });
    expect(messages).toEqual([]);
  });

  const nodeSnippets = snippets.filter((s) => s.mode === "node");
  it.each(nodeSnippets.map((s) => [s.where, s] as const))("%s runs in Node, offline", async (_where, s) => {
    const code = s.lang === "ts" ? (await esbuild.transform(s.code, { loader: "ts", format: "esm", target: "es2022" })).code : s.code;
    const file = join(runDir, `${s.id}.mjs`);
    writeFileSync(file, code);
    const env: Record<string, string | undefined> = { ...process.env, CI: "1", HOME: home, XDG_CACHE_HOME: join(home, "cache"), SCRATCHNET_OFFLINE: "1" };
    delete env.SCRATCHNET_DATA_DIR;
    const r = spawnSync(process.execPath, [file], { cwd: runDir, env, encoding: "utf8", timeout: 240_000 });
    expect(r.status, `${s.where}\n${r.stderr}`).toBe(0);
  }, 300_000);
});

describe.runIf(have("chromium"))("browser snippets in Chromium", () => {
  const browserSnippets = snippets.filter((s) => s.mode === "browser");
  let browser: Browser;
  let server: StaticServer;
  const outDir = join(home, "web");

  beforeAll(async () => {
    mkdirSync(outDir, { recursive: true });
    const fashion = existsSync(join(FASHION_DIR, "train-images-idx3-ubyte.gz")) ? FASHION_DIR : join(REPO, "data-sample/fashion-mnist");
    server = await serveStatic({ "/": outDir, "/build/": join(REPO, "build"), "/data/fashion-mnist/": fashion });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("there are browser snippets", () => expect(browserSnippets.length).toBeGreaterThan(2));

  it.each(browserSnippets.map((s) => [s.where, s] as const))("%s runs in a page", async (_where, s) => {
    // the snippet as printed, plus one line after it that only runs if every await before it resolved
    const entry = join(compileDir, `${s.id}.page.${s.lang === "ts" ? "mts" : "mjs"}`);
    writeFileSync(entry, `${s.code}\n(globalThis as any).__snippetDone = true;\n`.replace(" as any", s.lang === "ts" ? " as any" : ""));
    await esbuild.build({
      entryPoints: [entry], absWorkingDir: compileDir, bundle: true, format: "esm", platform: "browser",
      outdir: join(outDir, s.id), loader: { ".wasm": "file" }, logLevel: "silent",
    });
    writeFileSync(join(outDir, s.id, "index.html"),
      `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="./${s.id}.page.js"></script>`);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    try {
      await page.goto(`${server.origin}/${s.id}/index.html`);
      await page.waitForFunction(() => (globalThis as { __snippetDone?: boolean }).__snippetDone === true, null, { timeout: 60_000 })
        .catch(() => { throw new Error(`${s.where}: did not finish: ${errors.join("; ") || "no error reported"}`); });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);
});
