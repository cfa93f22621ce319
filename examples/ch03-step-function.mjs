// ch03/step_function.py (§3.2.3): the step function — 0 for x ≤ 0, 1 for x > 0 — drawn over
// x = np.arange(-5.0, 5.0, 0.1) with the y axis from −0.1 to 1.1.
//   npm run build && node examples/ch03-step-function.mjs
// Writes out/book/ch03-step-function.svg.
import { Tensor, lineChart, stepFunction } from "scratchnet";
import { arange, flags, writeFigure } from "./book-common.mjs";

flags(); // nothing to set; --quick is accepted and changes nothing

// the book's text: x > 0 as an array of 0/1 (float64, like numpy)
const x = Tensor.from([-1.0, 1.0, 2.0], undefined, "float64");
console.log("stepFunction([-1.0, 1.0, 2.0]):", stepFunction(x).toArray());

const X = arange(-5.0, 5.0, 0.1);
const Y = stepFunction(Tensor.from(X, undefined, "float64")).toArray();
writeFigure("ch03-step-function", lineChart({
  series: [{ label: "step function", x: X, y: Y }],
  yDomain: [-0.1, 1.1], // plt.ylim(-0.1, 1.1)
  legend: "none",
}));
