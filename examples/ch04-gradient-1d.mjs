// ch04/gradient_1d.py (§4.3.3): the numerical derivative of f(x) = 0.01x² + 0.1x by central
// differences (h = 1e-4), and the tangent line it gives at x = 5, drawn with f over [0, 20).
//   npm run build && node examples/ch04-gradient-1d.mjs
// Writes out/book/ch04-gradient-1d.svg.
import { lineChart, numericalDiff } from "scratchnet";
import { arange, flags, writeFigure } from "./book-common.mjs";

flags();

const function1 = (x) => 0.01 * x ** 2 + 0.1 * x;

/** The line through (x, f(x)) with slope f'(x): t ↦ d·t + (f(x) − d·x). */
function tangentLine(f, x) {
  const d = numericalDiff(f, x);
  console.log(d); // the book prints 0.1999999999990898 (the true slope is 0.2)
  const y = f(x) - d * x;
  return (t) => d * t + y;
}

const x = arange(0.0, 20.0, 0.1);
const y = x.map(function1);
const tf = tangentLine(function1, 5);
const y2 = x.map(tf);
console.log("numericalDiff(function1, 10):", numericalDiff(function1, 10)); // the book: 0.2999999999986347

writeFigure("ch04-gradient-1d", lineChart({
  series: [{ label: "f(x)", x, y }, { label: "tangent at x = 5", x, y: y2 }],
  xLabel: "x",
  yLabel: "f(x)",
  legend: "none",
}));
