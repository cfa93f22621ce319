// The opt-in relaxed-SIMD build (fused multiply-add in the products): init({ simd: "relaxed" })
// refuses, saying how to enable it, on an engine without relaxed SIMD (Node 20 by default); with
// it (Node 20: --experimental-wasm-relaxed-simd) it trains to the same bits on 1 and 2 threads,
// close to the fixed build's losses but not required to match them. Each case is a child
// process: the build is chosen once per process.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const CHILD = fileURLToPath(new URL("../../fixtures/relaxed-simd-child.mjs", import.meta.url));

interface Report {
  simd: string;
  coreSimd?: string;
  error?: { name: string; message: string };
  runs: Record<string, { losses: number[]; params: string }>;
}

function child(simd: string, flags: string[] = []): Report {
  const out = execFileSync(process.execPath, [...flags, CHILD, simd], { encoding: "utf8", timeout: 120_000 });
  return JSON.parse(out.trim().split("\n").at(-1)!) as Report;
}

const nodeMajor = Number(process.versions.node.split(".")[0]);

describe("the relaxed-SIMD build", () => {
  it.runIf(nodeMajor < 22)("is refused without the engine flag, and the error says which flag", () => {
    const r = child("relaxed");
    expect(r.error?.name).toBe("ScratchnetError");
    expect(r.error?.message).toMatch(/^init: simd: 'relaxed' needs WebAssembly relaxed SIMD/);
    expect(r.error?.message).toContain("--experimental-wasm-relaxed-simd");
  });

  it("refuses a simd mode it does not know", () => {
    expect(child("fast").error?.message).toBe("init: simd must be 'fixed' or 'relaxed', got 'fast'");
  });

  it("with the flag: trains, bit-identical across thread counts, close to the fixed build", () => {
    const relaxed = child("relaxed", ["--experimental-wasm-relaxed-simd"]);
    const fixed = child("fixed");
    expect(relaxed.error).toBeUndefined();
    expect(relaxed.coreSimd).toBe("relaxed");
    expect(fixed.coreSimd).toBe("fixed");
    expect(relaxed.runs[2]).toEqual(relaxed.runs[1]);
    expect(fixed.runs[2]).toEqual(fixed.runs[1]);
    const a = relaxed.runs[1].losses, b = fixed.runs[1].losses;
    expect(a).toHaveLength(60);
    expect(a[59]).toBeLessThan(a[0] * 0.9); // it learned (2.30 → ~1.99 in 60 steps at lr 0.1)
    // one rounding fewer per multiply-add: the losses agree to float32 noise, not bit for bit
    for (let i = 0; i < 60; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-3 * Math.abs(b[i]) + 1e-5);
    console.log(`relaxed vs fixed parameters after 60 steps: ${relaxed.runs[1].params === fixed.runs[1].params ? "identical (this CPU did not fuse)" : "different bits (fused multiply-add)"}`);
  });
});
