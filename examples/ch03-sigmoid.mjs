// ch03/sigmoid.py (§3.2.4): the sigmoid 1 / (1 + exp(−x)) over x = np.arange(-5.0, 5.0, 0.1),
// y from −0.1 to 1.1.
//   npm run build && node examples/ch03-sigmoid.mjs
// Writes out/book/ch03-sigmoid.svg.
import { Tensor, lineChart, sigmoid } from "scratchnet";
import { arange, flags, writeFigure } from "./book-common.mjs";

flags();

// the book's text: sigmoid(np.array([-1.0, 1.0, 2.0])) → [0.26894142, 0.73105858, 0.88079708]
const x = Tensor.from([-1.0, 1.0, 2.0], undefined, "float64");
console.log("sigmoid([-1.0, 1.0, 2.0]):", sigmoid(x).toArray().map((v) => v.toFixed(8)).join(", "));

const X = arange(-5.0, 5.0, 0.1);
const Y = sigmoid(Tensor.from(X, undefined, "float64")).toArray();
writeFigure("ch03-sigmoid", lineChart({ series: [{ label: "sigmoid", x: X, y: Y }], yDomain: [-0.1, 1.1], legend: "none" }));
