// ch04/gradient_2d.py (§4.4): the gradient of f(x0, x1) = x0² + x1² at every point of a grid,
// drawn as arrows of −∇f — each points downhill, towards the minimum at the origin, and the
// farther from it the longer.
//   npm run build && node examples/ch04-gradient-2d.mjs
// Writes out/book/ch04-gradient-2d.svg.
import { numericalGradient, quiverLayer, renderAxes } from "scratchnet";
import { arange, flags, writeFigure } from "./book-common.mjs";

flags();

const function2 = (x) => x[0] ** 2 + x[1] ** 2;
const fmt = (g) => `[${Array.from(g, (v) => v.toPrecision(8)).join(", ")}]`;

// the book's text: the gradient at three points
for (const point of [[3.0, 4.0], [0.0, 2.0], [3.0, 0.0]]) {
  console.log(`numericalGradient at (${point.join(", ")}):`, fmt(numericalGradient(function2, point)));
}

// X, Y = np.meshgrid(x0, x1), flattened; one gradient per point
const x0 = arange(-2, 2.5, 0.25), x1 = arange(-2, 2.5, 0.25);
const X = [], Y = [], U = [], V = [];
for (const y of x1) {
  for (const x of x0) {
    const grad = numericalGradient(function2, [x, y]);
    X.push(x); Y.push(y);
    U.push(-grad[0]); V.push(-grad[1]); // plt.quiver(X, Y, -grad[0], -grad[1])
  }
}
console.log(`${X.length} arrows; the longest, at the corners, ${Math.hypot(U[0], V[0]).toFixed(4)} long`);

writeFigure("ch04-gradient-2d", renderAxes({
  xDomain: [-2, 2], yDomain: [-2, 2], xLabel: "x0", yLabel: "x1", grid: true, legend: "none",
}, [quiverLayer({ x: X, y: Y, u: U, v: V, color: "#666666" })]));
