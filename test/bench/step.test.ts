// Smoke of bench/step.mjs --quick (where one TwoLayerNet step's time goes): every part is timed
// and the summary lines print. No timing is asserted; the figures are in bench/README.md.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

describe("bench/step.mjs --quick", () => {
  it("times every part of the step and prints the summary", () => {
    const r = spawnSync(process.execPath, ["bench/step.mjs", "--quick", "--data", "mnist"], { encoding: "utf8", timeout: 300_000 });
    expect(r.status, r.stderr).toBe(0);
    const parts = r.stdout.split("\n").filter((l) => /^│ \d+ /.test(l));
    expect(parts.length).toBeGreaterThanOrEqual(10);
    for (const part of parts) expect(part).toMatch(/'\d+\.\d+'/);
    expect(r.stdout).toMatch(/two big GEMMs\s+\d+\.\d+ ms/);
    expect(r.stdout).toMatch(/fused wasm call\s+\d+\.\d+ ms/);
  });
});
