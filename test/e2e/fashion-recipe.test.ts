// The product's main job end to end, through the CLI as a user runs it: the book's full
// recipe (784-50-10, 10000 iterations, batch 100, lr 0.1, std 0.01) on the real Fashion-MNIST
// from Debian's dataset-fashion-mnist. The book's numpy code ends at 0.863–0.873 (three seeds).
import { describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { FASHION_DIR } from "../helpers/mnist.js";
import { have } from "../helpers/prerequisites.js";
import { tempDirs } from "../helpers/temp-dirs.js";

const run = promisify(execFile);
const CLI = new URL("../../dist/cli/main.js", import.meta.url).pathname;
const tempDir = tempDirs("scratchnet-e2e-");

async function train(dtype: "float32" | "float64"): Promise<{ out: string; history: any; stdout: string }> {
  const out = tempDir(`${dtype}-`);
  const { stdout } = await run(process.execPath, [CLI, "train", "--dataset", "fashion-mnist", "--data-dir", FASHION_DIR, "--dtype", dtype, "--out", out], { maxBuffer: 1 << 24 });
  return { out, history: JSON.parse(readFileSync(join(out, "history.json"), "utf8")), stdout };
}

describe.runIf(have("fashion"))("Fashion-MNIST, the book's full recipe", () => {
  let f32: Awaited<ReturnType<typeof train>>;

  it("float32 reaches the book's accuracy (≥ 0.855) and writes every artefact", async () => {
    f32 = await train("float32");
    const h = f32.history;
    expect(h.settings).toMatchObject({ itersNum: 10000, batchSize: 100, learningRate: 0.1, dtype: "float32", trainSize: 60000, testSize: 10000 });
    expect(h.trainLossList).toHaveLength(10000);
    expect(h.trainAccList).toHaveLength(17); // i = 0, 600, …, 9600
    expect(h.testAccList).toHaveLength(17);
    expect(h.finalTestAcc).toBeGreaterThanOrEqual(0.855);
    expect(h.finalTrainAcc).toBeGreaterThan(h.trainAccList[0]);
    expect(f32.stdout).toMatch(/train acc, test acc \| 0\.\d{4}, 0\.\d{4}/);
    for (const f of ["accuracy.svg", "loss.svg", "model.safetensors"]) expect(existsSync(join(f32.out, f))).toBe(true);
    console.log(`float32: final train ${h.finalTrainAcc}, test ${h.finalTestAcc}, ${(h.elapsedMs / 1000).toFixed(1)} s`);
  }, 600_000);

  it("float64 lands within the numpy spread too", async () => {
    const f64 = await train("float64");
    expect(f64.history.finalTestAcc).toBeGreaterThanOrEqual(0.855);
    expect(f64.history.finalTestAcc).toBeLessThanOrEqual(0.885);
    console.log(`float64: final test ${f64.history.finalTestAcc}`);
  }, 900_000);

  it("the saved model, reloaded in a fresh process, gives the identical test accuracy", async () => {
    const { stdout } = await run(process.execPath, [CLI, "eval", "--model", join(f32.out, "model.safetensors"), "--dataset", "fashion-mnist", "--data-dir", FASHION_DIR]);
    const correct = Number(/test acc \| [\d.]+ \((\d+) \/ 10000 images\)/.exec(stdout)?.[1]);
    expect(correct).toBe(Math.round(f32.history.finalTestAcc * 10000));
  }, 120_000);
});
