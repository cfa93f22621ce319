// Every example of the book's scripts (examples/book-scripts.mjs) runs as a reader runs it —
// `node examples/<name>.mjs --quick`, through the built package, offline, on the bundled digits —
// by way of `examples/book.mjs`, the runner behind `npm run book`. Each example's printed numbers
// are checked (against the book's text wherever it states them) and each figure is parsed and its
// series, markers, panels and images counted. The gallery page is then opened in Chromium: every
// figure must load and parse, and each section is screenshotted to test-artifacts/.
// docs/book-scripts.md must list all 38 scripts and name only examples that exist.
// Needs `npm run build` first (npm test does it in `pretest`).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOOK_SCRIPTS } from "../../examples/book-scripts.mjs";
import { findAll, parseSvg, type SvgElement } from "../helpers/svg.js";
import { have } from "../helpers/prerequisites.js";
import { launchChromium } from "../browser/chromium.js";
import { CHECKS, type Run } from "./book-examples-checks.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const ARTIFACTS = join(ROOT, "test-artifacts");
const OUT = mkdtempSync(join(tmpdir(), "scratchnet-book-"));
const FIGURES = join(OUT, "book");
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

// the 38 scripts of ch03–ch08 in the book's repository (issue 15)
const THE_38 = [
  "ch03/mnist_show.py", "ch03/neuralnet_mnist.py", "ch03/neuralnet_mnist_batch.py", "ch03/relu.py", "ch03/sig_step_compare.py", "ch03/sigmoid.py", "ch03/step_function.py",
  "ch04/gradient_1d.py", "ch04/gradient_2d.py", "ch04/gradient_method.py", "ch04/gradient_simplenet.py", "ch04/train_neuralnet.py", "ch04/two_layer_net.py",
  "ch05/buy_apple.py", "ch05/buy_apple_orange.py", "ch05/gradient_check.py", "ch05/layer_naive.py", "ch05/train_neuralnet.py", "ch05/two_layer_net.py",
  "ch06/batch_norm_gradient_check.py", "ch06/batch_norm_test.py", "ch06/hyperparameter_optimization.py", "ch06/optimizer_compare_mnist.py",
  "ch06/optimizer_compare_naive.py", "ch06/overfit_dropout.py", "ch06/overfit_weight_decay.py", "ch06/weight_init_activation_histogram.py", "ch06/weight_init_compare.py",
  "ch07/apply_filter.py", "ch07/gradient_check.py", "ch07/simple_convnet.py", "ch07/train_convnet.py", "ch07/visualize_filter.py",
  "ch08/awesome_net.py", "ch08/deep_convnet.py", "ch08/half_float_network.py", "ch08/misclassified_mnist.py", "ch08/train_deepnet.py",
];

interface Row { script: string; example?: string; pending?: string; result?: { code: number; ms: number; stdout: string; stderr: string; figures: string[] } }
let index: { totalMs: number; rows: Row[] };
const runnable = BOOK_SCRIPTS.filter((s) => s.example && !s.pending);

beforeAll(() => {
  if (!existsSync(`${ROOT}dist/index.node.js`)) throw new Error("book examples test: dist/ is missing — run `npm run build` first");
  // offline, an empty cache, no data directory: nothing but the bundled digits to find
  const env: NodeJS.ProcessEnv = { ...process.env, SCRATCHNET_OUT_DIR: OUT, SCRATCHNET_OFFLINE: "1", XDG_CACHE_HOME: join(OUT, "cache") };
  delete env.SCRATCHNET_DATA_DIR;
  // one example at a time: vitest already runs other test files on the other core
  execFileSync(process.execPath, ["examples/book.mjs", "--jobs", "1"], {
    cwd: ROOT, encoding: "utf8", timeout: 20 * 60_000, stdio: ["ignore", "pipe", "pipe"], env,
  });
  index = JSON.parse(readFileSync(join(FIGURES, "index.json"), "utf8"));
}, 25 * 60_000);

