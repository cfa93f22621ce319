// A control for long-task measurements: a page whose worker spins and posts a message every
// 50 ms, on which the page redraws a canvas the size of the demo's two charts with a few
// hundred line segments: the demo's situation during training, without the demo's code. If
// the control suffers long tasks in the same browser at the same time, the (shared, over-
// loaded) machine is stalling threads, and long tasks say nothing about the page under test.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import type { Browser } from "./chromium.js";
import { serveStatic } from "./static-server.js";

const HTML = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">
<canvas id="c" width="560" height="460"></canvas><script>
  window.longTasks = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) longTasks.push({ start: e.startTime, duration: e.duration }); })
    .observe({ type: "longtask", buffered: true });
  let n = 0;
  new Worker("spin.js").onmessage = () => requestAnimationFrame(() => {
    const g = c.getContext("2d");
    g.clearRect(0, 0, 560, 460);
    g.beginPath();
    for (let i = 0; i < 400; i++) g.lineTo(i * 1.4, 230 + 100 * Math.sin((i + n) / 20));
    g.stroke();
    g.fillText("frame " + n++, 10, 20);
  });
</script>`;
const SPIN = "let t = Date.now(); for (;;) { let x = 0; for (let i = 0; i < 1e5; i++) x += i; if (Date.now() - t > 50) { postMessage(x); t = Date.now(); } }";

/** Long tasks the control page suffered during `ms` milliseconds. */
export async function controlLongTasks(browser: Browser, ms: number): Promise<{ start: number; duration: number }[]> {
  const dir = mkdtempSync(join(tmpdir(), "scratchnet-control-"));
  writeFileSync(join(dir, "index.html"), HTML);
  writeFileSync(join(dir, "spin.js"), SPIN);
  const server = await serveStatic({ "/": dir });
  let page: Page | null = null;
  try {
    page = await browser.newPage();
    await page.goto(`${server.origin}/index.html`);
    const start = await page.evaluate(() => performance.now());
    await page.waitForTimeout(ms);
    return await page.evaluate((s) => (globalThis as unknown as { longTasks: { start: number; duration: number }[] }).longTasks.filter((t) => t.start >= s), start);
  } finally {
    await page?.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
