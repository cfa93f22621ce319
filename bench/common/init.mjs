// Initial weights shared by the JS peers (hand-written, TensorFlow.js) and the numpy subprocess:
// the book's `weight_init_std * randn`, drawn once by scratchnet's seeded wasm Rng (seed 0), so
// every implementation starts from the same numbers and their accuracies are comparable.
import { TwoLayerNet } from "../../dist/index.node.js";
import { RECIPE } from "./data.mjs";

/** { W1 [784×50], b1 [50], W2 [50×10], b2 [10] } as Float64Array copies (biases zero, as in the book). */
export function initialParams(recipe = RECIPE, seed = 0) {
  const net = new TwoLayerNet({ ...recipe, dtype: "float64", seed });
  const p = net.params;
  return {
    W1: Float64Array.from(p.W1.data), b1: Float64Array.from(p.b1.data),
    W2: Float64Array.from(p.W2.data), b2: Float64Array.from(p.b2.data),
  };
}
