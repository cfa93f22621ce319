// The book's two figures as SVG, drawn from a real training run (TwoLayerNet on real MNIST
// digits, 10,000 iterations), checked by parsing the markup; examples go to test-artifacts/.
import { beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import { SGD, Tensor, TwoLayerNet, accuracyFigure, lineChart, lossFigure, niceTicks } from "../../../src/index.node.js";
import { subView } from "../../../src/internal.js";
import { mnistRows } from "../../helpers/mnist.js";

const ARTIFACTS = new URL("../../../test-artifacts/", import.meta.url).pathname;

interface Run { trainLossList: number[]; trainAccList: number[]; testAccList: number[] }

// The book's loop on the 10,000 real MNIST test digits (8000 to train on, 2000 held out):
// 10,000 iterations of batch 10 (sequential minibatches, cheap enough for a unit test),
// train/test accuracy once per epoch of 800 iterations.
function trainForFigures(): Run {
  const trainN = 8000, testN = 2000, batch = 10, iters = 10000, iterPerEpoch = trainN / batch;
  const train = mnistRows(0, trainN), test = mnistRows(trainN, testN);
  const xTrain = Tensor.from(train.x, [trainN, 784], "float32");
  const xTest = Tensor.from(test.x, [testN, 784], "float32");
  const net = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, seed: 0 });
  const sgd = new SGD(0.1);
  const run: Run = { trainLossList: [], trainAccList: [], testAccList: [] };
  for (let i = 0; i < iters; i++) {
    const start = (i % iterPerEpoch) * batch;
    const x = subView(xTrain, start * 784, [batch, 784]); // a view, no copy
    net.gradient(x, train.labels.slice(start, start + batch));
    sgd.updateBlock(net.paramBlock, net.gradBlock);
    run.trainLossList.push(net.lastLayer.loss as number);
    if (i % iterPerEpoch === 0) {
      run.trainAccList.push(net.accuracy(xTrain, train.labels));
      run.testAccList.push(net.accuracy(xTest, test.labels));
    }
  }
  return run;
}

let run: Run;
let accuracySvg: string;
let lossSvg: string;
beforeAll(() => {
  run = trainForFigures();
  accuracySvg = accuracyFigure(run);
  lossSvg = lossFigure(run.trainLossList);
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(ARTIFACTS + "accuracy.svg", accuracySvg);
  writeFileSync(ARTIFACTS + "loss.svg", lossSvg);
});

const paths = (svg: string) => [...svg.matchAll(/<path class="series" data-label="([^"]*)" d="([^"]*)"([^>]*)\/>/g)]
  .map((m) => ({ label: m[1], d: m[2], attrs: m[3], points: [...m[2].matchAll(/[ML](-?[\d.]+) (-?[\d.]+)/g)].map((p) => [Number(p[1]), Number(p[2])]) }));

/** Tick label texts of one axis, in order. */
const tickLabels = (svg: string, axis: "x" | "y"): string[] => {
  const group = svg.match(new RegExp(`<g class="${axis}-tick-labels"[^>]*>([\\s\\S]*?)</g>`));
  return group ? [...group[1].matchAll(/>([^<]*)<\/text>/g)].map((m) => m[1]) : [];
};

/** A rect attribute from the frame (the axes box). */
const frame = (svg: string) => {
  const m = svg.match(/<rect class="frame" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/);
  if (!m) throw new Error("no frame");
  const [x, y, w, h] = m.slice(1).map(Number);
  return { left: x, top: y, right: x + w, bottom: y + h };
};

describe("the training run behind the figures", () => {
  it("learns (so the figures show a real curve)", () => {
    expect(run.trainLossList).toHaveLength(10000);
    expect(run.trainAccList).toHaveLength(13);
    expect(run.trainLossList[0]).toBeCloseTo(Math.log(10), 1); // chance level at start
    expect(run.testAccList.at(-1)).toBeGreaterThan(0.85);
  });
});

