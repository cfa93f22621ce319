// Half precision (ch08/half_float_network.py): float16 rounding bit for bit as numpy's
// astype(float16) — a committed table of edge values (test/fixtures/numpy/make_float16.py), and,
// with python3 + numpy, every float16 value, every midpoint between neighbours and the doubles
// just beside each midpoint — then toHalfPrecision on a whole net, with the accuracy of the book's
// sample_weight.pkl in 16-bit weights beside numpy's forward pass of the same rounded weights.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MultiLayerNet, Tensor, accuracyOf, float16Bits, float16ToNumber, roundToFloat16, toHalfPrecision } from "../../../src/index.node.js";
import { mnistTestSet } from "../../helpers/mnist.js";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const SAMPLE_WEIGHT = join(ROOT, "data-sample", "book", "sample_weight.pkl");
const hasNumpy = spawnSync("python3", ["-c", "import numpy"]).status === 0;
const dir = mkdtempSync(join(tmpdir(), "scratchnet-half-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fromHex = (hex: string): number => {
  const v = new DataView(new ArrayBuffer(8));
  v.setBigUint64(0, BigInt(`0x${hex}`));
  return v.getFloat64(0);
};
const hex16 = (b: number): string => `0x${b.toString(16).padStart(4, "0")}`;

describe("float16 rounding, as numpy's astype(float16)", () => {
  const table = JSON.parse(readFileSync(join(ROOT, "test", "fixtures", "numpy", "float16-cases.json"), "utf8")) as {
    numpy: string; inputs: string[]; float16_bits: number[]; inputs_f32: string[]; float16_bits_from_f32: number[];
  };

  it(`matches the committed table bit for bit (edge values, numpy ${table.numpy})`, () => {
    expect(table.inputs.length).toBeGreaterThan(400);
    const wrong: string[] = [];
    table.inputs.forEach((h, i) => {
      const got = float16Bits(fromHex(h));
      if (got !== table.float16_bits[i]) wrong.push(`${fromHex(h)} (0x${h}): got ${hex16(got)}, numpy ${hex16(table.float16_bits[i])}`);
    });
    table.inputs_f32.forEach((h, i) => {
      const got = float16Bits(fromHex(h));
      if (got !== table.float16_bits_from_f32[i]) wrong.push(`float32 ${fromHex(h)}: got ${hex16(got)}, numpy ${hex16(table.float16_bits_from_f32[i])}`);
    });
    expect(wrong).toEqual([]);
  });

  it("names the edge cases it covers (ties to even, subnormals, overflow, NaN)", () => {
    expect(float16Bits(2 ** -25)).toBe(0); // half the smallest subnormal: a tie, to even (0)
    expect(float16Bits(3 * 2 ** -25)).toBe(2); // 1.5 ulp: a tie, to even (2)
    expect(float16Bits(2 ** -25 * (1 + 2 ** -40))).toBe(1); // just above the tie
    expect(float16Bits(1023.5 * 2 ** -24)).toBe(0x0400); // largest subnormal + half: rounds into the smallest normal
    expect(float16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie between 1 and 1 + 2^-10: to even (1)
    expect(float16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(float16Bits(2047.5)).toBe(0x6800); // carries into the next exponent: 2048
    expect(float16Bits(65504)).toBe(0x7bff);
    expect(float16Bits(65519.99)).toBe(0x7bff);
    expect(float16Bits(65520)).toBe(0x7c00); // the halfway point rounds to the even 2^16: Infinity
    expect(float16Bits(-1e300)).toBe(0xfc00);
    expect(float16Bits(-0)).toBe(0x8000);
    expect(float16Bits(Number.NaN)).toBe(0x7e00);
    expect(roundToFloat16(0.1)).toBe(0.0999755859375);
  });

  it("float16ToNumber inverts float16Bits on all 65 536 bit patterns", () => {
    for (let b = 0; b <= 0xffff; b++) {
      const v = float16ToNumber(b);
      if ((b & 0x7c00) === 0x7c00 && (b & 0x3ff) !== 0) expect(v, hex16(b)).toBeNaN();
      else if (float16Bits(v) !== b) throw new Error(`${hex16(b)} → ${v} → ${hex16(float16Bits(v))}`);
    }
    expect(() => float16ToNumber(0x10000)).toThrow("float16ToNumber: bits must be an integer in 0 … 0xffff, got 65536");
  });

  it.runIf(hasNumpy)("matches numpy on every float16 value, every midpoint and the doubles beside each midpoint", () => {
    // inputs: each finite positive float16 value v, the midpoint m to the next one, m ± 1 ulp of m, and all of it negated
    const inputs: number[] = [];
    for (let b = 0; b < 0x7c00; b++) {
      const v = float16ToNumber(b), next = float16ToNumber(b + 1);
      const m = (v + next) / 2; // exact: both are float16 values
      inputs.push(v, m, nextDouble(m, 1), nextDouble(m, -1));
    }
    const all = Float64Array.from([...inputs, ...inputs.map((x) => -x)]);
    const inPath = join(dir, "in.f64"), outPath = join(dir, "out.u16");
    writeFileSync(inPath, all);
    execFileSync("python3", ["-W", "error", "-c", `import sys, numpy as np
with np.errstate(over='ignore'):
    np.fromfile(sys.argv[1], dtype='<f8').astype(np.float16).view('<u2').tofile(sys.argv[2])`, inPath, outPath]);
    const want = new Uint16Array(readFileSync(outPath).buffer.slice(0));
    expect(want.length).toBe(all.length);
    let wrong = 0;
    const firsts: string[] = [];
    for (let i = 0; i < all.length; i++) {
      const got = float16Bits(all[i]);
      if (got !== want[i]) { wrong++; if (firsts.length < 5) firsts.push(`${all[i]}: ${hex16(got)} vs numpy ${hex16(want[i])}`); }
    }
    expect(firsts).toEqual([]);
    expect(wrong).toBe(0);
    console.log(`float16 rounding: ${all.length} values (every float16, every midpoint ± 1 ulp, both signs) equal numpy's bit for bit`);
  });
});

describe("toHalfPrecision", () => {
  it("rounds a Tensor in place and keeps its dtype", () => {
    const t = Tensor.from([0.1, 1 / 3, 70000, -(2 ** -26), 1], [5], "float64");
    expect(toHalfPrecision(t)).toBe(t);
    expect(t.dtype).toBe("float64");
    expect(Array.from(t.data)).toEqual([roundToFloat16(0.1), roundToFloat16(1 / 3), Infinity, -0, 1]);
  });

  it("rounds every parameter of a net, and the book's sample_weight.pkl keeps its accuracy in 16-bit weights", async () => {
    const build = async (): Promise<MultiLayerNet> => {
      const net = new MultiLayerNet({ inputSize: 784, hiddenSizeList: [50, 100], outputSize: 10, activation: "sigmoid", dtype: "float64" });
      await net.loadParams(SAMPLE_WEIGHT); // float32 file, widened exactly
      return net;
    };
    const full = await build();
    const half = toHalfPrecision(await build());
    for (const [key, t] of Object.entries(half.params)) {
      expect(t.dtype, key).toBe("float64");
      for (const v of t.data) if (roundToFloat16(v) !== v) throw new Error(`${key} holds ${v}, not a float16 value`);
    }
    // rounding changed most weights (float32 → float16 drops 13 mantissa bits)
    const a = full.params.W1.data, b = half.params.W1.data;
    let changed = 0;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) changed++;
    expect(changed / a.length).toBeGreaterThan(0.9);

    const { images, labels } = mnistTestSet();
    const x = Tensor.from(Float64Array.from(images, (v) => v / 255), [10000, 784], "float64");
    const acc = accuracyOf(full.predict(x), labels);
    const xHalf = toHalfPrecision(x); // the book rounds the test images too (x_test.astype(np.float16))
    const accHalf = accuracyOf(half.predict(xHalf), labels);
    expect(acc).toBe(0.9352);
    console.log(`sample_weight.pkl on the 10 000 test digits: float64 ${acc}, float16 weights and images ${accHalf}`);
    expect(Math.abs(accHalf - acc)).toBeLessThanOrEqual(0.002);
    if (hasNumpy) {
      const ref = JSON.parse(execFileSync("python3", ["-W", "error", join(ROOT, "test", "fixtures", "book", "pretrained_accuracy.py"), "--net", "sample-weight", SAMPLE_WEIGHT, "--half"], { encoding: "utf8" }));
      expect(accHalf, `numpy ${ref.numpy} gives ${ref.accuracy}`).toBe(ref.accuracy);
    }
  });

  it("refuses what it cannot round", () => {
    expect(() => toHalfPrecision({} as never)).toThrow("toHalfPrecision: expected a Tensor or a net with params (W1, b1, …)");
  });
});

/** The double next to x towards +∞ (dir 1) or −∞ (dir −1), x > 0. */
function nextDouble(x: number, dir: 1 | -1): number {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x);
  v.setBigUint64(0, v.getBigUint64(0) + BigInt(dir));
  return v.getFloat64(0);
}
