// `npm test` ends with the plain closing line CI reads ("N passed, N failed, N skipped"): the
// reporter test/helpers/closing-line-reporter.ts, run by a nested vitest on a throwaway project
// with known counts. Its output is captured, never echoed: a nested "2 passed, 1 failed" line in
// this suite's own log would be read as the suite's result.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const VITEST = join(REPO, "node_modules", "vitest", "vitest.mjs");
const REPORTER = join(REPO, "test", "helpers", "closing-line-reporter.ts");
const project = mkdtempSync(join(tmpdir(), "scratchnet-closing-line-"));
afterAll(() => rmSync(project, { recursive: true, force: true }));

/** Runs the nested vitest with the CI environment .ci/run gives (CI set, NO_COLOR). */
function runNested(files: Record<string, string>) {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(project, name), text);
  const env: NodeJS.ProcessEnv = { ...process.env, CI: "1", NO_COLOR: "1" };
  delete env.FORCE_COLOR;
  delete env.VITEST; // the nested run is a run of its own, not a worker of this one
  const run = spawnSync(process.execPath, [VITEST, "run", "--root", project, "--globals", "--reporter=default", `--reporter=${REPORTER}`], {
    cwd: project,
    env,
    encoding: "utf8",
    timeout: 60_000,
  });
  const lines = run.stdout.split("\n").filter((line) => line.trim() !== "");
  // for failure messages: the nested closing line marked, so it never stands alone in this log
  const all = (run.stdout + run.stderr).replace(/^(\d+ passed, \d+ failed)/gm, "(nested run) $1");
  return { status: run.status, lines, all };
}

describe("the closing line", () => {
  it("counts passed, failed (a failing test and a file that does not load) and skipped, alone on the last line, with no colour code", () => {
    const { status, lines, all } = runNested({
      "counts.test.js": [
        'test("one", () => {});',
        'test("two", () => {});',
        'test.skip("three", () => {});',
        'test.todo("four");',
        'test("five", () => { throw new Error("fails on purpose"); });',
      ].join("\n"),
      "broken.test.js": 'throw new Error("this file fails to load");\n',
    });
    expect(status, all).toBe(1);
    // one failed test plus one file whose load failed
    expect(JSON.stringify(lines.at(-1))).toBe(JSON.stringify("2 passed, 2 failed, 2 skipped"));
    expect(all.includes("\x1b["), "no colour codes under NO_COLOR").toBe(false);
    // vitest's own summary is plain too, so its count is readable as well
    expect(lines.some((line) => /^\s*Tests\s+1 failed \| 2 passed \| 1 skipped \| 1 todo \(5\)$/.test(line)), all).toBe(true);
  });

  it("a green run ends on 'N passed, 0 failed, 0 skipped' and exits 0", () => {
    rmSync(join(project, "broken.test.js"), { force: true });
    rmSync(join(project, "counts.test.js"), { force: true });
    const { status, lines, all } = runNested({ "green.test.js": 'test("a", () => {});\ntest("b", () => {});\ntest("c", () => {});\n' });
    expect(status, all).toBe(0);
    expect(JSON.stringify(lines.at(-1))).toBe(JSON.stringify("3 passed, 0 failed, 0 skipped"));
  });
});
