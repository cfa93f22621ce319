// The figure pieces behind the book's figures (src/plot/): markers and line styles, the legend's
// 'best' corner, quiver arrows, contour lines, histograms, image grids (PNG inside SVG), panel
// grids and the colour maps. Every SVG is parsed with test/helpers/svg.ts (which must reject
// malformed XML, tested first) and its elements counted and measured.
import { spawnSync } from "node:child_process";
import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  contourLayer, contourLines, encodeGrayPng, grayLevel, histogram, histogramLayer, imageGrid, lineChart, markerPath,
  MARKER_SHAPES, panelGrid, quiverLayer, renderAxes, viridis,
} from "../../../src/index.node.js";
import { byClass, findAll, parseSvg, pathPoints, subpaths, texts, type SvgElement } from "../../helpers/svg.js";
import { have } from "../../helpers/prerequisites.js";

const legendOf = (svg: SvgElement): SvgElement => byClass(svg, "legend")[0];

describe("the SVG reader used by the figure tests", () => {
  it("accepts a well-formed document and rejects malformed ones", () => {
    const ok = parseSvg('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><g class="a b"><text>x &amp; y</text></g></svg>');
    expect(texts(ok)).toEqual(["x & y"]);
    for (const bad of [
      '<svg xmlns="http://www.w3.org/2000/svg"><g></svg>', // unclosed <g>
      '<svg xmlns="http://www.w3.org/2000/svg"><g></h></svg>', // mismatched
      '<svg xmlns="http://www.w3.org/2000/svg" width=1></svg>', // unquoted
      '<svg xmlns="http://www.w3.org/2000/svg" a="1" a="2"></svg>', // repeated attribute
      '<svg xmlns="http://www.w3.org/2000/svg"><text>a & b</text></svg>', // bare &
      '<svg xmlns="http://www.w3.org/2000/svg"></svg><svg xmlns="http://www.w3.org/2000/svg"></svg>', // two roots
      "<svg></svg>", // no namespace
    ]) expect(() => parseSvg(bad), bad).toThrow();
  });
});

describe("markers and line styles", () => {
  it("draws each matplotlib marker as path data of the right size", () => {
    for (const shape of MARKER_SHAPES) {
      const d = markerPath(shape, 100, 50, 10);
      const svg = parseSvg(`<svg xmlns="http://www.w3.org/2000/svg"><path d="${d}"/></svg>`);
      expect(subpaths(svg.children[0]), shape).toBe(shape === "x" || shape === "+" ? 2 : 1);
    }
    expect(markerPath("s", 100, 50, 10)).toBe("M95 45h10v10h-10Z");
  });

  it("marks every k-th point, draws markers without a line, and leaves helper lines out of the legend", () => {
    const svg = parseSvg(lineChart({
      series: [
        { label: "train", y: Array.from({ length: 101 }, (_, i) => i / 100), marker: "o", markEvery: 10 },
        { label: "dots", y: [0.2, 0.4, 0.6], marker: "s", line: false },
        { label: "axis", x: [0, 100], y: [0, 0], dashed: true, noLegend: true },
      ],
    }));
    const markers = findAll(svg, (e) => "data-marker" in e.attrs);
    expect(markers.map((m) => [m.attrs["data-marker"], subpaths(m)])).toEqual([["o", 11], ["s", 3]]);
    expect(byClass(svg, "series").map((s) => s.attrs["data-label"])).toEqual(["train", "dots", "axis"]); // one per series
    expect(findAll(svg, (e) => e.name === "path" && e.attrs["data-label"] === "dots" && !("data-marker" in e.attrs))).toEqual([]); // no line
    const legend = legendOf(svg);
    expect(texts(legend)).toEqual(["train", "dots"]);
    expect(findAll(legend, (e) => e.name === "line")).toHaveLength(1); // 'dots' shows its marker only
    expect(findAll(legend, (e) => e.name === "path")).toHaveLength(2);
  });

  it("puts a 'best' legend in the first corner (matplotlib's order) that covers no data", () => {
    const corner = (ys: number[], extra: { x: number[]; y: number[] } | null = null): string => legendOf(parseSvg(lineChart({
      series: [{ label: "loss", y: ys }, ...(extra ? [{ label: "more", ...extra }] : [])], legend: "best",
    }))).attrs["data-position"];
    expect(corner([0, 0, 0, 0, 0])).toBe("upper right"); // free: matplotlib's first choice
    expect(corner([0, 0, 0, 0, 0, 1, 1, 1, 1, 1])).toBe("upper left"); // high on the right only
    const flat = Array(10).fill(1); // along the top; a second line along the bottom right
    expect(corner(flat, { x: [5, 6, 7, 8, 9], y: [0, 0, 0, 0, 0] })).toBe("lower left");
    const falling = Array.from({ length: 50 }, (_, i) => 1 - i / 49);
    expect(corner(falling)).toBe("upper right"); // a falling curve leaves the upper right empty
    expect(corner(falling.map((v) => 1 - v))).toBe("upper left");
  });
});

