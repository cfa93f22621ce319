// weight_init_std semantics of the book's MultiLayerNet: numbers, 'he'/'relu', 'xavier'/'sigmoid'.
import { describe, expect, it } from "vitest";
import { MultiLayerNet, weightInitScale } from "../../../src/index.node.js";

describe("weightInitScale", () => {
  it("follows the book", () => {
    expect(weightInitScale(0.01, 784)).toBe(0.01);
    expect(weightInitScale("he", 784)).toBe(Math.sqrt(2 / 784));
    expect(weightInitScale("ReLU", 100)).toBe(Math.sqrt(2 / 100));
    expect(weightInitScale("xavier", 100)).toBe(Math.sqrt(1 / 100));
    expect(weightInitScale("Sigmoid", 50)).toBe(Math.sqrt(1 / 50));
    expect(() => weightInitScale("glorot" as never, 10)).toThrow(/weightInitScale: weightInitStd must be a number, 'he'\/'relu' or 'xavier'\/'sigmoid', got "glorot"/);
    expect(() => weightInitScale(-1, 10)).toThrow(/finite number ≥ 0/);
  });

  it.each([["he", 2], ["xavier", 1]] as const)("MultiLayerNet with '%s' draws each W with std √(%i/n_prev), biases zero", (init, k) => {
    const net = new MultiLayerNet({ inputSize: 784, hiddenSizeList: [400, 200], outputSize: 10, weightInitStd: init, seed: 3 });
    const sizes = [784, 400, 200, 10];
    for (let i = 1; i <= 3; i++) {
      const w = net.params[`W${i}`].data;
      let s = 0;
      for (let j = 0; j < w.length; j++) s += w[j] * w[j];
      const std = Math.sqrt(s / w.length), want = Math.sqrt(k / sizes[i - 1]);
      // sample std of n normals is within a few × want/√(2n) of want
      expect(Math.abs(std - want)).toBeLessThan(5 * want / Math.sqrt(2 * w.length));
      expect(Array.from(net.params[`b${i}`].data).every((v) => v === 0)).toBe(true);
    }
  });

  it("is seeded: same seed, same weights; another seed, others", () => {
    const make = (seed: number) => new MultiLayerNet({ inputSize: 20, hiddenSizeList: [10], outputSize: 3, weightInitStd: 0.01, seed });
    expect(Array.from(make(1).params.W2.data)).toEqual(Array.from(make(1).params.W2.data));
    expect(Array.from(make(1).params.W2.data)).not.toEqual(Array.from(make(2).params.W2.data));
  });
});
