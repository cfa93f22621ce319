// Smoke of bench/reliability.mjs (what the divergence check and the cache verification cost):
// `--quick` must run both tables. No timing is asserted (numbers from a --quick run on a shared
// CPU mean nothing); the measured figures are quoted in docs/training.md and docs/data.md.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

describe("bench/reliability.mjs --quick", () => {
  it("prints the divergence-check and the cache-verification tables", () => {
    const r = spawnSync(process.execPath, ["bench/reliability.mjs", "--quick"], { encoding: "utf8", timeout: 300_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("divergence: the parameter check against one step");
    expect(r.stdout).toMatch(/TwoLayerNet 784-50-10.*\d+\.\d+ %/);
    expect(r.stdout).toMatch(/SimpleConvNet \(book sizes\).*\d+\.\d+ %/);
    expect(r.stdout).toMatch(/cache, first load in the process .*\d+\.\d\d|cache: skipped \(no Fashion-MNIST/);
  });
});
