// What each example of the book's scripts must print and draw in quick mode (bundled digits),
// used by test/e2e/book-examples.test.ts. Numbers the book's text states are checked exactly or to
// the digits it prints; numbers from training are checked for what the book's figure shows
// (who wins, who overfits), since the quick runs are short. Figures are parsed (helpers/svg.ts)
// and their series, markers, legends, panels and images counted.
//
// The examples that use the book's trained files (ch07 params.pkl, ch08 deep_convnet_params.pkl)
// use them in quick mode only when $SCRATCHNET_BOOK_DIR is set (the suite points it at the copies in
// test/fixtures/book unless set); then their accuracies must be numpy's (test/fixtures/book/pretrained-accuracy.json).
// Without it they use a stand-in net and must say so.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { readParamsFile } from "../../src/index.node.js";
import { byClass, findAll, pathPoints, subpaths, texts, type SvgElement } from "../helpers/svg.js";

export interface Run {
  stdout: string;
  /** Parsed figures by file name without .svg. */
  figures: Record<string, SvgElement>;
  /** Where the figures (and other outputs) are. */
  dir: string;
  /** What every example of this run printed, by example name (for numbers two examples share). */
  outputs: Record<string, string>;
}

/** Set: the examples ran with the book's files (the gallery passes the environment on). */
const BOOK_DIR = process.env.SCRATCHNET_BOOK_DIR;
const REF = JSON.parse(readFileSync(join(import.meta.dirname, "..", "fixtures", "book", "pretrained-accuracy.json"), "utf8")) as Record<string, { stored: { accuracy: number }; float16: { accuracy: number } }>;

/** The text after `prefix` on the line that starts with it. */
function after(out: string, prefix: string): string {
  const line = out.split("\n").find((l) => l.startsWith(prefix));
  expect(line, `a line starting with "${prefix}"`).toBeDefined();
  return (line as string).slice(prefix.length).trim();
}
const nums = (s: string): number[] => s.replace(/[[\]()]/g, " ").split(/[\s,]+/).filter(Boolean).map(Number);
const fig = (r: Run, name: string): SvgElement => { expect(r.figures[name], `figure ${name}.svg`).toBeDefined(); return r.figures[name]; };
const series = (svg: SvgElement): SvgElement[] => byClass(svg, "series");
const labels = (svg: SvgElement): string[] => series(svg).map((e) => e.attrs["data-label"]);
const legend = (svg: SvgElement): string[] => byClass(svg, "legend").flatMap(texts);
const ticks = (svg: SvgElement, axis: "x" | "y"): string[] => byClass(svg, `${axis}-tick-labels`).flatMap(texts);
/** The panels of a grid (its direct children), not those nested in them. */
const panels = (svg: SvgElement): SvgElement[] => svg.children.filter((e) => (e.attrs.class ?? "").split(/\s+/).includes("panel"));
const images = (svg: SvgElement): SvgElement[] => findAll(svg, (e) => e.name === "image");
const markers = (svg: SvgElement): SvgElement[] => findAll(svg, (e) => "data-marker" in e.attrs);
/** How many markers a markers path draws ('x' and '+' take two strokes each). */
const markerCount = (m: SvgElement): number => subpaths(m) / (["x", "+"].includes(m.attrs["data-marker"]) ? 2 : 1);
/** Lines "key:value" in order, as the book's gradient checks print them. */
const keyValues = (out: string, re: RegExp): [string, number][] => [...out.matchAll(re)].map((m) => [m[1], Number(m[2])]);

