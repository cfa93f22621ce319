// Gradient check (§5.7.3, gradient_check.py): backprop against central differences on a
// TwoLayerNet 784-50-10 in float64 with 3 real MNIST test digits. Bound: mean |backprop −
// numerical| ≤ 1e-6 per parameter. The book reports ~1e-10 for W1/W2 and ~1e-7 for b2: central
// differences (h = 1e-4) differentiate −log(y + 1e-7), backprop differentiates −log(y), and the
// two differ by about δ/y relative.
//
// The ReLU kink. Numerical differentiation assumes f is smooth within ±h of the point. If a
// hidden pre-activation a = x·W1 + b1 lies within the step a probe moves it, the probe crosses
// ReLU's kink and the numerical slope is garbage (backprop is right). A probe of W1[i, j] moves
// a[n, j] by h·x[n, i], a probe of b1[j] by h, so the check is only meaningful if every
// |a[n, j]| > h·max(1, max_i |x[n, i]|). We pick the seed and digits so this holds AND assert
// it, so a change of initialisation or data that breaks it fails loudly instead of silently
// loosening the check.
import { describe, expect, it } from "vitest";
import { Tensor, TwoLayerNet } from "../../../src/index.node.js";
import { mnistRows } from "../../helpers/mnist.js";

const H = 1e-4; // src/gradient.ts
const BOUND = 1e-6;
const KEYS = ["W1", "b1", "W2", "b2"] as const;

function meanAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / a.length;
}

/** Smallest |a[n, j]| / (h · max(1, max_i |x[n, i]|)) over the batch: > 1 means no probe crosses the kink. */
function kinkMargin(net: TwoLayerNet, x: Tensor): number {
  const a = net.layers.Affine1.forward(x).data; // pre-activations [N×50]
  const [N, D] = x.shape;
  const H1 = net.hiddenSize;
  let margin = Infinity;
  for (let n = 0; n < N; n++) {
    let xmax = 1;
    for (let i = 0; i < D; i++) xmax = Math.max(xmax, Math.abs(x.data[n * D + i]));
    for (let j = 0; j < H1; j++) margin = Math.min(margin, Math.abs(a[n * H1 + j]) / (H * xmax));
  }
  return margin;
}

describe.each(["relu", "sigmoid"] as const)("gradient check, TwoLayerNet 784-50-10 float64, %s", (activation) => {
  it("mean |backprop − numerical| ≤ 1e-6 for W1, b1, W2, b2 on 3 real MNIST digits", () => {
    const { x, labels } = mnistRows(0, 3); // digits 7, 2, 1
    const xBatch = Tensor.from(x, [3, 784], "float64");
    const net = new TwoLayerNet({ inputSize: 784, hiddenSize: 50, outputSize: 10, dtype: "float64", seed: 0, activation });
    if (activation === "relu") {
      const margin = kinkMargin(net, xBatch);
      console.log(`relu: smallest |pre-activation| is ${margin.toFixed(1)}× the largest probe step`);
      expect(margin, "a hidden pre-activation is within one probe step of the ReLU kink: pick another seed").toBeGreaterThan(1);
    }
    const t0 = performance.now();
    const gradNumerical = net.numericalGradient(xBatch, labels);
    const numericalMs = performance.now() - t0;
    const gradBackprop = net.gradient(xBatch, labels);
    const lines: string[] = [];
    for (const key of KEYS) {
      const diff = meanAbsDiff(gradBackprop[key].data, gradNumerical[key].data);
      lines.push(`${key}:${diff.toExponential(2)}`);
      expect(diff, `${key} mean |backprop − numerical|`).toBeLessThanOrEqual(BOUND);
      // and the gradient is not trivially zero (a check of 0 against 0 would prove nothing)
      const norm = meanAbsDiff(gradBackprop[key].data, new Float64Array(gradBackprop[key].size));
      expect(norm, `${key} mean |gradient|`).toBeGreaterThan(100 * diff);
    }
    // gradient() runs fused in one wasm call by default; the layer-by-layer path (the book's
    // backward chain through the layer classes) must give the same bits
    const fusedCopy = KEYS.map((key) => Array.from(gradBackprop[key].data));
    net.fused = !net.fused;
    const other = net.gradient(xBatch, labels);
    net.fused = !net.fused;
    KEYS.forEach((key, i) => expect(Array.from(other[key].data), `${key}: fused vs layer-by-layer`).toEqual(fusedCopy[i]));
    console.log(`${activation} (numericalGradient ${(numericalMs / 1000).toFixed(1)} s for 39760 params)\n${lines.join("\n")}`);
  }, 600_000); // slow by design; on a shared CPU it can take minutes
});
