// The README's quick start on a fresh offline machine: no MNIST anywhere (empty cache, no
// network, no data dir), run from an empty directory as a new user would. The CLI must train
// the book's recipe (784-50-10, 10000 iterations, batch 100, lr 0.1) on the bundled real digits,
// 8000 train / 2000 test — never on clothes — say so loudly, record it, and `eval --model`
// alone must then give the same test accuracy. The book's numpy code gets 0.9485–0.953 on this
// split with the same recipe.
import { afterAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeSafetensors, deserializeModel, serializeModel } from "../../src/index.node.js";

const CLI = new URL("../../dist/cli/main.js", import.meta.url).pathname;
const home = mkdtempSync(join(tmpdir(), "scratchnet-fresh-"));
const work = join(home, "work");
const env: Record<string, string | undefined> = {
  ...process.env, CI: "1", HOME: home, XDG_CACHE_HOME: join(home, "cache"), SCRATCHNET_OFFLINE: "1",
};
delete env.SCRATCHNET_DATA_DIR;
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", env, cwd: home, timeout: 300_000 });

afterAll(() => rmSync(home, { recursive: true, force: true }));

// a system-wide MNIST (/usr/share/datasets/mnist) would rightly be used instead of the fallback
describe.skipIf(existsSync("/usr/share/datasets/mnist"))("offline quick start, fresh machine", () => {
  let history: { finalTestAcc: number; settings: Record<string, unknown>; trainLossList: number[]; testAccList: number[] };
  let stdout = "";

  it("trains the book's recipe on the bundled digits, 8000 / 2000, with a loud banner, and records it", () => {
    const r = run("train", "--out", work);
    expect(r.status, r.stderr).toBe(0);
    stdout = r.stdout;
    expect(r.stderr).toContain("TRAINING ON THE 10 000 REAL MNIST TEST DIGITS BUNDLED WITH SCRATCHNET");
    expect(r.stderr).toContain("8000 train / 2000 test");
    expect(r.stderr).not.toMatch(/FASHION|clothing/i);
    expect(r.stdout).toMatch(/^TwoLayerNet 784-50-10 on mnist \[bundled-t10k-8000-2000\] \(8000 train \/ 2000 test, from bundled MNIST test digits /);
    history = JSON.parse(readFileSync(join(work, "history.json"), "utf8"));
    expect(history.settings).toMatchObject({
      dataset: "mnist", subset: "bundled-t10k-8000-2000", isSample: true, normalize: true,
      itersNum: 10000, batchSize: 100, learningRate: 0.1, trainSize: 8000, testSize: 2000,
    });
    expect(history.trainLossList).toHaveLength(10000);
    console.log(`offline quick start: final test accuracy ${history.finalTestAcc} on the 2000 held-out digits`);
    expect(history.finalTestAcc).toBeGreaterThanOrEqual(0.94);
    expect(r.stdout).toContain(`final train acc, test acc | `);
  });

  it("the model file records the dataset, subset and preprocessing", () => {
    const meta = decodeSafetensors(readFileSync(join(work, "model.safetensors"))).metadata;
    expect(JSON.parse(meta.data)).toEqual({ dataset: "mnist", subset: "bundled-t10k-8000-2000", normalize: true, flatten: true });
  });

  it("`eval --model` alone prints the run's final test accuracy, on the same 2000 digits", () => {
    const r = run("eval", "--model", join(work, "model.safetensors"));
    expect(r.status, r.stderr).toBe(0);
    const shown = /final train acc, test acc \| [\d.]+, ([\d.]+)/.exec(stdout)?.[1];
    expect(r.stdout).toContain(`test acc | ${shown} (${Math.round(history.finalTestAcc * 2000)} / 2000 images)`);
    expect(r.stdout).toContain("mnist [bundled-t10k-8000-2000]");
  });

  it("`eval` of a model trained on the full MNIST needs no training images: the bundled files are its test set", () => {
    // the same weights as if trained on the full set: no subset recorded
    const bytes = readFileSync(join(work, "model.safetensors"));
    const full = join(home, "full-mnist.safetensors");
    writeFileSync(full, serializeModel(deserializeModel(bytes), { data: JSON.stringify({ dataset: "mnist", subset: null, normalize: true, flatten: true }) }));
    const r = run("eval", "--model", full);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("mnist test split from bundled MNIST test digits");
    expect(r.stdout).toMatch(/^test acc \| 0\.\d{4} \(\d+ \/ 10000 images\)$/m);
    // the training split does need the training images, and says where it looked
    const train = run("eval", "--model", full, "--split", "train");
    expect(train.status).toBe(1);
    expect(train.stderr).toContain("no copy of mnist found");
  });
});
