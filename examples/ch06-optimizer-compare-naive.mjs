// ch06/optimizer_compare_naive.py (§6.1): four optimizers walk 30 steps down
// f(x, y) = x²/20 + y², a bowl 20 times flatter along x than along y, from (−7, 2). SGD zigzags
// across the steep y direction, Momentum rolls like a ball, AdaGrad damps the steep direction
// quickly, Adam does a bit of both. Drawn over the contour lines of f, 2×2 panels as the book.
//   npm run build && node examples/ch06-optimizer-compare-naive.mjs
// Writes out/book/ch06-optimizer-compare-naive.svg.
import { AdaGrad, Adam, Momentum, SGD, Tensor, contourLayer, lineLayer, panelGrid, renderAxes } from "scratchnet";
import { arange as range, flags, writeFigure } from "./book-common.mjs";

flags();

const f = (x, y) => x ** 2 / 20.0 + y ** 2;
const df = (x, y) => [x / 10.0, 2.0 * y];
const initPos = [-7.0, 2.0];

// the book's learning rates, chosen so that each optimizer's path is easy to see
const optimizers = { SGD: new SGD(0.95), Momentum: new Momentum(0.1), AdaGrad: new AdaGrad(1.5), Adam: new Adam(0.3) };

const panels = [];
for (const [key, optimizer] of Object.entries(optimizers)) {
  // the optimizers update Tensors in place, as the book's update their dict entries
  const params = { x: Tensor.from([initPos[0]], undefined, "float64"), y: Tensor.from([initPos[1]], undefined, "float64") };
  const grads = { x: Tensor.zeros([1], "float64"), y: Tensor.zeros([1], "float64") };
  const xHistory = [], yHistory = [];
  for (let i = 0; i < 30; i++) {
    xHistory.push(params.x.data[0]);
    yHistory.push(params.y.data[0]);
    const [gx, gy] = df(params.x.data[0], params.y.data[0]);
    grads.x.data[0] = gx;
    grads.y.data[0] = gy;
    optimizer.update(params, grads);
  }
  console.log(`${key.padEnd(8)} after 30 steps: (${params.x.data[0].toFixed(6)}, ${params.y.data[0].toFixed(6)}), f = ${f(params.x.data[0], params.y.data[0]).toExponential(3)}`);

  panels.push(renderAxes({ title: key, xLabel: "x", yLabel: "y", xDomain: [-10, 10], yDomain: [-10, 10], legend: "none", width: 480, height: 360 }, [
    // plt.contour(X, Y, Z) over x ∈ [−10, 10), y ∈ [−5, 5): matplotlib picks the levels 1 … 6 there
    contourLayer({ xs: range(-10, 10, 0.1), ys: range(-5, 5, 0.1), z: f, levels: [1, 2, 3, 4, 5, 6] }),
    lineLayer({ label: key, x: xHistory, y: yHistory, color: "red", marker: "o" }), // 'o-', color="red"
    lineLayer({ label: "minimum", x: [0], y: [0], color: "#1f77b4", marker: "+", line: false }), // plt.plot(0, 0, '+')
  ]));
}
writeFigure("ch06-optimizer-compare-naive", panelGrid(panels, { cols: 2 }));
