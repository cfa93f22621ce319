// lineChart's argument checks: every field a chart reads, by type and range, so a bad option is
// a named error instead of a TypeError deep in the SVG writer (or a page-sized loop).
import { fail } from "../errors.js";
import { checkOptions, describeValue, isDetached, isNumberList } from "../check.js";
import type { LineChartOptions } from "./line-chart.js";

const WHERE = "lineChart";
const LEGENDS = ["upper right", "upper left", "lower right", "lower left", "best", "none"];
const MARKERS = ["o", "s", "D", "x", "+", "^"];
/** Largest chart side in px (and series count): a figure, not a poster. */
const MAX_SIDE = 20_000;
const MAX_SERIES = 100;

function checkNumbers(value: unknown, name: string): void {
  if (!isNumberList(value) || (ArrayBuffer.isView(value) && isDetached(value))) fail(WHERE, `${name} must be an array of numbers, got ${describeValue(value)}`);
  for (let i = 0; i < value.length; i++) if (typeof value[i] !== "number") fail(WHERE, `${name}[${i}] is ${describeValue(value[i])}, not a number`);
}

function checkDomain(value: unknown, name: string): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => typeof v === "number" && Number.isFinite(v)) || !(value[0] < value[1])) {
    fail(WHERE, `${name} must be [low, high] with finite low < high, got ${describeValue(value)}`);
  }
}

export function checkChartOptions(options: LineChartOptions): void {
  const o = checkOptions(options, WHERE);
  if (!Array.isArray(o.series) || o.series.length > MAX_SERIES) fail(WHERE, `series must be an array of at most ${MAX_SERIES} { label, y } objects, got ${describeValue(o.series)}`);
  o.series.forEach((s, i) => {
    if (typeof s !== "object" || s === null) fail(WHERE, `series[${i}] must be { label, y }, got ${describeValue(s)}`);
    if (typeof s.label !== "string") fail(WHERE, `series[${i}].label must be a string, got ${describeValue(s.label)}`);
    checkNumbers(s.y, `series[${i}].y`);
    if (s.x !== undefined) {
      checkNumbers(s.x, `series[${i}].x`);
      if (s.x.length !== s.y.length) fail(WHERE, `series[${i}].x has ${s.x.length} values but y has ${s.y.length}`);
    }
    if (s.dashed !== undefined && typeof s.dashed !== "boolean") fail(WHERE, `series[${i}].dashed must be true or false, got ${describeValue(s.dashed)}`);
    if (s.color !== undefined && typeof s.color !== "string") fail(WHERE, `series[${i}].color must be a CSS colour string, got ${describeValue(s.color)}`);
    if (s.marker !== undefined && !MARKERS.includes(s.marker)) fail(WHERE, `series[${i}].marker must be one of ${MARKERS.map((m) => `'${m}'`).join(", ")}, got ${describeValue(s.marker)}`);
    if (s.markEvery !== undefined && (typeof s.markEvery !== "number" || !Number.isInteger(s.markEvery) || s.markEvery < 1)) {
      fail(WHERE, `series[${i}].markEvery must be an integer ≥ 1, got ${describeValue(s.markEvery)}`);
    }
    for (const key of ["line", "noLegend"] as const) {
      if (s[key] !== undefined && typeof s[key] !== "boolean") fail(WHERE, `series[${i}].${key} must be true or false, got ${describeValue(s[key])}`);
    }
  });
  for (const key of ["xLabel", "yLabel", "title", "idPrefix"] as const) {
    if (o[key] !== undefined && typeof o[key] !== "string") fail(WHERE, `${key} must be a string, got ${describeValue(o[key])}`);
  }
  checkDomain(o.xDomain, "xDomain");
  checkDomain(o.yDomain, "yDomain");
  for (const key of ["width", "height"] as const) {
    const v = o[key];
    if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v) || v < 50 || v > MAX_SIDE)) fail(WHERE, `${key} must be a number of pixels in [50, ${MAX_SIDE}], got ${describeValue(v)}`);
  }
  if (o.legend !== undefined && !LEGENDS.includes(o.legend)) fail(WHERE, `legend must be one of ${LEGENDS.map((l) => `'${l}'`).join(", ")}, got ${describeValue(o.legend)}`);
  if (o.box !== undefined) {
    if (typeof o.box !== "object" || o.box === null) fail(WHERE, `box must be { left, right, top, bottom } fractions, got ${describeValue(o.box)}`);
    for (const [side, v] of Object.entries(o.box)) {
      if (typeof v !== "number" || !(v >= 0 && v <= 1)) fail(WHERE, `box.${side} must be a fraction in [0, 1], got ${describeValue(v)}`);
    }
  }
  for (const key of ["integerX", "decimate", "grid", "xTicks", "yTicks"] as const) {
    if (o[key] !== undefined && typeof o[key] !== "boolean") fail(WHERE, `${key} must be true or false, got ${describeValue(o[key])}`);
  }
}
