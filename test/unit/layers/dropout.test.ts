// Dropout: the book's train/test behaviour, seeded masks from the wasm Rng, and backward
// against numerical gradients with the mask held fixed.
import { describe, expect, it } from "vitest";
import { Dropout, Rng, Tensor, numericalGradient } from "../../../src/index.node.js";
import { mnistRows } from "../../helpers/mnist.js";
import { testRng, uniformArray } from "../../helpers/wasm.js";

describe("Dropout", () => {
  it("training mode keeps each value with probability 1 - ratio and zeroes the rest", () => {
    const n = 20000, ratio = 0.3;
    const x = Tensor.from(uniformArray(testRng(1), n, 0.5, 1.5), [100, 200], "float32");
    const layer = new Dropout(ratio, { seed: 7 });
    const out = layer.forward(x, true).data;
    const mask = (layer.mask as Tensor).data;
    let kept = 0, bad = 0;
    for (let i = 0; i < n; i++) {
      if (mask[i] !== 0 && mask[i] !== 1) bad++;
      if (out[i] !== (mask[i] === 1 ? x.data[i] : 0)) bad++; // x·mask, not rescaled (the book's variant)
      kept += mask[i];
    }
    expect(bad).toBe(0);
    const p = 1 - ratio, sd = Math.sqrt(n * p * (1 - p));
    expect(Math.abs(kept - n * p)).toBeLessThan(4 * sd);
  });

  it("test mode scales by (1 - ratio), and backward follows the mode", () => {
    const x = Tensor.from([[1, -2, 3], [4, 5, -6]], undefined, "float64");
    const layer = new Dropout(0.25);
    expect(layer.forward(x, false).toArray()).toEqual([[0.75, -1.5, 2.25], [3, 3.75, -4.5]]);
    expect(layer.backward(Tensor.from([[1, 1, 1], [2, 2, 2]], undefined, "float64")).toArray()).toEqual([[0.75, 0.75, 0.75], [1.5, 1.5, 1.5]]);
    layer.forward(x, true);
    const mask = Array.from((layer.mask as Tensor).data);
    const dout = Tensor.from([[1, 2, 3], [4, 5, 6]], undefined, "float64");
    expect(Array.from(layer.backward(dout).data)).toEqual([1, 2, 3, 4, 5, 6].map((v, i) => v * mask[i]));
  });

  it("masks are seeded: same seed same mask, another seed another; a shared Rng continues its stream", () => {
    const x = Tensor.from(new Float32Array(256).fill(1), [16, 16]);
    const maskOf = (d: Dropout): number[] => { d.forward(x, true); return Array.from((d.mask as Tensor).data); };
    expect(maskOf(new Dropout(0.5, { seed: 3 }))).toEqual(maskOf(new Dropout(0.5, { seed: 3 })));
    expect(maskOf(new Dropout(0.5, { seed: 3 }))).not.toEqual(maskOf(new Dropout(0.5, { seed: 4 })));
    const shared = new Rng(3);
    const a = new Dropout(0.5, { rng: shared }), b = new Dropout(0.5, { rng: shared });
    const first = maskOf(a);
    expect(first).toEqual(maskOf(new Dropout(0.5, { seed: 3 })));
    expect(maskOf(b)).not.toEqual(first); // b draws the next numbers of the same stream
  });

  it("freezeMask reuses the mask; a fresh draw differs", () => {
    const x = Tensor.from(new Float32Array(64).fill(2), [8, 8]);
    const d = new Dropout(0.5, { seed: 1 });
    expect(() => { d.freezeMask = true; d.forward(x, true); }).toThrow(/Dropout\.forward: freezeMask is set but no mask has been drawn yet/);
    d.freezeMask = false;
    const first = Array.from(d.forward(x, true).data);
    d.freezeMask = true;
    expect(Array.from(d.forward(x, true).data)).toEqual(first);
    expect(() => d.forward(Tensor.zeros([4, 8]), true)).toThrow(/the frozen mask is \[8, 8\] float32 but x is \[4, 8\] float32/);
    d.freezeMask = false;
    expect(Array.from(d.forward(x, true).data)).not.toEqual(first);
  });

  it("gradient check on real MNIST pixels with the mask held fixed (float64)", () => {
    const rows = 3, cols = 20;
    const { x: all } = mnistRows(10, rows);
    const x = Tensor.from(Array.from({ length: rows * cols }, (_, k) => all[Math.floor(k / cols) * 784 + 300 + (k % cols)]), [rows, cols], "float64");
    const R = Tensor.from(uniformArray(testRng(5), rows * cols), [rows, cols], "float64");
    const d = new Dropout(0.5, { seed: 2 });
    d.forward(x, true);
    const dx = d.backward(R).clone();
    d.freezeMask = true; // the numerical side must see the analytic side's mask
    const L = (): number => { const o = d.forward(x, true).data; let s = 0; for (let i = 0; i < o.length; i++) s += o[i] * R.data[i]; return s; };
    const num = numericalGradient(L, x);
    let diff = 0, dropped = 0;
    for (let i = 0; i < x.size; i++) { diff += Math.abs(num.data[i] - dx.data[i]); dropped += (d.mask as Tensor).data[i] === 0 ? 1 : 0; }
    expect(diff / x.size).toBeLessThanOrEqual(1e-6);
    expect(dropped).toBeGreaterThan(0); // the check covered dropped and kept units
    expect(dropped).toBeLessThan(x.size);
  });

  it("rejects a bad ratio", () => {
    expect(() => new Dropout(1)).toThrow(/Dropout: dropoutRatio must be a number in \[0, 1\), got 1/);
    expect(() => new Dropout(-0.1)).toThrow(/dropoutRatio/);
  });
});