/** Width and height from the IHDR of an <image>'s PNG data URI. */
function pngSize(img: SvgElement): [number, number] {
  const bytes = Buffer.from(img.attrs.href.replace(/^data:image\/png;base64,/, ""), "base64");
  expect([...bytes.subarray(1, 4)].map((b) => String.fromCharCode(b)).join("")).toBe("PNG");
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

/** The book's optimizers (common/optimizer.py) in plain float64, for optimizer_compare_naive's printed positions. */
function bookOptimizerPath(name: string): [number, number] {
  const p = [-7.0, 2.0], v = [0, 0], h = [0, 0], m = [0, 0];
  for (let it = 1; it <= 30; it++) {
    const g = [p[0] / 10.0, 2.0 * p[1]];
    for (let k = 0; k < 2; k++) {
      if (name === "SGD") p[k] -= 0.95 * g[k];
      else if (name === "Momentum") { v[k] = 0.9 * v[k] - 0.1 * g[k]; p[k] += v[k]; }
      else if (name === "AdaGrad") { h[k] += g[k] * g[k]; p[k] -= (1.5 * g[k]) / (Math.sqrt(h[k]) + 1e-7); }
      else {
        const lrT = (0.3 * Math.sqrt(1 - 0.999 ** it)) / (1 - 0.9 ** it);
        m[k] += (1 - 0.9) * (g[k] - m[k]); h[k] += (1 - 0.999) * (g[k] ** 2 - h[k]);
        p[k] -= (lrT * m[k]) / (Math.sqrt(h[k]) + 1e-7);
      }
    }
  }
  return [p[0], p[1]];
}

/** The DeepConvNet examples' shared checks: the book's file with $SCRATCHNET_BOOK_DIR, else a stand-in that says so. */
function deepConvSource(r: Run): { count: number } {
  if (BOOK_DIR) {
    expect(after(r.stdout, "weights:")).toBe(join(BOOK_DIR, "deep_convnet_params.pkl"));
    expect(r.stdout).toContain("(the book's deep_convnet_params.pkl; evaluated on the 10 000 MNIST test digits)");
    return { count: 10000 };
  }
  // the gallery's --fallback: the net ch08-train-deepnet.mjs --quick has just saved
  expect(after(r.stdout, "weights:")).toBe(join(r.dir, "deep_convnet_params.pkl"));
  expect(r.stdout).toContain("a stand-in: the book's deep_convnet_params.pkl is not here");
  expect(r.stdout).toContain("evaluated on the 2000 bundled test digits the quick runs do not train on");
  return { count: 2000 };
}

/** The stand-in's accuracy where ch08-train-deepnet.mjs printed it (float32 there, float64 here: a digit or two may differ). */
function trainedDeepAccuracy(r: Run): number {
  return Number(after(r.outputs["ch08-train-deepnet"], "test acc:"));
}

export const CHECKS = {
  "ch03-mnist-show": (r: Run) => {
    expect(after(r.stdout, "label:")).toBe("7"); // x_train[0] of the bundled split (the full MNIST's is a 5)
    expect(nums(after(r.stdout, "img.shape:"))).toEqual([784]);
    const img = images(fig(r, "ch03-mnist-show"));
    expect(img).toHaveLength(1);
    expect(pngSize(img[0])).toEqual([28, 28]);
  },
  "ch03-neuralnet-mnist": (r: Run) => {
    expect(r.stdout.trim()).toBe("Accuracy:0.9352"); // the book's number, one image at a time
  },
  "ch03-neuralnet-mnist-batch": (r: Run) => {
    expect(after(r.stdout, "Accuracy:")).toBe("0.9352"); // the book's number, all 10 000 test digits
  },
  "ch03-relu": (r: Run) => {
    expect(nums(after(r.stdout, "relu([-1.0, 1.0, 2.0]):"))).toEqual([0, 1, 2]);
    const svg = fig(r, "ch03-relu");
    expect(pathPoints(series(svg)[0])).toHaveLength(100); // np.arange(-5.0, 5.0, 0.1)
    expect(ticks(svg, "y")).toEqual(["-1", "0", "1", "2", "3", "4", "5"]); // plt.ylim(-1.0, 5.5)
    expect(legend(svg)).toEqual([]);
  },
  "ch03-sig-step-compare": (r: Run) => {
    const svg = fig(r, "ch03-sig-step-compare");
    const [sig, step] = series(svg);
    expect(labels(svg)).toEqual(["sigmoid", "step function"]);
    expect(step.attrs.stroke).toBe("#000000"); // 'k--'
    expect(step.attrs["stroke-dasharray"]).toBeDefined();
    expect(sig.attrs["stroke-dasharray"]).toBeUndefined();
    expect(ticks(svg, "y")).toEqual(["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
  },
  "ch03-sigmoid": (r: Run) => {
    expect(after(r.stdout, "sigmoid([-1.0, 1.0, 2.0]):")).toBe("0.26894142, 0.73105858, 0.88079708"); // the book's text
    const ys = pathPoints(series(fig(r, "ch03-sigmoid"))[0]).map((p) => p[1]);
    expect(ys).toHaveLength(100);
    expect(ys[0]).toBeGreaterThan(ys[99]); // rising (pixel y grows downwards)
  },
  "ch03-step-function": (r: Run) => {
    expect(nums(after(r.stdout, "stepFunction([-1.0, 1.0, 2.0]):"))).toEqual([0, 1, 1]);
    const ys = new Set(pathPoints(series(fig(r, "ch03-step-function"))[0]).map((p) => p[1]));
    expect(ys.size).toBe(2); // only 0 and 1
  },
  "ch04-gradient-1d": (r: Run) => {
    expect(r.stdout.split("\n")[0]).toBe("0.1999999999990898"); // the book's text, every digit
    expect(after(r.stdout, "numericalDiff(function1, 10):")).toBe("0.2999999999986347");
    const svg = fig(r, "ch04-gradient-1d");
    expect(series(svg).map((s) => pathPoints(s).length)).toEqual([200, 200]);
    expect(texts(svg)).toEqual(expect.arrayContaining(["x", "f(x)"]));
  },
  "ch04-gradient-2d": (r: Run) => {
    expect(nums(after(r.stdout, "numericalGradient at (3, 4):"))).toEqual([6, 8]);
    expect(nums(after(r.stdout, "numericalGradient at (0, 2):"))).toEqual([0, 4]);
    expect(nums(after(r.stdout, "numericalGradient at (3, 0):"))).toEqual([6, 0]);
    const svg = fig(r, "ch04-gradient-2d");
    const [quiver] = byClass(svg, "quiver");
    expect(subpaths(quiver)).toBe(18 * 18); // one arrow per grid point
    expect(quiver.attrs.fill).toBe("#666666");
    expect(byClass(svg, "grid")).toHaveLength(1);
    expect(ticks(svg, "x")[0]).toBe("-2.0");
    expect(ticks(svg, "x").at(-1)).toBe("2.0");
  },
  "ch04-gradient-method": (r: Run) => {
    // the book's text prints these three, to these digits
    expect(after(r.stdout, "gradientDescent from (-3, 4), lr 0.1, 100 steps:")).toBe("[-6.11110793e-10, 8.14814391e-10]");
    expect(after(r.stdout, "lr 10:")).toBe("[-2.58983747e+13, -1.29524862e+12]");
    expect(after(r.stdout, "lr 1e-10:")).toBe("[-2.99999994, 3.99999992]");
    const svg = fig(r, "ch04-gradient-method");
    const dots = markers(svg);
    expect(dots).toHaveLength(1);
    expect(subpaths(dots[0])).toBe(20); // step_num = 20
    expect(series(svg).filter((s) => s.attrs["stroke-dasharray"] && s.attrs.stroke === "#0000ff")).toHaveLength(2); // '--b'
  },
  "ch04-gradient-simplenet": (r: Run) => {
    expect(Number(after(r.stdout, "loss:"))).toBeCloseTo(0.9280682857864075, 12);
    const rows = r.stdout.split("dW:")[1].trim().split("\n").map(nums);
    const expected = [[0.21924757, 0.14356243, -0.36281], [0.32887136, 0.21534364, -0.544215]];
    rows.forEach((row, i) => row.forEach((d, j) => expect(Math.abs(d - expected[i][j])).toBeLessThan(1e-6)));
  },
  "ch04-train-neuralnet": (r: Run) => {
    const epochs = [...r.stdout.matchAll(/^train acc, test acc \| ([\d.]+), ([\d.]+)$/gm)];
    expect(epochs).toHaveLength(25); // 2000 iterations, 80 per epoch of 8000 images
    expect(Number(epochs.at(-1)![2])).toBeGreaterThan(0.85);
    const acc = fig(r, "ch04-train-neuralnet");
    expect(labels(acc)).toEqual(["train acc", "test acc"]);
    expect(series(acc)[1].attrs["stroke-dasharray"]).toBeDefined();
    expect(byClass(acc, "legend")[0].attrs["data-position"]).toBe("lower right");
    expect(pathPoints(series(fig(r, "ch04-train-neuralnet-loss"))[0]).length).toBeGreaterThan(1000);
  },
  "ch05-buy-apple": (r: Run) => {
    expect([after(r.stdout, "price:"), after(r.stdout, "dApple:"), after(r.stdout, "dApple_num:"), after(r.stdout, "dTax:")]).toEqual(["220", "2.2", "110", "200"]);
  },
  "ch05-buy-apple-orange": (r: Run) => {
    expect(Number(after(r.stdout, "price:"))).toBe(715);
    expect(Number(after(r.stdout, "dApple:"))).toBeCloseTo(2.2, 12);
    expect(Number(after(r.stdout, "dApple_num:"))).toBeCloseTo(110, 10);
    expect(after(r.stdout, "dOrange:")).toBe("3.3000000000000003"); // the book's last digit too
    expect(Number(after(r.stdout, "dOrange_num:"))).toBeCloseTo(165, 10);
    expect(Number(after(r.stdout, "dTax:"))).toBe(650);
  },
  "ch05-gradient-check": (r: Run) => {
    const diffs = Object.fromEntries(keyValues(r.stdout, /^(W1|b1|W2|b2):(\S+)$/gm));
    expect(Object.keys(diffs)).toEqual(["W1", "b1", "W2", "b2"]);
    for (const d of Object.values(diffs)) { expect(d).toBeGreaterThan(0); expect(d).toBeLessThanOrEqual(1e-6); }
    // b2 is the largest: the 1e-7 inside the log (numpy with the book's code: 1.4e-7)
    expect(diffs.b2).toBeGreaterThan(1e-8);
    expect(diffs.W1).toBeLessThan(1e-8);
  },
  "ch05-train-neuralnet": (r: Run) => {
    const epochs = [...r.stdout.matchAll(/^([\d.]+) ([\d.]+)$/gm)];
    expect(epochs).toHaveLength(25);
    expect(Number(epochs.at(-1)![2])).toBeGreaterThan(0.9); // backprop + ReLU learns faster than chapter 4's net
  },
  "ch06-batch-norm-gradient-check": (r: Run) => {
    const diffs = keyValues(r.stdout, /^(\w+):(\S+)$/gm).filter(([k]) => /^(W|b|gamma|beta)\d$/.test(k));
    expect(diffs.map(([k]) => k)).toEqual(["W1", "b1", "W2", "b2", "W3", "b3", "gamma1", "beta1", "gamma2", "beta2"]);
    // one image: every BatchNorm output is exactly 0, so beta2 sits on ReLU's kink (see the example)
    for (const [k, d] of diffs) if (k !== "beta2") expect(d, k).toBeLessThanOrEqual(1e-6);
    expect(diffs.find(([k]) => k === "beta2")![1]).toBeGreaterThan(1e-3);
  },
  "ch06-batch-norm-test": (r: Run) => {
    expect(r.stdout.match(/^\d\.\d\de[+-]\d+\s/gm)).toHaveLength(16);
    const svg = fig(r, "ch06-batch-norm-test");
    const ps = panels(svg);
    expect(ps).toHaveLength(16);
    expect(ps.map((p) => byClass(p, "legend").length)).toEqual([...Array(15).fill(0), 1]); // only the last one
    expect(legend(ps[15])).toEqual(["Batch Normalization", "Normal(without BatchNorm)"]);
    expect(ps.map((p) => ticks(p, "y").length > 0)).toEqual(ps.map((_, i) => i % 4 === 0));
    expect(ps.map((p) => ticks(p, "x").length > 0)).toEqual(ps.map((_, i) => i >= 12));
  },
  "ch06-hyperparameter-optimization": (r: Run) => {
    expect(r.stdout.match(/^val acc:[\d.]+ \| lr:\S+, weight decay:\S+$/gm)).toHaveLength(20);
    const best = [...r.stdout.matchAll(/^Best-(\d+)\(val acc:([\d.]+)\) \| lr:(\S+), weight decay:(\S+)$/gm)];
    expect(best.map((m) => Number(m[1]))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const accs = best.map((m) => Number(m[2]));
    expect(accs).toEqual([...accs].sort((a, b) => b - a));
    for (const m of best) {
      expect(Number(m[3])).toBeGreaterThanOrEqual(1e-6); expect(Number(m[3])).toBeLessThan(1e-2); // 10^U(−6, −2)
      expect(Number(m[4])).toBeGreaterThanOrEqual(1e-8); expect(Number(m[4])).toBeLessThan(1e-4);
    }
    const ps = panels(fig(r, "ch06-hyperparameter-optimization"));
    expect(ps.map((p) => byClass(p, "title")[0].text)).toEqual(best.map((m) => `Best-${m[1]}`));
    for (const p of ps) expect(series(p).map((s) => Boolean(s.attrs["stroke-dasharray"]))).toEqual([false, true]);
  },
  "ch06-optimizer-compare-mnist": (r: Run) => {
    const loss = Object.fromEntries([...r.stdout.matchAll(/^(\w+)\s+mean loss of the last 100 iterations: ([\d.]+)/gm)].map((m) => [m[1], Number(m[2])]));
    expect(Object.keys(loss)).toEqual(["SGD", "Momentum", "AdaGrad", "Adam"]);
    expect(loss.SGD).toBeGreaterThan(Math.max(loss.Momentum, loss.AdaGrad, loss.Adam)); // the book's figure: SGD is the slowest
    expect(r.stdout.match(/^===========iteration:\d+===========$/gm)).toHaveLength(3); // every 100 of 300
    const svg = fig(r, "ch06-optimizer-compare-mnist");
    expect(labels(svg)).toEqual(["SGD", "Momentum", "AdaGrad", "Adam"]);
    expect(markers(svg).map((m) => m.attrs["data-marker"])).toEqual(["o", "x", "s", "D"]);
    expect(markers(svg).map(markerCount)).toEqual([3, 3, 3, 3]); // markevery=100
    expect(legend(svg)).toEqual(["SGD", "Momentum", "AdaGrad", "Adam"]);
    expect(ticks(svg, "y")).toEqual(["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
  },
  "ch06-optimizer-compare-naive": (r: Run) => {
    for (const name of ["SGD", "Momentum", "AdaGrad", "Adam"]) {
      const [x, y] = nums(after(r.stdout, name).replace(/after 30 steps:|, f = .*/g, ""));
      const [ex, ey] = bookOptimizerPath(name);
      expect(Math.abs(x - ex), `${name} x`).toBeLessThan(1e-6);
      expect(Math.abs(y - ey), `${name} y`).toBeLessThan(1e-6);
    }
    const ps = panels(fig(r, "ch06-optimizer-compare-naive"));
    expect(ps.map((p) => byClass(p, "title")[0].text)).toEqual(["SGD", "Momentum", "AdaGrad", "Adam"]);
    for (const p of ps) {
      expect(byClass(p, "contour").map((c) => c.attrs["data-level"])).toEqual(["1", "2", "3", "4", "5", "6"]);
      for (const c of byClass(p, "contour")) expect(subpaths(c)).toBeGreaterThanOrEqual(1);
      const path = series(p).find((s) => s.attrs.stroke === "red")!;
      expect(pathPoints(path)).toHaveLength(30);
      expect(markers(p).map((m) => m.attrs["data-marker"])).toEqual(["o", "+"]);
    }
  },
  "ch06-overfit-dropout": (r: Run) => {
    expect(r.stdout.match(/^=== epoch:\d+, train acc:[\d.]+, test acc:[\d.]+ ===$/gm)).toHaveLength(2 * 101);
    const finals = [...r.stdout.matchAll(/^test acc:([\d.]+) {2}\(train acc ([\d.]+), gap ([\d.-]+)\)$/gm)].map((m) => Number(m[3]));
    expect(finals).toHaveLength(2);
    expect(finals[1]).toBeLessThan(finals[0]); // Dropout narrows the gap
    const ps = panels(fig(r, "ch06-overfit-dropout"));
    expect(ps).toHaveLength(2);
    for (const p of ps) expect(markers(p).map((m) => m.attrs["data-marker"])).toEqual(["o", "s"]);
  },
  "ch06-overfit-weight-decay": (r: Run) => {
    expect(r.stdout.match(/^epoch:\d+, train acc:[\d.]+, test acc:[\d.]+$/gm)).toHaveLength(2 * 101);
    const rows = [...r.stdout.matchAll(/^lambda ([\d.]+): last epoch train acc ([\d.]+), test acc ([\d.]+), gap ([\d.-]+)$/gm)];
    expect(rows.map((m) => m[1])).toEqual(["0", "0.1"]);
    expect(Number(rows[0][2])).toBeGreaterThan(0.95); // without weight decay the 300 images are learnt by heart
    expect(Number(rows[1][4])).toBeLessThan(Number(rows[0][4])); // weight decay narrows the gap
    const ps = panels(fig(r, "ch06-overfit-weight-decay"));
    expect(ps.map((p) => legend(p))).toEqual([["train", "test"], ["train", "test"]]);
    for (const p of ps) expect(markers(p).map(markerCount)).toEqual([11, 11]); // markevery=10 over 101 epochs
  },
  "ch06-weight-init-activation-histogram": (r: Run) => {
    const std = (prefix: string): number[] => nums(after(r.stdout, prefix).replace(/.*layer 1…5:/, ""));
    expect(std("ReLU    std=0.01").at(-1)).toBeLessThan(0.01); // activations vanish
    expect(std("ReLU    He").at(-1)).toBeGreaterThan(0.5); // He keeps them spread
    expect(Math.max(...std("sigmoid std=0.01"))).toBeLessThan(0.05); // everything near 0.5
    const rows = panels(fig(r, "ch06-weight-init-activation-histogram")).filter((p) => panels(p).length > 0);
    expect(rows).toHaveLength(6);
    for (const row of rows) {
      const ps = panels(row);
      expect(ps.map((p) => byClass(p, "title")[0].text)).toEqual(["1-layer", "2-layer", "3-layer", "4-layer", "5-layer"]);
      for (const p of ps) expect(findAll(byClass(p, "bars")[0], (e) => e.name === "rect")).toHaveLength(30);
      expect(ps.map((p) => ticks(p, "y").length > 0)).toEqual([true, false, false, false, false]);
    }
  },
  "ch06-weight-init-compare": (r: Run) => {
    const last = (label: string): number => Number(new RegExp(`^${label}\\s+loss: first [\\d.]+, mean of the last 100 ([\\d.]+)`, "m").exec(r.stdout)?.[1]);
    expect(last("std=0.01")).toBeGreaterThan(2.2); // learns nothing
    expect(last("He")).toBeLessThan(last("std=0.01") - 0.5);
    expect(last("He")).toBeLessThan(last("Xavier"));
    const svg = fig(r, "ch06-weight-init-compare");
    expect(markers(svg).map((m) => m.attrs["data-marker"])).toEqual(["o", "s", "D"]);
    expect(ticks(svg, "y")).toEqual(["0.0", "0.5", "1.0", "1.5", "2.0", "2.5"]);
  },
  "ch07-apply-filter": (r: Run) => {
    const filters = after(r.stdout, "filters:");
    if (BOOK_DIR) expect(filters).toBe(`the book's params.pkl (${join(BOOK_DIR, "params.pkl")})`);
    else expect(filters).toBe(`${join(r.dir, "params.pkl")}, a stand-in: the book's params.pkl is not here (a quick run looks for it only at --weights and $SCRATCHNET_BOOK_DIR)`);
    expect(after(r.stdout, "Convolution.forward:")).toBe("[1,1,56,56] → [1,1,52,52]");
    const imgs = images(fig(r, "ch07-apply-filter"));
    expect(imgs).toHaveLength(1 + 16 + 16);
    expect(imgs.map(pngSize)).toEqual([[56, 56], ...Array(16).fill([5, 5]), ...Array(16).fill([52, 52])]);
  },
  "ch07-gradient-check": (r: Run) => {
    const diffs = keyValues(r.stdout, /^(W\d|b\d) (\S+)$/gm);
    expect(diffs.map(([k]) => k)).toEqual(["W1", "b1", "W2", "b2", "W3", "b3"]);
    for (const [k, d] of diffs) if (k !== "b2") expect(d, k).toBeLessThanOrEqual(1e-6); // b2: a kink (see the example)
  },
  "ch07-train-convnet": (r: Run) => {
    expect(r.stdout.match(/^=== epoch:\d, train acc:[\d.]+, test acc:[\d.]+ ===$/gm)).toHaveLength(3);
    expect(Number(after(r.stdout, "test acc:"))).toBeGreaterThan(0.9);
    expect(r.stdout).toMatch(/^Saved Network Parameters!/m);
    const pkl = readFileSync(join(r.dir, "params.pkl"));
    expect(pkl[0]).toBe(0x80); // a pickle; test/pickle-*.test.ts check the format
    const svg = fig(r, "ch07-train-convnet");
    expect(legend(svg)).toEqual(["train", "test"]);
    expect(markers(svg).map((m) => m.attrs["data-marker"])).toEqual(["o", "s"]);
  },
  "ch07-visualize-filter": (r: Run) => {
    const source = after(r.stdout, "after training:");
    const accuracy = Number(after(r.stdout, "test accuracy:"));
    const [, afterPanel] = panels(fig(r, "ch07-visualize-filter"));
    if (BOOK_DIR) {
      expect(source).toBe(`the book's params.pkl (${join(BOOK_DIR, "params.pkl")})`);
      expect(r.stdout).toContain("its accuracy on the 10 000 MNIST test digits:");
      expect(accuracy).toBe(REF["params.pkl"].stored.accuracy); // numpy's 0.96
      expect(byClass(afterPanel, "title").map((t) => t.text)).toEqual(["after training", "the book's params.pkl"]);
    } else {
      // the net ch07-train-convnet.mjs has just trained, on the 2000 digits it did not train on
      expect(source).toContain(`${join(r.dir, "params.pkl")}, a stand-in: the book's params.pkl is not here`);
      expect(r.stdout).toContain("its accuracy on the 2000 bundled test digits the quick runs do not train on:");
      expect(Math.abs(accuracy - Number(after(r.outputs["ch07-train-convnet"], "test acc:")))).toBeLessThanOrEqual(2 / 2000);
      expect(byClass(afterPanel, "title").map((t) => t.text)).toEqual(["after training", "a stand-in, not the book's params.pkl"]);
    }
    const imgs = images(fig(r, "ch07-visualize-filter"));
    expect(imgs).toHaveLength(60); // 30 filters before, 30 after
    expect(imgs.map(pngSize)).toEqual(Array(60).fill([5, 5]));
    const changed = imgs.slice(0, 30).filter((img, i) => img.attrs.href !== imgs[30 + i].attrs.href);
    expect(changed.length).toBeGreaterThan(25); // training changed the filters
  },
  "ch08-half-float-network": (r: Run) => {
    const { count } = deepConvSource(r);
    const acc64 = Number(after(r.stdout, "float64 accuracy:")), acc16 = Number(after(r.stdout, "float16 accuracy:"));
    const acc32 = Number(after(r.stdout, "float32 accuracy:"));
    expect(Math.abs(acc32 - acc64) * count).toBeLessThanOrEqual(2 + 1e-9); // float32 (not in the book): as float64
    if (BOOK_DIR) {
      expect(acc64).toBe(REF["deep_convnet_params.pkl"].stored.accuracy); // numpy's 0.9797
      expect(acc16).toBe(REF["deep_convnet_params.pkl"].float16.accuracy); // numpy's 0.9798
    } else {
      expect(Math.abs(acc64 - trainedDeepAccuracy(r))).toBeLessThanOrEqual(2 / count);
    }
    // the book's point: 16-bit numbers cost no accuracy (numpy: one digit more of 10 000 right)
    expect(Math.abs(acc16 - acc64) * count).toBeLessThanOrEqual(2 + 1e-9);
    const [n64, n32, n16] = [acc64, acc32, acc16].map((a) => Math.round(a * count));
    expect(after(r.stdout, `right answers of ${count}:`)).toMatch(new RegExp(`^float64 ${n64}, float32 ${n32} \\(.*\\), float16 ${n16} \\(`));
  },
  "ch08-misclassified-mnist": (r: Run) => {
    const { count } = deepConvSource(r);
    expect(r.stdout).toMatch(/^calculating test accuracy \.\.\. $/m);
    const accuracy = Number(after(r.stdout, "test accuracy:"));
    if (BOOK_DIR) expect(accuracy).toBe(REF["deep_convnet_params.pkl"].stored.accuracy);
    else expect(Math.abs(accuracy - trainedDeepAccuracy(r))).toBeLessThanOrEqual(2 / count);
    expect((1 - accuracy) * count).toBeGreaterThan(20); // enough mistakes to fill the grid
    // {1: (label, inference), …}: 20 pairs, each a mistake
    const dict = r.stdout.split("{view index: (label, inference), ...}\n")[1].split("\n")[0];
    const pairs = [...dict.matchAll(/(\d+): \((\d), (\d)\)/g)].map((m) => [Number(m[1]), Number(m[2]), Number(m[3])]);
    expect(pairs.map((p) => p[0])).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    for (const [, label, inference] of pairs) expect(inference).not.toBe(label);
    // the figure: 20 digits, 4 rows of 5, each with its label top left and the inference bottom right
    const svg = fig(r, "ch08-misclassified-mnist");
    const imgs = images(svg);
    expect(imgs.map(pngSize)).toEqual(Array(20).fill([28, 28]));
    expect(byClass(svg, "image-grid")[0].attrs["data-cols"]).toBe("5");
    expect(byClass(svg, "image-grid")[0].attrs["data-rows"]).toBe("4");
    const corner = (where: string) => byClass(svg, "corner-label").filter((e) => e.attrs["data-corner"] === where).map((e) => Number(e.text));
    expect(corner("top-left")).toEqual(pairs.map((p) => p[1]));
    expect(corner("bottom-right")).toEqual(pairs.map((p) => p[2]));
    expect(byClass(svg, "title").map((t) => t.text)).toEqual([
      "label top left, inference bottom right",
      BOOK_DIR ? "the book's deep_convnet_params.pkl" : "a stand-in net, not the book's deep_convnet_params.pkl",
    ]);
  },
  "ch08-train-deepnet": async (r: Run) => {
    expect(r.stdout).toContain("quick: 3 epochs over the first 4000 training digits");
    const epochs = [...r.stdout.matchAll(/^=== epoch:(\d), train acc:([\d.]+), test acc:([\d.]+) ===$/gm)];
    expect(epochs.map((m) => Number(m[1]))).toEqual([1, 2, 3]);
    expect(Number(epochs[2][3])).toBeGreaterThan(Number(epochs[0][3])); // it learns
    expect(Number(after(r.stdout, "test acc:"))).toBeGreaterThan(0.85); // 120 iterations: ~0.93
    expect(r.stdout).toMatch(/^\(120 iterations in [\d.]+ s; the test set: 2000 digits\)$/m);
    expect(r.stdout).toMatch(/^Saved Network Parameters!/m);
    // save_params: the book's pickle of W1 … b8, as the book's DeepConvNet shapes them
    const params = await readParamsFile(readFileSync(join(r.dir, "deep_convnet_params.pkl")), { name: "deep_convnet_params.pkl" });
    expect(Object.keys(params)).toEqual(["W1", "b1", "W2", "b2", "W3", "b3", "W4", "b4", "W5", "b5", "W6", "b6", "W7", "b7", "W8", "b8"]);
    expect([params.W1.shape, params.W4.shape, params.W7.shape, params.W8.shape]).toEqual([[16, 1, 3, 3], [32, 32, 3, 3], [1024, 50], [50, 10]]);
    const svg = fig(r, "ch08-train-deepnet");
    expect(legend(svg)).toEqual(["train", "test"]);
    expect(markers(svg).map((m) => m.attrs["data-marker"])).toEqual(["o", "s"]);
    expect(series(svg).map((s) => pathPoints(s).length)).toEqual([3, 3]);
  },
} satisfies Record<string, (r: Run) => void | Promise<void>>;