describe("quiverLayer", () => {
  const field = (): { svg: SvgElement; arrows: [number, number][][] } => {
    const x = [-1, 0, 1, 0, 0], y = [0, 0, 0, 1, -1], u = [1, 0, -2, 0, 0], v = [0, 0, 0, -1, 1];
    const svg = parseSvg(renderAxes({ xDomain: [-2, 2], yDomain: [-2, 2], grid: true }, [quiverLayer({ x, y, u, v, color: "#666666" })]));
    const d = byClass(svg, "quiver")[0].attrs.d;
    const arrows = d.split("Z").filter(Boolean).map((sub) => [...sub.matchAll(/[ML](-?[\d.]+) (-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])] as [number, number]));
    return { svg, arrows };
  };

  it("draws one closed arrow per point, pointing along (u, v), longer for longer vectors", () => {
    const { svg, arrows } = field();
    expect(arrows).toHaveLength(5);
    const tip = (a: [number, number][]): [number, number] => a[3]; // the 4th vertex is the head's point
    const [right, still, left, down, up] = arrows;
    expect(tip(right)[0]).toBeGreaterThan(right[0][0]); // u > 0: towards larger x
    expect(tip(left)[0]).toBeLessThan(left[0][0]);
    expect(tip(down)[1]).toBeGreaterThan(down[0][1]); // v < 0: downwards on screen
    expect(tip(up)[1]).toBeLessThan(up[0][1]);
    const length = (a: [number, number][]): number => Math.hypot(tip(a)[0] - a[0][0], tip(a)[1] - a[0][1]);
    expect(length(left) / length(right)).toBeCloseTo(2, 1); // |(−2, 0)| = 2·|(1, 0)|
    expect(still).toHaveLength(6); // a zero vector: matplotlib's hexagonal dot
    expect(byClass(svg, "grid")).toHaveLength(1);
    expect(() => quiverLayer({ x: [0], y: [0, 1], u: [0], v: [0] })).toThrow(/same length/);
  });

  it("scales the mean arrow to 1/(1.8·max(10, √N)) of the axes width, as matplotlib", () => {
    const { svg, arrows } = field();
    const frame = byClass(svg, "frame")[0];
    const plotW = Number(frame.attrs.width);
    const right = arrows[0];
    // mean |(u, v)| over the 5 vectors = (1 + 0 + 2 + 1 + 1) / 5 = 1; sn = 10
    expect(Math.hypot(right[3][0] - right[0][0], right[3][1] - right[0][1])).toBeCloseTo(plotW / 18, 1);
  });
});

describe("contour lines", () => {
  it("traces a level of x² + y² as one closed ring at that radius", () => {
    const xs = Array.from({ length: 81 }, (_, i) => -2 + i * 0.05);
    const lines = contourLines(xs, xs, (i, j) => xs[i] ** 2 + xs[j] ** 2, 1);
    expect(lines).toHaveLength(1);
    expect(lines[0].closed).toBe(true);
    for (const [x, y] of lines[0].points) expect(Math.abs(Math.hypot(x, y) - 1)).toBeLessThan(0.01);
    expect(lines[0].points.length).toBeGreaterThan(100);
  });

  it("resolves a saddle (z = x·y at level 0.5) into two separate branches", () => {
    const xs = Array.from({ length: 41 }, (_, i) => -2 + i * 0.1);
    const lines = contourLines(xs, xs, (i, j) => xs[i] * xs[j], 0.5);
    expect(lines).toHaveLength(2);
    for (const l of lines) for (const [x, y] of l.points) expect(Math.abs(x * y - 0.5)).toBeLessThan(0.02);
  });

  it("draws one path per level, coloured along viridis", () => {
    const xs = Array.from({ length: 41 }, (_, i) => -10 + i * 0.5);
    const svg = parseSvg(renderAxes({}, [contourLayer({ xs, ys: xs, z: (x, y) => x ** 2 / 20 + y ** 2, levels: [1, 2, 3] })]));
    const paths = byClass(svg, "contour");
    expect(paths.map((p) => [p.attrs["data-level"], p.attrs.stroke])).toEqual([["1", "#440154"], ["2", viridis(0.5)], ["3", "#fde725"]]);
    for (const p of paths) expect(subpaths(p)).toBe(1);
  });
});

