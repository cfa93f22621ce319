// The chapter 6 examples run end to end as a user runs them (`node examples/ch6-*.mjs`, through
// the built package), shortened by their own flags, and write well-formed SVG figures.
// Their full-length numbers are in the README (chapter 6 section); the optimizer
// comparison at full length is test/optimizer-compare.test.ts. Needs `npm run build` first.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const OUT = mkdtempSync(join(tmpdir(), "scratchnet-ch6-"));
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

function run(name: string, ...args: string[]): string {
  if (!existsSync(`${ROOT}dist/index.node.js`)) throw new Error("examples test: dist/ is missing — run `npm run build` first");
  return execFileSync(process.execPath, [`examples/${name}.mjs`, ...args], {
    cwd: ROOT, encoding: "utf8", timeout: 300_000, env: { ...process.env, SCRATCHNET_OUT_DIR: OUT },
  });
}

function svg(file: string): string {
  const text = readFileSync(join(OUT, file), "utf8");
  expect(text.startsWith("<svg")).toBe(true);
  expect(text.trimEnd().endsWith("</svg>")).toBe(true);
  expect(text).toContain("<path"); // at least one drawn line
  return text;
}

describe("chapter 6 examples (shortened)", () => {
  it("ch6-optimizer-compare: four losses, SGD's the highest", () => {
    const out = run("ch6-optimizer-compare", "--iters", "60");
    const loss = Object.fromEntries([...out.matchAll(/^(\w+)\s+mean loss of the last 100 iterations: ([\d.]+)/gm)].map((m) => [m[1], Number(m[2])]));
    expect(Object.keys(loss)).toEqual(["SGD", "Momentum", "AdaGrad", "Adam"]);
    expect(loss.SGD).toBeGreaterThan(Math.max(loss.Momentum, loss.AdaGrad, loss.Adam));
    for (const label of ["SGD", "Momentum", "AdaGrad", "Adam"]) expect(svg("ch6-optimizer-compare.svg")).toContain(label);
  });

  it("ch6-weight-init-compare: std=0.01 learns nothing, He beats it", () => {
    const out = run("ch6-weight-init-compare", "--iters", "200");
    const last = (label: string): number => Number(new RegExp(`^${label}\\s+loss: first [\\d.]+, mean of the last 100 ([\\d.]+)`, "m").exec(out)?.[1]);
    expect(last("std=0.01")).toBeGreaterThan(2.2);
    expect(last("He")).toBeLessThan(last("std=0.01") - 0.5);
    svg("ch6-weight-init-compare.svg");
  });

  it("ch6-batch-norm-compare: 16 panels", () => {
    const out = run("ch6-batch-norm-compare", "--epochs", "2");
    expect(out.match(/^\d\.\d\de[+-]\d+\s/gm)?.length).toBe(16);
    expect(svg("ch6-batch-norm-compare.svg").match(/<svg /g)?.length).toBe(17); // the grid + 16 charts
  });

  it("ch6-dropout-overfit: three settings, three figures", () => {
    const out = run("ch6-dropout-overfit", "--epochs", "3");
    expect(out.match(/train acc [\d.]+, test acc [\d.]+, gap/g)?.length).toBe(3);
    for (const f of ["ch6-overfit.svg", "ch6-overfit-weight-decay.svg", "ch6-overfit-dropout.svg"]) svg(f);
  });
});
