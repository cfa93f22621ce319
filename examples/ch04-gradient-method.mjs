// ch04/gradient_method.py (§4.4.1): gradient descent on f(x0, x1) = x0² + x1² from (−3, 4).
// With lr 0.1 it walks to the minimum at the origin; the figure shows the first 20 steps
// (the book's plot: dashed blue axes, one dot per step).
//   npm run build && node examples/ch04-gradient-method.mjs
// Writes out/book/ch04-gradient-method.svg.
import { gradientDescent, lineChart } from "scratchnet";
import { flags, writeFigure } from "./book-common.mjs";

flags();

const function2 = (x) => x[0] ** 2 + x[1] ** 2;
const fmt = (a) => `[${Array.from(a, (v) => v.toPrecision(9)).join(", ")}]`; // 9 digits, as numpy prints

// the book's text: 100 steps at lr 0.1, then a learning rate too large and one too small
console.log("gradientDescent from (-3, 4), lr 0.1, 100 steps:", fmt(gradientDescent(function2, [-3.0, 4.0], 0.1, 100)));
console.log("lr 10:", fmt(gradientDescent(function2, [-3.0, 4.0], 10.0, 100)));
console.log("lr 1e-10:", fmt(gradientDescent(function2, [-3.0, 4.0], 1e-10, 100)));

// the script: 20 steps, keeping every x before its step
const xHistory = [];
const x = gradientDescent(function2, [-3.0, 4.0], 0.1, 20, xHistory);
console.log("after 20 steps:", fmt(x));
console.log("first steps:", xHistory.slice(0, 3).map((p) => `(${p.map((v) => v.toFixed(4)).join(", ")})`).join(" → "));

writeFigure("ch04-gradient-method", lineChart({
  series: [
    { label: "x0 = 0", x: [-5, 5], y: [0, 0], color: "#0000ff", dashed: true, noLegend: true }, // plt.plot([-5, 5], [0, 0], '--b')
    { label: "x1 = 0", x: [0, 0], y: [-5, 5], color: "#0000ff", dashed: true, noLegend: true },
    { label: "x", x: xHistory.map((p) => p[0]), y: xHistory.map((p) => p[1]), color: "#1f77b4", marker: "o", line: false }, // 'o'
  ],
  xDomain: [-3.5, 3.5], yDomain: [-4.5, 4.5], xLabel: "X0", yLabel: "X1", legend: "none",
}));
