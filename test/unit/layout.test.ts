// The source tree keeps the shape docs/design.md describes:
//  - folders import one way down: cli → train → data → optim → nets → layers → math → io → plot,
//    all of them the base (the primitives at src/'s root, tensor/, memory/, core/), and
//    src/reference/ nothing of the library;
//  - no hand-written source file in src/ or assembly/ is over 300 lines (generated ones aside);
//  - every test file is in a tier's folder (test/unit, e2e, browser, bench), so `npm test` runs it.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const SRC = join(REPO, "src");
const MAX_LINES = 300;
/** Higher imports lower; the base (rank 0) is the root primitives, tensor/, memory/, core/. */
const RANK: Record<string, number> = { cli: 9, train: 8, data: 7, optim: 6, nets: 5, layers: 4, math: 3, io: 2, plot: 1, tensor: 0, memory: 0, core: 0 };
/** The entry points may import anything. */
const ENTRIES = new Set(["index.ts", "index.node.ts", "index.browser.ts", "internal.ts"]);

function files(dir: string, keep: (path: string) => boolean): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).map((f) => join(dir, f)).filter(keep);
}

/** The folder of src/ a file is in ("root" for src/*.ts). */
function folderOf(path: string): string {
  const parts = relative(SRC, path).split("/");
  return parts.length === 1 ? "root" : parts[0];
}

const rankOf = (folder: string): number => (folder === "root" ? 0 : RANK[folder]);

describe("the source tree", () => {
  it("imports one way down, folder by folder", () => {
    const wrong: string[] = [];
    for (const file of files(SRC, (f) => f.endsWith(".ts"))) {
      const from = folderOf(file);
      if (from === "root" && ENTRIES.has(relative(SRC, file))) continue;
      for (const m of readFileSync(file, "utf8").matchAll(/(?:from|import)\s+"(\.[^"]+)"/g)) {
        const target = normalize(join(dirname(file), m[1]));
        const to = folderOf(target);
        if (to === from) continue;
        const ok = from === "reference" ? false : to !== "reference" && rankOf(to) !== undefined && rankOf(from) !== undefined && (rankOf(to) < rankOf(from) || rankOf(to) === 0);
        if (!ok) wrong.push(`${relative(REPO, file)} imports ${relative(REPO, target).replace(/\.js$/, ".ts")} (${from} → ${to})`);
      }
    }
    expect(wrong, "imports against the layering of docs/design.md").toEqual([]);
  });

  it(`has no hand-written source file over ${MAX_LINES} lines in src/ or assembly/`, () => {
    const long = [SRC, join(REPO, "assembly")]
      .flatMap((dir) => files(dir, (f) => /\.(ts|mjs)$/.test(f) && !f.includes(".generated.")))
      .map((f) => ({ f: relative(REPO, f), lines: readFileSync(f, "utf8").split("\n").length - 1 }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ f, lines }) => `${f}: ${lines} lines`);
    expect(long, "split these by job (docs/design.md)").toEqual([]);
  });

  it("has every test file in a tier's folder", () => {
    const TEST = join(REPO, "test");
    const stray = files(TEST, (f) => f.endsWith(".test.ts"))
      .map((f) => relative(TEST, f))
      .filter((f) => !/^(unit|e2e|browser|bench)\//.test(f));
    expect(stray, "move them into test/unit, e2e, browser or bench (vitest.config.ts runs only those)").toEqual([]);
  });
});
