// Shared by the chapter 6 examples: command-line flags, the dataset, the out/ directory,
// atomic SVG writes and a grid of small charts.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { lineChart, loadMnist, smoothCurve } from "scratchnet";

/** out/ beside examples/ (gitignored); $SCRATCHNET_OUT_DIR overrides it (the tests use a temp dir). */
export const OUT_DIR = process.env.SCRATCHNET_OUT_DIR || fileURLToPath(new URL("../out/", import.meta.url));

/** `--name value` flags with defaults, e.g. flags({ dataset: "fashion-mnist", iters: 2000 }). Numbers stay numbers. */
export function flags(defaults) {
  const args = process.argv.slice(2);
  const out = { ...defaults };
  for (let i = 0; i < args.length; i++) {
    const key = args[i].replace(/^--/, "");
    if (!args[i].startsWith("--") || !(key in defaults)) {
      throw new Error(`unknown argument ${args[i]} (options: ${Object.keys(defaults).map((k) => `--${k}`).join(" ")})`);
    }
    const value = args[++i];
    if (value === undefined) throw new Error(`--${key} needs a value`);
    out[key] = typeof defaults[key] === "number" ? Number(value) : value;
    if (typeof defaults[key] === "number" && !Number.isFinite(out[key])) throw new Error(`--${key} must be a number, got ${value}`);
  }
  return out;
}

/** Fashion-MNIST by default (installed system-wide here); `--dataset mnist` for the book's digits. */
export async function loadData(dataset) {
  const data = await loadMnist({ dataset, normalize: true, flatten: true });
  console.log(`data: ${dataset} from ${data.source} (${data.train.count} train / ${data.test.count} test)${data.isSample ? " — SAMPLE ONLY" : ""}`);
  return data;
}

/** Write out/<name> via a temporary file and a rename, so a reader never sees half a figure. */
export function writeOut(name, text) {
  mkdirSync(OUT_DIR, { recursive: true });
  const path = join(OUT_DIR, name);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
  console.log(`wrote ${path}`);
  return path;
}

/** Several standalone SVG charts (same size) tiled into one SVG, `cols` per row. */
export function svgGrid(charts, cols, width, height) {
  const rows = Math.ceil(charts.length / cols);
  const inner = charts.map((svg, i) => svg.replace("<svg ", `<svg x="${(i % cols) * width}" y="${Math.floor(i / cols) * height}" `));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${cols * width}" height="${rows * height}" viewBox="0 0 ${cols * width} ${rows * height}">\n<rect width="100%" height="100%" fill="white"/>\n${inner.join("\n")}\n</svg>\n`;
}

/** Mean of the last n values. */
export function lastMean(list, n = 100) {
  const tail = list.slice(-n);
  return tail.reduce((a, b) => a + b, 0) / tail.length;
}

/** The book's comparison figure: each loss list smoothed (smooth_curve), x iterations, y loss in [0, yMax]. */
export function lossComparisonFigure(trainLoss, yMax, title) {
  return lineChart({
    series: Object.entries(trainLoss).map(([label, list]) => ({ label, y: smoothCurve(list) })),
    xLabel: "iterations",
    yLabel: "loss",
    yDomain: [0, yMax],
    integerX: true,
    title,
  });
}