describe("the table of the book's scripts", () => {
  it("lists exactly the 38 scripts, each once, in the book's order", () => {
    expect(BOOK_SCRIPTS.map((s) => s.script)).toEqual(THE_38);
  });

  it("gives every script an example, a class or the placeholder note; pending examples are really missing", () => {
    for (const s of BOOK_SCRIPTS) {
      expect(Boolean(s.example) || Boolean(s.module) || s.placeholder === true, s.script).toBe(true);
      if (!s.example) continue;
      const file = join(ROOT, "examples", `${s.example}.mjs`);
      if (s.pending) expect(existsSync(file), `${s.example}.mjs exists now: delete its \`pending\` in examples/book-scripts.mjs and add its checks`).toBe(false);
      else expect(existsSync(file), `${s.example}.mjs`).toBe(true);
    }
  });

  it("docs/book-scripts.md has one row per script, naming the same example or class", () => {
    const doc = readFileSync(join(ROOT, "docs/book-scripts.md"), "utf8");
    const rows = doc.split("\n").filter((l) => /^\| `ch0\d\/\w+\.py` \|/.test(l));
    expect(rows.map((l) => /`(ch0\d\/\w+\.py)`/.exec(l)![1])).toEqual(THE_38);
    for (const [i, s] of BOOK_SCRIPTS.entries()) {
      if (s.example) expect(rows[i], s.script).toContain(`examples/${s.example}.mjs`);
      if (s.module) expect(rows[i], s.script).toContain(s.module.split("(")[0].split(",")[0].trim());
    }
    // every example the page names exists, or is one the table marks pending
    const pending = new Set(BOOK_SCRIPTS.filter((s) => s.pending && s.example).map((s) => s.example));
    for (const m of doc.matchAll(/examples\/([\w-]+)\.mjs/g)) {
      if (!pending.has(m[1])) expect(existsSync(join(ROOT, "examples", `${m[1]}.mjs`)), `docs/book-scripts.md names examples/${m[1]}.mjs`).toBe(true);
    }
  });

  it("has a check below for every runnable example (adding one is one entry in each table)", () => {
    expect(Object.keys(CHECKS).sort()).toEqual(runnable.map((s) => s.example).sort());
  });
});

describe("every example in quick mode", () => {
  it("ran them all, offline, and wrote the gallery", () => {
    expect(index.rows.filter((r) => r.result).map((r) => r.example)).toEqual(runnable.map((s) => s.example));
    expect(existsSync(join(FIGURES, "index.html"))).toBe(true);
  });

  for (const s of runnable) {
    it(`${s.script} → examples/${s.example}.mjs`, async () => {
      const row = index.rows.find((r) => r.example === s.example)!;
      const r = row.result!;
      expect(r.code, `exit code; stderr:\n${r.stderr}`).toBe(0);
      const figures: Record<string, SvgElement> = {};
      for (const f of r.figures) {
        const svg = parseSvg(readFileSync(join(FIGURES, f), "utf8"), f);
        // coordinates and styles never hold NaN/undefined (a title may say "NaN": a diverged run)
        const bad = findAll(svg, (e) => Object.entries(e.attrs).some(([k, v]) => k !== "aria-label" && /NaN|undefined|Infinity/.test(v)));
        expect(bad.map((e) => e.name), `${f}: attributes with NaN/undefined`).toEqual([]);
        figures[f.replace(/\.svg$/, "")] = svg;
      }
      const outputs = Object.fromEntries(index.rows.filter((x) => x.result).map((x) => [x.example as string, x.result!.stdout]));
      const run: Run = { stdout: r.stdout, figures, dir: FIGURES, outputs };
      await CHECKS[s.example as keyof typeof CHECKS](run);
    });
  }
});

describe.runIf(have("chromium"))("the gallery in Chromium", () => {
  it("loads every figure, parses every SVG with DOMParser, and is screenshotted section by section", async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`file://${join(FIGURES, "index.html")}`);
      // lazy images: scroll every figure into view, then wait for all to load
      const count = await page.locator("img").count();
      for (let i = 0; i < count; i++) await page.locator("img").nth(i).scrollIntoViewIfNeeded();
      await page.waitForFunction(() => [...document.images].every((img) => img.complete));
      const broken = await page.evaluate(() => [...document.images].filter((img) => !(img.naturalWidth > 0)).map((img) => img.getAttribute("src")));
      expect(broken).toEqual([]);
      const figures = index.rows.flatMap((r) => r.result?.figures ?? []);
      expect(count).toBe(figures.length);
      for (const f of figures) {
        const text = readFileSync(join(FIGURES, f), "utf8");
        const error = await page.evaluate((t) => {
          const doc = new DOMParser().parseFromString(t, "image/svg+xml");
          const err = doc.querySelector("parsererror");
          return err ? err.textContent : doc.documentElement.nodeName === "svg" ? null : `root is ${doc.documentElement.nodeName}`;
        }, text);
        expect(error, f).toBeNull();
      }
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(ARTIFACTS, "book-gallery-top.png") });
      for (const s of runnable) {
        await page.locator(`section[data-example="${s.example}"]`).screenshot({ path: join(ARTIFACTS, `book-gallery-${s.example}.png`) });
      }
      expect(browser.errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 300_000);
});
