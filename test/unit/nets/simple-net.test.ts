import { describe, expect, it } from "vitest";
import { SimpleNet, numericalGradient } from "../../../src/index.node.js";
import { mnistTestSet } from "../../helpers/mnist.js";

describe("smoke", () => {
  it("simpleNet reproduces the book's loss", () => {
    const net = new SimpleNet({ W: [[0.47355232, 0.9977393, 0.84668094], [0.85557411, 0.03563661, 0.69422093]] });
    expect(Math.abs(net.loss([0.6, 0.9], [0, 0, 1]) - 0.9280682857864075)).toBeLessThan(1e-12);
    const dW = numericalGradient(() => net.loss([0.6, 0.9], [0, 0, 1]), net.W);
    expect(dW.get(0, 0)).toBeCloseTo(0.21924757, 7);
  });
  it("reads the real MNIST test labels", () => {
    const { labels } = mnistTestSet();
    expect(Array.from(labels.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
  });
});