describe("accuracyFigure", () => {
  it("is a standalone SVG document", () => {
    expect(accuracySvg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="640" height="480" viewBox="0 0 640 480"/);
    expect(accuracySvg.trimEnd().endsWith("</svg>")).toBe(true);
    const opened = (accuracySvg.match(/<(g|svg|defs|clipPath)[ >]/g) ?? []).length;
    const closed = (accuracySvg.match(/<\/(g|svg|defs|clipPath)>/g) ?? []).length;
    expect(opened).toBe(closed);
  });

  it("has two series, train solid and test dashed, one point per epoch", () => {
    const series = paths(accuracySvg);
    expect(series.map((s) => s.label)).toEqual(["train acc", "test acc"]);
    expect(series[0].attrs).not.toMatch(/stroke-dasharray/);
    expect(series[1].attrs).toMatch(/stroke-dasharray="5\.55,2\.4"/);
    expect(series[0].points).toHaveLength(13);
    expect(series[1].points).toHaveLength(13);
  });

  it("y axis runs from 0 to 1, x counts epochs from 0, axis labels as the book", () => {
    expect(tickLabels(accuracySvg, "y")).toEqual(["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
    expect(tickLabels(accuracySvg, "x")).toEqual(["0", "2", "4", "6", "8", "10", "12"]);
    expect(accuracySvg).toMatch(/<text class="x-label"[^>]*>epochs<\/text>/);
    expect(accuracySvg).toMatch(/<text class="y-label"[^>]*>accuracy<\/text>/);
    // y = 0 sits on the bottom of the frame and y = 1 on its top: data maps linearly
    const f = frame(accuracySvg);
    const test = paths(accuracySvg)[1].points;
    const last = run.testAccList.at(-1) as number;
    expect(test.at(-1)?.[1]).toBeCloseTo(f.bottom - last * (f.bottom - f.top), 1);
    expect(test[0][0]).toBeGreaterThan(f.left); // matplotlib's 5 % margin on x
  });

  it("has the legend in the lower right, inside the axes", () => {
    const m = accuracySvg.match(/<g class="legend" data-position="lower right" transform="translate\(([\d.]+) ([\d.]+)\)">\s*<rect width="([\d.]+)" height="([\d.]+)"/);
    expect(m).not.toBeNull();
    const [x, y, w, h] = (m as RegExpMatchArray).slice(1).map(Number);
    const f = frame(accuracySvg);
    expect(x + w).toBeLessThan(f.right);
    expect(x).toBeGreaterThan((f.left + f.right) / 2);
    expect(y + h).toBeLessThan(f.bottom);
    expect(y).toBeGreaterThan((f.top + f.bottom) / 2);
    expect(accuracySvg).toMatch(/<g class="legend"[\s\S]*>train acc<\/text>[\s\S]*stroke-dasharray[\s\S]*>test acc<\/text>/);
  });

  it("is deterministic (same bytes for the same history)", () => {
    expect(accuracyFigure({ trainAccList: [...run.trainAccList], testAccList: [...run.testAccList] })).toBe(accuracySvg);
  });
});

describe("lossFigure", () => {
  it("draws 10,000 iterations with a bounded number of points that keeps every extreme", () => {
    const [series] = paths(lossSvg);
    const f = frame(lossSvg);
    const columns = Math.ceil(f.right - f.left);
    expect(series.points.length).toBeLessThanOrEqual(4 * columns);
    expect(series.points.length).toBeGreaterThan(columns); // still one or more points per pixel column
    // the highest and lowest losses survive decimation (spikes are what a loss curve shows)
    const ys = series.points.map((p) => p[1]);
    const hi = Math.max(...run.trainLossList), lo = Math.min(...run.trainLossList);
    const yTicks = tickLabels(lossSvg, "y").map(Number);
    expect(yTicks[0]).toBe(0);
    const undecimated = lineChart({ series: [{ label: "train loss", y: run.trainLossList }], xLabel: "iteration", yLabel: "loss", integerX: true, legend: "none", idPrefix: "loss", decimate: false });
    const all = paths(undecimated)[0].points.map((p) => p[1]);
    expect(all).toHaveLength(10000);
    writeFileSync(ARTIFACTS + "loss-undecimated.svg", undecimated); // to compare renderings by eye or pixel
    expect(Math.min(...ys)).toBe(Math.min(...all)); // pixel y of the highest loss
    expect(Math.max(...ys)).toBe(Math.max(...all)); // pixel y of the lowest loss
    expect(hi).toBeGreaterThan(lo);
    expect(lossSvg.length).toBeLessThan(undecimated.length / 3);
  });

  it("labels the axes 'iteration' and 'loss' with integer iteration ticks and no legend", () => {
    expect(tickLabels(lossSvg, "x")).toEqual(["0", "2000", "4000", "6000", "8000", "10000"]);
    expect(lossSvg).toMatch(/<text class="x-label"[^>]*>iteration<\/text>/);
    expect(lossSvg).toMatch(/<text class="y-label"[^>]*>loss<\/text>/);
    expect(lossSvg).not.toMatch(/class="legend"/);
  });
});

describe("lineChart", () => {
  it("draws several series (chapter 6's comparisons) with distinct colours and escapes text", () => {
    const svg = lineChart({
      series: [
        { label: "SGD", y: [2.3, 1.2, 0.8, 0.6] },
        { label: "Momentum", y: [2.3, 0.9, 0.5, 0.3] },
        { label: "AdaGrad", y: [2.3, 0.7, 0.4, 0.2] },
        { label: "Adam <β>", y: [2.3, 0.6, 0.3, 0.1] },
      ],
      xLabel: "iterations", yLabel: "loss", title: "optimizers & MNIST",
    });
    const series = paths(svg);
    expect(series.map((s) => s.label)).toEqual(["SGD", "Momentum", "AdaGrad", "Adam &lt;β&gt;"]);
    const colours = new Set([...svg.matchAll(/class="series"[^>]*stroke="(#[0-9a-f]{6})"/g)].map((m) => m[1]));
    expect(colours.size).toBe(4);
    expect(svg).toContain(">optimizers &amp; MNIST</text>");
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
  });

  it("breaks the line at NaN/Infinity instead of drawing garbage", () => {
    const svg = lineChart({ series: [{ label: "loss", y: [1, 2, NaN, 3, 4, Infinity, 5] }] });
    expect(paths(svg)[0].d.match(/M/g)).toHaveLength(3);
    expect(paths(svg)[0].points).toHaveLength(5);
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it("copes with an empty or flat series", () => {
    expect(lineChart({ series: [{ label: "empty", y: [] }] })).toMatch(/<\/svg>\n$/);
    expect(tickLabels(lineChart({ series: [{ label: "flat", y: [0.5, 0.5, 0.5] }] }), "y").length).toBeGreaterThan(1);
  });
});

describe("niceTicks", () => {
  it("picks 1/2/2.5/5 × 10^k steps with exact labels", () => {
    expect(niceTicks(0, 1, 7).labels).toEqual(["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
    expect(niceTicks(-0.8, 16.8, 9, true).labels).toEqual(["0", "2", "4", "6", "8", "10", "12", "14", "16"]);
    expect(niceTicks(0.07, 0.33, 6).labels).toEqual(["0.10", "0.15", "0.20", "0.25", "0.30"]);
    expect(niceTicks(-1, 1, 4).labels).toEqual(["-1.0", "-0.5", "0.0", "0.5", "1.0"]);
    expect(niceTicks(0, 25, 4).labels).toEqual(["0", "10", "20"]);
    expect(niceTicks(0, 0.0009, 4).labels).toEqual(["0.00000", "0.00025", "0.00050", "0.00075"]);
  });
});
