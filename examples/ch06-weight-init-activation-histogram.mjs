// ch06/weight_init_activation_histogram.py (§6.2.2–6.2.3): 1000 random inputs pass through five
// layers of 100 neurons; the histograms show each layer's activations. With std 1 a sigmoid's
// outputs pile up at 0 and 1 (vanishing gradients); with std 0.01 they all crowd at 0.5 (every
// neuron says the same); Xavier's √(1/n) keeps them spread. For ReLU, He's √(2/n) does.
// The script draws one setting (ReLU with He, its last lines); the text shows all six, and so
// does this example, one row each: 30 bins over (0, 1), y up to 7000, as the script.
//   npm run build && node examples/ch06-weight-init-activation-histogram.mjs [--seed 0]
// Writes out/book/ch06-weight-init-activation-histogram.svg.
import { Rng, Tensor, dot, histogram, histogramLayer, panelGrid, relu, renderAxes, sigmoid } from "scratchnet";
import { flags, writeFigure } from "./book-common.mjs";

const opts = flags({ seed: 0 });
const nodeNum = 100; // neurons per hidden layer
const hiddenLayerSize = 5;
const settings = [
  { activation: "sigmoid", name: "std=1", scale: 1 },
  { activation: "sigmoid", name: "std=0.01", scale: 0.01 },
  { activation: "sigmoid", name: "Xavier", scale: Math.sqrt(1.0 / nodeNum) },
  { activation: "ReLU", name: "std=0.01", scale: 0.01 },
  { activation: "ReLU", name: "Xavier", scale: Math.sqrt(1.0 / nodeNum) },
  { activation: "ReLU", name: "He", scale: Math.sqrt(2.0 / nodeNum) }, // the script's setting
];

const rows = [];
for (const { activation, name, scale } of settings) {
  const rng = new Rng(opts.seed);
  const inputData = Tensor.zeros([1000, 100], "float64"); // np.random.randn(1000, 100)
  rng.fillNormal(inputData, 1);
  const activations = [];
  let x = inputData;
  for (let i = 0; i < hiddenLayerSize; i++) {
    const w = Tensor.zeros([nodeNum, nodeNum], "float64");
    rng.fillNormal(w, scale); // np.random.randn(node_num, node_num) * scale
    const a = dot(x, w);
    const z = activation === "sigmoid" ? sigmoid(a) : relu(a);
    activations.push(z);
    x = z;
  }
  const spread = activations.map((z) => std(z.data).toFixed(3));
  console.log(`${activation.padEnd(7)} ${name.padEnd(8)} std of the activations, layer 1…5: ${spread.join(" ")}`);

  const panels = activations.map((z, i) => renderAxes({
    title: `${i + 1}-layer`, yDomain: [0, 7000], yTicks: i === 0, width: 200, height: 280, legend: "none", box: { left: 0.2, right: 0.95 },
  }, [histogramLayer(histogram(z.data, 30, [0, 1]))])); // plt.hist(a.flatten(), 30, range=(0, 1))
  rows.push(panelGrid(panels, { cols: 5, title: `${activation}, ${name}` }));
}
writeFigure("ch06-weight-init-activation-histogram", panelGrid(rows, { cols: 1 }));

function std(values) {
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length;
  let sq = 0;
  for (const v of values) sq += (v - mean) ** 2;
  return Math.sqrt(sq / values.length);
}