describe("histogram", () => {
  it("counts as np.histogram: half-open bins, the last one closed, out-of-range and NaN ignored", () => {
    const h = histogram([0, 0.5, 1, 1.0, -0.1, 1.1, NaN, 0.49999], 2, [0, 1]);
    expect(h.edges).toEqual([0, 0.5, 1]);
    expect(h.counts).toEqual([2, 3]);
    expect(() => histogram([1], 0, [0, 1])).toThrow(/bins/);
    expect(() => histogram([1], 3, [1, 1])).toThrow(/range/);
  });

  it.runIf(have("numpy"))("gives numpy's counts on values that sit on and near bin edges", () => {
    const values = Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? (i % 31) / 30 : ((i * 7919) % 1000) / 997 - 0.001));
    const py = spawnSync("python3", ["-c", "import json,sys,numpy as np; v=json.load(sys.stdin); print(json.dumps(np.histogram(v, 30, range=(0, 1))[0].tolist()))"], { input: JSON.stringify(values), encoding: "utf8" });
    expect(py.status, py.stderr).toBe(0);
    expect(histogram(values, 30, [0, 1]).counts).toEqual(JSON.parse(py.stdout));
  });

  it("draws touching bars whose heights follow the counts", () => {
    const svg = parseSvg(renderAxes({ yDomain: [0, 10] }, [histogramLayer({ edges: [0, 1, 2, 3], counts: [2, 10, 5] })]));
    const rects = findAll(byClass(svg, "bars")[0], (e) => e.name === "rect");
    expect(rects.map((r) => Number(r.attrs["data-count"]))).toEqual([2, 10, 5]);
    const h = rects.map((r) => Number(r.attrs.height));
    expect(h[1] / h[0]).toBeCloseTo(5, 1);
    expect(Number(rects[0].attrs.x) + Number(rects[0].attrs.width)).toBeCloseTo(Number(rects[1].attrs.x), 1);
    expect(() => histogramLayer({ edges: [0, 1], counts: [1, 2] })).toThrow(/edges/);
  });
});

describe("images: PNG and image grids", () => {
  it("encodes a greyscale PNG that zlib inflates back to the pixels, with valid chunk CRCs", () => {
    const pixels = Array.from({ length: 7 * 3 }, (_, i) => i * 12);
    const png = Buffer.from(encodeGrayPng(7, 3, pixels));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect([png.readUInt32BE(16), png.readUInt32BE(20), png[24], png[25]]).toEqual([7, 3, 8, 0]);
    const idatLength = png.readUInt32BE(33);
    expect(png.subarray(37, 41).toString()).toBe("IDAT");
    const raw = inflateSync(png.subarray(41, 41 + idatLength)); // checks the Adler-32 too
    const rows = Array.from({ length: 3 }, (_, y) => [...raw.subarray(y * 8 + 1, y * 8 + 8)]);
    expect(rows.flat()).toEqual(pixels);
    expect(() => encodeGrayPng(2, 2, [1, 2, 3])).toThrow(/3 pixels for a 2×2 image/);
  });

  it("lays out images in rows, scaled per image from min to max (imshow), gray_r by default", () => {
    const img = (values: number[]) => ({ data: values, width: 2, height: 1 });
    const svg = parseSvg(imageGrid([img([0, 1]), img([5, 10]), img([3, 3])], { cols: 2, cellSize: 20, titles: ["a", "b", "c"] }));
    const cells = findAll(svg, (e) => e.name === "image");
    expect(cells).toHaveLength(3);
    expect(byClass(svg, "image-grid")[0].attrs["data-rows"]).toBe("2");
    expect(texts(svg)).toEqual(["a", "b", "c"]);
    expect(cells[1].attrs.y).toBe(cells[0].attrs.y);
    expect(Number(cells[2].attrs.y)).toBeGreaterThan(Number(cells[0].attrs.y));
    const pixelsOf = (cell: SvgElement): number[] => {
      const png = Buffer.from(cell.attrs.href.split(",")[1], "base64");
      const raw = inflateSync(png.subarray(41, 41 + png.readUInt32BE(33)));
      return [...raw.subarray(1, 3)];
    };
    expect(pixelsOf(cells[0])).toEqual([255, 0]); // gray_r: the minimum white, the maximum black
    expect(pixelsOf(cells[1])).toEqual([255, 0]); // each image has its own range
    expect(grayLevel(0, 0, 255, "gray")).toBe(0);
    expect(() => imageGrid([{ data: [1, 2, 3], width: 2, height: 2 }])).toThrow(/needs 4 values/);
  });

  it("puts corner labels inside their image: top left, and bottom right anchored at its end", () => {
    const img = { data: [0, 1, 1, 0], width: 2, height: 2 };
    const svg = parseSvg(imageGrid([img, img, img], { cols: 3, cellSize: 50, corners: [{ topLeft: "6", bottomRight: "0" }, undefined, { bottomRight: "<9>" }] }));
    const cells = findAll(svg, (e) => e.name === "image");
    const labels = byClass(svg, "corner-label");
    expect(labels.map((l) => [l.attrs["data-corner"], l.text])).toEqual([["top-left", "6"], ["bottom-right", "0"], ["bottom-right", "<9>"]]);
    const box = (c: SvgElement) => ({ x0: Number(c.attrs.x), y0: Number(c.attrs.y), x1: Number(c.attrs.x) + Number(c.attrs.width), y1: Number(c.attrs.y) + Number(c.attrs.height) });
    const [a, , c] = cells.map(box);
    const [tl, br, br3] = labels.map((l) => ({ x: Number(l.attrs.x), y: Number(l.attrs.y), size: Number(l.attrs["font-size"]) }));
    expect(tl.x).toBeGreaterThan(a.x0); expect(tl.y - tl.size * 0.8).toBeGreaterThan(a.y0); // the text's top inside the image
    expect(tl.x).toBeLessThan((a.x0 + a.x1) / 2); expect(tl.y).toBeLessThan((a.y0 + a.y1) / 2);
    expect(br.x).toBeLessThan(a.x1); expect(br.y).toBeLessThan(a.y1);
    expect(br.x).toBeGreaterThan((a.x0 + a.x1) / 2); expect(br.y).toBeGreaterThan((a.y0 + a.y1) / 2);
    expect(labels[1].attrs["text-anchor"]).toBe("end");
    expect(br3.x).toBeGreaterThan(c.x0); expect(br3.x).toBeLessThan(c.x1); // the third image's own corner
    expect(labels[1].attrs.fill).not.toBe(labels[0].attrs.fill);
  });

  it("writes a title of several lines one below the other, above the images", () => {
    const img = { data: [0, 1], width: 2, height: 1 };
    const one = parseSvg(imageGrid([img], { cellSize: 40, title: "one" }));
    const two = parseSvg(imageGrid([img], { cellSize: 40, title: "first line\nsecond line" }));
    const titles = byClass(two, "title");
    expect(titles.map((t) => t.text)).toEqual(["first line", "second line"]);
    expect(Number(titles[1].attrs.y)).toBeGreaterThan(Number(titles[0].attrs.y));
    const imageY = (svg: SvgElement) => Number(findAll(svg, (e) => e.name === "image")[0].attrs.y);
    expect(imageY(two)).toBeGreaterThan(imageY(one)); // the images move down by the extra line
    expect(imageY(two)).toBeGreaterThan(Number(titles[1].attrs.y));
    expect(Number(two.attrs.height)).toBeGreaterThan(Number(one.attrs.height));
  });
});

