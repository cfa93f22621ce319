// Bundle a test page's entry points with esbuild, serve them (plus extra mounts) from a local
// static server, open the page in headless Chromium and wait until it sets `__ready`.
// One place for the setup the browser test files share; `close()` undoes all of it.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import * as esbuild from "esbuild";
import type { Page } from "playwright-core";
import { launchChromium, type Browser } from "./chromium.js";
import { serveStatic, type StaticServer } from "./static-server.js";
import { REPO } from "./packed-package.js";

export interface TestPage {
  page: Page;
  browser: Browser;
  server: StaticServer;
  close(): Promise<void>;
}

/**
 * `entries` are repo-relative .ts files; the first is the page's script. `/build/` is always
 * served. `isolated`: serve with COOP/COEP, so the page is cross-origin isolated.
 */
export async function openTestPage(entries: string[], mounts: Record<string, string>, options: { isolated?: boolean } = {}): Promise<TestPage> {
  const outDir = mkdtempSync(join(tmpdir(), "scratchnet-page-"));
  await esbuild.build({
    entryPoints: entries.map((e) => join(REPO, e)),
    bundle: true, format: "esm", platform: "browser", outdir: outDir, logLevel: "silent",
  });
  const script = basename(entries[0]).replace(/\.ts$/, ".js");
  writeFileSync(join(outDir, "index.html"),
    `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="./${script}"></script>`);
  const server = await serveStatic({ "/": outDir, "/build/": join(REPO, "build"), ...mounts }, options);
  const browser = await launchChromium();
  const page = await browser.newPage();
  await page.goto(`${server.origin}/index.html`);
  await page.waitForFunction(() => (globalThis as { __ready?: boolean }).__ready === true);
  return {
    page, browser, server,
    async close() {
      await browser.close();
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}
