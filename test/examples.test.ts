// Each example in examples/ runs as a user would run it (`node examples/<name>.mjs`, importing
// the built package through its own name) and prints the book's numbers.
// Needs `npm run build` first (npm test does it in `pretest`).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

function run(name: string): Map<string, string> {
  if (!existsSync(`${ROOT}dist/index.node.js`)) throw new Error("examples test: dist/ is missing — run `npm run build` first");
  const out = execFileSync(process.execPath, [`examples/${name}.mjs`], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
  const values = new Map<string, string>();
  for (const line of out.split("\n")) {
    const m = /^([^:]+):\s*(.*)$/.exec(line.trim());
    if (m) values.set(m[1], m[2]);
  }
  return values;
}

const num = (v: Map<string, string>, key: string): number => {
  expect(v.has(key), `printed line "${key}:"`).toBe(true);
  return Number(v.get(key));
};
const nums = (s: string | undefined): number[] => (s ?? "").replace(/[[\]]/g, "").split(/[\s,]+/).filter(Boolean).map(Number);

describe("examples print the book's numbers", () => {
  it("apple-orange.mjs", () => {
    const v = run("apple-orange");
    expect(num(v, "price")).toBe(715);
    expect(num(v, "dApple")).toBeCloseTo(2.2, 12);
    expect(num(v, "dApple_num")).toBeCloseTo(110, 10);
    expect(num(v, "dOrange")).toBeCloseTo(3.3, 12);
    expect(num(v, "dOrange_num")).toBeCloseTo(165, 10);
    expect(num(v, "dTax")).toBe(650);
  });

  it("gradient-descent.mjs", () => {
    const v = run("gradient-descent");
    expect(nums(v.get("numericalGradient at (3, 4)"))).toEqual([6, 8]);
    expect(nums(v.get("numericalGradient at (0, 2)"))).toEqual([0, 4]);
    const end = nums(v.get("gradientDescent from (-3, 4), lr 0.1, 100 steps"));
    expect(end).toHaveLength(2);
    for (const c of end) expect(Math.abs(c)).toBeLessThan(1e-8);
  });

  it("simple-net.mjs", async () => {
    const out = execFileSync(process.execPath, ["examples/simple-net.mjs"], { cwd: ROOT, encoding: "utf8" });
    expect(Number(/^loss: (.*)$/m.exec(out)?.[1])).toBeCloseTo(0.9280682857864075, 12);
    const rows = out.split("dW:")[1].trim().split("\n").map(nums);
    const expected = [[0.21924757, 0.14356243, -0.36281], [0.32887136, 0.21534364, -0.544215]];
    rows.forEach((row, i) => row.forEach((d, j) => expect(Math.abs(d - expected[i][j])).toBeLessThan(1e-6)));
  });

  it("gradient-check.mjs on 3 real MNIST digits", () => {
    const v = run("gradient-check");
    for (const key of ["W1", "b1", "W2", "b2"]) {
      const d = num(v, key);
      expect(d, key).toBeGreaterThan(0);
      expect(d, key).toBeLessThanOrEqual(1e-6);
    }
  }, 600_000); // slow by design; on a shared CPU it can take minutes
});
