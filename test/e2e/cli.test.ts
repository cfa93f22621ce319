// The command line as a user meets it: help, usage errors (exit 2), a short real training run,
// eval and gradcheck on the real Fashion-MNIST files.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { FASHION_DIR } from "../helpers/mnist.js";
import { have } from "../helpers/prerequisites.js";
import { tempDirs } from "../helpers/temp-dirs.js";

const CLI = new URL("../../dist/cli/main.js", import.meta.url).pathname;
const tempDir = tempDirs("scratchnet-cli-");
const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", env: { ...process.env, CI: "1" } });
const haveFashion = have("fashion");

describe("scratchnet CLI", () => {
  it("is one bundled file: it imports only Node's own modules, so it starts without resolving ~180 of ours", () => {
    // (package.json build:cli; `node dist/cli/main.js --version` took ~0.17 s unbundled, ~0.10 s bundled)
    const source = readFileSync(CLI, "utf8");
    const imports = [...source.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+["']([^"']+)["']/gm)].map((m) => m[1]);
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((specifier) => !specifier.startsWith("node:"))).toEqual([]);
    expect(source).not.toMatch(/\bimport\(\s*["']\.{1,2}\//); // no dynamic import of our files either
    expect(cli("--version").stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it("prints help for the tool and each command", () => {
    const top = cli("--help");
    expect(top.status).toBe(0);
    expect(top.stdout).toMatch(/Commands:[\s\S]*train[\s\S]*eval[\s\S]*gradcheck/);
    for (const cmd of ["train", "eval", "gradcheck"]) {
      const r = cli(cmd, "--help");
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`Usage: scratchnet ${cmd}`);
    }
  });

  it.each([
    [["frobnicate"], /unknown command 'frobnicate'/],
    [["train", "--bogus"], /^scratchnet train: unknown option '--bogus'\n/],
    [["train", "--iter", "5"], /^scratchnet train: unknown option '--iter' \(did you mean --iters\?\)\n/],
    [["train", "--iters", "ten"], /--iters must be an integer ≥ 1, got 'ten'/],
    [["train", "--iters", "0"], /--iters must be an integer ≥ 1, got '0'/],
    [["train", "--batch", "0"], /--batch must be an integer ≥ 1, got '0'/],
    [["train", "--batch", "-5"], /--batch must be an integer ≥ 1, got '-5'/],
    [["train", "--lr=-1"], /--lr must be a positive number, got '-1'/],
    [["train", "--lr", "-1"], /--lr must be a positive number, got '-1'/],
    [["train", "--lr", "-0.5"], /--lr must be a positive number, got '-0.5'/],
    [["train", "--lr", "0"], /--lr must be a positive number, got '0'/],
    [["train", "--lr", "Infinity"], /--lr must be a positive number, got 'Infinity'/],
    [["train", "--lr", "NaN"], /--lr must be a positive number, got 'NaN'/],
    [["train", "--lr", "1e999"], /--lr must be a positive number, got '1e999'/],
    [["train", "--seed", "-1"], /--seed must be an integer ≥ 0, got '-1'/],
    [["train", "--out"], /^scratchnet train: --out needs a value\n/],
    [["train", "--out", "-x"], /^scratchnet train: --out needs a value \(for one that starts with '-', write --out=VALUE\)\n/],
    [["train", "--batchnorm=yes"], /^scratchnet train: --batchnorm takes no value\n/],
    [["train", "--dataset", "cifar"], /--dataset must be one of mnist, fashion-mnist, got 'cifar'/],
    [["train", "--dtype", "int8"], /--dtype must be one of float32, float64/],
    [["eval"], /--model <file> is required/],
    [["train", "extra"], /unexpected argument 'extra'/],
    [["train", "--optimizer", "lbfgs"], /--optimizer must be one of sgd, momentum, nesterov, adagrad, rmsprop, adam, got 'lbfgs'/],
    [["train", "--net", "resnet"], /--net must be one of two-layer, multi-layer, multi-layer-extend, simple-conv/],
    [["train", "--batchnorm"], /apply to --net multi-layer \/ multi-layer-extend/],
    [["train", "--net", "multi-layer", "--dropout", "0.5"], /--dropout and --batchnorm need --net multi-layer-extend/],
    [["train", "--hidden", "10,10"], /--hidden takes one size for this net, got '10,10'/],
    [["train", "--net", "multi-layer", "--hidden", "100,x"], /--hidden must be positive integers \(comma-separated\), got '100,x'/],
    [["train", "--threads", "0"], /--threads must be an integer ≥ 1, got '0'/],
    [["train", "--net", "deep-conv", "--weight-init-std", "0.1"], /deep-conv uses the book's He initialisation; --weight-init-std does not apply/],
    [["train", "--net", "deep-conv", "--activation", "sigmoid"], /deep-conv uses ReLU; --activation does not apply/],
  ])("%j is a usage error with exit code 2", (args, message) => {
    const r = cli(...(args as string[]));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.stderr).toContain("Usage: scratchnet");
    // node's own parseArgs wording (positionals after '--', unbalanced quotes) never leaks out
    expect(r.stderr).not.toMatch(/positional argument|ambiguous|To specify/);
  });

  it("a missing model file is a clear runtime error (exit 1), not a usage error", () => {
    const r = cli("eval", "--model", "/nonexistent/model.safetensors", "--dataset", "fashion-mnist", "--data-dir", FASHION_DIR);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/\/nonexistent\/model\.safetensors/);
  });

  it.runIf(haveFashion)("trains briefly with plain progress lines, writes the run, evaluates it", () => {
    const out = tempDir();
    const r = cli("train", "--dataset", "fashion-mnist", "--data-dir", FASHION_DIR, "--iters", "1200", "--hidden", "20", "--seed", "3", "--out", out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.match(/^train acc, test acc \| 0\.\d{4}, 0\.\d{4}$/gm)).toHaveLength(2); // i = 0 and 600
    expect(r.stderr).not.toContain("\r"); // not a TTY: no progress bar redraws
    const history = JSON.parse(readFileSync(join(out, "history.json"), "utf8"));
    expect(history.settings).toMatchObject({ itersNum: 1200, seed: 3, dataset: "fashion-mnist" });
    expect(history.trainLossList).toHaveLength(1200);
    expect(readFileSync(join(out, "accuracy.svg"), "utf8")).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    const e = cli("eval", "--model", join(out, "model.safetensors"), "--dataset", "fashion-mnist", "--data-dir", FASHION_DIR, "--split", "both");
    expect(e.status, e.stderr).toBe(0);
    const correct = Number(/test acc \| [\d.]+ \((\d+) \/ 10000 images\)/.exec(e.stdout)?.[1]);
    expect(correct).toBe(Math.round(history.finalTestAcc * 10000));
  });

  it.runIf(haveFashion)("--net multi-layer-extend with Adam: the book's default lr, BatchNorm and dropout, saved and re-evaluated", () => {
    const out = tempDir("mle-");
    const r = cli("train", "--dataset", "fashion-mnist", "--data-dir", FASHION_DIR, "--net", "multi-layer-extend", "--hidden", "40,30",
      "--batchnorm", "--dropout", "0.2", "--optimizer", "adam", "--iters", "300", "--out", out);
    expect(r.status, r.stderr).toBe(0);
    const history = JSON.parse(readFileSync(join(out, "history.json"), "utf8"));
    expect(history.settings).toMatchObject({ optimizer: "Adam", learningRate: 0.001, net: { kind: "multi-layer-extend" } });
    expect(history.finalTestAcc).toBeGreaterThan(0.6);
    const e = cli("eval", "--model", join(out, "model.safetensors"), "--dataset", "fashion-mnist", "--data-dir", FASHION_DIR);
    expect(e.status, e.stderr).toBe(0);
    expect(Number(/\((\d+) \/ 10000 images\)/.exec(e.stdout)?.[1])).toBe(Math.round(history.finalTestAcc * 10000));
  });

  it("--net deep-conv trains the book's DeepConvNet (bundled Fashion-MNIST slice: 700 train / 200 test), saved and re-evaluated", () => {
    const out = tempDir("deep-");
    const sample = new URL("../../data-sample/fashion-mnist/", import.meta.url).pathname;
    const r = cli("train", "--net", "deep-conv", "--dataset", "fashion-mnist", "--data-dir", sample, "--optimizer", "adam", "--iters", "60", "--batch", "50", "--out", out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("DeepConvNet (conv16-16-32-32-64-64 3×3, 3 pools)-50-10 on fashion-mnist (700 train / 200 test");
    const history = JSON.parse(readFileSync(join(out, "history.json"), "utf8"));
    expect(history.settings).toMatchObject({ optimizer: "Adam", learningRate: 0.001, net: { kind: "deep-conv", flatten: false } });
    const losses: number[] = history.trainLossList;
    expect(losses.slice(-10).reduce((a, b) => a + b) / 10).toBeLessThan(losses[0] - 0.3);
    expect(history.finalTestAcc).toBeGreaterThan(0.4); // chance is 0.1
    const e = cli("eval", "--model", join(out, "model.safetensors"), "--dataset", "fashion-mnist", "--data-dir", sample);
    expect(e.status, e.stderr).toBe(0);
    expect(Number(/\((\d+) \/ 200 images\)/.exec(e.stdout)?.[1])).toBe(Math.round(history.finalTestAcc * 200));
  }, 300_000);

  it.runIf(haveFashion)("gradcheck passes on real images and prints the book's lines", () => {
    const r = cli("gradcheck", "--dataset", "fashion-mnist", "--data-dir", FASHION_DIR, "--hidden", "10");
    expect(r.stdout).toMatch(/^W1:\d\.\d\de-\d+\nb1:.*\nW2:.*\nb2:.*\n$/);
    expect(r.status, r.stdout).toBe(0);
  });
});

describe("eval --split test reads only the test files", () => {
  it("a data dir holding just the two t10k files is enough (the bundled Fashion-MNIST sample)", () => {
    const sample = new URL("../../data-sample/fashion-mnist/", import.meta.url).pathname;
    const out = tempDir("testonly-");
    const r = cli("train", "--dataset", "fashion-mnist", "--data-dir", sample, "--iters", "50", "--hidden", "10", "--out", out);
    expect(r.status, r.stderr).toBe(0);
    const testOnly = tempDir("t10k-");
    for (const f of ["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]) symlinkSync(join(sample, f), join(testOnly, f));
    const e = cli("eval", "--model", join(out, "model.safetensors"), "--data-dir", testOnly);
    expect(e.status, e.stderr).toBe(0);
    expect(e.stdout).toContain(`fashion-mnist test split from ${testOnly}`); // the dataset came from the model file
    const history = JSON.parse(readFileSync(join(out, "history.json"), "utf8"));
    expect(e.stdout).toContain(`test acc | ${history.finalTestAcc.toFixed(4)} (${Math.round(history.finalTestAcc * 200)} / 200 images)`);
    // asking for the training split names what is missing
    const both = cli("eval", "--model", join(out, "model.safetensors"), "--data-dir", testOnly, "--split", "both");
    expect(both.status).toBe(1);
    expect(both.stderr).toContain("missing train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz");
  });
});
