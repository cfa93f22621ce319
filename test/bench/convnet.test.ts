// Smoke of bench/convnet.mjs --quick (SimpleConvNet and DeepConvNet iterations beside the book's
// numpy): every row of both tables runs and gets a time, and the layout table prints. No timing
// is asserted (a --quick run on a shared CPU means nothing); the figures are in bench/README.md.
import { spawnSync } from "node:child_process";
import os from "node:os";
import { describe, expect, it } from "vitest";
import { have } from "../helpers/prerequisites.js";

describe("bench/convnet.mjs --quick", () => {
  it("times every implementation of both nets, and the convolution's layout rows", () => {
    const r = spawnSync(process.execPath, ["bench/convnet.mjs", "--quick"], { encoding: "utf8", timeout: 600_000 });
    expect(r.status, r.stderr).toBe(0);
    const timed = (name: string) => r.stdout.split("\n").filter((l) => l.includes(name) && /'\d+\.\d+'/.test(l));
    expect(timed("scratchnet float32 (wasm SIMD, its default")).toHaveLength(2); // SimpleConvNet and DeepConvNet
    expect(timed("scratchnet float32 (wasm SIMD, 1 thread)")).toHaveLength(2);
    expect(timed("scratchnet float64")).toHaveLength(2);
    if (have("numpy")) expect(timed("numpy (book code) float64, BLAS default")).toHaveLength(2);
    expect(r.stdout).toContain("SimpleConvNet (ch07):");
    expect(r.stdout).toContain("DeepConvNet (ch08):");
    const threadCounts = new Set([os.availableParallelism(), 1]).size; // the machine's cores, then 1 (once if they are the same)
    expect(timed("conv forward, the layer's path")).toHaveLength(threadCounts);
    expect(timed("conv forward, one batched product")).toHaveLength(threadCounts);
  });
});
