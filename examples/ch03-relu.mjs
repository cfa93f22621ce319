// ch03/relu.py (§3.2.7): ReLU, max(0, x), over x = np.arange(-5.0, 5.0, 0.1), y from −1 to 5.5.
//   npm run build && node examples/ch03-relu.mjs
// Writes out/book/ch03-relu.svg.
import { Tensor, lineChart, relu } from "scratchnet";
import { arange, flags, writeFigure } from "./book-common.mjs";

flags();

const x = Tensor.from([-1.0, 1.0, 2.0], undefined, "float64");
console.log("relu([-1.0, 1.0, 2.0]):", relu(x).toArray());

const X = arange(-5.0, 5.0, 0.1);
const Y = relu(Tensor.from(X, undefined, "float64")).toArray();
writeFigure("ch03-relu", lineChart({ series: [{ label: "ReLU", x: X, y: Y }], yDomain: [-1.0, 5.5], legend: "none" }));
