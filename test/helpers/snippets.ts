// The fenced ts/js snippets of README.md and docs/*.md, as test/e2e/docs-snippets.test.ts checks
// them. Convention (docs/design.md, "Snippets that cannot rot"): a fence's info string is the
// language, optionally followed by one marker:
//   ```ts                  compiled (tsc --strict) and run in Node, offline, as printed
//   ```js browser          compiled, then bundled (esbuild) and run in headless Chromium
//   ```js compile-only: …  compiled only; the text after the colon says why it cannot run here
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface Snippet {
  /** e.g. "docs/data.md:10" (the fence's line). */
  where: string;
  /** A file-name-safe id, e.g. "docs-data-md-10". */
  id: string;
  lang: "ts" | "js";
  mode: "node" | "browser" | "compile-only";
  /** Why a compile-only snippet does not run. */
  reason?: string;
  code: string;
}

const LANGS: Record<string, "ts" | "js"> = { ts: "ts", typescript: "ts", js: "js", javascript: "js" };

/** README.md and every docs/*.md, in a stable order. */
export function documentationFiles(repo: string): string[] {
  return ["README.md", ...readdirSync(join(repo, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`)];
}

/** Every ts/js fence of one markdown file; a malformed marker is an error naming the line. */
export function extractSnippets(repo: string, file: string): Snippet[] {
  const lines = readFileSync(join(repo, file), "utf8").split("\n");
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w+)\s*(.*)$/.exec(lines[i]);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    if (end < 0) throw new Error(`${file}:${i + 1}: fence never closed`);
    const lang = LANGS[open[1]];
    const info = open[2].trim();
    if (lang) {
      const where = `${file}:${i + 1}`;
      let mode: Snippet["mode"] = "node";
      let reason: string | undefined;
      if (info === "browser") mode = "browser";
      else if (info.startsWith("compile-only")) {
        mode = "compile-only";
        reason = /^compile-only:\s*(\S.*)$/.exec(info)?.[1];
        if (!reason) throw new Error(`${where}: "compile-only" needs a reason after a colon: \`\`\`${open[1]} compile-only: why`);
      } else if (info !== "") throw new Error(`${where}: unknown marker "${info}" (use browser or compile-only: reason)`);
      snippets.push({ where, id: where.replace(/[^\w]+/g, "-"), lang, mode, reason, code: lines.slice(i + 1, end).join("\n") + "\n" });
    }
    i = end;
  }
  return snippets;
}
