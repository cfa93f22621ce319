// ch03/sig_step_compare.py (§3.2.5): the sigmoid (solid) and the step function (black dashes,
// the book's 'k--') on one plot — both squash any input into [0, 1], one smoothly, one abruptly.
//   npm run build && node examples/ch03-sig-step-compare.mjs
// Writes out/book/ch03-sig-step-compare.svg.
import { Tensor, lineChart, sigmoid, stepFunction } from "scratchnet";
import { arange, flags, writeFigure } from "./book-common.mjs";

flags();

const X = arange(-5.0, 5.0, 0.1);
const x = Tensor.from(X, undefined, "float64");
const y1 = sigmoid(x).toArray();
const y2 = stepFunction(x).toArray();
console.log(`sigmoid(0) = ${y1[50]}, step(0) = ${y2[50]}; at x = 4.9: ${y1[99].toFixed(6)} vs ${y2[99]}`);

writeFigure("ch03-sig-step-compare", lineChart({
  series: [
    { label: "sigmoid", x: X, y: y1 },
    { label: "step function", x: X, y: y2, color: "#000000", dashed: true },
  ],
  yDomain: [-0.1, 1.1],
  legend: "none", // the book's figure has none
}));
