// Smoke of bench/thread-cpu.mjs (what the second thread costs in CPU): a few steps on the bundled
// MNIST digits must print both tables — CPU of the process per thread count, and CPU split by
// thread — with numbers in every cell, and the two-processes floor beside them. No timing is
// asserted (a smoke run on a shared CPU means nothing); the measured figures are in bench/README.md.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

describe("bench/thread-cpu.mjs (smoke)", () => {
  it("prints the per-process and the per-thread CPU tables for each spin time", () => {
    const r = spawnSync(process.execPath, ["bench/thread-cpu.mjs", "--data", "mnist", "--steps", "20", "--rounds", "2", "--spin", "0,0.05"],
      { encoding: "utf8", timeout: 300_000 });
    expect(r.status, r.stderr).toBe(0);
    const rows = r.stdout.split("\n").filter((l) => /^\| 0(\.05)? ms \|/.test(l));
    expect(rows).toHaveLength(4); // two spin times × two tables
    // the first table: 9 numbers after the spin (the last: every thread's time on a CPU, 2t ÷ 1t);
    // the second: 4 (main/others on 1 and 2 threads)
    expect(rows[0]).toMatch(/^\| 0 ms( \| \**[\d.]+\**){9} \|$/);
    expect(rows[2]).toMatch(/^\| 0 ms( \| [\d.]+){4} \|$/);
    expect(r.stdout).toContain("CPU by thread");
    // the machine's floor: a one-thread child's steps while another child trains against while it
    // pauses, and the rounds' ratio divided by it (one number per round in brackets, two rounds)
    expect(r.stdout).toMatch(/a busy second core slows one-thread training by .* median \*\*[\d.]+\*\* \[[\d.]+, [\d.]+\] .* median \*\*[\d.]+\*\* \[[\d.]+, [\d.]+\]/);
  });
});