describe("panelGrid", () => {
  it("tiles panels with ids made unique per panel", () => {
    const chart = (i: number) => lineChart({ series: [{ label: `s${i}`, y: [i, i + 1] }], width: 200, height: 150 });
    const svg = parseSvg(panelGrid([chart(0), chart(1), chart(2)], { cols: 2, title: "three" }));
    expect([svg.attrs.width, svg.attrs.height]).toEqual(["400", String(2 * 150 + 30)]);
    const panels = svg.children.filter((e) => e.attrs.class === "panel");
    expect(panels.map((p) => [p.attrs.x, p.attrs.y])).toEqual([["0", "30"], ["200", "30"], ["0", "180"]]);
    const ids = findAll(svg, (e) => "id" in e.attrs).map((e) => e.attrs.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [i, p] of panels.entries()) {
      const clip = findAll(p, (e) => "clip-path" in e.attrs)[0].attrs["clip-path"];
      expect(clip).toBe(`url(#p${i}-scratchnet-chart-area)`);
    }
    expect(byClass(svg, "suptitle")[0].text).toBe("three");
    expect(() => panelGrid(["<g/>"], { cols: 1 })).toThrow(/not an <svg>/);
  });
});

describe("axes options", () => {
  it("hides ticks on request and moves the plot area with `box`", () => {
    const svg = parseSvg(renderAxes({ xTicks: false, yDomain: [0, 1], xDomain: [0, 1], box: { left: 0.25 } }, []));
    expect(byClass(svg, "x-ticks")).toEqual([]);
    expect(byClass(svg, "y-tick-labels")).toHaveLength(1);
    expect(Number(byClass(svg, "frame")[0].attrs.x)).toBe(160);
    expect(pathPoints({ name: "path", attrs: { d: "M1 2L3 4" }, children: [], text: "", parent: null })).toEqual([[1, 2], [3, 4]]);
  });

  it("samples viridis at its ends and in between", () => {
    expect([viridis(0), viridis(1), viridis(-1), viridis(2)]).toEqual(["#440154", "#fde725", "#440154", "#fde725"]);
    expect(viridis(0.5)).toBe("#21918c");
  });
});
